// Reads and validates dictionary contents as the service does: the whole dictionary is checked
// and refused for any bad entry, two entries for the same word in one language, or a limit passed.
import { invalidArgument } from '../server/grpc.js';
import { getField, isObject, readString, type JsonObject } from '../server/json-fields.js';
import type { StoredEntry } from './store.js';

/** Most entries in one dictionary. */
export const MAX_ENTRIES = 1000;
/** Largest entry list, measured as its UTF-8 JSON. */
export const MAX_ENTRIES_BYTES = 512 * 1024;
/** Longest display name, in code points. */
export const MAX_DISPLAY_NAME_CHARS = 64;

const LANGUAGE_CODE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/;

/** The matching key of a word: case and composition do not matter. */
export function wordKey(word: string): string {
  return word.normalize('NFC').toLocaleLowerCase();
}

export function readDisplayName(body: JsonObject): string {
  const value = readString(body, 'displayName');
  if (value === undefined || value.trim() === '') throw invalidArgument('display_name is required and must not be blank');
  const length = [...value].length;
  if (length > MAX_DISPLAY_NAME_CHARS) {
    throw invalidArgument(`display_name must be at most ${MAX_DISPLAY_NAME_CHARS} characters, got ${length}`);
  }
  return value;
}

/** `pronunciations` of a create or update body; absent means an empty dictionary. */
export function readEntries(body: JsonObject): StoredEntry[] {
  const raw = getField(body, 'pronunciations');
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalidArgument(`Invalid value at 'pronunciations' (TYPE_MESSAGE), ${JSON.stringify(raw)}`);
  if (raw.length > MAX_ENTRIES) throw invalidArgument(`A dictionary holds at most ${MAX_ENTRIES} pronunciations, got ${raw.length}`);
  const entries = raw.map((item, index) => readEntry(item, index));
  const seen = new Map<string, number>();
  entries.forEach((entry, index) => {
    const key = `${entry.languageCode.toLowerCase().replace(/_/g, '-')}|${wordKey(entry.displayHeadword)}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw invalidArgument(`pronunciations[${first}] and pronunciations[${index}] both define "${entry.displayHeadword}" for ${entry.languageCode}`);
    }
    seen.set(key, index);
  });
  const bytes = Buffer.byteLength(JSON.stringify(entries), 'utf8');
  if (bytes > MAX_ENTRIES_BYTES) throw invalidArgument(`A dictionary holds at most ${MAX_ENTRIES_BYTES} bytes of pronunciations, got ${bytes}`);
  return entries;
}

function readEntry(item: unknown, index: number): StoredEntry {
  const at = `pronunciations[${index}]`;
  if (!isObject(item)) throw invalidArgument(`Invalid value at '${at}' (TYPE_MESSAGE), ${JSON.stringify(item)}`);
  const displayHeadword = readString(item, 'displayHeadword', at);
  const languageCode = readString(item, 'languageCode', at);
  const symbols = getField(item, 'phoneSymbols');
  if (displayHeadword === undefined || displayHeadword.trim() === '') throw invalidArgument(`${at}.display_headword is required`);
  // Matched against the words of the text, so one word (inferred: phrases are not documented).
  if (/\s/u.test(displayHeadword.trim())) throw invalidArgument(`${at}.display_headword must be a single word, got "${displayHeadword}"`);
  if (languageCode === undefined || !LANGUAGE_CODE.test(languageCode)) {
    throw invalidArgument(`${at}.language_code must be a BCP-47 language code, got ${JSON.stringify(languageCode ?? '')}`);
  }
  if (symbols === undefined || (Array.isArray(symbols) && symbols.length === 0)) throw invalidArgument(`${at}.phone_symbols must not be empty`);
  if (!Array.isArray(symbols)) throw invalidArgument(`Invalid value at '${at}.phone_symbols' (TYPE_STRING), ${JSON.stringify(symbols)}`);
  const phoneSymbols = symbols.map((symbol, position) => {
    if (typeof symbol !== 'string') throw invalidArgument(`Invalid value at '${at}.phone_symbols[${position}]' (TYPE_STRING), ${JSON.stringify(symbol)}`);
    if (symbol === '' || /[\s/]/u.test(symbol)) throw invalidArgument(`${at}.phone_symbols[${position}] is not an IPA symbol: ${JSON.stringify(symbol)}`);
    return symbol;
  });
  return { displayHeadword: displayHeadword.trim(), languageCode, phoneSymbols };
}
