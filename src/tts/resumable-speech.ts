// The audio of a SentenceSpeaker as one output that survives dropped connections. After a drop the
// speaker speaks the unfinished sentences again on a new connection and says from which sentence;
// this keeps the books a consumer needs to splice that in with no gap and no duplicate: where in
// the output each chunk lands, where the first unfinished sentence started (the point to rewind
// to), the output's length in bytes and in measured seconds, and the word timings of what is kept.
//
// A consumer that can take audio back (a regular file) truncates its output to the rewind point
// and the books follow it; one that cannot (speakers, a pipe) hears the sentence start over, and
// the books count what it was given.
import { ValidationError, type InworldError } from '../core/errors.js';
import { AudioDurationMeter, meteredContainerFor } from '../audio/duration-meter.js';
import type { TtsPool } from './pool.js';
import type { Timestamps, WordTiming } from './timestamps.js';
import { buildWsCreateConfig, type TtsStreamSynthesisOptions } from './ws-options.js';
import { SentenceSpeaker, type SentenceSpeakerOptions, type SpeakerEvent } from './ws-speaker.js';

/** What a {@link ResumableSpeech} yields. Byte positions count audio only (no container header). */
export type SpeechEvent =
  /** Audio (and/or timestamps on the output's timeline) of sentence `sentence`; it belongs at byte `offsetBytes` of the output. */
  | { type: 'audio'; sentence: number; audio: Buffer; timestamps?: Timestamps; offsetBytes: number }
  /** All audio of `sentence` has arrived: the output is `bytes` long, and the next sentence starts at `endSeconds`. */
  | { type: 'sentenceEnd'; sentence: number; endSeconds: number; bytes: number }
  /**
   * The connection dropped (`error`, retry number `attempt`); sentence `fromSentence` and those
   * after it are spoken again from the start on a new connection. Its audio began at byte
   * `rewindToBytes` of the output: with {@link ResumableSpeechOptions.rewind} on, drop everything
   * after that point now, and the output has no gap and no duplicate.
   */
  | { type: 'restart'; fromSentence: number; attempt: number; error: InworldError; rewindToBytes: number };

/** A word of the output with its timing in seconds and the sentence it belongs to (0-based). */
export interface SpokenWord extends WordTiming {
  sentence: number;
}

/** A {@link SentenceSpeaker}'s options, plus what the consumer does after a drop. */
export interface ResumableSpeechOptions extends SentenceSpeakerOptions {
  /**
   * The consumer drops its output after `rewindToBytes` on every `restart` event, so
   * {@link ResumableSpeech.bytes} and {@link ResumableSpeech.seconds} go back there too. Set it
   * false when audio already given cannot be taken back (it is played, or piped). Default true.
   */
  rewind?: boolean;
  /** Keep the word timings of the output in {@link ResumableSpeech.words} (needs word timestamps). Default false. */
  keepWords?: boolean;
}

/** Text with no letter or digit: punctuation alone ("...", "—"). */
function hasNoWords(text: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text);
}

/**
 * Speaks sentences over a pooled WebSocket stream as one gap-free, duplicate-free output: a dropped
 * connection is survived by speaking the unfinished sentences again, and the `restart` event says
 * where the output must be rewound to. Feed it with {@link ResumableSpeech.speakAll} (or `push()`
 * and `end()`), and iterate it once for the audio.
 */
export class ResumableSpeech implements AsyncIterable<SpeechEvent> {
  private readonly speaker: SentenceSpeaker;
  private readonly signal: AbortSignal | undefined;
  private readonly rewind: boolean;
  private readonly keepWords: boolean;
  private readonly newMeter: () => AudioDurationMeter | undefined;
  /** Measures the audio since the last rewind; what came before it is `meterBaseSeconds`. */
  private meter: AudioDurationMeter | undefined;
  private meterBaseSeconds = 0;
  private outputBytes = 0;
  /** Where the first unfinished sentence's audio starts in the output: the rewind point. */
  private sentenceStartBytes = 0;
  private completed = 0;
  private lastEndSeconds = 0;
  private readonly kept: SpokenWord[] = [];

  constructor(pool: TtsPool, options: TtsStreamSynthesisOptions = {}, speechOptions: ResumableSpeechOptions = {}) {
    const { rewind, keepWords, ...speakerOptions } = speechOptions;
    this.rewind = rewind ?? true;
    this.keepWords = keepWords ?? false;
    this.signal = speakerOptions.signal;
    // The create body names the encoding and rate the audio will come in (defaults resolved).
    const { audioEncoding, sampleRateHertz = 0 } = buildWsCreateConfig(options).audioConfig ?? {};
    const container = meteredContainerFor(audioEncoding);
    this.newMeter = () => (container ? new AudioDurationMeter(container, sampleRateHertz) : undefined);
    this.meter = this.newMeter();
    this.speaker = new SentenceSpeaker(pool, options, speakerOptions);
  }

  /** Sentences sent so far (punctuation-only ones are skipped and not counted). */
  get sentenceCount(): number {
    return this.speaker.sentenceCount;
  }

  /** Sentences whose audio has fully arrived. */
  get sentencesDone(): number {
    return this.completed;
  }

  /** Bytes of audio in the output so far (after rewinds, when the consumer rewinds). */
  get bytes(): number {
    return this.outputBytes;
  }

  /** Seconds of audio in the output so far, measured from its bytes (trailing silence and padding included). */
  get seconds(): number {
    return this.meter ? this.meterBaseSeconds + this.meter.seconds : this.lastEndSeconds;
  }

  /** The words of the output so far, without those of sentences being spoken again (with `keepWords`). */
  get words(): readonly SpokenWord[] {
    return this.kept;
  }

  /**
   * Sends one sentence (with a flush, so its audio starts now); text with no letter or digit is
   * skipped, since it may yield no audio at all. Resolves when there is room for more: await it.
   */
  async push(sentence: string): Promise<void> {
    if (hasNoWords(sentence)) return;
    await this.speaker.push(sentence);
  }

  /** No more sentences: the context closes once the last one has been spoken. */
  end(): void {
    this.speaker.end();
  }

  /** Stops at once: the context is closed and the iterator ends. */
  cancel(): void {
    this.speaker.cancel();
  }

  /**
   * Sends every sentence of `sentences` in order, as fast as the audio is consumed, then ends the
   * speech (or cancels it when no sentence had words). `onSentence` hears each one as it goes out.
   * A failure of `sentences` cancels the speech and is rethrown.
   */
  async speakAll(sentences: AsyncIterable<string>, onSentence?: (sentence: number, text: string) => void): Promise<void> {
    try {
      for await (const sentence of sentences) {
        if (this.signal?.aborted) return;
        if (hasNoWords(sentence)) continue;
        onSentence?.(this.sentenceCount, sentence);
        await this.speaker.push(sentence);
      }
    } catch (error) {
      // Bad input (a refused sentence, broken text) ends the input: what came before it is still
      // spoken to its end. Anything else stops at once.
      if (error instanceof ValidationError && this.sentenceCount > 0) this.end();
      else this.cancel();
      throw error;
    }
    if (this.sentenceCount === 0) this.cancel();
    else this.end();
  }

  /** Yields the output's audio in order, with a `restart` event (and the rewind point) after a drop. */
  async *[Symbol.asyncIterator](): AsyncIterator<SpeechEvent> {
    for await (const event of this.speaker) {
      // Stopped: what was accounted for is exactly what the consumer was given.
      if (this.signal?.aborted) return;
      if (event.type === 'audio') yield this.audio(event);
      else if (event.type === 'sentenceEnd') yield this.sentenceEnd(event);
      else yield this.restart(event);
    }
  }

  private audio(event: Extract<SpeakerEvent, { type: 'audio' }>): SpeechEvent {
    const offsetBytes = this.outputBytes;
    if (event.audio.length > 0) {
      this.outputBytes += event.audio.length;
      this.meter?.push(event.audio);
    }
    const words = event.timestamps?.words;
    if (this.keepWords && words) for (const word of words) this.kept.push({ ...word, sentence: event.sentence });
    const out: SpeechEvent = { type: 'audio', sentence: event.sentence, audio: event.audio, offsetBytes };
    if (event.timestamps) out.timestamps = event.timestamps;
    return out;
  }

  private sentenceEnd(event: Extract<SpeakerEvent, { type: 'sentenceEnd' }>): SpeechEvent {
    this.completed = event.sentence + 1;
    this.lastEndSeconds = event.endSeconds;
    this.sentenceStartBytes = this.outputBytes;
    return { type: 'sentenceEnd', sentence: event.sentence, endSeconds: event.endSeconds, bytes: this.outputBytes };
  }

  private restart(event: Extract<SpeakerEvent, { type: 'restart' }>): SpeechEvent {
    // The sentences spoken again bring their words again.
    while (this.kept.length > 0 && this.kept[this.kept.length - 1]!.sentence >= event.fromSentence) this.kept.pop();
    const rewindToBytes = this.sentenceStartBytes;
    if (this.rewind) {
      this.outputBytes = rewindToBytes;
      // The new connection's audio is a new encoded stream, starting where the last complete sentence ended.
      this.meter = this.newMeter();
      this.meterBaseSeconds = this.lastEndSeconds;
    }
    return { type: 'restart', fromSentence: event.fromSentence, attempt: event.attempt, error: event.error, rewindToBytes };
  }
}
