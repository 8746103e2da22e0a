// Sentences from live text (a token stream, a pipe, a person typing), each as soon as it is
// finished. SentenceSegmenter reports a sentence end only once the next character shows it, which
// is right for text that keeps coming but leaves the last sentence waiting when the input pauses
// ("Hello. " and then nothing for seconds, as a language model's tokens often end). Here a pause
// settles it: a sentence whose end is certain but for what may follow goes out after `idleFlushMs`
// without new text, an ambiguous one ("Dr.", "3." that may become "3.14", a line without
// punctuation) after `ambiguousFlushMs`. Text that shows an end at once (the next word, a line
// break) is not delayed at all.
import { SentenceSegmenter, type SegmenterOptions } from './sentences.js';
import { monotonicMs } from '../core/monotonic-clock.js';

/** Quiet time after which a certain sentence end is trusted: above a token stream's usual gap. */
export const DEFAULT_IDLE_FLUSH_MS = 50;
/** Quiet time after which an ambiguous end is taken as one (the server's default max_buffer_delay_ms). */
export const DEFAULT_AMBIGUOUS_FLUSH_MS = 3000;

/** Options of liveSentences: the segmenter's length cap and how long a quiet input waits before a sentence goes out. */
export interface LiveSentenceOptions extends SegmenterOptions {
  /** A sentence whose end is certain but for what may follow goes out after this long without new text. Default 50 ms. */
  idleFlushMs?: number;
  /** An ambiguous ending goes out after this long without new text (at least idleFlushMs). Default 3000 ms. */
  ambiguousFlushMs?: number;
}

const IDLE = Symbol('idle');

/**
 * Yields the sentences of `pieces` in order, each once it is finished or the input has paused after
 * it, and the rest at the end of input. Pulls the next piece only when asked for the next sentence,
 * so a slow consumer holds the input back.
 */
export async function* liveSentences(pieces: AsyncIterable<string>, options: LiveSentenceOptions = {}): AsyncGenerator<string> {
  const idleMs = checkMs(options.idleFlushMs ?? DEFAULT_IDLE_FLUSH_MS, 'idleFlushMs');
  const ambiguousMs = Math.max(idleMs, checkMs(options.ambiguousFlushMs ?? DEFAULT_AMBIGUOUS_FLUSH_MS, 'ambiguousFlushMs'));
  const segmenter = new SentenceSegmenter(options.maxChars === undefined ? {} : { maxChars: options.maxChars });
  const input = pieces[Symbol.asyncIterator]();
  let next: Promise<IteratorResult<string>> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastInputAt = monotonicMs();
  let finished = false;
  try {
    for (;;) {
      next ??= input.next();
      const ending = segmenter.idleEnding;
      let result: IteratorResult<string> | typeof IDLE;
      if (ending === 'none') result = await next;
      else {
        // Counted from the last text, not from now: the consumer may have taken a while.
        const waitMs = Math.max(0, (ending === 'certain' ? idleMs : ambiguousMs) - (monotonicMs() - lastInputAt));
        const idle = new Promise<typeof IDLE>((resolve) => {
          timer = setTimeout(resolve, waitMs, IDLE);
          timer.unref(); // a pause must not keep the process alive on its own
        });
        result = await Promise.race([next, idle]);
        clearTimeout(timer);
      }
      if (result === IDLE) {
        yield* segmenter.flush();
        continue;
      }
      next = undefined;
      if (result.done) break;
      lastInputAt = monotonicMs();
      yield* segmenter.push(result.value);
    }
    finished = true;
    yield* segmenter.end();
  } finally {
    clearTimeout(timer);
    if (!finished) {
      // Stopped early: release the input without waiting on a read that may never complete.
      next?.catch(() => {});
      void input.return?.()?.catch(() => {});
    }
  }
}

function checkMs(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a number of ms, 0 or more`);
  return value;
}
