// One TTS context on a WebSocket connection, seen by the caller as a writable text stream and an
// async iterable of audio chunks. Frames are pipelined: `create`, text and flushes go out at once,
// never waiting for `contextCreated` (docs/protocol.md#tts-websocket). The audio and its running timeline across
// generations are stream-timeline.ts's; this file keeps the context's state and deadlines.
import { ConnectionError, InworldError, TimeoutError, UserAbortError, makeApiError } from '../core/errors.js';
import { randomId } from '../core/random-id.js';
import { AudioTimeline } from './stream-timeline.js';
import {
  CLOSE_GRACE_MS,
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_KEEPALIVE_INTERVAL_MS,
  DEFAULT_SERVER_SILENCE_TIMEOUT_MS,
  type TtsStreamChunk,
  type TtsStreamOptions,
} from './stream-types.js';
import { closeMessage, createMessage, flushMessage, sendTextMessage, type ServerMessage, type WsCreateConfig } from './ws-protocol.js';
import type { ContextRoute, TtsWsSession } from './ws-session.js';
import { splitForSendText } from './ws-text.js';
import { checkMarkup } from './markup.js';

export * from './stream-types.js';

type State = 'open' | 'closing' | 'closed' | 'failed';

/**
 * A context. Text may be sent before the connection exists: frames queue until `attach()`.
 * The pool calls `attach(session)` or `fail(error)`; `onSettled` tells it when the slot is free,
 * which can be later than the consumer's end: a cancelled context holds its slot until the server
 * confirms `contextClosed` (or the close deadline passes), so the server never sees a sixth context.
 */
export class TtsStream implements AsyncIterable<TtsStreamChunk> {
  /** The context's id on its connection. */
  readonly contextId: string;
  /** @internal The `create` message's configuration, as sent. */
  readonly config: WsCreateConfig;
  /** Effective configuration the server echoed in `contextCreated`, once it arrived. */
  serverConfig: Record<string, unknown> | undefined;

  private session: TtsWsSession | undefined;
  private readonly outbox: string[] = [];
  private state: State = 'open';
  private closeSent = false;
  private cancelled = false;
  private released = false;
  private error: InworldError | undefined;
  private readonly queue: TtsStreamChunk[] = [];
  private wake: (() => void) | undefined;
  private readonly timeline: AudioTimeline;
  private closeTimer: NodeJS.Timeout | undefined;
  private readonly closeTimeoutMs: number;
  private readonly settledListeners: Array<(error: InworldError | undefined) => void> = [];
  private iterating = false;
  private readonly signal: AbortSignal | undefined;
  private readonly onAbort = () => this.abort();
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private sentSinceKeepalive = false;
  /** Generations asked for (flushes of non-empty text, or close with text pending) and not yet completed. */
  private pendingGenerations = 0;
  private textSinceFlush = false;
  private readonly idleTimeoutMs: number;
  private idleTimer: NodeJS.Timeout | undefined;
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(config: WsCreateConfig, options: TtsStreamOptions = {}) {
    this.contextId = options.contextId ?? randomId().replace(/-/g, '').slice(0, 16);
    this.config = config;
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_SERVER_SILENCE_TIMEOUT_MS;
    this.timeline = new AudioTimeline(config.audioConfig, options.stripHeaders ?? true);
    this.outbox.push(createMessage(this.contextId, config));
    this.signal = options.signal;
    const keepaliveMs = options.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_INTERVAL_MS;
    if (keepaliveMs > 0) {
      this.keepaliveTimer = setInterval(() => this.keepalive(), keepaliveMs);
      this.keepaliveTimer.unref();
    }
    if (this.signal?.aborted) queueMicrotask(() => this.abort());
    else this.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Seconds of audio timeline completed so far (the running timestamp offset). */
  get elapsedSeconds(): number {
    return this.timeline.offsetSeconds;
  }

  /** The consumer's view: no more chunks will come. */
  get done(): boolean {
    return this.state === 'closed' || this.state === 'failed';
  }

  /** The connection's view: the context no longer occupies a slot. */
  get settled(): boolean {
    return this.released;
  }

  /**
   * Appends text. Text longer than one `send_text` allows goes out in pieces split at word
   * boundaries; with `flush`, the last piece carries `flush_context` so generation starts at once.
   * Markup the service refuses (over 20 breaks in this call's text, a break over 10 s, SSML
   * `<phoneme>`) throws a ValidationError and sends nothing.
   */
  sendText(text: string, options: { flush?: boolean } = {}): void {
    this.assertWritable();
    checkMarkup(text);
    const pieces = splitForSendText(text);
    if (pieces.length === 0) {
      if (options.flush) this.flush();
      return;
    }
    this.textSinceFlush = true;
    pieces.forEach((piece, index) => {
      this.post(sendTextMessage(this.contextId, piece, options.flush === true && index === pieces.length - 1));
    });
    if (options.flush) this.generationRequested();
  }

  /** Starts generation of whatever is buffered. */
  flush(): void {
    this.assertWritable();
    this.post(flushMessage(this.contextId));
    this.generationRequested();
  }

  /** No more text: `close_context` (which flushes). The iterator ends after `contextClosed`. */
  end(): void {
    if (this.closeSent || this.done) return;
    this.state = 'closing';
    // close_context flushes whatever text is still buffered: that is one more generation.
    this.generationRequested();
    this.sendClose();
    this.maybeEndAfterClose();
  }

  /** Stops early: closes the context, drops any late audio, ends the iterator without an error. */
  cancel(): void {
    if (this.done) return;
    this.cancelled = true;
    this.queue.length = 0;
    // Not on a connection yet: attach() will see it is done and free the slot without a frame.
    if (this.session) this.sendClose();
    this.finish('closed');
  }

  /** Calls back once the context no longer holds a slot on its connection. */
  onSettled(listener: (error: InworldError | undefined) => void): void {
    if (this.released) listener(this.error);
    else this.settledListeners.push(listener);
  }

  /** Called by the pool once a connection carries this context: sends every queued frame. @internal */
  attach(session: TtsWsSession): void {
    if (this.released) return;
    if (this.done && !this.closeSent) {
      // Finished (aborted, failed) before a connection was ready: nothing to open on the server.
      this.release();
      return;
    }
    this.session = session;
    session.register(this.contextId, this.route);
    if (this.released) return; // register() fails us at once on a dead connection
    const frames = this.outbox.splice(0);
    try {
      for (const frame of frames) session.send(frame);
    } catch (error) {
      this.connectionFailed(error instanceof InworldError ? error : new ConnectionError(String(error)));
      return;
    }
    if (this.closeSent) this.armCloseTimer();
    this.armIdleTimer();
  }

  /** Ends the stream with an error and frees the slot (acquisition failure, dead connection). @internal */
  fail(error: InworldError): void {
    this.connectionFailed(error);
  }

  /** Yields audio as it arrives; ends after `contextClosed`. Leaving the loop cancels the context. */
  async *[Symbol.asyncIterator](): AsyncIterator<TtsStreamChunk> {
    if (this.iterating) throw new Error('A TTS stream can be iterated only once');
    this.iterating = true;
    try {
      for (;;) {
        const chunk = this.queue.shift();
        if (chunk) {
          yield chunk;
          continue;
        }
        if (this.state === 'failed') throw this.error;
        if (this.state === 'closed') return;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    } finally {
      // Breaking out of `for await` lands here: close the context so the server stops generating.
      if (!this.done) this.cancel();
    }
  }

  private readonly route: ContextRoute = {
    onMessage: (message) => this.handle(message),
    onConnectionFailure: (error) => this.connectionFailed(error),
  };

  private handle(message: Exclude<ServerMessage, { kind: 'error' | 'ignored' }>): void {
    this.armIdleTimer();
    if (!this.done) this.graceTimer?.refresh(); // the server still talks about this context: wait on
    switch (message.kind) {
      case 'contextCreated':
        this.serverConfig = message.config;
        return;
      case 'audioChunk': {
        if (this.done) return;
        const chunk = this.timeline.audioChunk(message.audioBase64, message.timestampInfo);
        if (chunk) this.enqueue(chunk);
        return;
      }
      case 'flushCompleted': {
        const end = this.timeline.endGeneration();
        if (this.pendingGenerations > 0) this.pendingGenerations -= 1;
        this.armIdleTimer();
        if (!this.done) this.enqueue(end);
        this.maybeEndAfterClose();
        return;
      }
      case 'contextClosed':
        this.timeline.advance();
        this.finish('closed');
        this.release();
        return;
      case 'status': {
        // A status error ends the context on the server too (LiveKit's Python plugin frees the slot the same way).
        const error = makeApiError({
          grpcCode: message.status.code,
          serverMessage: message.status.message,
          requestId: this.session?.requestId,
        });
        if (!this.done) this.error = error;
        this.finish('failed');
        this.release();
        return;
      }
    }
  }

  private keepalive(): void {
    if (this.closeSent || this.done || !this.session) return;
    if (!this.sentSinceKeepalive) this.post(sendTextMessage(this.contextId, '', false));
    this.sentSinceKeepalive = false;
  }

  private post(frame: string): void {
    this.sentSinceKeepalive = true;
    if (!this.session) {
      this.outbox.push(frame);
      return;
    }
    try {
      this.session.send(frame);
    } catch (error) {
      this.connectionFailed(error instanceof InworldError ? error : new ConnectionError(String(error)));
    }
  }

  private sendClose(): void {
    if (this.closeSent) return;
    this.closeSent = true;
    this.post(closeMessage(this.contextId));
    // The deadline runs from when the frame reaches a connection, not from a wait for a slot.
    if (this.session) this.armCloseTimer();
  }

  private armCloseTimer(): void {
    if (this.closeTimer || this.released) return;
    this.closeTimer = setTimeout(() => {
      // Stuck closing: reclaim the slot anyway. The consumer has all its audio if every generation
      // completed; otherwise some is missing, and that is a failure.
      if (!this.done && this.pendingGenerations > 0) {
        this.error = new TimeoutError(`Context ${this.contextId} was not closed by the server within ${this.closeTimeoutMs} ms`);
        this.finish('failed');
      } else {
        this.finish('closed');
      }
      this.release();
    }, this.closeTimeoutMs);
    this.closeTimer.unref();
  }

  /** Counts a generation the server owes us, when text is waiting to be generated. */
  private generationRequested(): void {
    if (!this.textSinceFlush) return;
    this.textSinceFlush = false;
    this.pendingGenerations += 1;
    this.armIdleTimer();
  }

  /** (Re)starts the silence deadline while a generation is outstanding; stops it otherwise. */
  private armIdleTimer(): void {
    // Before a connection carries the context, the pool's acquire deadline is what applies.
    if (this.pendingGenerations === 0 || this.done || !this.session || this.idleTimeoutMs <= 0) return this.stopIdleTimer();
    // Re-armed on every audio frame: restart the same timer rather than allocate a new one.
    if (this.idleTimer) {
      this.idleTimer.refresh();
      return;
    }
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      const error = new TimeoutError(`No audio from the server for ${this.idleTimeoutMs} ms (context ${this.contextId}).`, {
        hint: 'Retry, or raise --timeout if the service is slow.',
      });
      if (this.session && !this.closeSent) {
        this.closeSent = true;
        this.post(closeMessage(this.contextId));
      }
      this.connectionFailed(error);
    }, this.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** Closing and every generation done: the audio is complete even if contextClosed is late. */
  private maybeEndAfterClose(): void {
    if (!this.closeSent || this.pendingGenerations > 0 || this.done || this.graceTimer) return;
    this.graceTimer = setTimeout(() => this.finish('closed'), CLOSE_GRACE_MS);
    this.graceTimer.unref();
  }

  private assertWritable(): void {
    if (this.error) throw this.error;
    if (this.closeSent || this.done) throw new Error('sendText/flush after end(): the TTS stream is closed for writing');
  }

  private abort(): void {
    if (this.done) return;
    const reason = this.signal?.reason;
    this.error = reason instanceof InworldError ? reason : new UserAbortError();
    this.queue.length = 0;
    this.finish('failed');
    // Tell the server to stop; the slot is freed when it confirms (or the close deadline passes).
    if (this.session) this.sendClose();
  }

  private connectionFailed(error: InworldError): void {
    if (!this.done) this.error = error;
    this.finish('failed');
    this.release();
  }

  /** Consumer side: no more chunks after those queued (a failure drops nothing already queued). */
  private finish(state: 'closed' | 'failed'): void {
    if (this.done) return;
    this.state = state;
    this.stopIdleTimer();
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.signal?.removeEventListener('abort', this.onAbort);
    this.notify();
  }

  /** Connection side: the context no longer occupies a slot. */
  private release(): void {
    if (this.released) return;
    this.released = true;
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.stopIdleTimer();
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.session?.unregister(this.contextId);
    const listeners = this.settledListeners.splice(0);
    for (const listener of listeners) listener(this.error);
    this.notify();
  }

  private enqueue(chunk: TtsStreamChunk): void {
    this.queue.push(chunk);
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

