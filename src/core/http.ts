// One HTTP attempt against the Inworld REST API, sent through core/transport.ts (Node's http, or
// undici behind a proxy; both loaded lazily so `inworld --help` does not pay for them). Responsibilities:
//  - headers from the client (auth, user agent, our X-Request-Id) plus Content-Type for JSON bodies;
//  - a first-byte deadline (connect + response headers) and an idle deadline between body chunks,
//    both surfacing as TimeoutError; the idle clock is paused while the consumer holds a chunk, so a
//    slow consumer (a speaker applying backpressure) is not mistaken for a stalled server;
//  - network failures as ConnectionError with a readable message, non-2xx as the APIError subclass
//    for the status (gRPC body parsed, request ids, Retry-After), an aborted signal as UserAbortError;
//  - a body exposed as an async iterable: breaking out of the loop (or close()) aborts the request
//    and frees the socket.
// Retries are not done here: callers wrap attempts with core/retry.ts, since only they know whether
// output has already reached the user.
import { randomUUID } from 'node:crypto';
import type { InworldClient } from './client.js';
import { ConnectionError, InworldError, ProtocolError, TimeoutError, UserAbortError, makeApiError, parseRpcStatus, type APIError } from './errors.js';
import { abortError, parseRetryAfterMs } from './retry.js';
import { sendRequest, type RawResponse } from './transport.js';

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

interface UndiciBody extends AsyncIterable<Buffer> {
  destroy(error?: Error): unknown;
  destroyed?: boolean;
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

/** Performs one request and resolves once a 2xx response's headers have arrived. */
export async function requestStream(client: InworldClient, options: HttpRequestOptions): Promise<StreamResponse> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const url = buildUrl(client, options.path, options.query);
  const requestId = options.requestId ?? randomUUID();
  const firstByteMs = options.timeoutMs ?? client.timeoutMs;
  const idleMs = options.idleTimeoutMs ?? firstByteMs;
  const log = client.logger;
  const started = performance.now();
  const elapsed = () => `${Math.round(performance.now() - started)} ms`;

  if (options.signal?.aborted) throw abortError(options.signal);

  // One controller for everything that can end the request: the caller's signal, our deadlines,
  // and the consumer leaving the loop. Its reason says which one it was.
  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(abortError(options.signal!));
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });

  let timer: NodeJS.Timeout | undefined;
  const disarm = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const arm = (ms: number, message: string) => {
    disarm();
    if (!hasDeadline(ms)) return;
    timer = setTimeout(() => controller.abort(new TimeoutError(message, { hint: 'Retry, or raise --timeout if the network is slow.' })), ms);
    timer.unref();
  };
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    disarm();
    options.signal?.removeEventListener('abort', onCallerAbort);
  };

  const headers: Record<string, string> = { ...client.headers(requestId), Accept: 'application/json' };
  let payload: string | undefined;
  if (options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }

  log.debug(`HTTP ${method} ${url.href} request-id=${requestId}${payload ? ` body=${payload.length}B` : ''}`);
  arm(firstByteMs, `No response from ${url.host} within ${firstByteMs} ms (request ${requestId}).`);

  let response: RawResponse;
  try {
    response = await sendRequest(url, { method, headers, body: payload, signal: controller.signal });
  } catch (error) {
    finish();
    const mapped = mapNetworkError(error, controller.signal, url, requestId);
    log.debug(`HTTP ${method} ${url.pathname} failed after ${elapsed()}: ${mapped.message}`);
    throw mapped;
  }

  const status = response.statusCode;
  const responseHeaders = response.headers;
  const serverRequestId = serverRequestIdOf(responseHeaders, requestId);
  const rawBody = response.body as unknown as UndiciBody;
  log.debug(`HTTP ${status} ${url.pathname} headers after ${elapsed()}${serverRequestId ? ` server-request-id=${serverRequestId}` : ''}`);

  if (status < 200 || status >= 300) {
    let text = '';
    try {
      text = await readLimited(rawBody, MAX_ERROR_BODY_BYTES);
    } catch {
      // The status alone still makes a useful error.
    } finally {
      finish();
      rawBody.destroy();
    }
    throw apiErrorFromResponse(status, text, responseHeaders, requestId, serverRequestId);
  }

  // Headers are in: the first-byte deadline is met. The idle deadline starts when the consumer
  // starts reading, so a caller that looks at the status first is not timed out meanwhile.
  disarm();
  let bytes = 0;
  let done = false;
  const close = () => {
    if (done) return;
    done = true;
    finish();
    if (!rawBody.destroyed) {
      controller.abort(new UserAbortError('Response closed by the caller'));
      rawBody.destroy();
    }
  };

  async function* body(): AsyncGenerator<Buffer> {
    try {
      arm(idleMs, `The server stopped sending after ${bytes} bytes: nothing for ${idleMs} ms (request ${requestId}).`);
      for await (const chunk of rawBody) {
        disarm();
        bytes += chunk.length;
        yield chunk;
        arm(idleMs, `The server stopped sending after ${bytes} bytes: nothing for ${idleMs} ms (request ${requestId}).`);
      }
      done = true;
      finish();
      log.debug(`HTTP ${url.pathname} body complete: ${bytes} bytes in ${elapsed()}`);
    } catch (error) {
      const mapped = mapNetworkError(error, controller.signal, url, requestId);
      log.debug(`HTTP ${url.pathname} body failed after ${bytes} bytes, ${elapsed()}: ${mapped.message}`);
      throw mapped;
    } finally {
      // Reached on normal end, on error, and when the consumer breaks out (return()).
      close();
    }
  }

  return { status, headers: responseHeaders, requestId, serverRequestId, body: body(), close };
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

const REFUSED_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  EADDRNOTAVAIL: 'address not available',
  UND_ERR_SOCKET: 'connection closed unexpectedly',
  UND_ERR_CLOSED: 'connection closed',
};
/** Failures before any connection existed: not one byte of the request can have reached the server. */
const NEVER_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EADDRNOTAVAIL']);
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) for (const inner of errors) codes.push(...errorCodes(inner));
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** Maps whatever undici, ws or Node threw into the error tree, preferring the abort reason we set. */
export function mapNetworkError(error: unknown, signal: AbortSignal | undefined, url: URL, requestId: string): InworldError {
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof InworldError) return reason;
    return new UserAbortError('Request was aborted', { cause: reason });
  }
  if (error instanceof InworldError) return error;
  const codes = errorCodes(error);
  const where = url.host;
  const flag = url.protocol === 'ws:' || url.protocol === 'wss:' ? '--ws-url' : '--base-url';
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  const target = secure ? `Check ${flag}, your network or proxy.` : `Check ${flag} or your network.`;
  if (codes.includes('UND_ERR_CONNECT_TIMEOUT') || codes.includes('UND_ERR_HEADERS_TIMEOUT') || codes.includes('UND_ERR_BODY_TIMEOUT')) {
    return new TimeoutError(`Timed out talking to ${where} (request ${requestId}).`, { cause: error, hint: target });
  }
  const tls = codes.find((code) => TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'));
  if (tls) {
    return new ConnectionError(`TLS handshake with ${where} failed (${tls}). ${target}`, { cause: error, retryable: false });
  }
  for (const code of codes) {
    const reason = REFUSED_CODES[code];
    if (reason === undefined) continue;
    const lost = code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED';
    const message = lost
      ? `Connection to ${where} was lost (${reason}) (request ${requestId}). ${target}`
      : `Cannot connect to ${where} (${reason}). ${target}`;
    return new ConnectionError(message, { cause: error, requestNotSent: NEVER_CONNECTED_CODES.has(code) });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new ConnectionError(`Request to ${where} failed: ${detail} (request ${requestId}). ${target}`, { cause: error });
}
