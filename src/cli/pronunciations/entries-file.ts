// Entries imported from a file: CSV with the columns headword,language,ipa (a header row with
// those names is optional), or JSON (an array of entries, or an object holding `pronunciations`
// or `entries`, so Inworld's sample files and `show --json` output both import). Everything is
// checked before any request, and the first problem is reported with where it is.
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { ValidationError } from '../../core/errors.js';
import { fileError } from '../../core/file-errors.js';
import { parseIpa } from '../../pronunciations/ipa.js';
import type { PronunciationEntry } from '../../pronunciations/types.js';
import { checkEntries, type EntryLabel } from '../../pronunciations/validate.js';
import { languageCode } from '../language-code.js';
import { CsvSyntaxError, parseCsv } from './csv.js';

/** A file bigger than this cannot hold a dictionary the service accepts (512 KiB of entries). */
export const MAX_IMPORT_FILE_BYTES = 4 * 1024 * 1024;
const CSV_COLUMNS = ['headword', 'language', 'ipa'];

/** The entries in `path`, checked; a ValidationError (exit 2) names the first bad one. */
export async function readEntriesFile(path: string): Promise<PronunciationEntry[]> {
  let text: string;
  try {
    const info = await stat(path);
    if (info.size > MAX_IMPORT_FILE_BYTES) {
      throw new ValidationError(`${path} is ${Math.ceil(info.size / 1024)} KiB; a dictionary holds at most 512 KiB of entries. Split it over several dictionaries.`);
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw fileError('read', path, error, { beforeRequest: true, what: 'dictionary file' });
  }
  const json = extname(path).toLowerCase() === '.json' || (extname(path).toLowerCase() !== '.csv' && /^\s*[[{]/.test(text));
  return json ? entriesFromJson(text, path) : entriesFromCsv(text, path);
}

/** Entries from CSV text: three fields a line, the IPA written as in `parseIpa`. */
export function entriesFromCsv(text: string, file: string): PronunciationEntry[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new ValidationError(`${file}:${error.line}:${error.column}: ${error.problem}.`);
    throw error;
  }
  const first = records[0]?.fields.map((field) => field.trim().toLowerCase());
  if (first && first.join(',') === CSV_COLUMNS.join(',')) records = records.slice(1);
  const entries = records.map(({ line, fields }) => {
    const where = `${file}:${line}`;
    if (fields.length !== CSV_COLUMNS.length) {
      throw new ValidationError(`${where}: ${fields.length} field${fields.length === 1 ? '' : 's'}; each line is headword,language,ipa (quote a field that holds a comma).`);
    }
    const [headword, language, ipa] = fields.map((field) => field.trim()) as [string, string, string];
    if (headword === '') throw new ValidationError(`${where}: no headword; the first field is the word as written.`);
    const code = languageCode(language);
    if (code === undefined) throw new ValidationError(`${where}: "${language}" is not a language code; use BCP-47 such as en-US in the second field.`);
    if (ipa === '') throw new ValidationError(`${where}: "${headword}" has no IPA; give it in the third field, e.g. ${headword},${code},/təˈmeɪtoʊ/.`);
    return { displayHeadword: headword, languageCode: code, phoneSymbols: parseIpa(ipa) };
  });
  checkEntries(entries, (index) => `${file}:${records[index]!.line}`);
  return entries;
}

/** Entries from JSON: `[{displayHeadword, languageCode, phoneSymbols}]`, or an object holding them. */
export function entriesFromJson(text: string, file: string): PronunciationEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    throw new ValidationError(`${file} is not valid JSON (${(error as Error).message}); give an array of {displayHeadword, languageCode, phoneSymbols}.`);
  }
  const record = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  const items = Array.isArray(data) ? data : (record?.pronunciations ?? record?.entries);
  if (!Array.isArray(items)) {
    throw new ValidationError(`${file} holds no entries; give an array of {displayHeadword, languageCode, phoneSymbols} (or an object with "pronunciations").`);
  }
  const label: EntryLabel = (index) => `${file} entry ${index + 1}`;
  const entries = items.map((item, index) => jsonEntry(item, label(index)));
  checkEntries(entries, label);
  return entries;
}

function jsonEntry(item: unknown, label: string): PronunciationEntry {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new ValidationError(`${label} is not an object with displayHeadword, languageCode and phoneSymbols.`);
  }
  const { displayHeadword, languageCode: language, phoneSymbols } = item as Record<string, unknown>;
  const code = typeof language === 'string' ? languageCode(language) : undefined;
  if (typeof language === 'string' && code === undefined) {
    throw new ValidationError(`${label} has language "${language}"; use a BCP-47 code such as en-US.`);
  }
  // An IPA string is accepted where the symbols are expected, and split as a CSV field would be.
  const symbols = typeof phoneSymbols === 'string' && phoneSymbols.trim() !== '' ? parseIpa(phoneSymbols) : phoneSymbols;
  return { displayHeadword: displayHeadword as string, languageCode: code ?? (language as string), phoneSymbols: symbols as string[] };
}
