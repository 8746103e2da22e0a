// A streaming transcription over the STT WebSocket (docs/protocol.md#stt), with recovery (recovery.ts).
//
//   const session = new SttSession(client, { sampleRateHertz: 16000 });
//   (async () => { for await (const pcm of source) await session.write(pcm); await session.end(); })();
//   for await (const event of session) console.log(event);
//
// The first message on every connection is transcribeConfig; audio is re-chunked into ~100 ms
// `audioChunk`s of base64 s16le; `endTurn()` ends a turn (manual mode); `end()` sends
// closeStream, after which the session yields the remaining finals and finishes when the server
// closes. Sending is paced: never more than `maxChunksPerSecond` (the API allows 50), and at 1x
// real time with `realtime`. `write()` resolves when the audio is queued below a small bound, so
// a fast file reader is held back by the socket (backpressure) instead of buffering everything.
// Audio is held in recycled blocks (AudioBlocks, recovery.ts) from write() until acknowledged.

import type { InworldClient } from '../core/client.js';
import { ConnectionError, InworldError, makeApiError, UserAbortError } from '../core/errors.js';
import { isRetryableError, retryDelayMs, sleep, STT_RETRY_BACKOFF, STT_RETRY_BASE_DELAY_MS } from '../core/retry.js';
import { openWebSocket, type WebSocket as WsSocket } from '../core/ws-connection.js';
import { EventQueue } from './event-queue.js';
import type { SttEvent } from './events.js';
import { buildTranscribeConfig, chunkBytesFor, DEFAULT_MAX_CHUNKS_PER_SECOND, validateSttOptions } from './options.js';
import { encodeAudioChunk, encodeClientMessage, STT_STREAM_PATH, type SttServerMessage, type VoiceProfile, type WordTimestamp } from './protocol.js';
import { AudioOutbox } from './audio-outbox.js';
import { CLOSE_NORMAL, DEFAULT_REPLAY_LIMIT_MS, ReplayBuffer, type OutItem } from './recovery.js';
import { eventOf, FinalTurns, shiftWords } from './server-events.js';
import type { SttSessionOptions, SttSessionStats } from './session-options.js';
import { SttConnection, type ConnectionOutcome } from './stream-connection.js';
import { Wakeup } from './wakeup.js';
import { monotonicMs } from '../core/monotonic-clock.js';

export type { SttSessionOptions, SttSessionStats } from './session-options.js';

/** Bytes buffered in the socket before the sender waits for it to drain. */
const SOCKET_HIGH_WATER_BYTES = 512 * 1024;
const SOCKET_DRAIN_POLL_MS = 10;
export const DEFAULT_CLOSE_WAIT_MS = 10_000;

/** A streaming transcription over a WebSocket that reconnects and replays unacknowledged audio after a drop. Write PCM with `write()`, end turns with `endTurn()`, finish with `end()`, iterate the events. */
export class SttSession implements AsyncIterable<SttEvent> {
  private readonly client: InworldClient;
  private readonly options: SttSessionOptions;
  private readonly events = new EventQueue<SttEvent>();
  private readonly replay: ReplayBuffer;
  private readonly chunkBytes: number;
  private readonly frameBytes: number;
  private readonly bytesPerMs: number;
  private readonly maxRetries: number;
  private readonly abortController = new AbortController();
  private readonly outbox: AudioOutbox;
  private highestSentByte = 0;
  private ending = false;
  private hurry = false;
  private finished = false;
  private failure?: unknown;
  private attempt = 0;
  private readonly turns = new FinalTurns();
  private nextSendAtMs = 0;
  /** When the first audio went out: how far ahead of real time the stream is. */
  private firstSendAtMs = 0;
  private current?: SttConnection;
  /** The send loop waiting for something to send. */
  private readonly sender = new Wakeup();
  /** The send loop waiting for a final to make room in the replay buffer. */
  private readonly finals = new Wakeup();
  private readonly statistics: SttSessionStats = { connections: 0, reconnects: 0, chunksSent: 0, audioBytesSent: 0, replayedChunks: 0, replayDroppedBytes: 0 };

  constructor(client: InworldClient, options: SttSessionOptions) {
    validateSttOptions(options);
    this.client = client;
    this.options = options;
    const channels = options.channels ?? 1;
    this.frameBytes = channels * 2;
    this.chunkBytes = chunkBytesFor(options.sampleRateHertz, channels);
    this.bytesPerMs = (options.sampleRateHertz * this.frameBytes) / 1000;
    this.maxRetries = options.maxRetries ?? client.maxRetries;
    const replayBytes = Math.round((options.replayLimitMs ?? DEFAULT_REPLAY_LIMIT_MS) * this.bytesPerMs);
    this.replay = new ReplayBuffer(replayBytes);
    this.outbox = new AudioOutbox(this.chunkBytes, this.frameBytes, replayBytes, () => this.sender.wake());
    const signal = options.signal;
    if (signal) {
      if (signal.aborted) this.abort(signal.reason);
      else signal.addEventListener('abort', () => this.abort(signal.reason), { once: true });
    }
    void this.run();
  }

  /** Counters so far. */
  get stats(): SttSessionStats {
    return { ...this.statistics, replayDroppedBytes: this.replay.droppedBytes };
  }

  /** Queues PCM (s16le, the configured rate and channels); resolves once the queue has room. */
  async write(pcm: Uint8Array): Promise<void> {
    this.throwIfStopped();
    if (this.ending) throw new InworldError('write() after end()');
    if (pcm.length === 0) return;
    this.outbox.add(pcm);
    while (this.outbox.full && !this.stopped) await this.outbox.waitForRoom();
    this.throwIfStopped();
  }

  /** Ends the current turn (manual mode: vadThreshold 0); audio written so far goes first. */
  endTurn(): void {
    this.throwIfStopped();
    this.outbox.endTurn();
  }

  /**
   * No more audio: sends what is queued, then closeStream. Events continue until the server
   * closes. `hurry` drops real-time pacing for the queued rest (an interrupted --realtime run
   * should not make the user wait for audio time to pass).
   */
  end(options: { hurry?: boolean } = {}): void {
    if (options.hurry) this.hurry = true;
    if (this.ending || this.stopped) return;
    this.outbox.flushPartial();
    this.ending = true;
    this.sender.wake();
  }

  /**
   * Stops at once: closes the socket and ends the events with `reason` (an InworldError or any
   * other Error, e.g. a failed audio source, as is; an AbortSignal's plain abort as UserAbortError).
   */
  abort(reason?: unknown): void {
    if (this.stopped) return;
    const plainAbort = !(reason instanceof Error) || reason.name === 'AbortError';
    this.fail(reason instanceof InworldError || !plainAbort ? reason : new UserAbortError());
  }

  /** Yields events in order; leaving the loop ends the session. */
  [Symbol.asyncIterator](): AsyncIterator<SttEvent> {
    const iterator = this.events[Symbol.asyncIterator]();
    return {
      next: () => iterator.next(),
      // A consumer that breaks out of `for await` stops the session.
      return: async () => {
        if (!this.stopped) this.abort();
        return { value: undefined, done: true };
      },
    };
  }

  private get stopped(): boolean {
    return this.finished || this.failure !== undefined;
  }

  private throwIfStopped(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.finished) throw new InworldError('the transcription session has finished');
  }

  /** Recycles the blocks of audio no longer queued nor kept for replay. */
  private releaseAudio(): void {
    this.outbox.release(this.replay.firstAudioByte());
  }

  private releaseWriters(): void {
    this.outbox.releaseWriters(this.stopped);
  }

  private emit(event: SttEvent): void {
    if (!this.stopped) this.events.push(event);
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    this.failure = error;
    this.abortController.abort(error);
    const current = this.current;
    if (current?.open) {
      current.open = false;
      current.close('client stopped');
    }
    this.events.end(error);
    this.sender.wake();
    this.finals.wake();
    this.releaseWriters();
  }

  private finish(): void {
    if (this.stopped) return;
    this.finished = true;
    this.events.end();
    this.sender.wake();
    this.finals.wake();
    this.releaseWriters();
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        let socket: WsSocket;
        try {
          ({ socket } = await openWebSocket({
            url: this.client.wsUrl(STT_STREAM_PATH),
            headers: (requestId) => this.client.headers(requestId),
            handshakeTimeoutMs: this.client.timeoutMs,
            signal: this.abortController.signal,
            debug: (message) => this.client.logger.debug(`stt: ${message}`),
          }));
        } catch (error) {
          if (this.stopped) return;
          if (!isRetryableError(error)) return this.fail(error);
          // A refused handshake may say when to come back (429/503 with Retry-After).
          if (!(await this.backoff((error as Error).message, error))) return;
          continue;
        }
        if (this.stopped) {
          socket.resume(); // paused sockets never read the server's answer to the close
          socket.close(CLOSE_NORMAL, 'client stopped');
          return;
        }
        const outcome = await this.runConnection(socket);
        if (this.stopped) return;
        if (outcome.kind === 'done') return this.finish();
        if (outcome.kind === 'fatal') return this.fail(outcome.error);
        // Lost: the unacknowledged audio goes first on the next connection.
        const replay = this.replay.drain(this.chunkBytes);
        this.statistics.replayedChunks += replay.filter((item) => item.kind === 'audio').length;
        this.outbox.prepend(replay);
        if (!(await this.backoff(outcome.reason))) return;
      }
    } catch (error) {
      this.fail(error);
    }
  }

  /** Counts a failed attempt and waits; false when retries are exhausted (the session has failed). */
  private async backoff(reason: string, error?: unknown): Promise<boolean> {
    this.attempt += 1;
    if (this.attempt > this.maxRetries) {
      const tries = this.maxRetries === 0 ? '' : ` after ${this.maxRetries} ${this.maxRetries === 1 ? 'retry' : 'retries'}`;
      this.fail(new ConnectionError(`STT stream failed${tries}: ${reason}`, { hint: 'Check the network and the service status, then run the command again.' }));
      return false;
    }
    const backoff = { ...STT_RETRY_BACKOFF, baseDelayMs: this.options.retryBaseDelayMs ?? STT_RETRY_BASE_DELAY_MS };
    const delayMs = retryDelayMs(error, this.attempt - 1, backoff);
    // A server asking for a wait longer than we would ever make: its answer is the failure.
    if (delayMs === undefined) {
      this.fail(error);
      return false;
    }
    this.statistics.reconnects += 1;
    this.client.logger.debug(`stt: ${reason}; reconnecting in ${delayMs} ms (attempt ${this.attempt} of ${this.maxRetries})`);
    this.emit({ type: 'reconnecting', attempt: this.attempt, delayMs, reason });
    try {
      await sleep(delayMs, this.abortController.signal);
    } catch {
      return false; // the session was stopped during the wait
    }
    return !this.stopped;
  }

  private runConnection(socket: WsSocket): Promise<ConnectionOutcome> {
    this.statistics.connections += 1;
    const connection = new SttConnection(socket, {
      debug: (message) => this.client.logger.debug(message),
      onMessage: (message) => this.onServerMessage(connection, message),
      onSettled: () => {
        if (this.current === connection) this.current = undefined;
        this.sender.wake();
        this.finals.wake();
      },
    });
    this.current = connection;
    try {
      socket.send(encodeClientMessage({ transcribeConfig: buildTranscribeConfig(this.options) }));
    } catch (error) {
      connection.lose(`send failed: ${(error as Error).message}`);
      return connection.outcome;
    }
    this.sendLoop(connection).catch((error: unknown) => {
      // A send that throws means the socket is unusable: treat it like a dropped connection.
      connection.lose(`send failed: ${(error as Error)?.message ?? String(error)}`);
    });
    return connection.outcome;
  }

  private async sendLoop(connection: SttConnection): Promise<void> {
    const socket = connection.socket;
    while (connection.open && !this.stopped) {
      const item = this.outbox.first();
      if (!item) {
        if (this.ending && !connection.closeStreamSent) {
          connection.closeStreamSent = true;
          socket.send(encodeClientMessage({ closeStream: {} }));
          connection.armCloseWait(this.options.closeWaitMs ?? DEFAULT_CLOSE_WAIT_MS);
        }
        await this.sender.wait();
        continue;
      }
      if (item.kind === 'audio') {
        await this.pace(item, connection);
        if (!connection.open || this.stopped || this.outbox.first() !== item) continue;
      }
      this.outbox.shift();
      this.releaseWriters();
      this.replay.push(item);
      this.releaseAudio();
      if (item.kind === 'endTurn') {
        socket.send(encodeClientMessage({ endTurn: {} }));
        continue;
      }
      connection.offsetByte ??= item.startByte;
      if (this.statistics.chunksSent === 0) this.firstSendAtMs = monotonicMs();
      connection.sentEndByte = item.startByte + item.data.length;
      this.highestSentByte = Math.max(this.highestSentByte, connection.sentEndByte);
      this.statistics.chunksSent += 1;
      this.statistics.audioBytesSent += item.data.length;
      socket.send(encodeAudioChunk(item.data));
    }
  }

  /** Waits for the chunk-rate cap, real-time pacing (new audio only), replay room and socket backpressure. */
  private async pace(item: Extract<OutItem, { kind: 'audio' }>, connection: SttConnection): Promise<void> {
    const chunkMs = item.data.length / this.bytesPerMs;
    const perSecond = this.options.maxChunksPerSecond ?? DEFAULT_MAX_CHUNKS_PER_SECOND;
    let intervalMs = perSecond > 0 ? 1000 / perSecond : 0;
    const isNewAudio = item.startByte >= this.highestSentByte;
    if (this.options.realtime && !this.hurry && isNewAudio) intervalMs = Math.max(intervalMs, chunkMs);
    const now = monotonicMs();
    if (this.nextSendAtMs < now - intervalMs) this.nextSendAtMs = now;
    const waitMs = this.nextSendAtMs - now;
    // A stop during a wait ends the send loop through its own checks, not by rejecting.
    if (waitMs > 1) await sleep(waitMs, this.abortController.signal).catch(() => undefined);
    this.nextSendAtMs += intervalMs;
    // Audio the server has not acknowledged is kept for replay, up to the replay limit. A fast
    // sender can get much further ahead of the server's finals than that (with no chunk-rate cap
    // the socket buffers hold minutes of audio), and the oldest unacknowledged audio would then be
    // pushed out: lost if the connection drops. So when the buffer is full, wait for a final to
    // make room. A server that does not finalize (continuous speech, manual turns) must not stall
    // the stream, so the wait never lets the stream fall behind real time: a live source never
    // waits, and a file then goes on at real time, dropping the oldest audio as before.
    while (!this.replay.hasRoomFor(item.data.length) && connection.open && !this.stopped) {
      const aheadMs = this.highestSentByte / this.bytesPerMs - (monotonicMs() - this.firstSendAtMs);
      if (aheadMs < 1) break;
      await this.finals.wait(aheadMs); // the next final, or the time when the stream is no longer ahead
    }
    while (connection.open && !this.stopped && connection.socket.bufferedAmount > SOCKET_HIGH_WATER_BYTES) {
      await sleep(SOCKET_DRAIN_POLL_MS, this.abortController.signal).catch(() => undefined);
    }
  }

  private onServerMessage(connection: SttConnection, message: SttServerMessage): void {
    if (connection.closeStreamSent) connection.armCloseWait(this.options.closeWaitMs ?? DEFAULT_CLOSE_WAIT_MS);
    const offsetMs = (connection.offsetByte ?? connection.sentEndByte) / this.bytesPerMs;
    const event = eventOf(message, offsetMs);
    if (event) this.emit(event);
    switch (message.kind) {
      case 'transcription':
        if (message.isFinal) this.onFinal(connection, message.transcript, shiftWords(message.words, offsetMs), message.voiceProfile);
        return;
      case 'error': {
        const error = makeApiError({ grpcCode: message.grpcCode, serverMessage: message.message, body: message.body });
        if (error.retryable) connection.lose(`server error: ${error.message}`, 'client closing after error');
        else connection.failWith(error);
        return;
      }
      case 'invalid':
        // A damaged stream: reconnect and replay rather than trust anything more on this socket.
        this.client.logger.debug(`stt: not JSON: ${message.text}`);
        connection.lose('the server sent a message that is not JSON', 'client closing after a malformed message');
        return;
      case 'unknown':
        this.client.logger.debug(`stt: ignoring unknown message ${JSON.stringify(message.raw).slice(0, 200)}`);
        return;
      default:
        return;
    }
  }

  private onFinal(connection: SttConnection, text: string, words: WordTimestamp[], voiceProfile: VoiceProfile | undefined): void {
    // The server finalized a turn: everything up to its end is acknowledged (recovery.ts).
    const offsetByte = connection.offsetByte ?? connection.sentEndByte;
    const lastWord = words[words.length - 1];
    let ackByte = lastWord ? this.msToStreamByte(lastWord.endMs) : connection.sentEndByte;
    const endTurn = this.replay.firstEndTurn();
    if (endTurn) ackByte = Math.max(ackByte, endTurn.atByte);
    this.replay.ackThrough(Math.max(offsetByte, ackByte), this.frameBytes);
    this.releaseAudio();
    this.finals.wake();
    this.attempt = 0;
    const final = this.turns.next(text, words, voiceProfile);
    if (final) this.emit(final);
    else this.client.logger.debug(`stt: dropping a repeated final ending at ${lastWord?.endMs} ms`);
  }

  private msToStreamByte(streamMs: number): number {
    return Math.floor((streamMs * this.bytesPerMs) / this.frameBytes) * this.frameBytes;
  }
}
