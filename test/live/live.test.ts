// Checks against the real Inworld service. Runs only when INWORLD_API_KEY is set (and
// INWORLD_BASE_URL, if set, points at the service); everywhere else every test here is skipped.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cleanEnv, runCli } from '../helpers/cli.js';

const key = process.env.INWORLD_API_KEY;
const skip = key ? false : 'INWORLD_API_KEY is not set: live tests need a real key';
const env = () =>
  cleanEnv({
    INWORLD_API_KEY: key,
    INWORLD_BASE_URL: process.env.INWORLD_BASE_URL,
    INWORLD_WS_URL: process.env.INWORLD_WS_URL,
    INWORLD_EMULATOR_ENGINE: undefined,
  });

describe('live service', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'inworld-live-'));

  test('voices lists Ashley', async () => {
    const result = await runCli(['voices', '--json'], { env: env(), timeoutMs: 60_000 });
    assert.equal(result.code, 0, result.stderr);
    const voices = JSON.parse(result.stdout.toString()) as Array<{ id: string }>;
    assert.ok(voices.some((voice) => voice.id === 'Ashley'));
  });

  test('say writes a WAV with word timestamps', async () => {
    const out = join(dir, 'live.wav');
    const srt = join(dir, 'live.srt');
    const result = await runCli(['say', 'Hello from the live test.', '-o', out, '--subtitles', srt, '--timings'], {
      env: env(),
      timeoutMs: 60_000,
    });
    assert.equal(result.code, 0, result.stderr);
    const bytes = readFileSync(out);
    assert.equal(bytes.toString('ascii', 0, 4), 'RIFF');
    assert.equal(bytes.readUInt32LE(40), bytes.length - 44);
    assert.match(readFileSync(srt, 'utf8'), /Hello/);
  });

  test('say in every encoding', async () => {
    for (const extension of ['mp3', 'ogg', 'flac', 'ulaw', 'alaw', 'pcm']) {
      const out = join(dir, `live.${extension}`);
      const result = await runCli(['say', 'Format check.', '-o', out], { env: env(), timeoutMs: 60_000 });
      assert.equal(result.code, 0, `${extension}: ${result.stderr}`);
      assert.ok(readFileSync(out).length > 500, `${extension} has audio`);
    }
  });

  test('stream speaks piped text', async () => {
    const out = join(dir, 'stream.wav');
    const result = await runCli(['stream', '-o', out], { env: env(), input: 'First sentence. Second sentence.', timeoutMs: 60_000 });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(readFileSync(out).length > 44 + 4800);
  });

  test('transcribe recognises synthesized speech', async () => {
    const speech = join(dir, 'speech.wav');
    const said = await runCli(['say', 'The quick brown fox jumps over the lazy dog.', '-o', speech, '--sample-rate', '16000'], {
      env: env(),
      timeoutMs: 60_000,
    });
    assert.equal(said.code, 0, said.stderr);
    const result = await runCli(['transcribe', speech, '--json'], { env: env(), timeoutMs: 120_000 });
    assert.equal(result.code, 0, result.stderr);
    const finals = result.stdout
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .filter((event) => event.type === 'final');
    assert.match(finals.map((event) => event.text).join(' ').toLowerCase(), /fox/);
  });
});
