// Builds `timestampInfo` (`wordAlignment` or `characterAlignment`) from timed words or characters. Times are seconds from the
// start of the generation; values are rounded to microseconds so JSON stays short.
import type { TimedText } from './speech.js';
import type { TimestampType } from './request.js';

export interface PhoneJson {
  phoneSymbol: string;
  startTimeSeconds: number;
  durationSeconds: number;
  visemeSymbol: string;
}

export interface PhoneticDetailJson {
  wordIndex: number;
  isPartial: boolean;
  phones: PhoneJson[];
}

export interface TimestampInfoJson {
  wordAlignment?: { words: string[]; wordStartTimeSeconds: number[]; wordEndTimeSeconds: number[]; phoneticDetails?: PhoneticDetailJson[] };
  characterAlignment?: { characters: string[]; characterStartTimeSeconds: number[]; characterEndTimeSeconds: number[] };
}

function round(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

/**
 * Undefined when no timestamps were asked for or there is nothing to report. `phonetic` adds
 * `phoneticDetails` to WORD alignments (the service sends them for TTS 1.5 and TTS-2 models).
 */
export function buildTimestampInfo(type: TimestampType, units: readonly TimedText[], offsetSeconds = 0, phonetic = false): TimestampInfoJson | undefined {
  if (type === 'NONE' || units.length === 0) return undefined;
  const starts = units.map((u) => round(u.startSeconds + offsetSeconds));
  const ends = units.map((u) => round(u.endSeconds + offsetSeconds));
  const texts = units.map((u) => u.text);
  if (type === 'CHARACTER') {
    return { characterAlignment: { characters: texts, characterStartTimeSeconds: starts, characterEndTimeSeconds: ends } };
  }
  const wordAlignment: NonNullable<TimestampInfoJson['wordAlignment']> = { words: texts, wordStartTimeSeconds: starts, wordEndTimeSeconds: ends };
  if (phonetic) wordAlignment.phoneticDetails = units.map((unit, index) => phoneticDetail(unit, index, offsetSeconds));
  return { wordAlignment };
}

/** Models whose WORD timestamps carry phoneticDetails: the 1.5 and 2 families. */
export function modelHasPhoneticDetails(modelId: string): boolean {
  return modelId.startsWith('inworld-tts-1.5') || modelId.startsWith('inworld-tts-2');
}

/** Letter (or digraph) → viseme class, using the viseme names seen in real responses. */
const VISEMES: [RegExp, string][] = [
  [/^th$/, 'th'], [/^[aei]$/, 'aei'], [/^o$/, 'o'], [/^[uwq]$/, 'qw'], [/^[bmp]$/, 'bmp'], [/^[fv]$/, 'fv'],
  [/^l$/, 'l'], [/^r$/, 'r'], [/^[cdgjknstxyzh]$/, 'cdgknstxyz'],
];

/**
 * A placeholder phone breakdown: the emulator has no phonemizer, so each letter (or "th") of the
 * word is a phone, spread evenly over the word's time. Enough for clients to parse and lay out.
 */
function phoneticDetail(unit: TimedText, wordIndex: number, offsetSeconds: number): PhoneticDetailJson {
  const letters = unit.text.toLowerCase().match(/th|\p{L}/gu) ?? [];
  const symbols = letters.length > 0 ? letters : ['sil'];
  const duration = (unit.endSeconds - unit.startSeconds) / symbols.length;
  return {
    wordIndex,
    isPartial: false,
    phones: symbols.map((symbol, i) => ({
      phoneSymbol: symbol,
      startTimeSeconds: round(unit.startSeconds + offsetSeconds + i * duration),
      durationSeconds: round(duration),
      visemeSymbol: VISEMES.find(([pattern]) => pattern.test(symbol))?.[1] ?? (symbol === 'sil' ? 'sil' : 'aei'),
    })),
  };
}

/** Words, runs of whitespace, and single punctuation marks: every token of the text, in order. */
const TOKEN = /\s+|[\p{L}\p{M}\p{N}'\u2019]+|[^\s\p{L}\p{M}\p{N}'\u2019]/gu;

/**
 * The newer documented WORD style: every token of the text (words, punctuation, whitespace),
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
