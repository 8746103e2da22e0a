// `inworld transcribe --mic` with a fake microphone: a script named `arecord` first on PATH that
// plays a raw file (audio-testing.md), so the whole path — recorder, session, output — is real.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { BIN, runCli } from '../helpers/cli.js';
import { fakeProgram } from '../helpers/alsa.js';
import { silence, tone } from '../wire/stt-fixtures.js';
import { cliEnv, resetEmulator, sttRequests } from './transcribe-helpers.js';

let emulator: RunningEmulator;
let dir: string;

before(async () => {
  emulator = await startEmulator({ port: 0, quiet: true });
  dir = mkdtempSync(join(tmpdir(), 'inworld-transcribe-mic-'));
});
after(() => emulator.close());

/** PATH with only the fake recorder's directory and node's own (no real arecord or rec). */
function micEnv(binDir: string, raw: string): Record<string, string> {
  return cliEnv(emulator, { PATH: [binDir, dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter), FAKE_MIC_RAW: raw });
}

test('--mic records 16 kHz mono from arecord and prints each turn', async () => {
  resetEmulator(emulator, ['Spoken into the mic.']);
  const raw = join(dir, 'speech.raw');
  writeFileSync(raw, Buffer.concat([silence(200), tone(600), silence(600)]));
  const binDir = fakeProgram(join(dir, 'a'), 'arecord', 'exec cat "$FAKE_MIC_RAW"');
  const result = await runCli(['transcribe', '--mic', '--no-voice-profile'], { env: micEnv(binDir, raw) });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.toString(), 'Spoken into the mic.\n');
  const config = (sttRequests(emulator)[0]!.messages![0] as { transcribeConfig: Record<string, unknown> }).transcribeConfig;
  assert.equal(config.sampleRateHertz, 16000);
  assert.equal(config.numberOfChannels, 1);
});

test('Ctrl-C stops the microphone, sends closeStream, prints the last turn and exits 130', async () => {
  resetEmulator(emulator, ['Before the interrupt.', 'Cut short.']);
  const raw = join(dir, 'long.raw');
  // One finished turn, then speech still going when Ctrl-C arrives; the recorder then idles.
  writeFileSync(raw, Buffer.concat([tone(600), silence(600), tone(600)]));
  const binDir = fakeProgram(join(dir, 'b'), 'arecord', 'cat "$FAKE_MIC_RAW"; exec sleep 30');
  const child = spawn(process.execPath, [BIN, 'transcribe', '--mic', '--json'], { env: micEnv(binDir, raw), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const secondTurn = new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if ((stdout.match(/"speech_started"/g) ?? []).length >= 2) resolve();
    });
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await secondTurn;
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  assert.equal(code, 130, stderr);
  const finals = stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; text?: string }).filter((e) => e.type === 'final');
  assert.deepEqual(finals.map((e) => e.text), ['Before the interrupt.', 'Cut short.']);
  assert.deepEqual(sttRequests(emulator)[0]!.messages!.at(-1), { closeStream: {} });
});

test('no recorder installed: one line with the fix, exit 1, no connection', async () => {
  resetEmulator(emulator, []);
  const empty = join(dir, 'empty-bin');
  const result = await runCli(['transcribe', '--mic'], { env: cliEnv(emulator, { PATH: [empty, dirname(process.execPath)].join(delimiter) }) });
  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  assert.match(result.stderr, /recorder|arecord/i);
  assert.equal(emulator.requests.list().length, 0);
});
