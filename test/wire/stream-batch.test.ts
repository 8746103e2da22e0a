// Batch synthesis over the WebSocket pool (src/cli/synthesis/batch.ts) against the emulator.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { InworldClient } from '../../src/core/client.js';
import { runBatch, type BatchRunOptions } from '../../src/cli/synthesis/batch.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { TEST_API_KEY, TTS_WS_PATH, startTtsEmulator } from '../emulator/tts-ws-helpers.js';

let emulator: RunningEmulator;
let client: InworldClient;
let dir: string;
before(async () => {
  emulator = await startTtsEmulator();
  client = new InworldClient({ apiKey: TEST_API_KEY, baseUrl: emulator.url, wsUrl: emulator.wsUrl, configPath: null, env: {} });
  dir = mkdtempSync(join(tmpdir(), 'inworld-batch-'));
});
after(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  emulator.faults.clear();
});

function options(name: string, lines: string[], extra: Partial<BatchRunOptions> = {}): BatchRunOptions {
  const file = join(dir, `${name}.txt`);
  writeFileSync(file, lines.join('\n'));
  return {
    file,
    outDir: join(dir, name),
    defaults: { voiceId: 'Ashley', modelId: 'inworld-tts-1.5-max', audioConfig: { audioEncoding: 'PCM', sampleRateHertz: 8000 } },
    extension: '.wav',
    wav: true,
    ...extra,
  };
}

describe('runBatch', () => {
  it('writes one WAV file per line, JSON lines with their own voice and name', async () => {
    const opts = options('basic', [
      'First line of the batch.',
      '',
      '{"text":"A JSON line in another voice.","voice":"Dennis","name":"dennis-line"}',
      'Third line.',
    ]);
    const summary = await runBatch(client, opts);
    assert.deepEqual([summary.written, summary.skipped, summary.failed], [3, 0, 0]);
    assert.deepEqual(readdirSync(opts.outDir).sort(), ['0001.wav', '0004.wav', 'dennis-line.wav']);
    for (const name of ['0001.wav', '0004.wav', 'dennis-line.wav']) {
      const bytes = readFileSync(join(opts.outDir, name));
      assert.equal(bytes.toString('latin1', 0, 4), 'RIFF');
      assert.equal(bytes.readUInt32LE(40), bytes.length - 44);
    }
    const creates = emulator.requests.find(TTS_WS_PATH).flatMap((r) => (r.messages ?? []) as any[]).filter((m) => m.create);
    assert.ok(creates.some((m) => m.create.voiceId === 'Dennis'));
  });

  it('is resumable: a re-run skips complete files', async () => {
    const opts = options('resume', ['One.', 'Two.', 'Three.']);
    await runBatch(client, opts);
    const before = statSync(join(opts.outDir, '0002.wav')).mtimeMs;
    rmSync(join(opts.outDir, '0003.wav'));
    const again = await runBatch(client, opts);
    assert.deepEqual([again.written, again.skipped, again.failed], [1, 2, 0]);
    assert.equal(statSync(join(opts.outDir, '0002.wav')).mtimeMs, before);
    assert.ok(existsSync(join(opts.outDir, '0003.wav')));
  });

  it('reports a failed line without stopping the rest, and leaves no partial file', async () => {
    const opts = options('fail', ['Good line.', '{"text":"Unknown voice.","voice":"NoSuchVoice"}', '{"text": broken', 'Another good line.']);
    const seen: number[] = [];
    const summary = await runBatch(client, { ...opts, onResult: (r) => seen.push(r.line) });
    assert.deepEqual([summary.written, summary.failed], [2, 2]);
    assert.deepEqual(seen.sort(), [1, 2, 3, 4]);
    const unknown = summary.results.find((r) => r.line === 2)!;
    assert.equal(unknown.status, 'failed');
    assert.equal(unknown.attempts, 1, 'not retried: a permanent error');
    assert.match(unknown.error!.message, /NoSuchVoice/);
    assert.deepEqual(readdirSync(opts.outDir).sort(), ['0001.wav', '0004.wav']);
  });

  it('retries a line whose connection dropped', async () => {
    emulator.faults.add({ protocol: 'ws', times: 1, action: { type: 'custom', name: 'tts-drop', params: { afterChunks: 1 } } });
    const opts = options('retry', ['A line long enough to have a few chunks of audio in it.'], { concurrency: 1 });
    const summary = await runBatch(client, opts);
    assert.equal(summary.written, 1);
    assert.equal(summary.results[0]!.attempts, 2);
  });

  it('a line whose audio outgrows memory streams into its file, still one valid WAV', async () => {
    const long = Array.from({ length: 12 }, (_, i) => `Sentence ${i} is here to make this one line long enough, with plenty of syllables.`).join(' ');
    const opts = options('long', [long, 'Short.'], {
      defaults: { voiceId: 'Ashley', modelId: 'inworld-tts-1.5-max', audioConfig: { audioEncoding: 'PCM', sampleRateHertz: 48000 } },
    });
    const summary = await runBatch(client, opts);
    assert.equal(summary.written, 2);
    const bytes = readFileSync(join(opts.outDir, '0001.wav'));
    assert.ok(bytes.length > 1024 * 1024, `${bytes.length} bytes: past the in-memory limit`);
    assert.equal(bytes.readUInt32LE(24), 48000);
    assert.equal(bytes.readUInt32LE(4), bytes.length - 8);
    assert.equal(bytes.readUInt32LE(40), bytes.length - 44);
    assert.equal(bytes.length - 44, summary.results[0]!.bytes);
    assert.deepEqual(readdirSync(opts.outDir).sort(), ['0001.wav', '0002.wav'], 'no temporary file left');
  });

  it('raw output is the audio bytes exactly, written whole', async () => {
    const opts = options('raw', ['Raw bytes please.'], { extension: '.pcm', wav: false });
    const summary = await runBatch(client, opts);
    assert.equal(summary.written, 1);
    assert.equal(readFileSync(join(opts.outDir, '0001.pcm')).length, summary.results[0]!.bytes);
  });

  it('a connection that cannot open fails its lines, not the batch; a re-run writes them', async () => {
    emulator.faults.add({ protocol: 'ws', path: TTS_WS_PATH, times: 10, action: { type: 'status', status: 401, code: 16, message: 'bad key' } });
    const opts = options('refused', ['One line.', 'Two lines.'], { concurrency: 5 });
    const summary = await runBatch(client, opts);
    assert.deepEqual([summary.written, summary.failed], [0, 2]);
    assert.ok(summary.results.every((r) => r.attempts === 1), 'a 401 is not retried');
    assert.deepEqual(readdirSync(opts.outDir), []);
    emulator.faults.clear();
    const again = await runBatch(client, opts);
    assert.equal(again.written, 2);
  });

  it('opens its connections up front, but not 20 for a three-line file', async () => {
    const start = emulator.requests.find(TTS_WS_PATH).length;
    const summary = await runBatch(client, options('small', ['One.', 'Two.', 'Three.'], { concurrency: 100 }));
    assert.equal(summary.written, 3);
    const connections = emulator.requests.find(TTS_WS_PATH).length - start;
    assert.ok(connections >= 1 && connections <= 2, `saw ${connections} connections`);
  });

  it('keeps at most `concurrency` lines in flight', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `Line number ${i}.`);
    const start = emulator.requests.find(TTS_WS_PATH).length;
    const summary = await runBatch(client, options('many', lines, { concurrency: 7 }));
    assert.equal(summary.written, 30);
    const connections = emulator.requests.find(TTS_WS_PATH).length - start;
    assert.ok(connections >= 1 && connections <= 2, `at most ceil(7 / 5) connections, saw ${connections}`);
  });
});
