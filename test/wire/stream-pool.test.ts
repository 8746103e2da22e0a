// The TTS connection pool against the emulator: limits, reservation, idle close, faults, cancellation.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, beforeEach, describe, it } from 'node:test';
import { InworldClient } from '../../src/core/client.js';
import { APIError, ConnectionError, TimeoutError, UserAbortError } from '../../src/core/errors.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { TtsPool } from '../../src/tts/pool.js';
import type { TtsStream } from '../../src/tts/ws-stream.js';
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
beforeEach(() => {
  emulator.faults.clear();
});

const PCM = { audioConfig: { audioEncoding: 'PCM' as const, sampleRateHertz: 8000 } };
const handshakes = () => emulator.requests.find(TTS_WS_PATH).length;

function speak(pool: TtsPool, text = 'Hello from the pool.', signal?: AbortSignal): TtsStream {
  const stream = pool.stream(PCM, { signal });
  stream.sendText(text, { flush: true });
  stream.end();
  return stream;
}

async function bytes(stream: TtsStream): Promise<number> {
  let total = 0;
  for await (const chunk of stream) if (chunk.type === 'audio') total += chunk.audio.length;
  return total;
}

function settled(stream: TtsStream): Promise<void> {
  return new Promise((resolve) => stream.onSettled(() => resolve()));
}

describe('TtsPool', () => {
  it('puts 6 concurrent streams on 2 connections, never a sixth context on one', async () => {
    const pool = new TtsPool(client);
    const start = handshakes();
    const results = await Promise.all(Array.from({ length: 6 }, () => bytes(speak(pool))));
    assert.ok(results.every((n) => n > 0));
    assert.equal(handshakes() - start, 2);
    await pool.close();
  });

  it('runs 100 streams under maxConnections without a refusal', async () => {
    const pool = new TtsPool(client, { maxConnections: 20 });
    const start = handshakes();
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => bytes(speak(pool, `Stream number ${i}.`))));
    assert.equal(results.length, 100);
    assert.ok(results.every((n) => n > 0));
    assert.equal(handshakes() - start, 20);
    await pool.close();
  });

  it('reserves slots synchronously: a burst in one tick with 2 connections queues instead of oversubscribing', async () => {
    const pool = new TtsPool(client, { maxConnections: 2 });
    const start = handshakes();
    const streams = Array.from({ length: 23 }, (_, i) => speak(pool, `Burst ${i}.`));
    assert.deepEqual(pool.stats(), { connections: 2, contexts: 10, waiting: 13 });
    const results = await Promise.all(streams.map(bytes));
    assert.ok(results.every((n) => n > 0));
    assert.equal(handshakes() - start, 2);
    await pool.close();
  });

  it('times out a stream that waits too long for a slot', async () => {
    const pool = new TtsPool(client, { maxConnections: 1, acquireTimeoutMs: 30 });
    const holders = Array.from({ length: 5 }, () => pool.stream(PCM));
    const late = speak(pool);
    await assert.rejects(bytes(late), TimeoutError);
    for (const holder of holders) holder.cancel();
    await pool.close();
  });

  it('starts the close deadline when the context reaches a connection, not while it waits for a slot', async () => {
    // Generations take 200 ms: waiting for a slot and then generating (~400 ms) exceeds the late stream's 320 ms close deadline, generating alone does not.
    emulator.faults.add({ protocol: 'ws', times: 1, action: { type: 'custom', name: 'tts-latency', params: { ms: 200 } } });
    const pool = new TtsPool(client, { maxConnections: 1, closeTimeoutMs: 1_000, acquireTimeoutMs: 5_000 });
    const holders = Array.from({ length: 5 }, (_, i) => speak(pool, `Holder ${i}.`));
    const late = pool.stream(PCM, { closeTimeoutMs: 320 });
    late.sendText('Waiting for a slot.', { flush: true });
    late.end();
    assert.equal(pool.stats().waiting, 1);
    const results = await Promise.all([...holders, late].map(bytes));
    assert.ok(results.every((n) => n > 0));
    await pool.close();
  });

  it('closes idle connections after idleTimeoutMs, keeping one warm', async () => {
    const pool = new TtsPool(client, { idleTimeoutMs: 20, keepWarm: 1 });
    let opened = 0;
    pool.on('connectionOpened', () => (opened += 1));
    const closed = once(pool, 'connectionClosed');
    await Promise.all(Array.from({ length: 7 }, () => bytes(speak(pool))));
    assert.equal(opened, 2);
    await closed;
    assert.equal(pool.stats().connections, 1);
    assert.equal(pool.stats().contexts, 0);
    // The warm one is reused without a handshake.
    const start = handshakes();
    await bytes(speak(pool));
    assert.equal(handshakes(), start);
    await pool.close();
  });

  it('closes every idle connection with keepWarm 0', async () => {
    const pool = new TtsPool(client, { idleTimeoutMs: 10, keepWarm: 0 });
    await bytes(speak(pool));
    await once(pool, 'connectionClosed');
    assert.equal(pool.stats().connections, 0);
    await pool.close();
  });

  it('a dropped socket fails only its own streams, with a retryable ConnectionError', async () => {
    emulator.faults.add({
      protocol: 'ws',
      times: 1,
      action: { type: 'custom', name: 'tts-drop', params: { contextIndex: 0, afterChunks: 1 } },
    });
    const pool = new TtsPool(client);
    const long = 'A long sentence that certainly needs more than one chunk of audio to be spoken.';
    // The first connection must be the first handshake the emulator sees (the rule is times=1).
    const firstOpen = once(pool, 'connectionOpened');
    const streams = Array.from({ length: 5 }, () => speak(pool, long));
    await firstOpen;
    streams.push(speak(pool, long), speak(pool, long));
    const outcomes = await Promise.allSettled(streams.map(bytes));
    const failed = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
    assert.equal(failed.length, 5, 'the five contexts of the first connection');
    for (const f of failed) {
      assert.ok(f.reason instanceof ConnectionError, String(f.reason));
      assert.equal(f.reason.retryable, true);
    }
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 2);
    // The pool recovers: a new stream gets a healthy connection.
    assert.ok((await bytes(speak(pool))) > 0);
    await pool.close();
  });

  it('a status error on one of five contexts fails only that stream', async () => {
    emulator.faults.add({
      protocol: 'ws',
      times: 1,
      action: { type: 'custom', name: 'tts-status', params: { contextIndex: 3, code: 8, message: 'too many generations' } },
    });
    const pool = new TtsPool(client);
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => bytes(speak(pool, `Context ${i}.`))));
    const statuses = outcomes.map((o) => o.status);
    assert.deepEqual(statuses, ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const reason = (outcomes[3] as PromiseRejectedResult).reason;
    assert.ok(reason instanceof APIError && reason.grpcCode === 8 && /too many generations/.test(reason.message));
    await pool.close();
  });

  it('breaking out of the loop closes the context on the server and frees the slot', async () => {
    const pool = new TtsPool(client);
    const stream = speak(pool, 'A sentence with quite a few chunks of audio in it, to break out early.');
    for await (const chunk of stream) {
      if (chunk.type === 'audio') break;
    }
    await settled(stream);
    assert.equal(pool.stats().contexts, 0);
    const messages = emulator.requests.find(TTS_WS_PATH).at(-1)!.messages as any[];
    assert.ok(messages.some((m) => m.close_context && m.contextId === stream.contextId));
    await pool.close();
  });

  it('an AbortSignal stops the stream with UserAbortError and closes the context', async () => {
    const pool = new TtsPool(client);
    const controller = new AbortController();
    const stream = pool.stream(PCM, { signal: controller.signal });
    stream.sendText('Text that is never finished', {});
    const seen = (async () => {
      for await (const _ of stream) {
        // nothing arrives: no flush
      }
    })();
    controller.abort();
    await assert.rejects(seen, UserAbortError);
    await settled(stream);
    assert.equal(pool.stats().contexts, 0);
    await pool.close();
  });

  it('reclaims a context stuck closing after closeTimeoutMs', async () => {
    emulator.faults.add({ protocol: 'ws', times: 1, action: { type: 'custom', name: 'tts-no-context-closed' } });
    const pool = new TtsPool(client, { closeTimeoutMs: 50 });
    const stream = speak(pool, 'Never confirmed.');
    // All audio in before the deadline: the stream ends normally; otherwise it fails with a TimeoutError.
    const outcome = await bytes(stream).then(
      (count) => count,
      (error: unknown) => error,
    );
    assert.ok(typeof outcome === 'number' ? outcome > 0 : outcome instanceof TimeoutError, String(outcome));
    assert.equal(pool.stats().contexts, 0);
    await pool.close();
  });

  it('a connection-level error fails the streams of that connection', async () => {
    emulator.faults.add({ protocol: 'ws', times: 1, action: { type: 'ws-error', afterMessages: 1, code: 10, message: 'Paused due to inactivity' } });
    const pool = new TtsPool(client);
    await assert.rejects(
      bytes(speak(pool)),
      (error: unknown) =>
        error instanceof ConnectionError && error.cause instanceof APIError && error.cause.grpcCode === 10 && /Paused due to inactivity/.test(error.message),
    );
    await pool.close();
  });

  it('retries a refused handshake (503) with backoff, but not a 401', async () => {
    emulator.faults.add({ protocol: 'ws', path: TTS_WS_PATH, times: 1, action: { type: 'status', status: 503, code: 14, message: 'warming up' } });
    const pool = new TtsPool(client);
    const start = handshakes();
    assert.ok((await bytes(speak(pool))) > 0);
    assert.equal(handshakes() - start, 2, 'refused once, then accepted');
    await pool.close();
  });

  it('warm(n) opens n connections at once, and a burst then needs no handshake', async () => {
    const pool = new TtsPool(client, { maxConnections: 4 });
    let opened = 0;
    pool.on('connectionOpened', () => (opened += 1));
    const start = handshakes();
    await pool.warm(3);
    assert.equal(handshakes() - start, 3);
    assert.equal(opened, 3);
    assert.deepEqual(pool.stats(), { connections: 3, contexts: 0, waiting: 0 });
    // Warming again opens nothing; warming past maxConnections stops at it.
    await pool.warm(3);
    assert.equal(handshakes() - start, 3);
    await pool.warm(10);
    assert.equal(handshakes() - start, 4);
    const results = await Promise.all(Array.from({ length: 20 }, () => bytes(speak(pool))));
    assert.ok(results.every((n) => n > 0));
    assert.equal(handshakes() - start, 4, 'the burst used the warmed connections');
    await pool.close();
  });

  it('warm(0) opens no connection; warmed connections idle out down to keepWarm', async () => {
    const pool = new TtsPool(client, { idleTimeoutMs: 20, keepWarm: 1 });
    const start = handshakes();
    await pool.warm(0);
    assert.equal(handshakes(), start);
    const closed = once(pool, 'connectionClosed');
    await pool.warm(2);
    await closed;
    assert.equal(pool.stats().connections, 1);
    await pool.close();
  });

  it('warm() rejects when a connection cannot open, and the pool stays usable', async () => {
    emulator.faults.add({ protocol: 'ws', path: TTS_WS_PATH, times: 1, action: { type: 'status', status: 401, code: 16, message: 'bad key' } });
    const pool = new TtsPool(client);
    await assert.rejects(pool.warm(1), APIError);
    assert.equal(pool.stats().connections, 0, 'the failed connection is dropped');
    assert.ok((await bytes(speak(pool))) > 0);
    await pool.close();
    await assert.rejects(pool.warm(), ConnectionError);
  });

  it('close() is idempotent and fails waiting streams', async () => {
    const pool = new TtsPool(client, { maxConnections: 1 });
    const streams = Array.from({ length: 6 }, () => pool.stream(PCM));
    const waiting = streams[5]!;
    const closing = [pool.close(), pool.close()];
    await Promise.all(closing);
    await pool.close();
    await assert.rejects(bytes(waiting), ConnectionError);
    assert.throws(() => pool.stream(PCM), ConnectionError);
  });
});
