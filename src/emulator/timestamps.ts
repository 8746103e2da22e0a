// Builds `timestampInfo` (protocol §2.6) from timed words or characters. Times are seconds from the
// start of the generation; values are rounded to microseconds so JSON stays short.
import type { TimedText } from './speech.js';
import type { TimestampType } from './tts-request.js';

export interface TimestampInfoJson {
  wordAlignment?: { words: string[]; wordStartTimeSeconds: number[]; wordEndTimeSeconds: number[] };
  characterAlignment?: { characters: string[]; characterStartTimeSeconds: number[]; characterEndTimeSeconds: number[] };
}

function round(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

/** Undefined when no timestamps were asked for or there is nothing to report. */
export function buildTimestampInfo(type: TimestampType, units: readonly TimedText[], offsetSeconds = 0): TimestampInfoJson | undefined {
  if (type === 'NONE' || units.length === 0) return undefined;
  const starts = units.map((u) => round(u.startSeconds + offsetSeconds));
  const ends = units.map((u) => round(u.endSeconds + offsetSeconds));
  const texts = units.map((u) => u.text);
  return type === 'WORD'
    ? { wordAlignment: { words: texts, wordStartTimeSeconds: starts, wordEndTimeSeconds: ends } }
    : { characterAlignment: { characters: texts, characterStartTimeSeconds: starts, characterEndTimeSeconds: ends } };
}

/** Words, runs of whitespace, and single punctuation marks: every token of the text, in order. */
const TOKEN = /\s+|[\p{L}\p{M}\p{N}'\u2019]+|[^\s\p{L}\p{M}\p{N}'\u2019]/gu;

/**
 * The newer WORD style (protocol §2.6): every token of the text (words, punctuation, whitespace),
 * each timed from its first character's start to its last character's end.
 */
export function tokenTimes(characters: readonly TimedText[]): TimedText[] {
  const text = characters.map((c) => c.text).join('');
  const out: TimedText[] = [];
  let index = 0; // into characters (code points)
  for (const match of text.matchAll(TOKEN)) {
    const length = [...match[0]].length;
    const first = characters[index]!;
    const last = characters[index + length - 1]!;
    out.push({ text: match[0], startSeconds: first.startSeconds, endSeconds: last.endSeconds });
    index += length;
  }
  return out;
}
