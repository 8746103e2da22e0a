// Bad input is found before any connection: one line on stderr, exit 2, and the emulator never
// hears from the CLI.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { silence, tone } from '../wire/stt-fixtures.js';
import { cliEnv, resetEmulator, wavBytes } from './transcribe-helpers.js';

let emulator: RunningEmulator;
let dir: string;

before(async () => {
  emulator = await startEmulator({ port: 0, quiet: true });
  dir = mkdtempSync(join(tmpdir(), 'inworld-transcribe-input-'));
});
after(() => emulator.close());
beforeEach(() => resetEmulator(emulator, []));

async function expectUsageError(args: string[], pattern: RegExp, input?: Buffer | string): Promise<void> {
  const result = await runCli(['transcribe', ...args], { env: cliEnv(emulator), ...(input !== undefined ? { input } : {}) });
  assert.equal(result.code, 2, `exit 2 expected; stderr: ${result.stderr}`);
  assert.equal(result.stderr.trim().split('\n').length, 1, `one line: ${result.stderr}`);
  assert.match(result.stderr, pattern);
  assert.equal(result.stdout.length, 0);
  assert.equal(emulator.requests.list().length, 0, 'no request reached the emulator');
}

test('a file that is not audio', async () => {
  const path = join(dir, 'notes.txt');
  writeFileSync(path, 'these are not the samples you are looking for\n'.repeat(20));
  await expectUsageError([path], /notes\.txt.*(not|cannot)/i);
});

test('a truncated WAV file', async () => {
  const full = wavBytes(Buffer.concat([tone(500), silence(500)]), 16000, 1);
  const path = join(dir, 'cut.wav');
  writeFileSync(path, full.subarray(0, full.length - 5000));
  await expectUsageError([path], /truncated/i);
  const headerOnly = join(dir, 'header-only.wav');
  writeFileSync(headerOnly, full.subarray(0, 20));
  await expectUsageError([headerOnly], /truncated|not a valid/i);
});

test('an unsupported WAV format (an MP3 stream inside RIFF)', async () => {
  const path = join(dir, 'mp3-in-wav.wav');
  writeFileSync(path, wavBytes(Buffer.alloc(4000), 16000, 1, { formatTag: 0x55 }));
  await expectUsageError([path], /format|unsupported|cannot/i);
});

test('a missing file', async () => {
  await expectUsageError([join(dir, 'nope.wav')], /nope\.wav/);
});

test('raw audio on stdin without --sample-rate', async () => {
  await expectUsageError(['-'], /--sample-rate/, Buffer.concat([tone(300), silence(300)]));
});

test('--mic together with a file', async () => {
  const path = join(dir, 'x.wav');
  writeFileSync(path, wavBytes(silence(100), 16000, 1));
  await expectUsageError(['--mic', path], /--mic/);
});

test('flag values out of range', async () => {
  const path = join(dir, 'y.wav');
  writeFileSync(path, wavBytes(silence(100), 16000, 1));
  await expectUsageError([path, '--vad-threshold', '1.5'], /--vad-threshold/);
  await expectUsageError([path, '--voice-profile-top-n', '0'], /--voice-profile-top-n/);
  await expectUsageError([path, '-o', join(dir, 'out.docx')], /\.txt, \.json, \.srt or \.vtt/);
});

test('rates outside 8–48 kHz are resampled to 16 kHz (raw stdin at 4 kHz, a WAV at 96 kHz)', async () => {
  resetEmulator(emulator, ['low rate', 'high rate']);
  const low = await runCli(['transcribe', '-', '--sample-rate', '4000', '-q'], { env: cliEnv(emulator), input: Buffer.concat([tone(500, 4000), silence(500, 4000)]) });
  assert.equal(low.code, 0, low.stderr);
  assert.equal(low.stdout.toString(), 'low rate\n');
  const path = join(dir, 'high.wav');
  writeFileSync(path, wavBytes(Buffer.concat([tone(500, 96000), silence(500, 96000)]), 96000, 1));
  const high = await runCli(['transcribe', path, '-q'], { env: cliEnv(emulator) });
  assert.equal(high.code, 0, high.stderr);
  assert.equal(high.stdout.toString(), 'high rate\n');
  const rates = emulator.requests.find('/stt/v1/transcribe:streamBidirectional').map((r) => (r.messages![0] as { transcribeConfig: { sampleRateHertz: number } }).transcribeConfig.sampleRateHertz);
  assert.deepEqual(rates, [16000, 16000]);
});
