// Writes --subtitles files: SRT or VTT by extension, from word timings in seconds.
import type { FileSink } from '../../audio/file-sink.js';

export interface TimedWord {
  text: string;
  start: number;
  end: number;
}

/**
 * Fills the subtitles file opened before the request (see output-files.ts); it appears under its
 * name only when the run's outputs are committed, so a failure never leaves half a caption file.
 */
export async function writeCaptionsFile(file: FileSink, words: readonly TimedWord[]): Promise<void> {
  const { renderCaptions } = await import('../../audio/captions.js');
  const format = file.path.toLowerCase().endsWith('.vtt') ? 'vtt' : 'srt';
  await file.write(Buffer.from(renderCaptions(format, words.map((word) => ({ word: word.text, start: word.start, end: word.end })))));
}
