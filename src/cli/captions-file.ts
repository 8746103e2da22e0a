// Writes --subtitles files: SRT or VTT by extension, from word timings in seconds.
import { rename, writeFile } from 'node:fs/promises';

export interface TimedWord {
  text: string;
  start: number;
  end: number;
}

/** Written to a temporary name and renamed, so a failure never leaves half a caption file. */
export async function writeCaptionsFile(path: string, words: readonly TimedWord[]): Promise<void> {
  const { renderCaptions } = await import('../audio/captions.js');
  const format = path.toLowerCase().endsWith('.vtt') ? 'vtt' : 'srt';
  const temp = `${path}.part`;
  await writeFile(temp, renderCaptions(format, words.map((word) => ({ word: word.text, start: word.start, end: word.end }))));
  await rename(temp, path);
}
