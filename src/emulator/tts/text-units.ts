// Splits text into the words the emulator speaks and times: whitespace-separated tokens with
// their punctuation attached (the older documented WORD timestamp style), each with the pause that
// follows it. `<break>` tags are not words: their pause follows the word before them. Both speech
// engines share this, so timings have the same rhythm.
import { findBreakTags } from './markup.js';

export interface WordUnit {
  /** The token as it appears in the text, punctuation included. */
  text: string;
  /** Index of its first character in the text (UTF-16 units). */
  start: number;
  /** Index one past its last character. */
  end: number;
  /** Silence after the word, seconds at speaking rate 1. */
  pauseAfterSeconds: number;
  /** Silence of `<break>` tags after the word, seconds at any speaking rate. */
  breakSeconds?: number;
  /** On the first word: silence of `<break>` tags before it. */
  leadingBreakSeconds?: number;
  /** Syllable estimate that drives the synthetic duration. */
  syllables: number;
}

export const WORD_GAP_SECONDS = 0.06;
export const CLAUSE_PAUSE_SECONDS = 0.22;
export const SENTENCE_PAUSE_SECONDS = 0.38;
/** Silence before the first word, so audio does not start with a click. */
export const LEADING_SILENCE_SECONDS = 0.03;
/** Silence after the last word. */
export const TRAILING_SILENCE_SECONDS = 0.08;

const CLAUSE_END = /[,;:\u3001\uff0c\u2014-]["'\u201d\u2019)\]]*$/u;
const SENTENCE_END = /[.!?\u3002\uff01\uff1f\u2026]["'\u201d\u2019)\]]*$/u;
/** Scripts written without spaces: each character is about one syllable. */
const SYLLABIC_CHAR = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;
const VOWEL_GROUP = /[aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœ\u0400-\u04ff]+/giu;

/** Words are what lies outside `<break>` tags; a tag's pause goes with the word before it. */
export function splitWords(text: string): WordUnit[] {
  const words: WordUnit[] = [];
  const breaks = findBreakTags(text);
  // Tags become blanks of the same length, so every word keeps its offsets in the text.
  let spoken = text;
  for (const tag of breaks) spoken = spoken.slice(0, tag.start) + ' '.repeat(tag.end - tag.start) + spoken.slice(tag.end);
  let nextBreak = 0;
  let leadingBreakSeconds = 0;
  const takeBreaksBefore = (offset: number): void => {
    for (; nextBreak < breaks.length && breaks[nextBreak]!.start < offset; nextBreak++) {
      const seconds = breaks[nextBreak]!.seconds ?? 0;
      const previous = words.at(-1);
      if (previous) previous.breakSeconds = (previous.breakSeconds ?? 0) + seconds;
      else leadingBreakSeconds += seconds;
    }
  };
  for (const match of spoken.matchAll(/\S+/gu)) {
    const token = match[0];
    const start = match.index;
    takeBreaksBefore(start);
    words.push({
      text: token,
      start,
      end: start + token.length,
      pauseAfterSeconds: SENTENCE_END.test(token) ? SENTENCE_PAUSE_SECONDS : CLAUSE_END.test(token) ? CLAUSE_PAUSE_SECONDS : WORD_GAP_SECONDS,
      syllables: syllableCount(token),
    });
  }
  takeBreaksBefore(text.length);
  if (leadingBreakSeconds > 0 && words[0]) words[0].leadingBreakSeconds = leadingBreakSeconds;
  return words;
}

export function syllableCount(token: string): number {
  let syllabic = 0;
  for (const ch of token) if (SYLLABIC_CHAR.test(ch)) syllabic += 1;
  const latin = token.match(VOWEL_GROUP)?.length ?? 0;
  const digits = token.match(/\d/gu)?.length ?? 0; // a digit is read as about one syllable
  return Math.max(1, syllabic + latin + digits);
}
