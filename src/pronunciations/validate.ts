// Checks made before a dictionary is sent, so a bad entry fails with one line naming it instead
// of a refused request: the service validates the whole dictionary and refuses it all for one
// bad entry, two entries for the same word, or a dictionary over its limits.
import { ValidationError } from '../core/errors.js';
import type { PronunciationEntry } from './types.js';

/** Most entries one dictionary holds. */
export const MAX_DICTIONARY_ENTRIES = 1000;
/** Largest entry list one dictionary holds, measured as its UTF-8 JSON. */
export const MAX_DICTIONARY_BYTES = 512 * 1024;
/** Longest display name, in characters (code points). */
export const MAX_DISPLAY_NAME_CHARS = 64;

const BCP47 = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

/** Where a bad entry came from, for the message: "entry 3" by default, "line 7" from a file. */
export type EntryLabel = (index: number) => string;
const byPosition: EntryLabel = (index) => `entry ${index + 1}`;

/** A headword compared without regard to case or Unicode composition. */
export function headwordKey(headword: string): string {
  return headword.trim().normalize('NFC').toLocaleLowerCase();
}

/** The key two entries collide on: the same word, ignoring case, in the same language. */
export function entryKey(entry: Pick<PronunciationEntry, 'displayHeadword' | 'languageCode'>): string {
  return `${entry.languageCode.toLowerCase()}\u0000${headwordKey(entry.displayHeadword)}`;
}

/** Throws a ValidationError naming the problem and the fix; returns the display name trimmed. */
export function checkDisplayName(displayName: unknown): string {
  if (typeof displayName !== 'string' || displayName.trim() === '') {
    throw new ValidationError('The dictionary needs a name: pass a non-blank display name.');
  }
  const name = displayName.trim();
  const length = [...name].length;
  if (length > MAX_DISPLAY_NAME_CHARS) {
    throw new ValidationError(`The dictionary name is ${length} characters; the service allows ${MAX_DISPLAY_NAME_CHARS}. Choose a shorter one.`);
  }
  return name;
}

/** Checks one entry; the label says which one in the message. */
export function checkEntry(entry: PronunciationEntry, label = 'the entry'): void {
  if (entry === null || typeof entry !== 'object') throw new ValidationError(`${label} is not an entry object with displayHeadword, languageCode and phoneSymbols.`);
  const headword = entry.displayHeadword;
  if (typeof headword !== 'string' || headword.trim() === '') throw new ValidationError(`${label} has no headword: give the word as written.`);
  const word = JSON.stringify(headword);
  if (/\p{Cc}/u.test(headword)) throw new ValidationError(`${label} (${word}) holds a control character; write the word as plain text.`);
  if (typeof entry.languageCode !== 'string' || !BCP47.test(entry.languageCode)) {
    throw new ValidationError(`${label} (${word}) has language ${JSON.stringify(entry.languageCode ?? '')}; use a BCP-47 code such as en-US.`);
  }
  const symbols: unknown = entry.phoneSymbols;
  if (!Array.isArray(symbols) || symbols.length === 0) {
    throw new ValidationError(`${label} (${word}) has no IPA: give its pronunciation, e.g. /təˈmeɪtoʊ/.`);
  }
  for (const symbol of symbols) {
    if (typeof symbol !== 'string' || symbol === '' || /[\s/]/.test(symbol)) {
      throw new ValidationError(`${label} (${word}) has the phone symbol ${JSON.stringify(symbol)}; each symbol is IPA without spaces or slashes.`);
    }
  }
}

/** Checks a whole entry list: each entry, no two for the same word and language, and the limits. */
export function checkEntries(entries: readonly PronunciationEntry[], label: EntryLabel = byPosition): void {
  if (!Array.isArray(entries)) throw new ValidationError('Entries must be an array of {displayHeadword, languageCode, phoneSymbols}.');
  if (entries.length > MAX_DICTIONARY_ENTRIES) {
    throw new ValidationError(`${entries.length} entries: one dictionary holds at most ${MAX_DICTIONARY_ENTRIES}. Split them over several dictionaries.`);
  }
  const seen = new Map<string, number>();
  entries.forEach((entry, index) => {
    checkEntry(entry, label(index));
    const key = entryKey(entry);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new ValidationError(
        `${label(index)} repeats "${entry.displayHeadword}" (${entry.languageCode}) from ${label(first)}; keep one pronunciation per word and language.`,
      );
    }
    seen.set(key, index);
  });
  const bytes = entriesBytes(entries);
  if (bytes > MAX_DICTIONARY_BYTES) {
    throw new ValidationError(`The entries take ${Math.ceil(bytes / 1024)} KiB; one dictionary holds at most ${MAX_DICTIONARY_BYTES / 1024} KiB. Split them over several dictionaries.`);
  }
}

/** The size the limit is measured on: the entries as UTF-8 JSON. */
export function entriesBytes(entries: readonly PronunciationEntry[]): number {
  return Buffer.byteLength(JSON.stringify(entries.map(({ displayHeadword, languageCode, phoneSymbols }) => ({ displayHeadword, languageCode, phoneSymbols }))), 'utf8');
}
