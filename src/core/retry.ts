// The retry policy, kept small and pure so it can be tested without a network: which failures are
// worth another attempt, how long to wait, and an abortable wait loop around one attempt function.
//
// Retried: errors the error tree marks `retryable` (HTTP 408/429/5xx, gRPC 4/8/14, connection and
// timeout errors, malformed stream data before any audio). Never retried: 400/401/403, a
// UserAbortError, or anything after audio has reached the caller (the attempt function says so by
// throwing an error wrapped with `markDelivered`, or by passing `delivered()` in the options).
import { ConnectionError, InworldError, TimeoutError, UserAbortError } from './errors.js';

/** Requests (REST calls, TTS WebSocket handshakes): the default policy. */
export const DEFAULT_RETRY_BASE_DELAY_MS = 500;
export const DEFAULT_RETRY_MAX_DELAY_MS = 8_000;
/** A server asking for more than this is not waited for: the error surfaces instead. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** How a backoff delay is randomised: over all of it, half of it, ±20 % around it, or not. */
export type JitterMode = 'full' | 'equal' | 'spread' | 'none';

/** `spread` jitter: d ± this fraction of d. */
export const SPREAD_JITTER_FRACTION = 0.2;

/** An exponential backoff: first delay, growth, cap and jitter. */
export interface BackoffOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * `full`: uniform in [0, d]; `equal`: uniform in [d/2, d]; `spread`: uniform in d ± 20 %
   * (SPREAD_JITTER_FRACTION); `none`: d. Default `equal`.
   */
  jitter?: JitterMode;
  /** Source of randomness in [0, 1), injectable for tests. */
  random?: () => number;
}

// Each caller's own timing, named here so every backoff in the code is computed by one function.

/** STT streaming reconnects and STT batch requests: quick first retry, ±20 % so dropped clients spread out. */
export const STT_RETRY_BASE_DELAY_MS = 250;
export const STT_RETRY_MAX_DELAY_MS = 5_000;
export const STT_RETRY_BACKOFF: BackoffOptions = { baseDelayMs: STT_RETRY_BASE_DELAY_MS, maxDelayMs: STT_RETRY_MAX_DELAY_MS, jitter: 'spread' };

/** The TTS sentence speaker reopening a context after a lost connection. */
export const TTS_SPEAKER_RETRY_BASE_DELAY_MS = 200;
export const TTS_SPEAKER_RETRY_MAX_DELAY_MS = 2_000;
export const TTS_SPEAKER_RETRY_BACKOFF: BackoffOptions = {
  baseDelayMs: TTS_SPEAKER_RETRY_BASE_DELAY_MS,
  maxDelayMs: TTS_SPEAKER_RETRY_MAX_DELAY_MS,
  jitter: 'equal',
};

/** One batch line synthesized again: plain doubling, no jitter, no cap (the retry count bounds it). */
export const BATCH_LINE_RETRY_BASE_DELAY_MS = 300;
export const BATCH_LINE_RETRY_BACKOFF: BackoffOptions = {
  baseDelayMs: BATCH_LINE_RETRY_BASE_DELAY_MS,
  maxDelayMs: Number.POSITIVE_INFINITY,
  jitter: 'none',
};

export interface RetryDecision {
  retry: boolean;
  /** Milliseconds to wait before the next attempt, when `retry` is true. */
  delayMs: number;
}

/** True when `error` is worth another attempt on its own merits (ignoring the attempt budget). */
export function isRetryableError(error: unknown): boolean {
  if (error instanceof UserAbortError) return false;
  if (isDelivered(error)) return false;
  if (error instanceof InworldError) return error.retryable;
  return false;
}

/**
 * The rule for requests that must not run twice (voice clone, design, publish): once the body may
 * have reached the server, nothing is retried, since a second attempt could create a second voice.
 * Only a failure before any connection existed (refused, DNS, unreachable) is worth another try.
 */
export function isRetryableBeforeSend(error: unknown): boolean {
  return error instanceof ConnectionError && error.requestNotSent && !(error instanceof TimeoutError) && isRetryableError(error);
}

/**
 * A narrower rule for callers that replay work on a new connection: only a lost connection is
 * retried (a status error is the server's answer about this request), and not one whose
 * handshake retries were already spent below.
 */
export function isLostConnection(error: unknown): boolean {
  return error instanceof ConnectionError && !retriesExhausted(error);
}

/** Exponential backoff for the given retry number (0 for the first retry), capped, with jitter. */
export function backoffDelayMs(retryIndex: number, options: BackoffOptions = {}): number {
  const base = options.baseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
  const cap = options.maxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS;
  const random = options.random ?? Math.random;
  const exponential = Math.min(cap, base * 2 ** Math.max(0, retryIndex));
  switch (options.jitter ?? 'equal') {
    case 'full':
      return Math.round(random() * exponential);
    case 'spread':
      return Math.round(exponential * (1 - SPREAD_JITTER_FRACTION + 2 * SPREAD_JITTER_FRACTION * random()));
    case 'none':
      return exponential;
    default:
      return Math.round(exponential / 2 + (random() * exponential) / 2);
  }
}

export interface RetryPolicy extends BackoffOptions {
  /** Which errors are worth another attempt; default isRetryableError. */
  retryable?: (error: unknown) => boolean;
}

/**
 * One decision: retry `error` after attempt number `attempt` (1-based) given `maxRetries`?
 * A server's Retry-After (on RateLimitError and others, as `retryAfterMs`) replaces the computed
 * backoff, unless it asks for more than MAX_RETRY_AFTER_MS, in which case we give up at once.
 */
export function decideRetry(error: unknown, attempt: number, maxRetries: number, options: RetryPolicy = {}): RetryDecision {
  if (attempt > maxRetries || !(options.retryable ?? isRetryableError)(error)) return { retry: false, delayMs: 0 };
  const delayMs = retryDelayMs(error, attempt - 1, options);
  return delayMs === undefined ? { retry: false, delayMs: 0 } : { retry: true, delayMs };
}

/**
 * The wait before retry number `retryIndex` (0 for the first) after `error`: the server's
 * Retry-After when it gave one, else the backoff. Undefined when the server asks for more than
 * MAX_RETRY_AFTER_MS (give up rather than hang).
 */
export function retryDelayMs(error: unknown, retryIndex: number, options: BackoffOptions = {}): number | undefined {
  const retryAfter = error !== null && typeof error === 'object' ? (error as { retryAfterMs?: unknown }).retryAfterMs : undefined;
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0) {
    return retryAfter > MAX_RETRY_AFTER_MS ? undefined : Math.round(retryAfter);
  }
  return backoffDelayMs(retryIndex, options);
}

/**
 * Parses a Retry-After header: delta-seconds ("3", "1.5") or an HTTP date. Also accepts the
 * non-standard `retry-after-ms`. Returns undefined for absent or unreadable values.
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number = Date.now(), msValue?: string | null): number | undefined {
  if (msValue !== undefined && msValue !== null && msValue.trim() !== '') {
    const ms = Number(msValue);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  if (value === undefined || value === null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

const DELIVERED = Symbol.for('inworld.retry.delivered');

/** Marks an error as having happened after output reached the caller, so it is never retried. */
export function markDelivered<E>(error: E): E {
  if (error !== null && typeof error === 'object') {
    try {
      Object.defineProperty(error, DELIVERED, { value: true, enumerable: false });
    } catch {
      // A frozen object cannot be marked; it will simply follow the normal policy.
    }
  }
  return error;
}

export function isDelivered(error: unknown): boolean {
  return error !== null && typeof error === 'object' && (error as Record<symbol, unknown>)[DELIVERED] === true;
}

const EXHAUSTED = Symbol.for('inworld.retry.exhausted');

/** Marks an error that already used up its retry budget, so an outer layer does not retry it again. */
export function markRetriesExhausted<E>(error: E): E {
  if (error !== null && typeof error === 'object') {
    try {
      Object.defineProperty(error, EXHAUSTED, { value: true, enumerable: false });
    } catch {
      // A frozen object cannot be marked.
    }
  }
  return error;
}

export function retriesExhausted(error: unknown): boolean {
  return error !== null && typeof error === 'object' && (error as Record<symbol, unknown>)[EXHAUSTED] === true;
}

/**
 * Resolves after `ms`, or rejects with UserAbortError when `signal` aborts.
 * The timer is ref'd by default, deliberately: during a backoff no socket is open, so an unref'd
 * timer would let Node exit mid-retry with the work silently unfinished. The wait is bounded
 * (MAX_RETRY_AFTER_MS at most), so it cannot hang the CLI. Pass `unref: true` for waits that must
 * not keep the process alive on their own.
 */
export function sleep(ms: number, signal?: AbortSignal, options: { unref?: boolean } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    if (options.unref) timer.unref?.();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The UserAbortError for an aborted signal (keeping an InworldError reason as is). */
export function abortError(signal: AbortSignal): InworldError {
  const reason: unknown = signal.reason;
  if (reason instanceof InworldError) return reason;
  return new UserAbortError('Request was aborted', { cause: reason });
}

/** What an `onRetry` callback is told before the next attempt. */
export interface RetryInfo {
  /** The attempt that just failed, 1-based. */
  attempt: number;
  error: unknown;
  delayMs: number;
}

export interface WithRetryOptions extends RetryPolicy {
  maxRetries: number;
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
  /** Asked after each failure: when it returns true (output already reached the caller), no retry. */
  delivered?: () => boolean;
}

/** Runs `fn` (given the 1-based attempt number) until it succeeds or the policy says stop. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: WithRetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    if (options.signal?.aborted) throw abortError(options.signal);
    try {
      return await fn(attempt);
    } catch (error) {
      if (options.signal?.aborted) throw abortError(options.signal);
      if (options.delivered?.()) throw error;
      const decision = decideRetry(error, attempt, options.maxRetries, options);
      if (!decision.retry) throw error;
      options.onRetry?.({ attempt, error, delayMs: decision.delayMs });
      await sleep(decision.delayMs, options.signal);
    }
  }
}
