import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  PermissionDeniedError,
  TimeoutError,
  UserAbortError,
  ValidationError,
  makeApiError,
} from '../../src/core/errors.js';
import {
  DEFAULT_RETRY_MAX_DELAY_MS,
  BATCH_LINE_RETRY_BACKOFF,
  MAX_RETRY_AFTER_MS,
  STT_RETRY_BACKOFF,
  TTS_SPEAKER_RETRY_BACKOFF,
  backoffDelayMs,
  decideRetry,
  isLostConnection,
  isRetryableError,
  markRetriesExhausted,
  markDelivered,
  parseRetryAfterMs,
  sleep,
  withRetry,
} from '../../src/core/retry.js';

test('retryable: 408, 429, 5xx, gRPC 4/8/14, connection and timeout errors', () => {
  for (const status of [408, 429, 500, 502, 503, 504]) assert.equal(isRetryableError(makeApiError({ status })), true, String(status));
  for (const grpcCode of [4, 8, 14]) assert.equal(isRetryableError(makeApiError({ grpcCode })), true, `grpc ${grpcCode}`);
  assert.equal(isRetryableError(new ConnectionError('refused')), true);
  assert.equal(isRetryableError(new TimeoutError('slow')), true);
});

test('never retried: 400, 401, 403, 404, user abort, validation, plain errors, delivered errors', () => {
  for (const status of [400, 401, 403, 404]) assert.equal(isRetryableError(makeApiError({ status })), false, String(status));
  for (const grpcCode of [3, 5, 7, 16]) assert.equal(isRetryableError(makeApiError({ grpcCode })), false, `grpc ${grpcCode}`);
  assert.ok(makeApiError({ status: 401 }) instanceof AuthenticationError);
  assert.ok(makeApiError({ status: 403 }) instanceof PermissionDeniedError);
  assert.ok(makeApiError({ status: 400 }) instanceof BadRequestError);
  assert.equal(isRetryableError(new UserAbortError()), false);
  assert.equal(isRetryableError(new ValidationError('bad')), false);
  assert.equal(isRetryableError(new Error('boom')), false);
  assert.equal(isRetryableError(markDelivered(makeApiError({ status: 503 }))), false);
});

test('backoff grows exponentially to the cap; jitter modes stay in range', () => {
  assert.equal(backoffDelayMs(0, { jitter: 'none' }), 500);
  assert.equal(backoffDelayMs(1, { jitter: 'none' }), 1000);
  assert.equal(backoffDelayMs(3, { jitter: 'none' }), 4000);
  assert.equal(backoffDelayMs(10, { jitter: 'none' }), DEFAULT_RETRY_MAX_DELAY_MS);
  fc.assert(
    fc.property(fc.nat({ max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (retry, r) => {
      const cap = Math.min(DEFAULT_RETRY_MAX_DELAY_MS, 500 * 2 ** retry);
      const full = backoffDelayMs(retry, { jitter: 'full', random: () => r });
      const equal = backoffDelayMs(retry, { jitter: 'equal', random: () => r });
      assert.ok(full >= 0 && full <= cap);
      assert.ok(equal >= cap / 2 - 1 && equal <= cap);
    }),
  );
});

test('STT reconnect delays grow exponentially with jitter and stay capped', () => {
  // Moved from the STT recovery tests: the same figures, now from the one backoff function.
  const reconnectDelayMs = (attempt: number, baseMs: number, random: () => number) =>
    backoffDelayMs(attempt - 1, { ...STT_RETRY_BACKOFF, baseDelayMs: baseMs, random });
  assert.equal(reconnectDelayMs(1, 250, () => 0.5), 250);
  assert.equal(reconnectDelayMs(3, 250, () => 0.5), 1000);
  assert.ok(reconnectDelayMs(30, 250, () => 1) <= 6000);
  assert.ok(reconnectDelayMs(1, 250, () => 0) >= 200);
});

test("each caller's timing is kept: STT 250 ms ±20 % to 5 s, speaker 200 ms to 2 s, batch lines 300 ms doubling", () => {
  const middle = () => 0.5;
  assert.equal(backoffDelayMs(0, { ...STT_RETRY_BACKOFF, random: middle }), 250);
  assert.equal(backoffDelayMs(20, { ...STT_RETRY_BACKOFF, random: () => 0 }), 4000);
  assert.equal(backoffDelayMs(0, { ...TTS_SPEAKER_RETRY_BACKOFF, random: () => 0.999999 }), 200);
  assert.equal(backoffDelayMs(9, { ...TTS_SPEAKER_RETRY_BACKOFF, random: () => 0 }), 1000);
  assert.deepEqual([0, 1, 2, 5].map((n) => backoffDelayMs(n, BATCH_LINE_RETRY_BACKOFF)), [300, 600, 1200, 9600]);
});

test('a lost connection is retried by the speaker rule; a status answer or spent handshake retries are not', () => {
  const policy = { retryable: isLostConnection };
  assert.equal(decideRetry(new ConnectionError('dropped'), 1, 2, policy).retry, true);
  assert.equal(decideRetry(new ConnectionError('dropped'), 3, 2, policy).retry, false);
  assert.equal(decideRetry(makeApiError({ status: 503 }), 1, 2, policy).retry, false);
  assert.equal(decideRetry(markRetriesExhausted(new ConnectionError('refused')), 1, 2, policy).retry, false);
  assert.equal(decideRetry(new UserAbortError(), 1, 2, policy).retry, false);
});

test('decideRetry honours the budget and Retry-After', () => {
  const busy = makeApiError({ status: 503 });
  assert.equal(decideRetry(busy, 1, 2).retry, true);
  assert.equal(decideRetry(busy, 2, 2).retry, true);
  assert.equal(decideRetry(busy, 3, 2).retry, false);
  assert.equal(decideRetry(busy, 1, 0).retry, false);
  const limited = makeApiError({ status: 429, retryAfterMs: 3000 });
  assert.deepEqual(decideRetry(limited, 1, 3), { retry: true, delayMs: 3000 });
  const tooLong = makeApiError({ status: 429, retryAfterMs: MAX_RETRY_AFTER_MS + 1 });
  assert.equal(decideRetry(tooLong, 1, 3).retry, false);
});

test('parseRetryAfterMs reads seconds, HTTP dates and retry-after-ms', () => {
  assert.equal(parseRetryAfterMs('3'), 3000);
  assert.equal(parseRetryAfterMs('1.5'), 1500);
  assert.equal(parseRetryAfterMs('0'), 0);
  const now = Date.parse('Tue, 24 Nov 2026 07:00:00 GMT');
  assert.equal(parseRetryAfterMs('Tue, 24 Nov 2026 07:00:05 GMT', now), 5000);
  assert.equal(parseRetryAfterMs('Tue, 24 Nov 2026 06:00:00 GMT', now), 0);
  assert.equal(parseRetryAfterMs('soon'), undefined);
  assert.equal(parseRetryAfterMs(undefined), undefined);
  assert.equal(parseRetryAfterMs('', Date.now()), undefined);
  assert.equal(parseRetryAfterMs(undefined, Date.now(), '250'), 250);
});

test('withRetry retries retryable failures, then succeeds', async () => {
  const attempts: number[] = [];
  const retries: number[] = [];
  const result = await withRetry(
    async (attempt) => {
      attempts.push(attempt);
      if (attempt < 3) throw makeApiError({ status: 503 });
      return 'ok';
    },
    { maxRetries: 3, baseDelayMs: 1, onRetry: (info) => retries.push(info.attempt) },
  );
  assert.equal(result, 'ok');
  assert.deepEqual(attempts, [1, 2, 3]);
  assert.deepEqual(retries, [1, 2]);
});

test('withRetry gives up at once on 401 and after the budget on 503', async () => {
  let calls = 0;
  await assert.rejects(
    withRetry(async () => {
      calls += 1;
      throw makeApiError({ status: 401 });
    }, { maxRetries: 5, baseDelayMs: 1 }),
    AuthenticationError,
  );
  assert.equal(calls, 1);
  calls = 0;
  await assert.rejects(
    withRetry(async () => {
      calls += 1;
      throw makeApiError({ status: 503 });
    }, { maxRetries: 2, baseDelayMs: 1 }),
    (error: unknown) => (error as { status?: number }).status === 503,
  );
  assert.equal(calls, 3);
});

test('withRetry does not retry once the caller says output was delivered', async () => {
  let calls = 0;
  await assert.rejects(
    withRetry(async () => {
      calls += 1;
      throw makeApiError({ status: 503 });
    }, { maxRetries: 5, baseDelayMs: 1, delivered: () => true }),
  );
  assert.equal(calls, 1);
});

test('an abort during the backoff sleep ends withRetry with UserAbortError', async () => {
  const controller = new AbortController();
  const started = Date.now();
  const promise = withRetry(async () => {
    throw makeApiError({ status: 429, retryAfterMs: 30_000 });
  }, { maxRetries: 3, signal: controller.signal });
  setTimeout(() => controller.abort(), 20);
  await assert.rejects(promise, UserAbortError);
  assert.ok(Date.now() - started < 5000);
});

test('sleep is abortable and rejects at once for an aborted signal', async () => {
  await sleep(1);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(sleep(10_000, controller.signal), UserAbortError);
});
