// `inworld transcribe` end to end: the built CLI in a child process against the emulator.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { silence, tone } from '../wire/stt-fixtures.js';
import { STT_PATH } from '../wire/stt-harness.js';
import { cliEnv, resetEmulator, sttRequests, wavBytes, writeWav } from './transcribe-helpers.js';

let emulator: RunningEmulator;
let dir: string;
const TWO_TURNS = Buffer.concat([silence(200), tone(600), silence(500), tone(500), silence(500)]);

before(async () => {
  emulator = await startEmulator({ port: 0, quiet: true });
  dir = mkdtempSync(join(tmpdir(), 'inworld-transcribe-'));
});
after(() => emulator.close());

test('a WAV file: one line per final on stdout, the voice profile on stderr, exit 0', async () => {
  resetEmulator(emulator, ['Hello there.', 'How are you?']);
  const wav = writeWav(join(dir, 'two.wav'), TWO_TURNS);
  const result = await runCli(['transcribe', wav], { env: cliEnv(emulator) });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.toString(), 'Hello there.\nHow are you?\n');
  assert.match(result.stderr, /voice: age adult 0\.95, emotion \w+ [\d.]+, pitch \w+ [\d.]+, vocal style \w+ [\d.]+, accent [\w-]+ [\d.]+/);
  const [request] = sttRequests(emulator);
  const config = (request!.messages![0] as { transcribeConfig: Record<string, unknown> }).transcribeConfig;
  assert.equal(config.sampleRateHertz, 16000);
  assert.equal(config.language, 'en-US');
  assert.equal(config.endOfTurnConfidenceThreshold, 0.3);
  assert.deepEqual(config.inworldSttV1Config, { minEndOfTurnSilenceWhenConfident: 200 });
  assert.equal(request!.headers.authorization, `Basic dHJhbnNjcmliZS10ZXN0OmtleQ==`);
});

test('--json: NDJSON events with a type; finals carry text and voiceProfile', async () => {
  resetEmulator(emulator, ['Hello there.', 'How are you?']);
  const wav = writeWav(join(dir, 'json.wav'), TWO_TURNS);
  const result = await runCli(['transcribe', wav, '--json', '--voice-profile-top-n', '2'], { env: cliEnv(emulator) });
  assert.equal(result.code, 0, result.stderr);
  const events = result.stdout.toString().trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
  const types = new Set(events.map((e) => e.type));
  for (const type of ['speech_started', 'interim', 'speech_stopped', 'final', 'usage']) assert.ok(types.has(type), `has ${type}`);
  const finals = events.filter((e) => e.type === 'final');
  assert.deepEqual(finals.map((e) => e.text), ['Hello there.', 'How are you?']);
  assert.equal(finals[0].voiceProfile.age.length, 2);
  assert.equal(typeof finals[0].words[0].startMs, 'number');
});

test('--no-voice-profile: not asked for and not shown', async () => {
  resetEmulator(emulator, ['Just text.']);
  const wav = writeWav(join(dir, 'np.wav'), Buffer.concat([tone(500), silence(400)]));
  const result = await runCli(['transcribe', wav, '--no-voice-profile'], { env: cliEnv(emulator) });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.toString(), 'Just text.\n');
  assert.doesNotMatch(result.stderr, /voice:/);
  const config = (sttRequests(emulator)[0]!.messages![0] as { transcribeConfig: Record<string, unknown> }).transcribeConfig;
  assert.deepEqual(config.voiceProfileConfig, { enableVoiceProfile: false });
});

test('turn flags reach transcribeConfig: --vad-threshold, --min-end-of-turn-silence, --end-of-turn-threshold, --model, --language', async () => {
  resetEmulator(emulator, ['a']);
  const wav = writeWav(join(dir, 'flags.wav'), Buffer.concat([tone(500), silence(700)]));
  const result = await runCli(
    ['transcribe', wav, '--vad-threshold', '0.4', '--min-end-of-turn-silence', '600', '--end-of-turn-threshold', '0.6', '--language', 'de', '--model', 'assemblyai/u3-rt-pro'],
    { env: cliEnv(emulator) },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.toString(), 'a\n');
  const config = (sttRequests(emulator)[0]!.messages![0] as { transcribeConfig: Record<string, unknown> }).transcribeConfig;
  assert.deepEqual(config.inworldSttV1Config, { minEndOfTurnSilenceWhenConfident: 600, vadThreshold: 0.4 });
  assert.equal(config.endOfTurnConfidenceThreshold, 0.6);
  assert.equal(config.language, 'de');
  assert.equal(config.modelId, 'assemblyai/u3-rt-pro');
});

test('raw s16le on stdin with --sample-rate and --channels', async () => {
  resetEmulator(emulator, ['from a pipe']);
  const stereo = Buffer.concat([tone(500, 8000, 2), silence(500, 8000, 2)]);
  const result = await runCli(['transcribe', '-', '--sample-rate', '8000', '--channels', '2'], { env: cliEnv(emulator), input: stereo });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.toString(), 'from a pipe\n');
  const config = (sttRequests(emulator)[0]!.messages![0] as { transcribeConfig: Record<string, unknown> }).transcribeConfig;
  assert.equal(config.sampleRateHertz, 8000);
});

test('WAV on stdin is recognized by its header', async () => {
  resetEmulator(emulator, ['wav pipe']);
  const wav = readFileSync(writeWav(join(dir, 'pipe.wav'), Buffer.concat([tone(500), silence(500)]), 16000, 1));
  const result = await runCli(['transcribe', '-'], { env: cliEnv(emulator), input: wav });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.toString(), 'wav pipe\n');
});

test('-o writes .txt and .json', async () => {
  const wav = writeWav(join(dir, 'out.wav'), TWO_TURNS);
  resetEmulator(emulator, ['One.', 'Two.']);
  const txt = join(dir, 'out.txt');
  assert.equal((await runCli(['transcribe', wav, '-o', txt], { env: cliEnv(emulator) })).code, 0);
  assert.equal(readFileSync(txt, 'utf8'), 'One.\nTwo.\n');
  resetEmulator(emulator, ['One.', 'Two.']);
  const json = join(dir, 'out.json');
  assert.equal((await runCli(['transcribe', wav, '-o', json, '-q'], { env: cliEnv(emulator) })).code, 0);
  const events = JSON.parse(readFileSync(json, 'utf8')) as Array<{ type: string; text?: string }>;
  assert.deepEqual(events.filter((e) => e.type === 'final').map((e) => e.text), ['One.', 'Two.']);
  assert.ok(events.some((e) => e.type === 'speech_started'));
});

test('--batch sends the whole clip to POST /stt/v1/transcribe', async () => {
  resetEmulator(emulator, ['first part', 'second part']);
  const wav = writeWav(join(dir, 'batch.wav'), TWO_TURNS);
  const result = await runCli(['transcribe', wav, '--batch', '--json'], { env: cliEnv(emulator) });
  assert.equal(result.code, 0, result.stderr);
  const events = result.stdout.toString().trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
  assert.equal(events[0].type, 'final');
  assert.equal(events[0].text, 'first part second part');
  assert.equal(sttRequests(emulator).length, 0, 'no WebSocket');
  assert.equal(emulator.requests.find('/stt/v1/transcribe').length, 1);
});

test('an unknown model is the server\'s refusal: one line, exit 1', async () => {
  resetEmulator(emulator, []);
  const wav = writeWav(join(dir, 'model.wav'), Buffer.concat([tone(300), silence(300)]));
  const result = await runCli(['transcribe', wav, '--model', 'acme/nope'], { env: cliEnv(emulator) });
  assert.equal(result.code, 1);
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  assert.match(result.stderr, /unknown model "acme\/nope"/);
});

test('a 401 handshake: exit 1 with the key hint, not retried', async () => {
  resetEmulator(emulator, []);
  emulator.faults.add({ protocol: 'ws', path: STT_PATH, action: { type: 'status', status: 401, code: 16, message: 'invalid credentials' } });
  const wav = writeWav(join(dir, 'auth.wav'), Buffer.concat([tone(300), silence(300)]));
  const result = await runCli(['transcribe', wav, '--retries', '3'], { env: cliEnv(emulator) });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /401.*INWORLD_API_KEY/);
  assert.equal(sttRequests(emulator).length, 1);
});

test('-o writes .srt and .vtt captions from the word timestamps', async () => {
  const wav = writeWav(join(dir, 'captions.wav'), TWO_TURNS);
  resetEmulator(emulator, ['Hello there.', 'How are you?']);
  const srt = join(dir, 'out.srt');
  const first = await runCli(['transcribe', wav, '-o', srt, '-q'], { env: cliEnv(emulator) });
  assert.equal(first.code, 0, first.stderr);
  const srtText = readFileSync(srt, 'utf8');
  assert.match(srtText, /^1\n00:00:00,200 --> 00:00:00,800\nHello there\.\n/);
  assert.match(srtText, /2\n00:00:01,300 --> 00:00:01,800\nHow are you\?\n/);
  resetEmulator(emulator, ['Hello there.', 'How are you?']);
  const vtt = join(dir, 'out.vtt');
  assert.equal((await runCli(['transcribe', wav, '-o', vtt, '-q'], { env: cliEnv(emulator) })).code, 0);
  const vttText = readFileSync(vtt, 'utf8');
  assert.match(vttText, /^WEBVTT\n\n00:00:00\.200 --> 00:00:00\.800\nHello there\.\n/);
});

test('a 44.1 kHz stereo float WAV is down-mixed to mono and sent at its own rate', async () => {
  resetEmulator(emulator, ['float stereo']);
  const rate = 44100;
  const int16 = Buffer.concat([tone(600, rate, 2), silence(500, rate, 2)]);
  const float = Buffer.alloc(int16.length * 2);
  for (let i = 0; i < int16.length / 2; i += 1) float.writeFloatLE(int16.readInt16LE(i * 2) / 32768, i * 4);
  const path = join(dir, 'float.wav');
  writeFileSync(path, wavBytes(float, rate, 2, { formatTag: 3, bits: 32 }));
  const result = await runCli(['transcribe', path, '-q'], { env: cliEnv(emulator) });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.toString(), 'float stereo\n');
  const config = (sttRequests(emulator)[0]!.messages![0] as { transcribeConfig: Record<string, unknown> }).transcribeConfig;
  assert.equal(config.sampleRateHertz, 44100);
  assert.equal(config.numberOfChannels, 1);
});

test('--vad-threshold 0: manual turns, the end of the input ends the turn with endTurn before closeStream', async () => {
  resetEmulator(emulator, ['all one turn']);
  const wav = writeWav(join(dir, 'manual.wav'), TWO_TURNS);
  const result = await runCli(['transcribe', wav, '--vad-threshold', '0', '-q'], { env: cliEnv(emulator) });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.toString(), 'all one turn\n');
  const messages = sttRequests(emulator)[0]!.messages!;
  assert.deepEqual(messages.slice(-2), [{ endTurn: {} }, { closeStream: {} }]);
  const config = (messages[0] as { transcribeConfig: Record<string, unknown> }).transcribeConfig;
  assert.deepEqual(config.inworldSttV1Config, { vadThreshold: 0 });
});

test('--realtime paces a file at 1x', async () => {
  resetEmulator(emulator, ['paced']);
  const wav = writeWav(join(dir, 'paced.wav'), Buffer.concat([tone(600), silence(900)]));
  const started = performance.now();
  const result = await runCli(['transcribe', wav, '--realtime', '-q'], { env: cliEnv(emulator) });
  const elapsedMs = performance.now() - started;
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.toString(), 'paced\n');
  assert.ok(elapsedMs >= 1400, `1.5 s of audio took ${elapsedMs.toFixed(0)} ms`);
});

test('--emulator runs its own STT emulator; the script comes from INWORLD_EMULATOR_STT_SCRIPT, else placeholder text', async () => {
  const wav = writeWav(join(dir, 'builtin.wav'), TWO_TURNS);
  const scripted = await runCli(['transcribe', wav, '--emulator', '-q'], { env: cleanEnv({ INWORLD_EMULATOR_STT_SCRIPT: '["From the env.", "Second."]' }) });
  assert.equal(scripted.code, 0, scripted.stderr);
  assert.equal(scripted.stdout.toString(), 'From the env.\nSecond.\n');
  const placeholder = await runCli(['transcribe', wav, '--emulator', '-q'], { env: cleanEnv() });
  assert.equal(placeholder.code, 0, placeholder.stderr);
  assert.equal(placeholder.stdout.toString(), 'emulated transcript\nemulated transcript\n');
});
