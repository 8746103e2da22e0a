// One HTTP attempt against the Inworld REST API, sent through core/transport.ts (Node's http, or
// undici behind a proxy; both loaded lazily so `inworld --help` does not pay for them). Responsibilities:
//  - headers from the client (auth, user agent, our X-Request-Id) plus Content-Type for JSON bodies;
//  - a first-byte deadline (connect + response headers) and an idle deadline between body chunks,
//    both surfacing as TimeoutError; the idle clock is paused while the consumer holds a chunk, so a
//    slow consumer (a speaker applying backpressure) is not mistaken for a stalled server;
//  - network failures as ConnectionError with a readable message (core/network-errors.ts), non-2xx
//    as the APIError subclass for the status (gRPC body parsed, request ids, Retry-After), an
//    aborted signal as UserAbortError;
//  - a body exposed as an async iterable: breaking out of the loop (or close()) aborts the request
//    and frees the socket.
// Retries are not done here: callers wrap attempts with core/retry.ts, since only they know whether
// output has already reached the user.
import type { Readable } from 'node:stream';
import type { InworldClient } from './client.js';
import { ProtocolError, TimeoutError, UserAbortError, makeApiError, parseRpcStatus, type APIError } from './errors.js';
import { mapNetworkError } from './network-errors.js';
import { abortError, parseRetryAfterMs } from './retry.js';
import { randomId } from './random-id.js';
import { readableChunks } from './readable-chunks.js';
import { sendRequest, type RawResponse } from './transport.js';
import { monotonicMs } from './monotonic-clock.js';

/** Largest error body we read to build an APIError; the rest is discarded. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** Largest JSON body requestJson buffers (a full voice list is well under this). */
export const MAX_JSON_BODY_BYTES = 64 * 1024 * 1024;
/** Response headers that may carry the server's own request id. */
const SERVER_REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'x-inworld-request-id', 'grpc-metadata-x-request-id'];

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

export interface HttpRequestOptions {
  method?: HttpMethod;
  /** API path such as `/tts/v1/voice:stream`, joined onto the client's base URL. */
  path: string;
  /**
   * Query parameters; undefined values are left out and an array repeats its key
   * (`languages=EN_US&languages=ES_ES`). Encoded with %20 for spaces (not "+").
   */
  query?: Record<string, string | number | undefined | readonly string[]>;
  /** Sent as JSON when present. */
  body?: unknown;
  signal?: AbortSignal;
  /** Deadline for connect + response headers, in ms; defaults to client.timeoutMs. 0 or Infinity disables. */
  timeoutMs?: number;
  /** Longest silence between body chunks, in ms; defaults to timeoutMs. */
  idleTimeoutMs?: number;
  /** Our X-Request-Id; a fresh UUID when absent. */
  requestId?: string;
}

export interface StreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The X-Request-Id we sent. */
  requestId: string;
  /** A request id the server returned, if any. */
  serverRequestId?: string;
  /** The response body. Iterate once; leaving the loop early aborts the request. */
  body: AsyncIterable<Buffer>;
  /** Aborts the request and frees the socket (idempotent; a no-op once the body was fully read). */
  close(): void;
}

/** Builds the full URL of an API path with query parameters. */
export function buildUrl(client: InworldClient, path: string, query?: HttpRequestOptions['query']): URL {
  const url = client.httpUrl(path);
  if (query) {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      const values = Array.isArray(value) ? (value as readonly string[]) : [String(value)];
      for (const item of values) parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(item)}`);
    }
    if (parts.length > 0) url.search = parts.join('&');
  }
  return url;
}

function hasDeadline(ms: number | undefined): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0;
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function serverRequestIdOf(headers: Record<string, string | string[] | undefined>, ours: string): string | undefined {
  for (const name of SERVER_REQUEST_ID_HEADERS) {
    const value = headerValue(headers, name);
    if (value && value !== ours) return value;
  }
  return undefined;
}

/**
 * Everything that can end one request, behind one AbortController: the caller's signal, our
 * deadlines, and the consumer leaving the loop. The abort reason says which one it was.
 */
class RequestLifetime {
  private readonly controller = new AbortController();
  private readonly onCallerAbort: () => void;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;

  constructor(private readonly callerSignal: AbortSignal | undefined) {
    this.onCallerAbort = () => this.controller.abort(abortError(callerSignal!));
    callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Starts (or restarts) a deadline; at `ms` the request is aborted with a TimeoutError. */
  arm(ms: number, message: string): void {
    this.disarm();
    if (!hasDeadline(ms)) return;
    this.timer = setTimeout(() => this.controller.abort(new TimeoutError(message, { hint: 'Retry, or raise --timeout if the network is slow.' })), ms);
    this.timer.unref();
  }

  disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  abort(reason: Error): void {
    this.controller.abort(reason);
  }

  /** The request is over: no deadline runs and the caller's signal is let go (idempotent). */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.disarm();
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }
}

/** What the body reader needs to know about its request, for deadlines and the debug log. */
interface BodyContext {
  url: URL;
  requestId: string;
  idleMs: number;
  log: InworldClient['logger'];
  elapsed: () => string;
}

/**
 * A 2xx response's body as an async iterable under the idle deadline, which runs only while the
 * reader waits for the server; and close(), which aborts the request unless the body was fully read.
 */
function readBody(rawBody: Readable, lifetime: RequestLifetime, context: BodyContext): Pick<StreamResponse, 'body' | 'close'> {
  const { url, requestId, idleMs, log, elapsed } = context;
  let bytes = 0;
  let done = false;
  const close = () => {
    if (done) return;
    done = true;
    lifetime.finish();
    if (!rawBody.destroyed) {
      lifetime.abort(new UserAbortError('Response closed by the caller'));
      rawBody.destroy();
    }
  };

  async function* body(): AsyncGenerator<Buffer> {
    try {
      lifetime.arm(idleMs, `The server stopped sending after ${bytes} bytes: nothing for ${idleMs} ms (request ${requestId}).`);
      for await (const chunk of readableChunks(rawBody)) {
        lifetime.disarm();
        bytes += chunk.length;
        yield chunk;
        lifetime.arm(idleMs, `The server stopped sending after ${bytes} bytes: nothing for ${idleMs} ms (request ${requestId}).`);
      }
      done = true;
      lifetime.finish();
      log.debug(`HTTP ${url.pathname} body complete: ${bytes} bytes in ${elapsed()}`);
    } catch (error) {
      const mapped = mapNetworkError(error, lifetime.signal, url, requestId);
      log.debug(`HTTP ${url.pathname} body failed after ${bytes} bytes, ${elapsed()}: ${mapped.message}`);
      throw mapped;
    } finally {
      // Reached on normal end, on error, and when the consumer breaks out (return()).
      close();
    }
  }

  return { body: body(), close };
}

/** The start of a non-2xx response's body (for its error), after which the request is over. */
async function readErrorBody(rawBody: Readable, lifetime: RequestLifetime): Promise<string> {
  try {
    return await readLimited(rawBody, MAX_ERROR_BODY_BYTES);
  } catch {
    return ''; // The status alone still makes a useful error.
  } finally {
    lifetime.finish();
    rawBody.destroy();
  }
}

/** Performs one request and resolves once a 2xx response's headers have arrived. */
export async function requestStream(client: InworldClient, options: HttpRequestOptions): Promise<StreamResponse> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const url = buildUrl(client, options.path, options.query);
  const requestId = options.requestId ?? randomId();
  const firstByteMs = options.timeoutMs ?? client.timeoutMs;
  const log = client.logger;
  const started = monotonicMs();
  const elapsed = () => `${Math.round(monotonicMs() - started)} ms`;

  if (options.signal?.aborted) throw abortError(options.signal);
  const lifetime = new RequestLifetime(options.signal);

  const headers: Record<string, string> = { ...client.headers(requestId), Accept: 'application/json' };
  let payload: string | undefined;
  if (options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }

  log.debug(`HTTP ${method} ${url.href} request-id=${requestId}${payload ? ` body=${payload.length}B` : ''}`);
  lifetime.arm(firstByteMs, `No response from ${url.host} within ${firstByteMs} ms (request ${requestId}).`);

  let response: RawResponse;
  try {
    response = await sendRequest(url, { method, headers, body: payload, signal: lifetime.signal });
  } catch (error) {
    lifetime.finish();
    const mapped = mapNetworkError(error, lifetime.signal, url, requestId);
    log.debug(`HTTP ${method} ${url.pathname} failed after ${elapsed()}: ${mapped.message}`);
    throw mapped;
  }

  const status = response.statusCode;
  const serverRequestId = serverRequestIdOf(response.headers, requestId);
  const rawBody = response.body;
  log.debug(`HTTP ${status} ${url.pathname} headers after ${elapsed()}${serverRequestId ? ` server-request-id=${serverRequestId}` : ''}`);

  if (status < 200 || status >= 300) {
    const text = await readErrorBody(rawBody, lifetime);
    throw apiErrorFromResponse(status, text, response.headers, requestId, serverRequestId);
  }

  // Headers are in: the first-byte deadline is met. The idle deadline starts when the consumer
  // starts reading, so a caller that looks at the status first is not timed out meanwhile.
  lifetime.disarm();
  const idleMs = options.idleTimeoutMs ?? firstByteMs;
  const { body, close } = readBody(rawBody, lifetime, { url, requestId, idleMs, log, elapsed });
  return { status, headers: response.headers, requestId, serverRequestId, body, close };
}

export interface JsonResponse<T> {
  status: number;
  data: T;
  requestId: string;
  serverRequestId?: string;
  headers: Record<string, string | string[] | undefined>;
}

/** One request whose whole JSON response is read and parsed (voices and other small calls). */
export async function requestJson<T = unknown>(client: InworldClient, options: HttpRequestOptions): Promise<JsonResponse<T>> {
  const response = await requestStream(client, options);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.length;
    if (total > MAX_JSON_BODY_BYTES) {
      response.close();
      throw new ProtocolError(
        { serverMessage: `response body is larger than ${MAX_JSON_BODY_BYTES} bytes`, requestId: response.requestId },
        { retryable: false },
      );
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks, total).toString('utf8');
  let data: T;
  try {
    data = (text.trim() === '' ? {} : JSON.parse(text)) as T;
  } catch (error) {
    throw new ProtocolError(
      { serverMessage: `response is not valid JSON: ${text.slice(0, 120)}`, requestId: response.requestId, status: response.status },
      { retryable: true, cause: error },
    );
  }
  return { status: response.status, data, requestId: response.requestId, serverRequestId: response.serverRequestId, headers: response.headers };
}

async function readLimited(body: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    total += chunk.length;
    if (total >= limit) break;
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** The APIError for a non-2xx response: status, gRPC status from the body, request ids, Retry-After. */
export function apiErrorFromResponse(
  status: number,
  text: string,
  headers: Record<string, string | string[] | undefined>,
  requestId: string,
  serverRequestId?: string,
): APIError {
  let body: unknown = text;
  try {
    body = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON (a proxy's HTML page, say): keep the text.
  }
  const rpc = parseRpcStatus(body);
  const fallback = typeof body === 'string' && body.trim() !== '' ? body.trim().slice(0, 200) : undefined;
  const retryAfterMs = parseRetryAfterMs(headerValue(headers, 'retry-after'), Date.now(), headerValue(headers, 'retry-after-ms'));
  return makeApiError({
    status,
    grpcCode: rpc.grpcCode,
    serverMessage: rpc.message ?? fallback,
    requestId,
    serverRequestId,
    body,
    retryAfterMs,
  });
}
