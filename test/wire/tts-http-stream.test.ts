// HTTP TTS against the emulator over real loopback sockets: framing per encoding, timestamps,
// in-stream errors, retries, timeouts, aborts.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { InworldClient } from '../../src/core/client.js';
import {
  AuthenticationError,
  ConnectionError,
  NotFoundError,
  ProtocolError,
  RateLimitError,
  ServerError,
  TimeoutError,
  UserAbortError,
  ValidationError,
} from '../../src/core/errors.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { TTS_STREAM_PATH } from '../../src/tts/http-part.js';
import type { SynthesisCallOptions, SynthesisChunk } from '../../src/tts/http-types.js';
import { synthesize, synthesizeStream } from '../../src/tts/http.js';
import type { AudioEncoding, SynthesisOptions } from '../../src/tts/options.js';

let emulator: RunningEmulator;

before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic', quiet: true });
});
after(async () => {
  await emulator?.close();
});

function makeClient(overrides: { apiKey?: string; baseUrl?: string; timeoutMs?: number; maxRetries?: number } = {}): InworldClient {
  return new InworldClient({
    apiKey: overrides.apiKey ?? 'test-key',
    baseUrl: overrides.baseUrl ?? emulator.url,
    env: {},
    configPath: null,
    timeoutMs: overrides.timeoutMs ?? 5000,
    maxRetries: overrides.maxRetries ?? 2,
  });
}

async function collect(options: SynthesisOptions, call: SynthesisCallOptions = {}, client = makeClient()): Promise<SynthesisChunk[]> {
  const chunks: SynthesisChunk[] = [];
  for await (const chunk of synthesizeStream(client, options, { retryBaseDelayMs: 5, ...call })) chunks.push(chunk);
  return chunks;
}

function audioOf(chunks: SynthesisChunk[]): Buffer {
  return Buffer.concat(chunks.flatMap((c) => (c.audio ? [c.audio] : [])));
}

function streamRequests(): number {
  return emulator.requests.find(TTS_STREAM_PATH).length;
}

function reset(): void {
  emulator.faults.clear();
  emulator.requests.clear();
}

const TEXT = 'Hello there. This is a short test of the emulator.';

test('PCM, LINEAR16 and WAV all come out as the same raw s16le PCM (headers parsed and stripped)', async () => {
  reset();
  const sizes: Record<string, number> = {};
  for (const encoding of ['PCM', 'LINEAR16', 'WAV'] as AudioEncoding[]) {
    const chunks = await collect({ text: TEXT, audioConfig: { audioEncoding: encoding, sampleRateHertz: 16000 } });
    const audio = audioOf(chunks);
    assert.ok(audio.length > 1000, encoding);
    assert.equal(audio.length % 2, 0);
    assert.ok(chunks.filter((c) => c.audio).length > 1, `${encoding}: several chunks`);
    for (const chunk of chunks) if (chunk.audio) assert.notEqual(chunk.audio.subarray(0, 4).toString('latin1'), 'RIFF');
    const first = chunks.find((c) => c.audio)!;
    assert.deepEqual(first.format, { encoding, container: 'pcm_s16le', sampleRateHertz: 16000, channels: 1 });
    assert.equal(chunks.filter((c) => c.format).length, 1);
    sizes[encoding] = audio.length;
  }
  assert.equal(sizes.LINEAR16, sizes.PCM);
  assert.equal(sizes.WAV, sizes.PCM);
});

test('compressed and telephony encodings keep their framing', async () => {
  reset();
  const mp3 = audioOf(await collect({ text: TEXT, audioConfig: { audioEncoding: 'MP3', sampleRateHertz: 24000 } }));
  assert.ok(mp3[0] === 0xff || mp3.subarray(0, 3).toString('latin1') === 'ID3', 'MP3 frame sync or ID3');
  const ogg = audioOf(await collect({ text: TEXT, audioConfig: { audioEncoding: 'OGG_OPUS', sampleRateHertz: 48000 } }));
  assert.equal(ogg.subarray(0, 4).toString('latin1'), 'OggS');
  const flac = audioOf(await collect({ text: TEXT, audioConfig: { audioEncoding: 'FLAC', sampleRateHertz: 24000 } }));
  assert.equal(flac.subarray(0, 4).toString('latin1'), 'fLaC');
  const pcm8k = audioOf(await collect({ text: TEXT, audioConfig: { audioEncoding: 'PCM', sampleRateHertz: 8000 } }));
  for (const encoding of ['MULAW', 'ALAW'] as AudioEncoding[]) {
    const g711 = audioOf(await collect({ text: TEXT, audioConfig: { audioEncoding: encoding, sampleRateHertz: 8000 } }));
    assert.equal(g711.length, pcm8k.length / 2, `${encoding}: one byte per sample`);
  }
});

test('the unary endpoint gives the same PCM as the stream', async () => {
  reset();
  const streamed = audioOf(await collect({ text: TEXT, audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 16000 } }));
  const whole = await synthesize(makeClient(), { text: TEXT, audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 16000 }, timestampType: 'WORD' });
  assert.equal(whole.audio.length, streamed.length);
  assert.equal(whole.parts, 1);
  assert.ok(whole.timestamps!.words!.length >= 9);
  assert.ok(Math.abs(whole.durationSeconds! - streamed.length / 32000) < 1e-9);
});

for (const strategy of ['SYNC', 'ASYNC'] as const) {
  test(`word timestamps (${strategy}) arrive parsed, in order, within the audio`, async () => {
    reset();
    const chunks = await collect({ text: TEXT, timestampType: 'WORD', timestampTransportStrategy: strategy, audioConfig: { audioEncoding: 'PCM' } });
    const words = chunks.flatMap((c) => c.timestamps?.words ?? []);
    assert.deepEqual(
      words.map((w) => w.text),
      ['Hello', 'there.', 'This', 'is', 'a', 'short', 'test', 'of', 'the', 'emulator.'],
    );
    for (let i = 1; i < words.length; i += 1) assert.ok(words[i]!.start >= words[i - 1]!.start);
    const seconds = audioOf(chunks).length / 48000;
    assert.ok(words[words.length - 1]!.end <= seconds + 1e-6);
    if (strategy === 'ASYNC') assert.ok(chunks.some((c) => c.timestamps && !c.audio), 'a timestamp-only line');
  });
}

test('character timestamps', async () => {
  reset();
  const chunks = await collect({ text: 'Hi you.', timestampType: 'CHARACTER' });
  const characters = chunks.flatMap((c) => c.timestamps?.characters ?? []);
  assert.ok(characters.length >= 6);
  assert.equal(characters.map((c) => c.text).join('').replace(/\s/g, ''), 'Hiyou.');
});

test('an error line mid-stream is raised (not swallowed) and not retried after audio', async () => {
  reset();
  emulator.faults.add({ path: TTS_STREAM_PATH, times: 1, action: { type: 'stream-error', afterChunks: 2, code: 13, message: 'synthesis exploded' } });
  const seen: SynthesisChunk[] = [];
  await assert.rejects(
    (async () => {
      for await (const chunk of synthesizeStream(makeClient(), { text: TEXT.repeat(3) }, { retryBaseDelayMs: 5 })) seen.push(chunk);
    })(),
    (error: unknown) => error instanceof ServerError && error.grpcCode === 13 && /synthesis exploded/.test(error.message),
  );
  assert.ok(seen.some((c) => c.audio));
  assert.equal(streamRequests(), 1);
});

test('an error line before any audio is retried', async () => {
  reset();
  emulator.faults.add({ path: TTS_STREAM_PATH, times: 1, action: { type: 'stream-error', afterChunks: 0, code: 14, message: 'try again' } });
  const chunks = await collect({ text: TEXT });
  assert.ok(audioOf(chunks).length > 0);
  assert.equal(streamRequests(), 2);
});

test('401 is raised at once, never retried', async () => {
  const strict = await startEmulator({ port: 0, engine: 'synthetic', quiet: true, apiKey: 'right-key' });
  try {
    const client = makeClient({ apiKey: 'wrong-key', baseUrl: strict.url, maxRetries: 3 });
    await assert.rejects(collect({ text: TEXT }, {}, client), (error: unknown) => error instanceof AuthenticationError && error.status === 401);
    assert.equal(strict.requests.find(TTS_STREAM_PATH).length, 1);
  } finally {
    await strict.close();
  }
});

test('503 twice then success: retried, three requests, each with a fresh request id', async () => {
  reset();
  emulator.faults.add({ path: TTS_STREAM_PATH, times: 2, action: { type: 'status', status: 503, code: 14, message: 'busy' } });
  const retries: number[] = [];
  const chunks = await collect({ text: TEXT }, { onRetry: (info) => retries.push(info.attempt) });
  assert.ok(audioOf(chunks).length > 0);
  const requests = emulator.requests.find(TTS_STREAM_PATH);
  assert.equal(requests.length, 3);
  assert.deepEqual(retries, [1, 2]);
  assert.equal(new Set(requests.map((r) => r.headers['x-request-id'])).size, 3);
});

test('503 beyond the retry budget surfaces as ServerError', async () => {
  reset();
  emulator.faults.add({ path: TTS_STREAM_PATH, times: 5, action: { type: 'status', status: 503, code: 14, message: 'busy' } });
  await assert.rejects(collect({ text: TEXT }, { maxRetries: 1 }), (error: unknown) => error instanceof ServerError && error.status === 503);
  assert.equal(streamRequests(), 2);
});

test('429 Retry-After is honoured', async () => {
  reset();
  emulator.faults.add({ path: TTS_STREAM_PATH, times: 1, action: { type: 'status', status: 429, code: 8, message: 'slow down', retryAfterSeconds: 1 } });
  const delays: number[] = [];
  const started = Date.now();
  const chunks = await collect({ text: TEXT }, { onRetry: (info) => delays.push(info.delayMs) });
  assert.ok(audioOf(chunks).length > 0);
  assert.deepEqual(delays, [1000]);
  assert.ok(Date.now() - started >= 950);
  const requests = emulator.requests.find(TTS_STREAM_PATH);
  assert.equal(requests.length, 2);
  assert.ok(requests[1]!.receivedAtMs - requests[0]!.receivedAtMs >= 950);
});

test('429 with maxRetries 0 is a RateLimitError carrying retryAfterMs', async () => {
  reset();
  emulator.faults.add({ path: TTS_STREAM_PATH, times: 1, action: { type: 'status', status: 429, code: 8, message: 'slow down', retryAfterSeconds: 2 } });
  await assert.rejects(collect({ text: TEXT }, { maxRetries: 0 }), (error: unknown) => error instanceof RateLimitError && error.retryAfterMs === 2000);
});

test('unknown voice: 404 NotFoundError, not retried', async () => {
  reset();
  await assert.rejects(collect({ text: TEXT, voiceId: 'NoSuchVoice' }), NotFoundError);
  assert.equal(streamRequests(), 1);
});

test('validation happens before any request', async () => {
  reset();
  await assert.rejects(collect({ text: TEXT, audioConfig: { speakingRate: 3 } }), ValidationError);
  assert.equal(streamRequests(), 0);
});

test('connection refused is a ConnectionError', async () => {
  const gone = await startEmulator({ port: 0, engine: 'synthetic', quiet: true });
  const url = gone.url;
  await gone.close();
  await assert.rejects(collect({ text: TEXT }, { maxRetries: 1 }, makeClient({ baseUrl: url })), (error: unknown) => {
    assert.ok(error instanceof ConnectionError);
    assert.match((error as Error).message, /Cannot connect to 127\.0\.0\.1:\d+ \(connection refused\)/);
    return true;
  });
});

test('a stall before the first chunk is a TimeoutError (retried, then raised)', async () => {
  reset();
  emulator.faults.add({ path: TTS_STREAM_PATH, action: { type: 'stall', at: 'first-chunk' } });
  const started = Date.now();
  await assert.rejects(collect({ text: TEXT }, { timeoutMs: 200, maxRetries: 1 }), TimeoutError);
  assert.ok(Date.now() - started < 3000);
  assert.equal(streamRequests(), 2);
  emulator.faults.clear();
});

test('a stall mid-stream after audio is a TimeoutError, not retried', async () => {
  reset();
  emulator.faults.add({ path: TTS_STREAM_PATH, times: 1, action: { type: 'stall', at: 'mid-stream', afterChunks: 1 } });
  await assert.rejects(collect({ text: TEXT.repeat(3) }, { timeoutMs: 200, maxRetries: 2 }), TimeoutError);
  assert.equal(streamRequests(), 1);
});

test('a dropped connection mid-stream is a ConnectionError', async () => {
  reset();
  emulator.faults.add({ path: TTS_STREAM_PATH, times: 1, action: { type: 'drop', afterChunks: 1 } });
  await assert.rejects(collect({ text: TEXT.repeat(3) }, { maxRetries: 0 }), ConnectionError);
});

test('lines split mid-line and mid-UTF-8 still decode', async () => {
  reset();
  // Short audio at 8 kHz: the emulator writes each piece separately, so keep the byte count small.
  const options: SynthesisOptions = { text: 'Naïve café, 日本.', timestampType: 'CHARACTER', audioConfig: { audioEncoding: 'PCM', sampleRateHertz: 8000 } };
  const plain = await collect(options);
  emulator.faults.add({ path: TTS_STREAM_PATH, times: 1, action: { type: 'split', pieceBytes: 5 } });
  const chunks = await collect(options);
  assert.ok(audioOf(chunks).equals(audioOf(plain)));
  const text = (list: SynthesisChunk[]) => list.flatMap((c) => c.timestamps?.characters ?? []).map((c) => c.text).join('');
  assert.equal(text(chunks), text(plain));
  assert.match(text(chunks), /日本/);
});

test('a malformed line after audio is a ProtocolError; bad base64 before audio is retried', async () => {
  reset();
  emulator.faults.add({ path: TTS_STREAM_PATH, times: 1, action: { type: 'malformed-line', afterChunks: 1 } });
  await assert.rejects(collect({ text: TEXT.repeat(3) }), ProtocolError);
  emulator.faults.add({ path: TTS_STREAM_PATH, times: 1, action: { type: 'bad-base64', afterChunks: 0 } });
  // Before any audio: retried, and the retry succeeds.
  assert.ok(audioOf(await collect({ text: TEXT })).length > 0);
});

test('aborting the signal ends the stream with UserAbortError', async () => {
  reset();
  const controller = new AbortController();
  const slow = await startEmulator({ port: 0, engine: 'synthetic', quiet: true, realtime: true });
  try {
    let count = 0;
    await assert.rejects(
      (async () => {
        for await (const chunk of synthesizeStream(makeClient({ baseUrl: slow.url }), { text: TEXT.repeat(4) }, { signal: controller.signal })) {
          if (chunk.audio) count += 1;
          if (count === 1) controller.abort();
        }
      })(),
      UserAbortError,
    );
  } finally {
    await slow.close();
  }
});

test('breaking out of the loop ends the request promptly and the client stays usable', async () => {
  const slow = await startEmulator({ port: 0, engine: 'synthetic', quiet: true, realtime: true });
  try {
    const client = makeClient({ baseUrl: slow.url });
    const started = Date.now();
    for await (const chunk of synthesizeStream(client, { text: TEXT.repeat(6) })) {
      if (chunk.audio) break;
    }
    // The whole text is ~20 s of audio at real time; leaving must not wait for it.
    assert.ok(Date.now() - started < 2000);
    const again = await synthesize(client, { text: 'Still fine.' });
    assert.ok(again.audio.length > 0);
  } finally {
    await slow.close();
  }
});

test('unary synthesize: retried on 503, unknown voice not retried, abort gives UserAbortError', async () => {
  reset();
  emulator.faults.add({ path: '/tts/v1/voice', times: 1, action: { type: 'status', status: 503, code: 14, message: 'busy' } });
  const result = await synthesize(makeClient(), { text: TEXT, audioConfig: { audioEncoding: 'MP3' } }, { retryBaseDelayMs: 5 });
  assert.equal(result.format.container, 'mp3');
  assert.ok(result.audio.length > 0);
  const { measureDuration } = await import('../../src/audio/duration-meter.js');
  assert.ok(result.durationSeconds > 0, 'MP3 has a duration without timestamps too');
  assert.equal(result.durationSeconds, measureDuration('mp3', 0, result.audio), 'measured from the MP3 frames');
  assert.equal(emulator.requests.find('/tts/v1/voice').length, 2);
  await assert.rejects(synthesize(makeClient(), { text: TEXT, voiceId: 'Nobody' }), NotFoundError);
  assert.equal(emulator.requests.find('/tts/v1/voice').length, 3);
  const controller = new AbortController();
  emulator.faults.add({ path: '/tts/v1/voice', times: 1, action: { type: 'stall', at: 'headers' } });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(synthesize(makeClient(), { text: TEXT }, { signal: controller.signal }), UserAbortError);
  emulator.faults.clear();
});
