// `inworld transcribe` when things go wrong on the way: dropped connections are recovered
// without losing or repeating lines, retries are bounded, and Ctrl-C ends cleanly with 130.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { BIN, runCli } from '../helpers/cli.js';
import { silence, tone } from '../wire/stt-fixtures.js';
import { STT_PATH } from '../wire/stt-harness.js';
import { cliEnv, resetEmulator, sttRequests, writeWav } from './transcribe-helpers.js';

let emulator: RunningEmulator;
let dir: string;
const AUDIO = Buffer.concat([tone(600), silence(500), tone(600), silence(500)]);

before(async () => {
  emulator = await startEmulator({ port: 0, quiet: true });
  dir = mkdtempSync(join(tmpdir(), 'inworld-transcribe-recovery-'));
});
after(() => emulator.close());

for (const closeCode of [1006, 1011]) {
  test(`a ${closeCode} mid-turn: reconnects, every line printed once, exit 0`, async () => {
    resetEmulator(emulator, ['First line.', 'Second line.']);
    emulator.faults.add({ protocol: 'ws', path: STT_PATH, times: 1, action: { type: 'custom', name: 'stt-close', params: { afterChunks: 15, closeCode } } });
    const wav = writeWav(join(dir, `drop-${closeCode}.wav`), AUDIO);
    const result = await runCli(['transcribe', wav, '--no-voice-profile'], { env: cliEnv(emulator) });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.toString(), 'First line.\nSecond line.\n');
    assert.match(result.stderr, /reconnecting/);
    assert.equal(sttRequests(emulator).length, 2);
  });
}

test('retries are bounded: the final failure exits 1 with the reason', async () => {
  resetEmulator(emulator, ['x']);
  emulator.faults.add({ protocol: 'ws', path: STT_PATH, action: { type: 'custom', name: 'stt-close', params: { afterChunks: 2, closeCode: 1011 } } });
  const wav = writeWav(join(dir, 'always.wav'), AUDIO);
  const result = await runCli(['transcribe', wav, '--retries', '1', '-q'], { env: cliEnv(emulator) });
  assert.equal(result.code, 1);
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  assert.match(result.stderr, /after 1 retry.*1011/);
  assert.equal(sttRequests(emulator).length, 2);
});

test('--json: a failure with no server error event still ends the stream with an error object', async () => {
  resetEmulator(emulator, ['x']);
  emulator.faults.add({ protocol: 'ws', path: STT_PATH, action: { type: 'custom', name: 'stt-close', params: { afterChunks: 2, closeCode: 1011 } } });
  const wav = writeWav(join(dir, 'json-fail.wav'), AUDIO);
  const result = await runCli(['transcribe', wav, '--retries', '0', '--json'], { env: cliEnv(emulator) });
  assert.equal(result.code, 1);
  const last = JSON.parse(result.stdout.toString().trim().split('\n').at(-1)!) as { type: string; message: string };
  assert.equal(last.type, 'error');
  assert.match(last.message, /1011/);
});

test('Ctrl-C: stops reading, sends closeStream, prints the finals that arrive in the grace period, exits 130', async () => {
  resetEmulator(emulator, ['Finished turn.', 'Interrupted turn.']);
  const child = spawn(process.execPath, [BIN, 'transcribe', '-', '--sample-rate', '16000', '--json'], {
    env: cliEnv(emulator),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const twoStarts = new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if ((stdout.match(/"speech_started"/g) ?? []).length >= 2) resolve();
    });
  });
  // One finished turn, then speech that is still going when Ctrl-C comes; stdin stays open.
  child.stdin.write(Buffer.concat([tone(600), silence(500), tone(600)]));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await twoStarts;
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  child.stdin.destroy();
  assert.equal(code, 130, stderr);
  const finals = stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; text?: string }).filter((e) => e.type === 'final');
  assert.deepEqual(finals.map((e) => e.text), ['Finished turn.', 'Interrupted turn.']);
  const messages = sttRequests(emulator)[0]!.messages!;
  assert.deepEqual(messages.at(-1), { closeStream: {} });
});
