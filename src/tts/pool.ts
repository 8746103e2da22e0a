// A pool of TTS WebSocket connections for many concurrent streams (design after LiveKit's Python
// plugin, written fresh): at most 5 contexts per connection, at most `maxConnections` connections.
//
// - A slot is reserved synchronously, before any connection is awaited, so concurrent callers
//   never put a sixth context on one socket (the server would answer `max contexts limit reached`).
// - When every slot is taken, callers wait (FIFO) with a timeout and their AbortSignal.
// - A slot is freed only when the server confirms `contextClosed` (or a status error / dropped
//   socket ends the context); a context stuck closing is reclaimed after its close deadline.
// - Idle connections close after `idleTimeoutMs`, except `keepWarm` of them.
// - A dropped socket fails only the streams it carried, with a retryable ConnectionError.
import { EventEmitter } from 'node:events';
import type { InworldClient } from '../core/client.js';
import { ConnectionError, InworldError, TimeoutError, UserAbortError } from '../core/errors.js';
import { markRetriesExhausted, withRetry } from '../core/retry.js';
import { synthesisWarnings } from './options.js';
import { buildWsCreateConfig, type TtsStreamSynthesisOptions } from './ws-options.js';
import { loadWebSocket } from '../core/ws-connection.js';
import { TtsWsSession } from './ws-session.js';
import { TtsStream, type TtsStreamOptions } from './ws-stream.js';

export const CONTEXTS_PER_CONNECTION = 5;
export const DEFAULT_MAX_CONNECTIONS = 20;
export const DEFAULT_IDLE_CONNECTION_CLOSE_MS = 300_000;
export const DEFAULT_KEEP_WARM_CONNECTIONS = 1;
/** Contexts stuck closing are reclaimed after 120 s, as LiveKit's Python plugin does. */
export const DEFAULT_POOL_CLOSE_TIMEOUT_MS = 120_000;

/** Limits and timeouts of a {@link TtsPool}. */
export interface TtsPoolOptions {
  maxConnections?: number;
  /** Contexts per connection; the server allows 5. Lower it only for tests or a stricter server. */
  contextsPerConnection?: number;
  /** Close a connection with no contexts after this long. */
  idleTimeoutMs?: number;
  /** Idle connections kept open anyway, so the next stream skips the handshake. */
  keepWarm?: number;
  /** How long a stream may wait for a free slot; default the client's timeout. */
  acquireTimeoutMs?: number;
  /** Deadline for `contextClosed` after a stream ends. */
  closeTimeoutMs?: number;
  handshakeTimeoutMs?: number;
  pingIntervalMs?: number;
}

/** A snapshot of a {@link TtsPool}'s use. */
export interface TtsPoolStats {
  connections: number;
  /** Slots in use (open, opening or closing contexts). */
  contexts: number;
  /** Streams waiting for a slot. */
  waiting: number;
}

interface PooledConnection {
  readonly id: number;
  readonly ready: Promise<TtsWsSession>;
  session: TtsWsSession | undefined;
  used: number;
  dead: boolean;
  idleTimer: NodeJS.Timeout | undefined;
}

interface Waiter {
  grant(connection: PooledConnection): void;
  reject(error: InworldError): void;
}

/** Events: `connectionOpened` (id) and `connectionClosed` (id), for logging and tests. */
export class TtsPool extends EventEmitter {
  private readonly connections = new Set<PooledConnection>();
  private readonly waiters: Waiter[] = [];
  private readonly maxConnections: number;
  private readonly perConnection: number;
  private readonly idleTimeoutMs: number;
  private readonly keepWarm: number;
  private readonly acquireTimeoutMs: number;
  private readonly closeTimeoutMs: number;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly client: InworldClient,
    private readonly options: TtsPoolOptions = {},
  ) {
    super();
    this.maxConnections = Math.max(1, options.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
    this.perConnection = Math.min(CONTEXTS_PER_CONNECTION, Math.max(1, options.contextsPerConnection ?? CONTEXTS_PER_CONNECTION));
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_CONNECTION_CLOSE_MS;
    this.keepWarm = Math.max(0, options.keepWarm ?? DEFAULT_KEEP_WARM_CONNECTIONS);
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? client.timeoutMs;
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_POOL_CLOSE_TIMEOUT_MS;
    // Load the WebSocket module in the background now, not on the first stream's critical path.
    // A failure here is ignored: the first connect loads it again and reports the error.
    loadWebSocket().catch(() => undefined);
  }

  /**
   * Opens connections ahead of a burst, all handshakes at once: afterwards the pool holds at least
   * `connections` live connections (default `keepWarm`, at most `maxConnections`), so the burst's
   * streams skip module loading and handshakes. Resolves when they are open; rejects with the
   * first connection error (after the usual handshake retries; the failed connection is dropped,
   * the pool stays usable). `warm(0)` only loads the WebSocket module. Warmed connections that
   * stay unused close after `idleTimeoutMs`, except `keepWarm` of them.
   */
  async warm(connections = Math.max(1, this.keepWarm)): Promise<void> {
    if (this.closed) throw new ConnectionError('The TTS connection pool is closed');
    // Opened synchronously, like a burst's own connections, so streams created right after this
    // call find them (and their slots) instead of opening more.
    const live = [...this.connections].filter((c) => !c.dead);
    const want = Math.min(Math.max(0, Math.floor(connections)), this.maxConnections);
    const opening = live.slice(0, want).map((c) => c.ready);
    for (let i = live.length; i < want && this.connections.size < this.maxConnections; i++) opening.push(this.open().ready);
    this.pump(); // new slots go to streams already waiting, if any
    await Promise.all([loadWebSocket(), ...opening]);
  }

  /**
   * Opens a stream: validates the options (ValidationError), returns at once, and places the
   * context on a connection in the background. Text sent before that is queued, so nothing waits
   * on the handshake or on `contextCreated`. Acquisition failures surface from the iterator;
   * `streamOptions.onWarning` hears the model warnings at once.
   */
  stream(options: TtsStreamSynthesisOptions = {}, streamOptions: TtsStreamOptions = {}): TtsStream {
    if (this.closed) throw new ConnectionError('The TTS connection pool is closed');
    const config = buildWsCreateConfig(options);
    if (streamOptions.onWarning) for (const warning of synthesisWarnings(options)) streamOptions.onWarning(warning);
    const stream = new TtsStream(config, { closeTimeoutMs: this.closeTimeoutMs, idleTimeoutMs: this.client.timeoutMs, ...streamOptions });
    void this.place(stream, streamOptions.signal);
    return stream;
  }

  /** Connections, slots in use and waiting streams, right now. */
  stats(): TtsPoolStats {
    let contexts = 0;
    for (const connection of this.connections) contexts += connection.used;
    return { connections: this.connections.size, contexts, waiting: this.waiters.length };
  }

  /** Closes every connection and fails waiting and open streams. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new ConnectionError('The TTS connection pool was closed');
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    const closing: Array<Promise<void>> = [];
    for (const connection of this.connections) {
      if (connection.idleTimer) clearTimeout(connection.idleTimer);
      connection.dead = true;
      closing.push(
        connection.ready.then(
          (session) =>
            new Promise<void>((resolve) => {
              session.onClose(() => resolve());
              session.close('pool closed');
            }),
          () => undefined,
        ),
      );
    }
    this.connections.clear();
    await Promise.all(closing);
  }

  private async place(stream: TtsStream, signal: AbortSignal | undefined): Promise<void> {
    let connection: PooledConnection;
    try {
      connection = this.reserve() ?? (await this.waitForSlot(signal));
    } catch (error) {
      stream.fail(asInworldError(error));
      return;
    }
    // The slot is ours from here; it goes back when the context settles on the server.
    stream.onSettled(() => this.release(connection));
    let session: TtsWsSession;
    try {
      session = await connection.ready;
    } catch (error) {
      stream.fail(asInworldError(error));
      return;
    }
    if (connection.dead && !session.open) {
      stream.fail(new ConnectionError('The TTS WebSocket closed before the stream could start'));
      return;
    }
    stream.attach(session);
  }

  /** Takes a slot at once if there is one (synchronously: this is what prevents oversubscription). */
  private reserve(): PooledConnection | undefined {
    if (this.closed) throw new ConnectionError('The TTS connection pool is closed');
    let best: PooledConnection | undefined;
    for (const connection of this.connections) {
      if (connection.dead || connection.used >= this.perConnection) continue;
      // Prefer the busiest connection that still has room, so idle ones can time out.
      if (!best || connection.used > best.used) best = connection;
    }
    if (!best && this.connections.size < this.maxConnections) best = this.open();
    if (!best) return undefined;
    this.take(best);
    return best;
  }

  private take(connection: PooledConnection): void {
    connection.used += 1;
    if (connection.idleTimer) clearTimeout(connection.idleTimer);
    connection.idleTimer = undefined;
  }

  private waitForSlot(signal: AbortSignal | undefined): Promise<PooledConnection> {
    return new Promise<PooledConnection>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
      };
      const waiter: Waiter = {
        grant: (connection) => {
          cleanup();
          resolve(connection);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        waiter.reject(
          new TimeoutError(
            `No TTS stream slot became free within ${this.acquireTimeoutMs} ms (${this.maxConnections} connections x ${this.perConnection} streams busy)`,
          ),
        );
      }, this.acquireTimeoutMs);
      timer.unref();
      const onAbort = () => waiter.reject(abortReason(signal!));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private open(): PooledConnection {
    const id = this.nextId++;
    const connection: PooledConnection = {
      id,
      // A refused or rate-limited handshake (429, 503, connection refused) is retried with backoff
      // by the shared policy; a 401/403 is not.
      ready: withRetry(
        () =>
          TtsWsSession.connect(this.client, {
            handshakeTimeoutMs: this.options.handshakeTimeoutMs,
            pingIntervalMs: this.options.pingIntervalMs,
          }),
        {
          maxRetries: this.client.maxRetries,
          onRetry: (info) => this.client.logger.debug(`tts pool: connect attempt ${info.attempt} failed, retrying in ${info.delayMs} ms`),
        },
      ).catch((error: unknown) => {
        // The handshake had its retries here; callers (the sentence speaker) must not multiply them.
        throw markRetriesExhausted(error);
      }),
      session: undefined,
      used: 0,
      dead: false,
      idleTimer: undefined,
    };
    this.connections.add(connection);
    connection.ready.then(
      (session) => {
        connection.session = session;
        this.emit('connectionOpened', id);
        if (this.closed || connection.dead) {
          session.close('pool closed');
          return;
        }
        session.onClose(() => this.drop(connection));
        // Opened with nothing on it (warmed, or its streams already gone): let it idle out.
        if (connection.used === 0) this.armIdle(connection);
      },
      () => this.drop(connection),
    );
    return connection;
  }

  /** A connection died (or failed to open): forget it; its streams fail through the session. */
  private drop(connection: PooledConnection): void {
    connection.dead = true;
    if (connection.idleTimer) clearTimeout(connection.idleTimer);
    if (this.connections.delete(connection)) {
      this.client.logger.debug(`tts pool: connection ${connection.id} gone`);
      if (connection.session) this.emit('connectionClosed', connection.id);
    }
    this.pump();
  }

  private release(connection: PooledConnection): void {
    connection.used = Math.max(0, connection.used - 1);
    if (!connection.dead && connection.used === 0) this.armIdle(connection);
    this.pump();
  }

  /** Hands free slots to waiters, oldest first. */
  private pump(): void {
    while (this.waiters.length > 0 && !this.closed) {
      const connection = this.reserve();
      if (!connection) return;
      this.waiters[0]!.grant(connection);
    }
  }

  private armIdle(connection: PooledConnection): void {
    if (connection.idleTimer) clearTimeout(connection.idleTimer);
    connection.idleTimer = setTimeout(() => {
      connection.idleTimer = undefined;
      if (connection.used > 0 || connection.dead) return;
      // Keep at least `keepWarm` live connections (busy or idle) so the next stream skips the handshake.
      const others = [...this.connections].filter((c) => c !== connection && !c.dead).length;
      if (others >= this.keepWarm) {
        // Marked dead so no stream is placed on it; drop() forgets it once the socket has closed.
        connection.dead = true;
        this.client.logger.debug(`tts pool: closing idle connection ${connection.id}`);
        connection.ready.then((session) => session.close('idle'), () => undefined);
      }
    }, this.idleTimeoutMs);
    connection.idleTimer.unref();
  }
}

function asInworldError(error: unknown): InworldError {
  return error instanceof InworldError ? error : new ConnectionError(String((error as Error)?.message ?? error), { cause: error });
}

function abortReason(signal: AbortSignal): InworldError {
  return signal.reason instanceof InworldError ? signal.reason : new UserAbortError();
}
