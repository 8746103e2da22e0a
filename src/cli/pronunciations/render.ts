// How dictionaries and entries read on a terminal: tables that fit the width, IPA between slashes.
import { formatIpa } from '../../pronunciations/ipa.js';
import type { PronunciationDictionary, PronunciationEntry } from '../../pronunciations/types.js';
import { renderTable, type Column } from '../table.js';

const DICTIONARY_COLUMNS: Column<PronunciationDictionary>[] = [
  { header: 'NAME', value: (dictionary) => dictionary.displayName },
  { header: 'ID', value: (dictionary) => dictionary.id },
  { header: 'ENTRIES', value: (dictionary) => String(dictionary.entries.length) },
  { header: 'LANGUAGES', value: (dictionary) => [...new Set(dictionary.entries.map((entry) => entry.languageCode))].join(',') },
];

const ENTRY_COLUMNS: Column<PronunciationEntry>[] = [
  { header: 'HEADWORD', value: (entry) => entry.displayHeadword },
  { header: 'LANGUAGE', value: (entry) => entry.languageCode },
  { header: 'IPA', value: (entry) => formatIpa(entry.phoneSymbols) },
];

function terminalWidth(): number {
  return process.stdout.isTTY ? process.stdout.columns ?? 0 : 0;
}

export function dictionaryTable(dictionaries: readonly PronunciationDictionary[]): string {
  return renderTable(dictionaries, DICTIONARY_COLUMNS, terminalWidth());
}

export function entryTable(entries: readonly PronunciationEntry[]): string {
  return renderTable(entries, ENTRY_COLUMNS, terminalWidth());
}

/** `"tomato" /təˈmeɪtoʊ/ (en-US)`. */
export function describeEntry(entry: PronunciationEntry): string {
  return `"${entry.displayHeadword}" ${formatIpa(entry.phoneSymbols)} (${entry.languageCode})`;
}

/** `Produce (3 entries, id 1b2c…)`. */
export function describeDictionary(dictionary: PronunciationDictionary): string {
  const count = dictionary.entries.length;
  return `"${dictionary.displayName}" (${count} entr${count === 1 ? 'y' : 'ies'}, id ${dictionary.id})`;
}
