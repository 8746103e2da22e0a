// Timestamps from `timestampInfo` (parallel arrays on the wire) as arrays of {text, start, end} in
// seconds, plus the offsetting needed when several requests make one output.
//
// Wire shape: wordAlignment {words[], wordStartTimeSeconds[], wordEndTimeSeconds[], phoneticDetails?}
// and characterAlignment {characters[], characterStartTimeSeconds[], characterEndTimeSeconds[]}.
// Parsing is tolerant: arrays of unequal length are cut to the shortest, entries with a missing or
// non-numeric time are dropped, and a missing alignment is simply absent from the result.

/** A word or character with its start and end in seconds. */
export interface TimedText {
  text: string;
  /** Seconds from the start of the output (or of the request, before offsetting). */
  start: number;
  end: number;
}
/** One word's timing. */
export type WordTiming = TimedText;
/** One character's timing. */
export type CharTiming = TimedText;

/** Word and/or character alignment of synthesized audio, in seconds from its start. */
export interface Timestamps {
  words?: WordTiming[];
  characters?: CharTiming[];
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function zip(texts: unknown, starts: unknown, ends: unknown): TimedText[] {
  const t = asArray(texts);
  const s = asArray(starts);
  const e = asArray(ends);
  const n = Math.min(t.length, s.length, e.length);
  const out: TimedText[] = [];
  for (let i = 0; i < n; i += 1) {
    const text = t[i];
    const start = Number(s[i]);
    const end = Number(e[i]);
    if (typeof text !== 'string' || !Number.isFinite(start) || !Number.isFinite(end)) continue;
    out.push({ text, start, end });
  }
  return out;
}

/** Reads a `timestampInfo` object; undefined when it carries no alignment at all. */
export function parseTimestampInfo(info: unknown): Timestamps | undefined {
  if (info === null || typeof info !== 'object') return undefined;
  const record = info as Record<string, unknown>;
  const out: Timestamps = {};
  const word = record.wordAlignment as Record<string, unknown> | undefined;
  if (word && typeof word === 'object') {
    out.words = zip(word.words, word.wordStartTimeSeconds, word.wordEndTimeSeconds);
  }
  const character = record.characterAlignment as Record<string, unknown> | undefined;
  if (character && typeof character === 'object') {
    out.characters = zip(character.characters, character.characterStartTimeSeconds, character.characterEndTimeSeconds);
  }
  return out.words === undefined && out.characters === undefined ? undefined : out;
}

/** A copy with every time shifted by `offsetSeconds`. */
export function offsetTimestamps(timestamps: Timestamps, offsetSeconds: number): Timestamps {
  if (offsetSeconds === 0) return timestamps;
  const shift = (items: TimedText[]) => items.map((item) => ({ text: item.text, start: item.start + offsetSeconds, end: item.end + offsetSeconds }));
  const out: Timestamps = {};
  if (timestamps.words) out.words = shift(timestamps.words);
  if (timestamps.characters) out.characters = shift(timestamps.characters);
  return out;
}

/** The latest end time in the timestamps, or 0 when there are none. */
export function lastEndSeconds(timestamps: Timestamps | undefined): number {
  let last = 0;
  for (const item of [...(timestamps?.words ?? []), ...(timestamps?.characters ?? [])]) last = Math.max(last, item.end);
  return last;
}

/** Appends `more` to `into` (both words and characters), for collecting a whole result. */
export function appendTimestamps(into: Timestamps, more: Timestamps): void {
  if (more.words) (into.words ??= []).push(...more.words);
  if (more.characters) (into.characters ??= []).push(...more.characters);
}
