// `inworld say --json`: one summary object on stdout, with the same names as `stream --json`'s
// `done` event; refused when the audio itself goes to stdout.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { measureDuration } from '../../src/audio/duration-meter.js';
import { cleanEnv, runCli } from '../helpers/cli.js';

let emulator: RunningEmulator;
let dir: string;

function env() {
  return cleanEnv({ INWORLD_API_KEY: 'c2F5LWpzb24ta2V5OnNlY3JldA==', INWORLD_BASE_URL: emulator.url, INWORLD_WS_URL: emulator.wsUrl });
}

before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic' });
  dir = mkdtempSync(join(tmpdir(), 'inworld-say-json-'));
});
after(async () => {
  await emulator.close();
});

test('say --json prints one summary: path, encoding, rate, bytes, measured duration, timings, request ids', async () => {
  const file = join(dir, 'hello.mp3');
  const result = await runCli(['say', 'Hello there, this is the summary.', '-o', file, '--json'], { env: env() });
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.toString().trim().split('\n');
  assert.equal(lines.length, 1, `one object: ${result.stdout}`);
  const summary = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal(summary.type, 'done');
  assert.equal(summary.path, file);
  assert.equal(summary.destination, file);
  assert.equal(summary.encoding, 'MP3');
  assert.equal(summary.sampleRateHertz, 24000);
  assert.equal(summary.bytes, statSync(file).size);
  const seconds = measureDuration('mp3', 24000, readFileSync(file));
  assert.ok(seconds > 1);
  assert.equal(summary.seconds, Math.round(seconds * 1000) / 1000);
  assert.equal(typeof summary.firstAudioMs, 'number');
  assert.ok((summary.totalMs as number) >= (summary.firstAudioMs as number));
  const seen = emulator.requests.find('/tts/v1/voice:stream').map((request) => request.headers['x-request-id']);
  assert.deepEqual(summary.requestIds, seen.slice(-1));
  assert.equal(summary.parts, 1);
  assert.doesNotMatch(result.stderr, /Wrote/, 'the JSON replaces the human summary');
});

test('say --json with the audio on stdout is refused before any request (exit 2, one line)', async () => {
  const before = emulator.requests.find('/tts/v1/voice:stream').length;
  for (const args of [['say', 'hi', '-o', '-', '--json'], ['say', 'hi', '--json']]) {
    // No -o with stdout a pipe means the audio would go to stdout too.
    const result = await runCli(args, { env: env() });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout.length, 0);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /--json.*-o <path>/);
  }
  assert.equal(emulator.requests.find('/tts/v1/voice:stream').length, before, 'nothing sent');
});
