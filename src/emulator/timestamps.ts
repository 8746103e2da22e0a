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
