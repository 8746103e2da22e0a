// One TTS context on a WebSocket connection, seen by the caller as a writable text stream and an
// async iterable of audio chunks. Frames are pipelined: `create`, text and flushes go out at once,
// never waiting for `contextCreated` (§3.1). Timestamps restart at 0 with every generation on the
// wire; here they carry a running offset so they stay monotonic for the whole stream (§3.4).
import { randomUUID } from 'node:crypto';
import { AudioDurationMeter, meteredContainerFor } from '../audio/duration-meter.js';
import { ConnectionError, InworldError, TimeoutError, UserAbortError, makeApiError } from '../core/errors.js';
import { lastEndSeconds, offsetTimestamps, parseTimestampInfo, type Timestamps } from './timestamps.js';
import { stripWavHeader } from './wav-strip.js';
import {
  closeMessage,
  createMessage,
  flushMessage,
  sendTextMessage,
  type ServerMessage,
  type WireTimestampInfo,
  type WsCreateConfig,
} from './ws-protocol.js';
import type { ContextRoute, TtsWsSession } from './ws-session.js';
import { splitForSendText } from './ws-text.js';

/** How long `contextClosed` may take after `close_context` before the context is declared stuck. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 60_000;
/**
 * A context with no frame sent for this long gets an empty `send_text`, as Pipecat and
 * Vision-Agents do: the server pauses a connection after 10 minutes without activity (§3.7), which
 * a quiet pipe (`tail -f`) would otherwise hit.
 */
export const DEFAULT_KEEPALIVE_INTERVAL_MS = 60_000;
/**
 * How long a context with a generation outstanding (text flushed, `flushCompleted` not yet seen)
 * may hear nothing from the server before it fails with a retryable TimeoutError: a stalled
 * server must not hang a stream.
 */
export const DEFAULT_SERVER_SILENCE_TIMEOUT_MS = 30_000;
/**
 * After `close_context`, once every generation has completed, the consumer has all its audio; if
 * `contextClosed` is this late the iteration ends anyway (the slot waits for the close deadline).
 */
export const CLOSE_GRACE_MS = 2_000;

/** What a {@link TtsStream} yields: audio, and the end of each generation. */
export type TtsStreamChunk =
  /**
   * Audio (headers stripped for LINEAR16/WAV) and/or timestamps in seconds from the start of the
   * stream (running offset applied); ASYNC transport sends timestamp-only chunks (empty audio).
   */
  | { type: 'audio'; audio: Buffer; timestamps?: Timestamps; generation: number }
  /** The server finished one generation (`flushCompleted`); `endSeconds` is where the next one's timestamps start. */
  | { type: 'generationEnd'; generation: number; endSeconds: number };

/** Per-stream settings: context id, deadlines, keepalive, header stripping, cancellation. */
export interface TtsStreamOptions {
  /** Client-chosen context id; a random one by default. */
  contextId?: string;
  /** Deadline for `contextClosed` after `end()`; a context stuck closing then fails and frees its slot. */
  closeTimeoutMs?: number;
  /** Empty `send_text` after this long without a frame (0 disables). Default 60 s. */
  keepaliveIntervalMs?: number;
  /** Strip RIFF headers from LINEAR16/WAV chunks so the audio is plain s16le. Default true. */
  stripHeaders?: boolean;
  /** Silence from the server allowed while a generation is outstanding (0 disables). Default 30 s. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

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
  private generation = 0;
  private offsetSeconds = 0;
  private generationEndSeconds = 0;
  /** Measures the audio received, which places each generation where its audio really starts. */
  private readonly meter: AudioDurationMeter | undefined;
  private closeTimer: NodeJS.Timeout | undefined;
  private readonly closeTimeoutMs: number;
  private readonly strip: boolean;
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
    this.contextId = options.contextId ?? randomUUID().replace(/-/g, '').slice(0, 16);
    this.config = config;
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_SERVER_SILENCE_TIMEOUT_MS;
    const encoding = config.audioConfig?.audioEncoding;
    this.strip = (options.stripHeaders ?? true) && (encoding === 'LINEAR16' || encoding === 'WAV');
    // LINEAR16 keeps a WAV header on every chunk unless stripped: then there is nothing to measure.
    const container = encoding === 'LINEAR16' && !this.strip ? undefined : meteredContainerFor(encoding);
    const rate = config.audioConfig?.sampleRateHertz ?? 0;
    this.meter = container && (rate > 0 || container === 'mp3' || container === 'ogg_opus') ? new AudioDurationMeter(container, rate) : undefined;
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
    return this.offsetSeconds;
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
   */
  sendText(text: string, options: { flush?: boolean } = {}): void {
    this.assertWritable();
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
    switch (message.kind) {
      case 'contextCreated':
        this.serverConfig = message.config;
        return;
      case 'audioChunk':
        if (!this.done) this.pushAudio(message.audioBase64, message.timestampInfo);
        return;
      case 'flushCompleted': {
        const generation = this.generation;
        this.advanceOffset();
        this.generation += 1;
        if (this.pendingGenerations > 0) this.pendingGenerations -= 1;
        this.armIdleTimer();
        if (!this.done) this.enqueue({ type: 'generationEnd', generation, endSeconds: this.offsetSeconds });
        this.maybeEndAfterClose();
        return;
      }
      case 'contextClosed':
        this.advanceOffset();
        this.finish('closed');
        this.release();
        return;
      case 'status': {
        // A status error ends the context on the server too (LK-PY frees the slot the same way).
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

  /**
   * The next generation's timestamps start where this one ended: at the end of the audio received
   * so far (measured from the bytes: trailing silence and encoder padding included), or at its last
   * timestamp when the audio cannot be measured (LK's rule).
   */
  private advanceOffset(): void {
    const end = this.meter ? this.meter.seconds : this.generationEndSeconds;
    this.offsetSeconds = Math.max(this.offsetSeconds, end);
  }

  private pushAudio(audioBase64: string | undefined, info: WireTimestampInfo | undefined): void {
    let audio: Buffer = audioBase64 ? Buffer.from(audioBase64, 'base64') : Buffer.alloc(0);
    if (this.strip) audio = stripWavHeader(audio).audio;
    const parsed = info ? parseTimestampInfo(info) : undefined;
    const timestamps = parsed ? offsetTimestamps(parsed, this.offsetSeconds) : undefined;
    const hasTimes = (timestamps?.words?.length ?? 0) + (timestamps?.characters?.length ?? 0) > 0;
    if (hasTimes) this.generationEndSeconds = Math.max(this.generationEndSeconds, lastEndSeconds(timestamps));
    if (audio.length === 0 && !hasTimes) return;
    this.meter?.push(audio);
    const chunk: TtsStreamChunk = { type: 'audio', audio, generation: this.generation };
    if (hasTimes) chunk.timestamps = timestamps;
    this.enqueue(chunk);
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

