// Speaks a sequence of sentences over one pooled TTS context, sentence by sentence, and survives a
// dropped connection: the sentences whose audio had not fully arrived are sent again on a new
// connection, and the consumer is told to rewind (or restart) from the first of them
// (resumable-speech.ts keeps the books that rewind needs: where each sentence's audio began).
//
// Each sentence goes out as one `send_text` with `flush_context`, so each sentence is one
// generation and `flushCompleted` marks its end. (A server that splits a sentence into several
// generations, e.g. with a small bufferCharThreshold, would shift that accounting; the CLI never
// sends a sentence longer than one send_text.) Memory stays flat: only sentences still in flight
// are kept, and `push()` waits while too many are ahead of the consumer.
import { InworldError, UserAbortError } from '../core/errors.js';
import { decideRetry, isLostConnection, sleep, TTS_SPEAKER_RETRY_BACKOFF } from '../core/retry.js';
import { checkMarkup } from './markup.js';
import type { WarningListener } from './model-checks.js';
import type { TtsPool } from './pool.js';
import { offsetTimestamps, type Timestamps } from './timestamps.js';
import type { TtsStreamSynthesisOptions } from './ws-options.js';
import type { TtsStream } from './ws-stream.js';

export const DEFAULT_MAX_SENTENCES_IN_FLIGHT = 8;
export const DEFAULT_MAX_CHARS_IN_FLIGHT = 8_000;
export const DEFAULT_SPEAKER_RETRIES = 3;

/** What a {@link SentenceSpeaker} yields. */
export type SpeakerEvent =
  /** Audio (and/or timestamps on the whole output's timeline) for sentence number `sentence` (0-based). */
  | { type: 'audio'; sentence: number; audio: Buffer; timestamps?: Timestamps }
  /** All audio of `sentence` has arrived; the next sentence's audio starts at `endSeconds`. */
  | { type: 'sentenceEnd'; sentence: number; endSeconds: number }
  /**
   * The connection dropped; the sentences from `fromSentence` on are being spoken again on a new
   * connection. Audio already delivered for `fromSentence` will be delivered again from its start.
   */
  | { type: 'restart'; fromSentence: number; attempt: number; error: InworldError };

/** Cancellation, retries and how far ahead a {@link SentenceSpeaker} may send. */
export interface SentenceSpeakerOptions {
  signal?: AbortSignal;
  /** New connections tried after a drop. Default 3. */
  maxRetries?: number;
  maxSentencesInFlight?: number;
  maxCharsInFlight?: number;
  /** Hears the model warnings once, when the first stream opens. */
  onWarning?: WarningListener;
}

interface InFlight {
  index: number;
  text: string;
}

/** Speaks sentences in order over a pool stream, respeaking unfinished ones on a new connection after a drop. */
export class SentenceSpeaker implements AsyncIterable<SpeakerEvent> {
  private stream: TtsStream;
  private readonly inFlight: InFlight[] = [];
  private charsInFlight = 0;
  private nextIndex = 0;
  private completed = 0;
  private ended = false;
  private cancelled = false;
  private attempt = 0;
  /** Where the current connection's timeline starts on the whole output's timeline. */
  private baseSeconds = 0;
  private completedSeconds = 0;
  private capacityWaiters: Array<() => void> = [];
  private readonly maxRetries: number;
  private readonly maxSentences: number;
  private readonly maxChars: number;

  constructor(
    private readonly pool: TtsPool,
    private readonly options: TtsStreamSynthesisOptions,
    private readonly speakerOptions: SentenceSpeakerOptions = {},
  ) {
    this.maxRetries = speakerOptions.maxRetries ?? DEFAULT_SPEAKER_RETRIES;
    this.maxSentences = speakerOptions.maxSentencesInFlight ?? DEFAULT_MAX_SENTENCES_IN_FLIGHT;
    this.maxChars = speakerOptions.maxCharsInFlight ?? DEFAULT_MAX_CHARS_IN_FLIGHT;
    // Opening the context now overlaps the handshake with waiting for the first sentence.
    this.stream = pool.stream(options, { signal: speakerOptions.signal, onWarning: speakerOptions.onWarning });
  }

  /** Sentences sent so far. */
  get sentenceCount(): number {
    return this.nextIndex;
  }

  /**
   * Sends one sentence at once (with a flush, so its audio starts now). The returned promise
   * resolves when there is room for more: await it to keep memory flat.
   */
  async push(sentence: string): Promise<void> {
    if (this.cancelled) throw new UserAbortError('The sentence stream was stopped');
    if (this.ended) throw new Error('push() after end()');
    checkMarkup(sentence, { subject: `Sentence ${this.nextIndex + 1}` });
    const entry = { index: this.nextIndex++, text: `${sentence} ` };
    this.inFlight.push(entry);
    this.charsInFlight += entry.text.length;
    this.send(entry);
    while (!this.cancelled && (this.inFlight.length >= this.maxSentences || this.charsInFlight >= this.maxChars)) {
      await new Promise<void>((resolve) => this.capacityWaiters.push(resolve));
    }
  }

  /** No more sentences: the context is closed once the last one has been spoken. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.stream.done) this.stream.end();
  }

  /** Stops at once: the context is closed and the iterator ends. */
  cancel(): void {
    this.cancelled = true;
    this.ended = true;
    this.stream.cancel();
    this.wakeWriters();
  }

  /** Yields each sentence's audio in order, with restart events after a drop. */
  async *[Symbol.asyncIterator](): AsyncIterator<SpeakerEvent> {
    try {
      for (;;) {
        try {
          for await (const chunk of this.stream) {
            if (chunk.type === 'audio') {
              const event: SpeakerEvent = { type: 'audio', sentence: this.completed, audio: chunk.audio };
              if (chunk.timestamps) event.timestamps = offsetTimestamps(chunk.timestamps, this.baseSeconds);
              yield event;
            } else {
              const sentence = this.completed++;
              const done = this.inFlight.shift();
              if (done) this.charsInFlight -= done.text.length;
              this.completedSeconds = this.baseSeconds + chunk.endSeconds;
              this.wakeWriters();
              yield { type: 'sentenceEnd', sentence, endSeconds: this.completedSeconds };
            }
          }
          return;
        } catch (error) {
          // Only a lost connection is retried: a status error is the server's answer about this text.
          if (this.cancelled || this.speakerOptions.signal?.aborted) throw error;
          const { retry, delayMs } = decideRetry(error, this.attempt + 1, this.maxRetries, { ...TTS_SPEAKER_RETRY_BACKOFF, retryable: isLostConnection });
          if (!retry) throw error;
          this.attempt += 1;
          yield { type: 'restart', fromSentence: this.completed, attempt: this.attempt, error: error as InworldError };
          await sleep(delayMs, this.speakerOptions.signal);
          this.reopen();
        }
      }
    } finally {
      if (!this.stream.done) this.stream.cancel();
      this.cancelled = true;
      this.wakeWriters();
    }
  }

  /** A new context (on a new or another pooled connection), and every unfinished sentence again. */
  private reopen(): void {
    this.baseSeconds = this.completedSeconds;
    this.stream = this.pool.stream(this.options, { signal: this.speakerOptions.signal });
    for (const entry of this.inFlight) this.send(entry);
    if (this.ended) this.stream.end();
  }

  private send(entry: InFlight): void {
    if (this.stream.done) return; // the failure surfaces from the iterator, which resends this
    this.stream.sendText(entry.text, { flush: true });
  }

  private wakeWriters(): void {
    const waiters = this.capacityWaiters;
    this.capacityWaiters = [];
    for (const wake of waiters) wake();
  }
}
