// Long text over HTTP: sentence-aligned parts, pipelined requests, one gapless output, monotonic
// timestamps offset by the audio of earlier parts.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { InworldClient } from '../../src/core/client.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { TTS_STREAM_PATH } from '../../src/tts/http-part.js';
import type { SynthesisChunk } from '../../src/tts/http-types.js';
import { TTS_SYNC_PATH, synthesize, synthesizeStream } from '../../src/tts/http.js';

// Long enough that "requested while part 0 was in flight" holds on a loaded machine too.
const LATENCY_MS = 600;
let emulator: RunningEmulator;

before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic', quiet: true, generationLatencyMs: LATENCY_MS });
});
after(async () => {
  await emulator?.close();
});

function client(): InworldClient {
  return new InworldClient({ apiKey: 'k', baseUrl: emulator.url, env: {}, configPath: null, timeoutMs: 5000, maxRetries: 1 });
}

const SENTENCES = [
  'Dr. Smith arrived at nine.',
  'She paid 3.14 dollars for coffee.',
  'Then she left for St. Louis by train.',
  'Nobody knew why.',
  'The end came quickly, e.g. before lunch.',
  'Everyone went home.',
];
const TEXT = SENTENCES.join(' ');

test('long text is split at sentences, pipelined, and concatenated gaplessly with offset timestamps', async () => {
  emulator.requests.clear();
  const parts: string[] = [];
  const chunks: SynthesisChunk[] = [];
  const partFirstSeenMs: number[] = [];
  for await (const chunk of synthesizeStream(
    client(),
    { text: TEXT, timestampType: 'WORD', audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 16000 } },
    { maxTextChars: 70, maxPartsInFlight: 2, onPart: (p) => parts.push(p.text) },
  )) {
    if (partFirstSeenMs[chunk.part] === undefined) partFirstSeenMs[chunk.part] = Date.now();
    chunks.push(chunk);
  }
  // Parts are whole sentences, never cut after "Dr." or "St." or inside 3.14.
  assert.ok(parts.length >= 3);
  for (const part of parts) {
    assert.ok(part.length <= 70, part);
    assert.match(part, /[.!?]$/);
  }
  assert.equal(parts.join(' '), TEXT);

  // Delivered in order.
  const order = chunks.map((c) => c.part);
  assert.deepEqual(order, [...order].sort((a, b) => a - b));

  // Pipelining: each next request was sent before the previous part could have finished
  // (every request takes at least LATENCY_MS before its first audio).
  const requests = emulator.requests.find(TTS_STREAM_PATH);
  assert.equal(requests.length, parts.length);
  assert.equal(requests[1]!.receivedAtMs - requests[0]!.receivedAtMs < LATENCY_MS, true, 'part 1 requested while part 0 was in flight');
  // The bodies match the parts, in order.
  assert.deepEqual(requests.map((r) => (r.body as { text: string }).text), parts);

  // Gapless: the output is exactly the sum of the parts synthesized on their own.
  let sum = 0;
  for (const part of parts) {
    const alone = await synthesize(client(), { text: part, audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 16000 } });
    sum += alone.audio.length;
  }
  const total = chunks.reduce((n, c) => n + (c.audio?.length ?? 0), 0);
  assert.equal(total, sum);

  // Timestamps: monotonic over the whole output and inside its duration.
  const words = chunks.flatMap((c) => c.timestamps?.words ?? []);
  assert.equal(words.length, TEXT.split(/\s+/).length);
  for (let i = 1; i < words.length; i += 1) assert.ok(words[i]!.start >= words[i - 1]!.end - 1e-9, `${words[i - 1]!.text} -> ${words[i]!.text}`);
  assert.ok(words[words.length - 1]!.end <= total / 32000 + 1e-6);
  // The first word of part 1 starts after all of part 0's audio.
  const part0Bytes = chunks.filter((c) => c.part === 0).reduce((n, c) => n + (c.audio?.length ?? 0), 0);
  const firstOfPart1 = chunks.find((c) => c.part === 1 && c.timestamps?.words?.length)!.timestamps!.words![0]!;
  assert.ok(firstOfPart1.start >= part0Bytes / 32000 - 1e-9);
});

test('a failing later part surfaces in order, after the earlier parts', async () => {
  emulator.requests.clear();
  // Parts 0 and 1 are requested together (their arrival order is not fixed); part 2 only once part
  // 0 is done, so the third request to arrive is always part 2.
  emulator.faults.add({ path: TTS_STREAM_PATH, skip: 2, times: 1, action: { type: 'status', status: 400, code: 3, message: 'bad part' } });
  const seenParts = new Set<number>();
  await assert.rejects(
    (async () => {
      for await (const chunk of synthesizeStream(client(), { text: TEXT }, { maxTextChars: 70, maxPartsInFlight: 2 })) seenParts.add(chunk.part);
    })(),
    /bad part/,
  );
  assert.ok(seenParts.has(0) && seenParts.has(1));
  assert.ok(!seenParts.has(2));
  emulator.faults.clear();
});

test('breaking out mid-way cancels the prefetched requests', async () => {
  for await (const chunk of synthesizeStream(client(), { text: TEXT }, { maxTextChars: 40, maxPartsInFlight: 3 })) {
    if (chunk.audio) break;
  }
  // Nothing to assert beyond a prompt return without unhandled rejections; then the client still works.
  const ok = await synthesize(client(), { text: 'Again.' });
  assert.ok(ok.audio.length > 0);
});

test('unary synthesize splits long text too, keeping order and offsets', async () => {
  emulator.requests.clear();
  const result = await synthesize(client(), { text: TEXT, timestampType: 'WORD', audioConfig: { audioEncoding: 'PCM', sampleRateHertz: 16000 } }, { maxTextChars: 70 });
  assert.equal(result.parts, emulator.requests.find(TTS_SYNC_PATH).length);
  assert.ok(result.parts >= 3);
  const words = result.timestamps!.words!;
  assert.deepEqual(words.map((w) => w.text), TEXT.split(' '));
  for (let i = 1; i < words.length; i += 1) assert.ok(words[i]!.start >= words[i - 1]!.end - 1e-9);
  assert.ok(Math.abs(result.durationSeconds! - result.audio.length / 32000) < 1e-9);
});
