// The Inworld class end to end against the emulator on real sockets: each resource returns the
// same iterables and errors as the modules behind it, breaking out of a loop cancels, and
// close() releases the WebSocket pool.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { AuthenticationError, Inworld, UserAbortError, ValidationError, type TtsStream } from '../../src/index.js';
import { pieces, silence, tone } from './stt-fixtures.js';
import { finals, scriptRule, STT_PATH } from './stt-harness.js';

const API_KEY = 'inworld-test-key';
const TTS_WS_PATH = '/tts/v1/voice:streamBidirectional';
const PCM = { audioConfig: { audioEncoding: 'PCM' as const, sampleRateHertz: 8000 } };

let emulator: RunningEmulator;
let inworld: Inworld;
before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic', quiet: true, apiKey: API_KEY });
  inworld = connect(emulator);
});
after(async () => {
  await inworld?.close();
  await emulator?.close();
});

function connect(server: RunningEmulator, apiKey = API_KEY): Inworld {
  return new Inworld({ apiKey, baseUrl: server.url, env: {}, configPath: null, timeoutMs: 5000, maxRetries: 1 });
}

function speak(stream: TtsStream, text: string): TtsStream {
  stream.sendText(text, { flush: true });
  stream.end();
  return stream;
}

test('without an API key the constructor throws ValidationError', () => {
  assert.throws(() => new Inworld({ env: {}, configPath: null }), ValidationError);
});

test('tts.synthesize streams audio over HTTP with the instance key and base URL', async () => {
  emulator.requests.clear();
  let bytes = 0;
  let format: unknown;
  for await (const chunk of inworld.tts.synthesize({ text: 'Hello from the class.', ...PCM })) {
    if (chunk.audio) bytes += chunk.audio.length;
    format ??= chunk.format;
  }
  assert.ok(bytes > 0);
  assert.deepEqual(format, { encoding: 'PCM', container: 'pcm_s16le', sampleRateHertz: 8000, channels: 1 });
  const [request] = emulator.requests.find('/tts/v1/voice:stream');
  assert.equal(request!.headers.authorization, `Basic ${API_KEY}`);
});

test('tts.generate returns the whole audio in one buffer', async () => {
  const result = await inworld.tts.generate({ text: 'One buffer, please.', ...PCM });
  assert.ok(result.audio.length > 0);
  assert.equal(result.format.sampleRateHertz, 8000);
  assert.equal(result.parts, 1);
});

test('a wrong key surfaces as AuthenticationError from every resource', async () => {
  const wrong = connect(emulator, 'not-the-key');
  try {
    await assert.rejects(async () => {
      for await (const _ of wrong.tts.synthesize({ text: 'Nope.' })) {
        // no audio expected
      }
    }, AuthenticationError);
    await assert.rejects(wrong.voices.list(), AuthenticationError);
    await assert.rejects(async () => {
      for await (const _ of speak(wrong.tts.stream(PCM), 'Nope.')) {
        // no audio expected
      }
    }, AuthenticationError);
  } finally {
    await wrong.close();
  }
});

test('tts.synthesize: breaking out of the loop ends the request promptly', async () => {
  const slow = await startEmulator({ port: 0, engine: 'synthetic', quiet: true, realtime: true });
  const client = connect(slow);
  try {
    const started = Date.now();
    for await (const chunk of client.tts.synthesize({ text: 'A sentence that takes a while to say at real time. '.repeat(8) })) {
      if (chunk.audio) break;
    }
    // About 25 s of audio at real time: leaving must not wait for it.
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    const again = await client.tts.generate({ text: 'Still usable.', ...PCM });
    assert.ok(again.audio.length > 0);
  } finally {
    await client.close();
    await slow.close();
  }
});

test('tts.stream speaks over one pooled WebSocket connection, opened on first use', async () => {
  const client = connect(emulator);
  try {
    const handshakes = emulator.requests.find(TTS_WS_PATH).length;
    const results = await Promise.all(
      ['First stream.', 'Second stream.'].map(async (text) => {
        let bytes = 0;
        for await (const chunk of speak(client.tts.stream(PCM), text)) if (chunk.type === 'audio') bytes += chunk.audio.length;
        return bytes;
      }),
    );
    assert.ok(results.every((bytes) => bytes > 0));
    assert.equal(emulator.requests.find(TTS_WS_PATH).length, handshakes + 1);
    assert.equal(client.tts.pool.stats().connections, 1);
  } finally {
    await client.close();
  }
});

test('tts.stream: breaking out of the loop closes the context on the server', async () => {
  const stream = speak(inworld.tts.stream(PCM), 'A sentence with quite a few chunks of audio in it, to leave early.');
  for await (const chunk of stream) if (chunk.type === 'audio') break;
  await new Promise<void>((resolve) => stream.onSettled(() => resolve()));
  assert.equal(inworld.tts.pool.stats().contexts, 0);
  const messages = emulator.requests.find(TTS_WS_PATH).at(-1)!.messages as Array<Record<string, unknown>>;
  assert.ok(messages.some((message) => message.close_context && message.contextId === stream.contextId));
});

test('close() (and Symbol.asyncDispose) closes the pool; a later stream opens a fresh one', async () => {
  const client = connect(emulator);
  const first = client.tts.pool;
  await first.warm(1);
  assert.equal(first.stats().connections, 1);
  await client[Symbol.asyncDispose]();
  assert.equal(first.stats().connections, 0);
  assert.throws(() => first.stream(PCM), /closed/);
  let bytes = 0;
  for await (const chunk of speak(client.tts.stream(PCM), 'After close.')) if (chunk.type === 'audio') bytes += chunk.audio.length;
  assert.ok(bytes > 0);
  assert.notEqual(client.tts.pool, first);
  await client.close();
  await client.close(); // idempotent
});

test('stt.transcribe yields typed events from an iterable of PCM', async () => {
  emulator.faults.clear();
  emulator.faults.add(scriptRule(['hello there friend', 'goodbye now']));
  const audio = Buffer.concat([silence(300), tone(1000), silence(600), tone(500), silence(600)]);
  const events = [];
  for await (const event of inworld.stt.transcribe(pieces(audio, 1234), { sampleRateHertz: 16000, maxChunksPerSecond: 0 })) events.push(event);
  assert.deepEqual(finals(events), ['hello there friend', 'goodbye now']);
  assert.ok(events.some((event) => event.type === 'speech_started'));
  emulator.faults.clear();
});

test('stt.transcribe: breaking out of the loop ends the session', async () => {
  emulator.faults.clear();
  emulator.faults.add(scriptRule(['one', 'two']));
  const connections = emulator.requests.find(STT_PATH).length;
  const stream = inworld.stt.transcribe([Buffer.concat([tone(400), silence(400), tone(400), silence(400)])], { sampleRateHertz: 16000, maxChunksPerSecond: 0 });
  for await (const event of stream) if (event.type === 'final') break;
  await assert.rejects(stream.session.write(silence(100)));
  assert.equal(emulator.requests.find(STT_PATH).length, connections + 1);
  emulator.faults.clear();
});

test('stt.transcribe: an aborted signal gives UserAbortError', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(async () => {
    for await (const _ of inworld.stt.transcribe([silence(300)], { sampleRateHertz: 16000, signal: controller.signal })) {
      // nothing expected
    }
  }, UserAbortError);
});

test('stt.session: audio pushed with write() and end() comes back as finals', async () => {
  emulator.faults.clear();
  emulator.faults.add(scriptRule(['pushed by hand']));
  const session = inworld.stt.session({ sampleRateHertz: 16000, maxChunksPerSecond: 0 });
  const events = (async () => {
    const seen = [];
    for await (const event of session) seen.push(event);
    return seen;
  })();
  await session.write(Buffer.concat([tone(500), silence(600)]));
  session.end();
  assert.deepEqual(finals(await events), ['pushed by hand']);
  emulator.faults.clear();
});

test('stt.transcribeClip transcribes one clip over HTTP', async () => {
  emulator.faults.clear();
  emulator.faults.add(scriptRule(['a short clip']));
  const result = await inworld.stt.transcribeClip(Buffer.concat([tone(500), silence(300)]), { sampleRateHertz: 16000 });
  assert.equal(result.text, 'a short clip');
  emulator.faults.clear();
});

test('voices.list lists voices, filtered by language', async () => {
  const all = await inworld.voices.list();
  assert.ok(all.some((voice) => voice.id === 'Ashley'));
  const japanese = await inworld.voices.list({ language: 'ja' });
  assert.ok(japanese.length > 0 && japanese.length < all.length);
  for (const voice of japanese) assert.ok(voice.languages.some((language) => language.startsWith('ja')), voice.id);
});
