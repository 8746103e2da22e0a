// `-o, --output <path>` for transcribe: the finals as .txt, all events as .json (an array), or
// captions as .srt / .vtt. The format comes from the extension, and the file is opened (its
// temporary name created beside it), before any audio is read; it is written when the run ends
// (also after Ctrl-C or a failure, with what arrived), so it is never left half-written.

import { extname } from 'node:path';
import type { TurnTiming, WordTiming } from '../../audio/captions.js';
import type { FileSink } from '../../audio/file-sink.js';
import { ValidationError } from '../../core/errors.js';
import type { SttEvent } from '../../stt/events.js';

export type TranscriptFormat = 'txt' | 'json' | 'srt' | 'vtt';
const FORMATS: readonly TranscriptFormat[] = ['txt', 'json', 'srt', 'vtt'];

export function transcriptFormatFor(path: string): TranscriptFormat {
  const ext = extname(path).slice(1).toLowerCase() as TranscriptFormat;
  if (!FORMATS.includes(ext)) {
    throw new ValidationError(`cannot tell the transcript format from "${path}"`, { hint: 'Use a .txt, .json, .srt or .vtt file name' });
  }
  return ext;
}

export class TranscriptFile {
  readonly path: string;
  private readonly format: TranscriptFormat;
  private readonly file: FileSink;
  private readonly events: SttEvent[] = [];

  private constructor(path: string, format: TranscriptFormat, file: FileSink) {
    this.path = path;
    this.format = format;
    this.file = file;
  }

  /** Checks and reserves the file before any audio is sent (see output-files.ts). */
  static async open(path: string): Promise<TranscriptFile> {
    const format = transcriptFormatFor(path);
    const { openSideOutput } = await import('../output-files.js');
    return new TranscriptFile(path, format, await openSideOutput(path));
  }

  add(event: SttEvent): void {
    if (event.type === 'reconnecting') return;
    if (this.format === 'json' || event.type === 'final' || event.type === 'speech_started') this.events.push(event);
  }

  /** Writes what arrived and puts the file in place. */
  async write(): Promise<void> {
    const body = await this.render();
    await this.file.write(Buffer.from(body));
    const { commitOutputs } = await import('../output-files.js');
    await commitOutputs([this.file]);
  }

  /** Drops the reserved file (nothing to keep); a no-op once written. */
  async discard(): Promise<void> {
    await this.file.abort();
  }

  private async render(): Promise<string> {
    switch (this.format) {
      case 'json':
        return `${JSON.stringify(this.events, null, 2)}\n`;
      case 'txt':
        return finalsText(this.events);
      case 'srt':
      case 'vtt':
        return renderTranscriptCaptions(this.format, this.events);
    }
  }
}

function finalsText(events: readonly SttEvent[]): string {
  return events.flatMap((event) => (event.type === 'final' && event.text.trim() !== '' ? [`${event.text.trim()}\n`] : [])).join('');
}

/**
 * Captions from the finals: from the word timestamps when every final has them; otherwise one
 * timing per turn (its words' span, or from its speech start), which the caption builder spreads
 * over the turn's text.
 */
export async function renderTranscriptCaptions(format: 'srt' | 'vtt', events: readonly SttEvent[]): Promise<string> {
  const { renderCaptions, renderTurnCaptions } = await import('../../audio/captions.js');
  const spoken = events.filter((event): event is Extract<SttEvent, { type: 'final' }> => event.type === 'final' && event.text.trim() !== '');
  if (spoken.length > 0 && spoken.every((final) => final.words.length > 0)) {
    const words: WordTiming[] = spoken.flatMap((final) => final.words.map((word) => ({ word: word.word, start: word.startMs / 1000, end: word.endMs / 1000 })));
    return renderCaptions(format, words);
  }
  const turns: TurnTiming[] = [];
  let speechStartMs: number | undefined;
  for (const event of events) {
    if (event.type === 'speech_started') speechStartMs = event.startTimeMs;
    if (event.type !== 'final') continue;
    if (event.text.trim() !== '') {
      const first = event.words[0];
      const last = event.words.at(-1);
      turns.push({
        text: event.text.trim(),
        start: first ? first.startMs / 1000 : speechStartMs !== undefined ? speechStartMs / 1000 : Number.NaN,
        end: last ? last.endMs / 1000 : Number.NaN,
      });
    }
    speechStartMs = undefined;
  }
  return renderTurnCaptions(format, turns);
}
