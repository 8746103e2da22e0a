// Load (issue 5, part 5), in process against the emulator: 200 concurrent HTTP syntheses and 100
// concurrent WebSocket streams through one TtsPool, with faults injected into about 10% of the
// requests / connections. Every item must end as a complete, correct result or as a reported
// InworldError — none lost, none "succeeding" with partial audio — with memory bounded and no
// file descriptor left open. (`say --batch` does not exist, so the HTTP part uses the library's
// synthesizeStream, which `say` runs.)
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { InworldClient } from '../../src/core/client.js';
import { InworldError } from '../../src/core/errors.js';
import type { FaultRuleInput } from '../../src/emulator/index.js';
import { synthesizeStream } from '../../src/tts/http.js';
import { TtsPool } from '../../src/tts/pool.js';
import { recordFigures } from './figures.js';
import { SECRET_KEY, TTS_STREAM_PATH, TTS_WS_PATH, quietEmulator } from './harness.js';

const HTTP_ITEMS = 200;
const WS_STREAMS = 100;
const FAULT_SHARE = 0.1;
const TEXTS = ['Short one.', 'A somewhat longer sentence for variety.', 'Numbers like 42 and 7.', 'The last text of the set, a little longer than the others.'];
const PCM_8K = { audioEncoding: 'PCM' as const, sampleRateHertz: 8000 };
const figures: Record<string, number | string> = {};

after(() => {
  console.log(`load: ${JSON.stringify(figures)}`);
  recordFigures('load', figures);
});

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

function digest(parts: Buffer[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

/** Picks `count` distinct request numbers in [0, total) with a seeded generator (reproducible). */
function pickIndices(count: number, total: number, seed: number): number[] {
  return fc.sample(fc.uniqueArray(fc.nat({ max: total - 1 }), { minLength: count, maxLength: count }), { seed, numRuns: 1 })[0]!.sort((a, b) => a - b);
}

/** Samples the heap while `work` runs; returns the peak growth in MB. */
async function peakHeapGrowthMb<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  global.gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { result, peakMb: (peak - base) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

async function settleFds(before: number): Promise<number> {
  // Closed sockets leave the table on the next turns of the event loop.
  const deadline = Date.now() + 3000;
  while (openFds() > before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return openFds();
}

test(`${HTTP_ITEMS} concurrent HTTP syntheses with ~${FAULT_SHARE * 100}% faults: each complete or reported`, { timeout: 90_000 }, async () => {
  const fdsBefore = openFds();
  const emulator = await quietEmulator();
  const client = new InworldClient({ apiKey: SECRET_KEY, baseUrl: emulator.url, wsUrl: emulator.wsUrl, configPath: null, env: {}, timeoutMs: 5000, maxRetries: 2 });
  try {
    // The clean audio of each text, to tell complete results from partial ones.
    const reference = new Map<string, string>();
    for (const text of TEXTS) {
      const parts: Buffer[] = [];
      for await (const chunk of synthesizeStream(client, { text, audioConfig: PCM_8K })) if (chunk.audio) parts.push(chunk.audio);
      reference.set(text, digest(parts));
    }
    emulator.requests.clear();

    // One fault per picked request number (rules with skip k and times 1 hit the (k+1)-th request).
    const faults: Array<FaultRuleInput['action']> = [
      { type: 'status', status: 503, code: 14, message: 'busy' },
      { type: 'status', status: 400, code: 3, message: 'refused' },
      { type: 'stream-error', afterChunks: 1, code: 13, message: 'broke' },
      { type: 'drop', afterChunks: 1 },
      { type: 'bad-base64', afterChunks: 0 },
      { type: 'malformed-line', afterChunks: 1 },
    ];
    const picked = pickIndices(Math.round(HTTP_ITEMS * FAULT_SHARE), HTTP_ITEMS, 5);
    picked.forEach((index, i) => emulator.faults.add({ path: TTS_STREAM_PATH, skip: index, times: 1, action: faults[i % faults.length]! }));

    const { result: outcomes, peakMb } = await peakHeapGrowthMb(() =>
      Promise.allSettled(
        Array.from({ length: HTTP_ITEMS }, async (_, i) => {
          const text = TEXTS[i % TEXTS.length]!;
          const parts: Buffer[] = [];
          for await (const chunk of synthesizeStream(client, { text, audioConfig: PCM_8K }, { retryBaseDelayMs: 20 })) if (chunk.audio) parts.push(chunk.audio);
          return { text, digest: digest(parts) };
        }),
      ),
    );

    let complete = 0;
    let reported = 0;
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') {
        assert.equal(outcome.value.digest, reference.get(outcome.value.text), `a "successful" result for "${outcome.value.text}" is not the complete audio`);
        complete += 1;
      } else {
        assert.ok(outcome.reason instanceof InworldError, `failure reported as an InworldError, not ${String(outcome.reason)}`);
        assert.ok(!String(outcome.reason.message).includes(SECRET_KEY));
        reported += 1;
      }
    }
    assert.equal(complete + reported, HTTP_ITEMS, 'every item accounted for');
    const firedFaults = emulator.faults.list().length;
    assert.equal(firedFaults, 0, 'every injected fault was hit');
    // Faults after audio fail their item (no retry once audio was delivered); the others retry.
    assert.ok(reported <= picked.length, `${reported} failures from ${picked.length} faults`);
    assert.ok(peakMb < 256, `heap grew by ${peakMb.toFixed(0)} MB`);
    Object.assign(figures, {
      'HTTP syntheses': HTTP_ITEMS,
      'HTTP faults injected': picked.length,
      'HTTP complete': complete,
      'HTTP reported failed': reported,
      'HTTP requests (with retries)': emulator.requests.find(TTS_STREAM_PATH).length,
      'HTTP peak heap growth MB': Math.round(peakMb),
    });
  } finally {
    await emulator.close();
  }
  const fdsAfter = await settleFds(fdsBefore);
  figures['HTTP fds before/after'] = `${fdsBefore}/${fdsAfter}`;
  assert.ok(fdsAfter <= fdsBefore, `file descriptors: ${fdsBefore} before, ${fdsAfter} after`);
});

test(`${WS_STREAMS} concurrent WebSocket streams in one pool with faults on ~${FAULT_SHARE * 100}%`, { timeout: 90_000 }, async () => {
  const fdsBefore = openFds();
  const emulator = await quietEmulator();
  const client = new InworldClient({ apiKey: SECRET_KEY, baseUrl: emulator.url, wsUrl: emulator.wsUrl, configPath: null, env: {}, timeoutMs: 5000, maxRetries: 2 });
  const pool = new TtsPool(client, { maxConnections: 20, closeTimeoutMs: 5000 });
  try {
    const speak = async (text: string): Promise<string> => {
      const stream = pool.stream({ audioConfig: PCM_8K });
      stream.sendText(text, { flush: true });
      stream.end();
      const parts: Buffer[] = [];
      for await (const chunk of stream) if (chunk.type === 'audio') parts.push(chunk.audio);
      return digest(parts);
    };
    const reference = new Map<string, string>();
    for (const text of TEXTS) reference.set(text, await speak(text));
    emulator.requests.clear();

    // 100 streams need 20 connections (5 contexts each). Faults: a status error on one context of
    // a connection (that stream fails, the other four finish), and one dropped connection (its
    // five streams fail with a retryable ConnectionError): 2 + 5 + 3 = 10 streams.
    const statusFaults = pickIndices(5, 19, 11);
    for (const [i, handshake] of statusFaults.entries()) {
      const custom = i < 4 ? { name: 'tts-status', params: { contextIndex: i % 5, afterChunks: 1, code: 13, message: 'context failed' } } : { name: 'tts-drop', params: { afterChunks: 2 } };
      emulator.faults.add({ protocol: 'ws', path: TTS_WS_PATH, skip: handshake, times: 1, action: { type: 'custom', ...custom } });
    }

    let held = 0;
    const sampler = setInterval(() => {
      held = Math.max(held, pool.stats().contexts);
    }, 5);
    const { result: outcomes, peakMb } = await peakHeapGrowthMb(() =>
      Promise.allSettled(
        Array.from({ length: WS_STREAMS }, async (_, i) => {
          const text = TEXTS[i % TEXTS.length]!;
          return { text, digest: await speak(text) };
        }),
      ),
    );
    clearInterval(sampler);

    let complete = 0;
    let reported = 0;
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') {
        assert.equal(outcome.value.digest, reference.get(outcome.value.text), 'a "successful" stream is the complete audio');
        complete += 1;
      } else {
        assert.ok(outcome.reason instanceof InworldError, `failure reported as an InworldError, not ${String(outcome.reason)}`);
        reported += 1;
      }
    }
    assert.equal(complete + reported, WS_STREAMS, 'every stream accounted for');
    assert.equal(emulator.faults.list().length, 0, 'every injected fault was hit');
    assert.ok(reported >= 1 && reported <= 10, `${reported} streams failed`);
    assert.ok(held >= 50, `the pool held ${held} contexts at once`);
    assert.ok(peakMb < 256, `heap grew by ${peakMb.toFixed(0)} MB`);
    Object.assign(figures, {
      'WS streams': WS_STREAMS,
      'WS concurrent contexts held (peak)': held,
      'WS connections opened': emulator.requests.find(TTS_WS_PATH).length,
      'WS complete': complete,
      'WS reported failed': reported,
      'WS peak heap growth MB': Math.round(peakMb),
    });
  } finally {
    await pool.close();
    await emulator.close();
  }
  const fdsAfter = await settleFds(fdsBefore);
  figures['WS fds before/after'] = `${fdsBefore}/${fdsAfter}`;
  assert.ok(fdsAfter <= fdsBefore, `file descriptors: ${fdsBefore} before, ${fdsAfter} after`);
});
