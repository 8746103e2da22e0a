// One WebSocket connection to the bidirectional TTS endpoint. It owns the socket, sends frames in
// order, routes every server frame to the context it names, keeps the connection alive with
// pings, and fails every context it carries when the socket goes away. Capacity (5 contexts per
// connection) is the pool's business, not this file's.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type WebSocket from 'ws';
import type { InworldClient } from '../core/client.js';
import { ConnectionError, GrpcCode, InworldError, TimeoutError, UserAbortError, makeApiError, parseRpcStatus } from '../core/errors.js';
import { mapNetworkError } from '../core/http.js';
import { webSocketAgent } from '../core/proxy.js';
import { TTS_WS_PATH, parseServerFrame, parseServerMessage, type ServerMessage } from './ws-protocol.js';

/** mapNetworkError wants a signal; aborts are handled before it is called here. */
const NEVER_ABORTED = new AbortController().signal;

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
/** How often we ping; a connection that misses one whole interval without a pong is dead. */
export const DEFAULT_PING_INTERVAL_MS = 20_000;

/** What a context registers to hear about its own frames and about the connection's death. */
export interface ContextRoute {
  onMessage(message: Exclude<ServerMessage, { kind: 'error' | 'ignored' }>): void;
  /** The connection failed (dropped, connection-level error). The context is over. */
  onConnectionFailure(error: InworldError): void;
}

export interface WsSessionOptions {
  handshakeTimeoutMs?: number;
  pingIntervalMs?: number;
  signal?: AbortSignal;
}

type WebSocketConstructor = typeof import('ws').default;
let webSocketModule: Promise<WebSocketConstructor> | undefined;

/**
 * Loads `ws` once per process (70–200 ms cold on a slow machine). The pool starts this when it is
 * created, so the first connection of a burst does not pay it; a failed load is retried next time.
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

export class TtsWsSession {
  readonly id: string;
  readonly requestId: string;
  private readonly routes = new Map<string, ContextRoute>();
  private failure: InworldError | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private awaitingPong = false;
  private readonly closeListeners = new Set<(error: InworldError | undefined) => void>();

  private constructor(
    private readonly socket: WebSocket,
    private readonly client: InworldClient,
    requestId: string,
    pingIntervalMs: number,
  ) {
    this.id = randomUUID().slice(0, 8);
    this.requestId = requestId;
    socket.on('message', (data, isBinary) => {
      if (isBinary) return; // the server sends only text frames; anything else is noise
      this.dispatch(Buffer.isBuffer(data) ? parseServerFrame(data) : parseServerMessage(data.toString()));
    });
    socket.on('pong', () => {
      this.awaitingPong = false;
    });
    socket.on('close', (code, reason) => {
      this.stopPing();
      const error =
        this.failure ??
        new ConnectionError(
          `The TTS WebSocket closed (code ${code}${reason.length > 0 ? `: ${reason.toString()}` : ''}) with streams still open`,
        );
      this.failure = error;
      this.failAll(error);
      for (const listener of this.closeListeners) listener(error);
      this.closeListeners.clear();
    });
    socket.on('error', (err) => {
      this.failure ??= new ConnectionError(`The TTS WebSocket failed: ${err.message}`, { cause: err });
    });
    if (pingIntervalMs > 0) {
      this.pingTimer = setInterval(() => this.heartbeat(), pingIntervalMs);
      this.pingTimer.unref();
    }
  }

  /** Opens a connection with the same headers as HTTP; rejects with the handshake's HTTP status as an API error. */
  static async connect(client: InworldClient, options: WsSessionOptions = {}): Promise<TtsWsSession> {
    const WebSocketCtor = await loadWebSocket();
    const requestId = randomUUID();
    const url = client.wsUrl(TTS_WS_PATH);
    const handshakeTimeoutMs = options.handshakeTimeoutMs ?? Math.min(client.timeoutMs, DEFAULT_HANDSHAKE_TIMEOUT_MS);
    const signal = options.signal;
    if (signal?.aborted) throw abortError(signal);
    client.logger.debug(`ws connect ${url.href} request ${requestId}`);
    const agent = await webSocketAgent(url);
    const socket = new WebSocketCtor(url, { headers: client.headers(requestId), handshakeTimeout: handshakeTimeoutMs, agent });
    return await new Promise<TtsWsSession>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        finish(new TimeoutError(`Connecting to ${url.host} timed out after ${handshakeTimeoutMs} ms (request ${requestId})`));
      }, handshakeTimeoutMs);
      timer.unref();
      const onAbort = () => finish(abortError(signal!));
      signal?.addEventListener('abort', onAbort, { once: true });
      const finish = (error?: InworldError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.off('open', onOpen);
        socket.off('unexpected-response', onUnexpected);
        socket.off('error', onError);
        if (error) {
          socket.on('error', () => {}); // a late error after terminate must not crash the process
          socket.terminate();
          reject(error);
        } else {
          resolve(new TtsWsSession(socket, client, requestId, options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS));
        }
      };
      const onOpen = () => finish();
      const onError = (err: Error) => finish(mapNetworkError(err, NEVER_ABORTED, url, requestId));
      const onUnexpected = (_req: unknown, res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          let body: unknown;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            body = undefined;
          }
          const rpc = parseRpcStatus(body);
          const retryAfter = Number(res.headers['retry-after']);
          finish(
            makeApiError({
              status: res.statusCode,
              grpcCode: rpc.grpcCode,
              serverMessage: rpc.message ?? res.statusMessage,
              requestId,
              body,
              retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
            }),
          );
        });
        res.on('error', (err) => finish(new ConnectionError(err.message, { cause: err })));
      };
      socket.on('open', onOpen);
      socket.on('error', onError);
      socket.on('unexpected-response', onUnexpected);
    });
  }

  /** Whether the connection can still carry frames. */
  get open(): boolean {
    return this.failure === undefined && this.socket.readyState === 1;
  }

  get contextCount(): number {
    return this.routes.size;
  }

  register(contextId: string, route: ContextRoute): void {
    if (this.failure) {
      route.onConnectionFailure(this.failure);
      return;
    }
    this.routes.set(contextId, route);
  }

  unregister(contextId: string): void {
    this.routes.delete(contextId);
  }

  /** Sends one frame; frames leave in call order, which is what makes pipelining safe (docs/protocol.md#tts-websocket). */
  send(frame: string): void {
    if (!this.failure && this.socket.readyState === 2) {
      // The server's close frame has arrived: the close event follows and fails every stream here
      // with the server's code and reason, which say more than "not open" would.
      this.client.logger.debug(`ws ${this.id} closing; frame dropped`);
      return;
    }
    if (this.failure || this.socket.readyState !== 1) {
      throw this.failure ?? new ConnectionError('The TTS WebSocket is not open');
    }
    this.client.logger.debug(`ws ${this.id} > ${frame.length > 200 ? `${frame.slice(0, 200)}…` : frame}`);
    this.socket.send(frame);
  }

  onClose(listener: (error: InworldError | undefined) => void): void {
    if (this.socket.readyState === 3) listener(this.failure);
    else this.closeListeners.add(listener);
  }

  /** Closes the socket; contexts still registered fail with a ConnectionError. Safe to call twice. */
  close(reason = 'client closing'): void {
    this.stopPing();
    if (this.socket.readyState === 0 || this.socket.readyState === 1) {
      this.failure ??= new ConnectionError(`The TTS WebSocket was closed: ${reason}`);
      this.socket.close(1000, reason);
      // A peer that never answers the close frame must not keep the process alive.
      const timer = setTimeout(() => this.socket.terminate(), 2_000);
      timer.unref();
    }
  }

  /** Drops the TCP connection at once (used when the connection is known to be dead). */
  terminate(error: InworldError): void {
    this.failure ??= error;
    this.stopPing();
    this.failAll(this.failure);
    this.socket.terminate();
  }

  private dispatch(message: ServerMessage): void {
    // After a failure, frames still buffered in the socket must not complete any stream.
    if (this.failure) return;
    if (message.kind === 'ignored') {
      this.client.logger.debug(`ws ${this.id} ignored frame (${message.reason})`);
      return;
    }
    if (message.kind === 'error') {
      // A connection-level error names no context, so every context on this socket is in doubt
      // (e.g. "Paused due to inactivity" precedes a drop). Fail them all and drop the socket.
      // A retryable code means the connection, not the request, was the problem: it becomes a
      // ConnectionError (retried on a new connection); others stay API errors.
      const apiError = makeApiError(
        { grpcCode: message.status.code, serverMessage: message.status.message, requestId: this.requestId, body: message.body },
        { retryable: message.status.code === GrpcCode.ABORTED ? true : undefined },
      );
      this.terminate(
        apiError.retryable
          ? new ConnectionError(`The server ended the TTS connection: ${apiError.message}`, { cause: apiError })
          : apiError,
      );
      return;
    }
    const route = this.routes.get(message.contextId);
    if (!route) {
      this.client.logger.debug(`ws ${this.id} frame for unknown context "${message.contextId}" (${message.kind})`);
      return;
    }
    route.onMessage(message);
  }

  private failAll(error: InworldError): void {
    const routes = [...this.routes.values()];
    this.routes.clear();
    for (const route of routes) route.onConnectionFailure(error);
  }

  private heartbeat(): void {
    if (this.socket.readyState !== 1) return;
    if (this.awaitingPong) {
      this.terminate(new TimeoutError(`The TTS WebSocket stopped answering pings (request ${this.requestId})`));
      return;
    }
    this.awaitingPong = true;
    this.socket.ping();
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }
}

function abortError(signal: AbortSignal): InworldError {
  return signal.reason instanceof InworldError ? signal.reason : new UserAbortError();
}
