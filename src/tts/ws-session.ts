// One WebSocket connection to the bidirectional TTS endpoint. It owns the socket, sends frames in
// order, routes every server frame to the context it names, keeps the connection alive with
// pings, and fails every context it carries when the socket goes away. Capacity (5 contexts per
// connection) is the pool's business, not this file's.
import type { InworldClient } from '../core/client.js';
import { ConnectionError, GrpcCode, InworldError, TimeoutError, makeApiError } from '../core/errors.js';
import { randomId } from '../core/random-id.js';
import { openWebSocket, startHeartbeat, type WebSocket } from '../core/ws-connection.js';
import { TTS_WS_PATH, parseServerFrame, parseServerMessage, type ServerMessage } from './ws-protocol.js';

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

export class TtsWsSession {
  readonly id: string;
  readonly requestId: string;
  private readonly routes = new Map<string, ContextRoute>();
  private failure: InworldError | undefined;
  private readonly stopHeartbeat: () => void;
  private readonly closeListeners = new Set<(error: InworldError | undefined) => void>();

  private constructor(
    private readonly socket: WebSocket,
    private readonly client: InworldClient,
    requestId: string,
    pingIntervalMs: number,
  ) {
    this.id = randomId().slice(0, 8);
    this.requestId = requestId;
    socket.on('message', (data, isBinary) => {
      if (isBinary) return; // the server sends only text frames; anything else is noise
      this.dispatch(Buffer.isBuffer(data) ? parseServerFrame(data) : parseServerMessage(data.toString()));
    });
    socket.on('close', (code, reason) => {
      this.stopHeartbeat();
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
    this.stopHeartbeat = startHeartbeat(socket, pingIntervalMs, () =>
      this.terminate(new TimeoutError(`The TTS WebSocket stopped answering pings (request ${this.requestId})`)),
    );
    socket.resume(); // listening now: a frame the server sent at once (an error) is not lost
  }

  /** Opens a connection with the same headers as HTTP; rejects with the handshake's HTTP status as an API error. */
  static async connect(client: InworldClient, options: WsSessionOptions = {}): Promise<TtsWsSession> {
    const { socket, requestId } = await openWebSocket({
      url: client.wsUrl(TTS_WS_PATH),
      headers: (id) => client.headers(id),
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? Math.min(client.timeoutMs, DEFAULT_HANDSHAKE_TIMEOUT_MS),
      signal: options.signal,
      debug: (message) => client.logger.debug(message),
    });
    return new TtsWsSession(socket, client, requestId, options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS);
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
    this.stopHeartbeat();
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
    this.stopHeartbeat();
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

}
