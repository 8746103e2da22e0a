// Opening a WebSocket to any of the streaming endpoints (TTS, STT, doctor's probe): the handshake
// with the client's headers (Authorization, X-User-Agent, X-Request-Id), the proxy from the
// environment, a connect deadline, an AbortSignal, and a refused upgrade turned into the APIError
// its status and body describe (a 401 becomes AuthenticationError, which is never retried). Also
// the ping heartbeat a long-lived connection uses to notice a dead peer. What is said on the socket
// once it is open is the caller's protocol, not this file's.
//
// `ws` is imported only when a connection is made (70–200 ms cold on a slow machine), so commands
// that never stream do not pay for it.
import type { IncomingMessage } from 'node:http';
import type WebSocket from 'ws';
import { ConnectionError, makeApiError, parseRpcStatus, TimeoutError, type InworldError } from './errors.js';
import { mapNetworkError } from './network-errors.js';
import { webSocketAgent } from './proxy.js';
import { randomId } from './random-id.js';
import { abortError, parseRetryAfterMs } from './retry.js';

export type { WebSocket };
export type WebSocketConstructor = typeof import('ws').default;

/** Largest error body read from a refused handshake. */
const MAX_HANDSHAKE_BODY_BYTES = 64 * 1024;

let webSocketModule: Promise<WebSocketConstructor> | undefined;

/**
 * Loads `ws` once per process. The TTS pool starts this when it is created, so the first
 * connection of a burst does not pay it; a failed load is retried next time.
 */
export function loadWebSocket(): Promise<WebSocketConstructor> {
  webSocketModule ??= import('ws').then(
    (module) => module.default,
    (error: unknown) => {
      webSocketModule = undefined;
      throw error;
    },
  );
  return webSocketModule;
}

export interface OpenWebSocketOptions {
  url: URL;
  /** The request headers for a request id (the client's `headers()`). */
  headers: (requestId: string) => Record<string, string>;
  /** Deadline for the TCP connect, TLS, proxy tunnel and upgrade together. */
  handshakeTimeoutMs: number;
  signal?: AbortSignal;
  /** Debug logging (the client's logger). */
  debug?: (message: string) => void;
}

export interface OpenedWebSocket {
  /**
   * Open but paused: the server may speak first (a connection-level error frame), and a frame read
   * before anyone listens would be dropped. Attach the listeners, then call `socket.resume()`.
   */
  socket: WebSocket;
  /** The X-Request-Id the handshake was sent with. */
  requestId: string;
}

/** Opens a WebSocket; rejects with the error tree's error for a refusal, a timeout, an abort or a network failure. */
export async function openWebSocket(options: OpenWebSocketOptions): Promise<OpenedWebSocket> {
  const { url, signal, handshakeTimeoutMs } = options;
  if (signal?.aborted) throw abortError(signal);
  const WebSocketCtor = await loadWebSocket();
  const requestId = randomId();
  options.debug?.(`ws connect ${url.href} request ${requestId}`);
  const agent = await webSocketAgent(url);
  if (signal?.aborted) throw abortError(signal);
  const socket = new WebSocketCtor(url, { headers: options.headers(requestId), handshakeTimeout: handshakeTimeoutMs, agent });
  const timedOut = () => new TimeoutError(`Connecting to ${url.host} timed out after ${handshakeTimeoutMs} ms (request ${requestId})`);
  return await new Promise<OpenedWebSocket>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => finish(timedOut()), handshakeTimeoutMs);
    timer.unref();
    const finish = (error?: InworldError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('open', onOpen);
      socket.off('unexpected-response', onUnexpected);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (error) {
        socket.on('error', () => {}); // a late error after terminate must not crash the process
        socket.terminate();
        reject(error);
      } else {
        resolve({ socket, requestId });
      }
    };
    const onOpen = () => {
      // Frames that came with the upgrade are still unread here; they wait for the caller's listeners.
      socket.pause();
      finish();
    };
    const onAbort = () => finish(abortError(signal!));
    // ws reports its own handshakeTimeout as an error "Opening handshake has timed out".
    const onError = (error: Error) => finish(/timed out/i.test(error.message) ? timedOut() : mapNetworkError(error, undefined, url, requestId));
    const onClose = (code: number) => finish(new ConnectionError(`connection closed during the handshake (${code})`));
    const onUnexpected = (_request: unknown, response: IncomingMessage) => {
      readBody(response).then(
        (body) => finish(handshakeError(response, body, requestId)),
        () => finish(handshakeError(response, '', requestId)),
      );
    };
    socket.on('open', onOpen);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.on('unexpected-response', onUnexpected);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The APIError for a refused upgrade: HTTP status, gRPC status from the body, request id, Retry-After. */
function handshakeError(response: IncomingMessage, body: string, requestId: string): InworldError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const { grpcCode, message } = parseRpcStatus(parsed);
  const retryAfterMs = parseRetryAfterMs(headerValue(response.headers['retry-after']));
  return makeApiError({
    status: response.statusCode,
    grpcCode,
    serverMessage: message ?? (body.trim().slice(0, 200) || response.statusMessage || 'WebSocket handshake refused'),
    requestId: headerValue(response.headers['x-request-id']) ?? requestId,
    body: parsed ?? body,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_HANDSHAKE_BODY_BYTES) chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}

/**
 * Pings every `intervalMs`; a connection that misses one whole interval without a pong is dead
 * and `onDead` is called (once per missed pong; the caller terminates the socket). Returns the
 * function that stops the heartbeat. The timer never keeps the process alive on its own.
 */
export function startHeartbeat(socket: WebSocket, intervalMs: number, onDead: () => void): () => void {
  if (intervalMs <= 0) return () => {};
  let awaitingPong = false;
  const onPong = () => {
    awaitingPong = false;
  };
  socket.on('pong', onPong);
  const timer = setInterval(() => {
    if (socket.readyState !== 1) return;
    if (awaitingPong) {
      onDead();
      return;
    }
    awaitingPong = true;
    socket.ping();
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    socket.off('pong', onPong);
  };
}
