// The WebSocket TTS stream (one context) against the emulator on a real socket.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import { InworldClient } from '../../src/core/client.js';
import { APIError, AuthenticationError, ConnectionError, ValidationError } from '../../src/core/errors.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { TtsPool } from '../../src/tts/pool.js';
import { CLOSE_GRACE_MS, type TtsStream, type TtsStreamChunk } from '../../src/tts/ws-stream.js';
import { TEST_API_KEY, TTS_WS_PATH, startTtsEmulator } from '../emulator/tts-ws-helpers.js';

let emulator: RunningEmulator;
let client: InworldClient;
before(async () => {
  emulator = await startTtsEmulator();
  client = new InworldClient({ apiKey: TEST_API_KEY, baseUrl: emulator.url, wsUrl: emulator.wsUrl, configPath: null, env: {} });
});
after(async () => {
  await emulator.close();
});

const PCM16K = { audioConfig: { audioEncoding: 'PCM' as const, sampleRateHertz: 16000 } };

async function collect(stream: TtsStream): Promise<TtsStreamChunk[]> {
  const chunks: TtsStreamChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function audioOf(chunks: TtsStreamChunk[]): Buffer {
  return Buffer.concat(chunks.flatMap((c) => (c.type === 'audio' ? [c.audio] : [])));
}

function lastMessages(): any[] {
  const records = emulator.requests.find(TTS_WS_PATH);
  return records.at(-1)?.messages ?? [];
}

describe('TtsStream over the emulator', () => {
  it('sends create with every option and a client-chosen contextId, with the HTTP headers', async () => {
    const pool = new TtsPool(client);
    const stream = pool.stream(
      {
        voiceId: 'Dennis',
        modelId: 'inworld-tts-2',
        audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 22050, speakingRate: 1.2 },
        temperature: 0.8,
        timestampType: 'WORD',
        applyTextNormalization: 'OFF',
        language: 'en-US',
        deliveryMode: 'STABLE',
        timestampTransportStrategy: 'ASYNC',
        autoMode: false,
        bufferCharThreshold: 500,
        maxBufferDelayMs: 2000,
      },
      { contextId: 'my-context-1' },
    );
    stream.sendText('Every option.', { flush: true });
    stream.end();
    await collect(stream);
    const record = emulator.requests.find(TTS_WS_PATH).at(-1)!;
    assert.equal(record.headers.authorization, `Basic ${TEST_API_KEY}`);
    assert.match(String(record.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    assert.match(String(record.headers['x-user-agent']), /^inworld-cli\//);
    assert.deepEqual(record.messages![0], {
      contextId: 'my-context-1',
      create: {
        voiceId: 'Dennis',
        modelId: 'inworld-tts-2',
        audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 22050, speakingRate: 1.2 },
        temperature: 0.8,
        timestampType: 'WORD',
        applyTextNormalization: 'OFF',
        language: 'en-US',
        deliveryMode: 'STABLE',
        timestampTransportStrategy: 'ASYNC',
        autoMode: false,
        bufferCharThreshold: 500,
        maxBufferDelayMs: 2000,
      },
    });
    assert.equal(stream.serverConfig?.maxBufferDelayMs, 2000);
    await pool.close();
  });

  it('validates options before anything is sent', () => {
    const pool = new TtsPool(client);
    assert.throws(() => pool.stream({ audioConfig: { audioEncoding: 'FLAC' } }), ValidationError);
    assert.throws(() => pool.stream({ bufferCharThreshold: 0 }), ValidationError);
    assert.throws(() => pool.stream({ maxBufferDelayMs: -1 }), ValidationError);
    assert.equal(pool.stats().connections, 0);
  });

  it('splits text over 1000 characters at word boundaries; the flush rides on the last piece', async () => {
    const pool = new TtsPool(client);
    const stream = pool.stream(PCM16K);
    const words = Array.from({ length: 500 }, (_, i) => `word${i}`);
    const text = `${words.join(' ')}.`;
    stream.sendText(text, { flush: true });
    stream.end();
    await collect(stream);
    const sends = lastMessages().filter((m) => m.send_text);
    assert.ok(sends.length >= 3);
    assert.equal(sends.map((m) => m.send_text.text).join(''), text);
    for (const m of sends) {
      assert.ok(m.send_text.text.length <= 1000);
      assert.ok(/\s$/.test(m.send_text.text) || m === sends.at(-1), 'cut after whitespace');
    }
    assert.deepEqual(sends.map((m) => 'flush_context' in m.send_text), [...sends.slice(1).map(() => false), true]);
    await pool.close();
  });

  it('strips LINEAR16 and WAV headers: the audio equals the PCM of the same text', async () => {
    const pool = new TtsPool(client);
    const results: Buffer[] = [];
    for (const audioEncoding of ['PCM', 'LINEAR16', 'WAV'] as const) {
      const stream = pool.stream({ audioConfig: { audioEncoding, sampleRateHertz: 16000 } });
      stream.sendText('Headers are stripped.', { flush: true });
      stream.sendText('In every generation.', { flush: true });
      stream.end();
      results.push(audioOf(await collect(stream)));
    }
    assert.ok(results[0]!.length > 1000);
    assert.ok(results[0]!.equals(results[1]!), 'LINEAR16 minus headers');
    assert.ok(results[0]!.equals(results[2]!), 'WAV minus headers');
    await pool.close();
  });

  it('keeps timestamps monotonic across generations with a running offset (SYNC and ASYNC)', async () => {
    const pool = new TtsPool(client);
    for (const timestampTransportStrategy of ['SYNC', 'ASYNC'] as const) {
      const stream = pool.stream({ ...PCM16K, timestampType: 'WORD', timestampTransportStrategy });
      for (const sentence of ['One two three.', 'Four five six.', 'Seven eight.']) stream.sendText(`${sentence} `, { flush: true });
      stream.end();
      const chunks = await collect(stream);
      const words = chunks.flatMap((c) => (c.type === 'audio' ? (c.timestamps?.words ?? []) : []));
      assert.deepEqual(
        words.map((w) => w.text),
        ['One', 'two', 'three.', 'Four', 'five', 'six.', 'Seven', 'eight.'],
      );
      for (let i = 1; i < words.length; i++) assert.ok(words[i]!.start >= words[i - 1]!.end - 1e-9, `monotonic at ${i}: ${JSON.stringify(words)}`);
      const ends = chunks.filter((c) => c.type === 'generationEnd');
      assert.equal(ends.length, 3);
      // With a fixed byte rate the offset is exact: generation n starts where its audio starts.
      const bytesBefore = audioOf(chunks.slice(0, chunks.indexOf(ends[0]!))).length;
      assert.ok(Math.abs(ends[0]!.type === 'generationEnd' ? ends[0]!.endSeconds - bytesBefore / 32000 : 1) < 1e-9);
      assert.ok(words[3]!.start >= bytesBefore / 32000);
    }
    await pool.close();
  });

  it('routes interleaved contexts on one connection by contextId', async () => {
    const pool = new TtsPool(client);
    const solo = async (voiceId: string) => {
      const s = pool.stream({ ...PCM16K, voiceId });
      s.sendText('The same words in different voices.', { flush: true });
      s.end();
      return audioOf(await collect(s));
    };
    const expected = { Ashley: await solo('Ashley'), Dennis: await solo('Dennis'), Olivia: await solo('Olivia') };
    assert.ok(!expected.Ashley.equals(expected.Dennis));
    const before = emulator.requests.find(TTS_WS_PATH).length;
    const together = await Promise.all((['Ashley', 'Dennis', 'Olivia'] as const).map((voice) => solo(voice)));
    assert.equal(emulator.requests.find(TTS_WS_PATH).length, before, 'no new connection: all three shared the warm one');
    assert.ok(together[0]!.equals(expected.Ashley));
    assert.ok(together[1]!.equals(expected.Dennis));
    assert.ok(together[2]!.equals(expected.Olivia));
    await pool.close();
  });

  it('fails the stream with the server status (code and message) and keeps earlier audio', async () => {
    emulator.faults.add({ protocol: 'ws', times: 1, action: { type: 'custom', name: 'tts-status', params: { afterChunks: 2, code: 13, message: 'backend exploded' } } });
    const pool = new TtsPool(client);
    const stream = pool.stream(PCM16K);
    stream.sendText('A sentence long enough for more than two chunks of audio, surely.', { flush: true });
    stream.end();
    const got: TtsStreamChunk[] = [];
    await assert.rejects(
      (async () => {
        for await (const chunk of stream) got.push(chunk);
      })(),
      (error: unknown) => error instanceof APIError && error.grpcCode === 13 && error.serverMessage === 'backend exploded',
    );
    assert.equal(got.length, 2);
    assert.equal(pool.stats().contexts, 0, 'slot freed');
    await pool.close();
  });

  it('surfaces a refused handshake as an API error with the HTTP status', async () => {
    const bad = new InworldClient({ apiKey: 'wrong', baseUrl: emulator.url, wsUrl: emulator.wsUrl, configPath: null, env: {} });
    const strict = await startTtsEmulator({ apiKey: 'right' });
    try {
      const badClient = new InworldClient({ apiKey: 'wrong', baseUrl: strict.url, wsUrl: strict.wsUrl, configPath: null, env: {} });
      const pool = new TtsPool(badClient);
      const stream = pool.stream(PCM16K);
      stream.sendText('hi', { flush: true });
      stream.end();
      await assert.rejects(collect(stream), (error: unknown) => error instanceof AuthenticationError && error.status === 401);
      await pool.close();
    } finally {
      await strict.close();
    }
    assert.ok(bad);
  });

  it('pipelines: text and close go out before contextCreated arrives', { timeout: 10_000 }, async () => {
    // A bare server that answers nothing until it has the whole exchange: a client that waited
    // for contextCreated before sending text would hang here.
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    const received: any[] = [];
    wss.on('connection', (socket) => {
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString());
        received.push(message);
        if (!message.close_context) return;
        const id = message.contextId;
        const ok = { code: 0, message: '', details: [] };
        const pcm = Buffer.alloc(3200, 1).toString('base64');
        for (const result of [{ contextCreated: {} }, { audioChunk: { audioContent: pcm } }, { flushCompleted: {} }, { contextClosed: {} }]) {
          socket.send(JSON.stringify({ result: { contextId: id, ...result, status: ok } }));
        }
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as AddressInfo).port;
    try {
      const bare = new InworldClient({ apiKey: 'k', baseUrl: `http://127.0.0.1:${port}/`, configPath: null, env: {} });
      const pool = new TtsPool(bare);
      const stream = pool.stream(PCM16K);
      stream.sendText('Sent at once.', { flush: true });
      stream.end();
      const audio = audioOf(await collect(stream));
      assert.equal(audio.length, 3200);
      assert.deepEqual(
        received.map((m) => Object.keys(m).find((k) => k !== 'contextId')),
        ['create', 'send_text', 'close_context'],
      );
      await pool.close();
    } finally {
      for (const socket of wss.clients) socket.terminate();
      wss.close();
      await new Promise((resolve) => http.close(resolve));
    }
  });

  it('keeps a quiet context alive with an empty send_text', { timeout: 10_000 }, async () => {
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    const keepalive = new Promise<any>((resolve) => {
      wss.on('connection', (socket) => {
        socket.on('message', (data) => {
          const message = JSON.parse(data.toString());
          if (message.send_text && message.send_text.text === '') resolve(message);
        });
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as AddressInfo).port;
    try {
      const bare = new InworldClient({ apiKey: 'k', baseUrl: `http://127.0.0.1:${port}/`, configPath: null, env: {} });
      const pool = new TtsPool(bare);
      const stream = pool.stream(PCM16K, { contextId: 'quiet', keepaliveIntervalMs: 20 });
      const message = await keepalive;
      assert.deepEqual(message, { contextId: 'quiet', send_text: { text: '' } });
      stream.cancel();
      await pool.close();
    } finally {
      for (const socket of wss.clients) socket.terminate();
      wss.close();
      await new Promise((resolve) => http.close(resolve));
    }
  });

  it('without contextClosed, ends once the server has been quiet for the grace after complete audio, never cutting late audio', { timeout: 10_000 }, async () => {
    // The audio of the one generation, then more frames each less than the grace apart but
    // together longer than it, and never contextClosed.
    const gapMs = Math.round(CLOSE_GRACE_MS * 0.7);
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    wss.on('connection', (socket) => {
      socket.on('message', async (data) => {
        const message = JSON.parse(data.toString());
        if (!message.close_context) return;
        const send = (event: Record<string, unknown>) => socket.send(JSON.stringify({ result: { contextId: message.contextId, ...event, status: { code: 0, message: '', details: [] } } }));
        const pcm = Buffer.alloc(3200, 1).toString('base64');
        send({ contextCreated: {} });
        send({ audioChunk: { audioContent: pcm } });
        send({ flushCompleted: {} });
        for (let i = 0; i < 3; i++) {
          await new Promise((resolve) => setTimeout(resolve, gapMs));
          send({ audioChunk: { audioContent: pcm } });
        }
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as AddressInfo).port;
    try {
      const bare = new InworldClient({ apiKey: 'k', baseUrl: `http://127.0.0.1:${port}/`, configPath: null, env: {} });
      const pool = new TtsPool(bare);
      const stream = pool.stream(PCM16K);
      stream.sendText('One sentence.', { flush: true });
      stream.end();
      let audioBytes = 0;
      let lastAudioAt = 0;
      for await (const chunk of stream) {
        if (chunk.type !== 'audio') continue;
        audioBytes += chunk.audio.length;
        lastAudioAt = performance.now();
      }
      const quietMs = performance.now() - lastAudioAt;
      assert.equal(audioBytes, 4 * 3200, 'audio arriving after flushCompleted is kept');
      assert.ok(quietMs >= CLOSE_GRACE_MS - 20, `ended ${Math.round(quietMs)} ms after the last frame, before the grace`);
      assert.ok(quietMs < CLOSE_GRACE_MS + 1000, `waited ${Math.round(quietMs)} ms after the last frame`);
      stream.cancel();
      await pool.close();
    } finally {
      for (const socket of wss.clients) socket.terminate();
      wss.close();
      await new Promise((resolve) => http.close(resolve));
    }
  });

  it('an error frame that came with the upgrade response fails the stream (the server may speak first)', async () => {
    // One write holds the 101 answer and a top-level error frame, so the client reads both at once,
    // before any code of ours has had a turn: a listener attached later would never see the frame.
    const http = createServer();
    const sockets: Socket[] = [];
    http.on('upgrade', (request, socket: Socket) => {
      sockets.push(socket);
      const accept = createHash('sha1').update(`${request.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      const answer = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
      socket.write(Buffer.concat([Buffer.from(answer), textFrame(JSON.stringify({ error: { code: 13, message: 'kaput', details: [] } }))]));
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as AddressInfo).port;
    try {
      const bare = new InworldClient({ apiKey: 'k', baseUrl: `http://127.0.0.1:${port}/`, configPath: null, env: {}, maxRetries: 0 });
      const pool = new TtsPool(bare);
      const stream = pool.stream(PCM16K);
      stream.sendText('Never spoken.', { flush: true });
      stream.end();
      // INTERNAL is retryable, so it comes as the connection's failure with the server's status inside.
      await assert.rejects(collect(stream), (error: unknown) => {
        assert.ok(error instanceof ConnectionError, String(error));
        assert.ok(error.cause instanceof APIError && error.cause.grpcCode === 13, String(error.cause));
        assert.match(error.message, /gRPC 13 INTERNAL: kaput/);
        return true;
      });
      await pool.close();
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});

/** One unmasked server-to-client text frame (payload under 64 KiB). */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const header = payload.length < 126 ? Buffer.from([0x81, payload.length]) : Buffer.from([0x81, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, payload]);
}
