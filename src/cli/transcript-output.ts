// `-o, --output <path>` for transcribe: the finals as .txt, all events as .json (an array), or
// captions as .srt / .vtt. The format comes from the extension and is checked before any audio
// is read; the file is written when the run ends (also after Ctrl-C or a failure, with what
// arrived), through a temporary name, so it is never left half-written.

import { rename, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { ValidationError } from '../core/errors.js';
import type { SttEvent } from '../stt/events.js';
import type { TimedWord } from './captions-file.js';

export type TranscriptFormat = 'txt' | 'json' | 'srt' | 'vtt';
const FORMATS: readonly TranscriptFormat[] = ['txt', 'json', 'srt', 'vtt'];
/** Turn length assumed per word when a final has no word timestamps (caption fallback). */
const FALLBACK_MS_PER_WORD = 400;
const FALLBACK_MIN_TURN_MS = 1_000;

export function transcriptFormatFor(path: string): TranscriptFormat {
  const ext = extname(path).slice(1).toLowerCase() as TranscriptFormat;
  if (!FORMATS.includes(ext)) {
    throw new ValidationError(`cannot tell the transcript format from "${path}"`, { hint: 'Use a .txt, .json, .srt or .vtt file name' });
  }
  return ext;
}

export class TranscriptFile {
  readonly #path: string;
  readonly #format: TranscriptFormat;
  readonly #events: SttEvent[] = [];

  constructor(path: string) {
    this.#path = path;
    this.#format = transcriptFormatFor(path);
  }

  add(event: SttEvent): void {
    if (event.type === 'reconnecting') return;
    if (this.#format === 'json' || event.type === 'final' || event.type === 'speech_started') this.#events.push(event);
  }

  async write(): Promise<void> {
    const temp = `${this.#path}.part`;
    if (this.#format === 'srt' || this.#format === 'vtt') {
      const { writeCaptionsFile } = await import('./captions-file.js');
      await writeCaptionsFile(this.#path, captionWords(this.#events));
      return;
    }
    const body = this.#format === 'json' ? `${JSON.stringify(this.#events, null, 2)}\n` : finalsText(this.#events);
    await writeFile(temp, body);
    await rename(temp, this.#path);
  }
}

function finalsText(events: readonly SttEvent[]): string {
  return events.flatMap((event) => (event.type === 'final' && event.text.trim() !== '' ? [`${event.text.trim()}\n`] : [])).join('');
}

/**
 * Words with times in seconds for the caption writer: the server's word timestamps when a final
 * has them; otherwise the turn as one caption, from its speech start (or the previous turn's end)
 * for a length estimated from its word count.
 */
export function captionWords(events: readonly SttEvent[]): TimedWord[] {
  const words: TimedWord[] = [];
  let lastEndMs = 0;
  let speechStartMs: number | undefined;
  for (const event of events) {
    if (event.type === 'speech_started') speechStartMs = event.startTimeMs;
    if (event.type !== 'final' || event.text.trim() === '') continue;
    if (event.words.length > 0) {
      for (const word of event.words) words.push({ text: word.word, start: word.startMs / 1000, end: word.endMs / 1000 });
      lastEndMs = event.words.at(-1)!.endMs;
    } else {
      const startMs = Math.max(lastEndMs, speechStartMs ?? lastEndMs);
      const count = event.text.trim().split(/\s+/).length;
      const endMs = startMs + Math.max(FALLBACK_MIN_TURN_MS, count * FALLBACK_MS_PER_WORD);
      words.push({ text: event.text.trim(), start: startMs / 1000, end: endMs / 1000 });
      lastEndMs = endMs;
    }
    speechStartMs = undefined;
  }
  return words;
}
