// The three calls of a server-side job: submit (async or batch), read the operation, and wait for
// it. A submission creates a paid job, so once its body may have reached the server it is never
// sent again (only a connection that never opened is retried); reading an operation changes
// nothing, so polls retry 429/5xx/network failures with backoff and honour Retry-After.
import type { InworldClient } from '../../core/client.js';
import { TimeoutError, UserAbortError } from '../../core/errors.js';
import { requestJson } from '../../core/http.js';
import { abortError, backoffDelayMs, isRetryableBeforeSend, isRetryableError, retryDelayMs, sleep, withRetry, type BackoffOptions } from '../../core/retry.js';
import { operationPath, parseOperation, TTS_ASYNC_PATH, TTS_BATCH_PATH, type BatchRequestWire, type JobKind, type JobOperation } from './protocol.js';
import type { SynthesisBodyWire } from '../options.js';

/** Poll spacing: first look after 1 s, doubling up to 15 s, ±20 % so many waiting clients spread out. */
export const JOB_POLL_FIRST_DELAY_MS = 1_000;
export const JOB_POLL_MAX_DELAY_MS = 15_000;
export const JOB_POLL_BACKOFF: BackoffOptions = { baseDelayMs: JOB_POLL_FIRST_DELAY_MS, maxDelayMs: JOB_POLL_MAX_DELAY_MS, jitter: 'spread' };
/** How long wait() waits by default before giving up (the job goes on and can be waited for again). */
export const DEFAULT_JOB_WAIT_TIMEOUT_MS = 60 * 60_000;
/** Failed polls in a row that end a wait (each retried with backoff). */
export const MAX_FAILED_POLLS_IN_A_ROW = 8;

/** Options of one job call (submit, get, download). */
export interface JobCallOptions {
  signal?: AbortSignal;
  /** Deadline for one request's first byte, ms; the client's timeout by default. */
  timeoutMs?: number;
}

/** A job the service accepted: its operation. */
export interface SubmittedJob {
  operation: JobOperation;
  /** Our X-Request-Id of the submit request. */
  requestId: string;
}

/**
 * Submits one request. `onSent` is not needed: a failure after the body may have left is thrown
 * as it is, and the caller must treat the job as possibly created.
 */
async function submit(client: InworldClient, path: string, body: unknown, call: JobCallOptions): Promise<SubmittedJob> {
  const response = await withRetry(
    () => requestJson(client, { method: 'POST', path, body, signal: call.signal, timeoutMs: call.timeoutMs }),
    { maxRetries: client.maxRetries, signal: call.signal, retryable: isRetryableBeforeSend },
  );
  return { operation: parseOperation(response.data, response.requestId), requestId: response.requestId };
}

/** `POST /tts/v1/voice:synthesizeAsync` with a `/tts/v1/voice` body. Never repeated once sent. */
export function submitAsyncJob(client: InworldClient, body: SynthesisBodyWire, call: JobCallOptions = {}): Promise<SubmittedJob> {
  return submit(client, TTS_ASYNC_PATH, body, call);
}

/** `POST /tts/v1/voice:synthesizeBatch` with `{items:[{customId, request}]}`. Never repeated once sent. */
export function submitBatchJob(client: InworldClient, body: BatchRequestWire, call: JobCallOptions = {}): Promise<SubmittedJob> {
  return submit(client, TTS_BATCH_PATH, body, call);
}

/** The kind of job an operation name belongs to, from its collection segment. */
export function jobKindOf(name: string): JobKind | undefined {
  if (/\/ttsBatchJobs\//.test(name)) return 'batch';
  if (/\/ttsAsyncJobs\//.test(name)) return 'async';
  return undefined;
}

/** One read of the operation (`GET /lro/v1alpha/{name}`), retried like any read. */
export async function getOperation(client: InworldClient, name: string, call: JobCallOptions = {}): Promise<JobOperation> {
  const response = await withRetry(() => requestJson(client, { method: 'GET', path: operationPath(name), signal: call.signal, timeoutMs: call.timeoutMs }), {
    maxRetries: client.maxRetries,
    signal: call.signal,
    ...JOB_POLL_BACKOFF,
  });
  return parseOperation(response.data, response.requestId);
}

/** How long and how often to poll an operation. */
export interface WaitOptions extends JobCallOptions {
  /** Give up after this long, ms (a TimeoutError; the job itself goes on). Default one hour. */
  waitTimeoutMs?: number;
  /** Poll spacing; default JOB_POLL_BACKOFF. */
  backoff?: BackoffOptions;
  /** Told after each poll that found the job still running. */
  onPoll?: (operation: JobOperation, polls: number) => void;
}

/**
 * Polls until the operation is done and returns it (its `error` set when the job failed: the
 * caller decides whether that is thrown). A poll that fails for a retryable reason is tried
 * again after a backoff (Retry-After honoured); MAX_FAILED_POLLS_IN_A_ROW of them end the wait.
 */
export async function waitForOperation(client: InworldClient, name: string, options: WaitOptions = {}): Promise<JobOperation> {
  const backoff = options.backoff ?? JOB_POLL_BACKOFF;
  const deadline = Date.now() + (options.waitTimeoutMs ?? DEFAULT_JOB_WAIT_TIMEOUT_MS);
  let polls = 0;
  let failures = 0;
  for (;;) {
    if (options.signal?.aborted) throw abortError(options.signal);
    let delayMs: number;
    try {
      const response = await requestJson(client, { method: 'GET', path: operationPath(name), signal: options.signal, timeoutMs: options.timeoutMs });
      const operation = parseOperation(response.data, response.requestId);
      if (operation.done) return operation;
      polls += 1;
      failures = 0;
      options.onPoll?.(operation, polls);
      delayMs = backoffDelayMs(polls - 1, backoff);
    } catch (error) {
      if (options.signal?.aborted || error instanceof UserAbortError) throw error;
      failures += 1;
      const wait = isRetryableError(error) && failures < MAX_FAILED_POLLS_IN_A_ROW ? retryDelayMs(error, failures - 1, backoff) : undefined;
      if (wait === undefined) throw error;
      client.logger.debug(`jobs: poll of ${name} failed (${(error as Error).message}); again in ${wait} ms`);
      delayMs = wait;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw waitTimeout(name, options.waitTimeoutMs ?? DEFAULT_JOB_WAIT_TIMEOUT_MS);
    await sleep(Math.min(delayMs, left), options.signal);
  }
}

function waitTimeout(name: string, ms: number): TimeoutError {
  return new TimeoutError(`The job ${name} was not done after ${Math.round(ms / 1000)} s of waiting.`, {
    hint: 'The job goes on on the server: `inworld jobs wait` picks it up again.',
    retryable: false,
  });
}
