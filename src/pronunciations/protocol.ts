// The Pronunciation Dictionaries API on the wire (docs/protocol.md#pronunciation-dictionaries):
// paths, resource names, and the tolerant reading of dictionary objects and list pages.
import { ProtocolError, ValidationError } from '../core/errors.js';
import type { PronunciationDictionary, PronunciationEntry } from './types.js';

/** The workspace used when none is configured (option, then INWORLD_WORKSPACE_ID). */
export const DEFAULT_WORKSPACE = 'default';
/** The environment variable Inworld's own examples read the workspace from. */
export const WORKSPACE_ENV_VAR = 'INWORLD_WORKSPACE_ID';
/** The service returns at most this many dictionaries a page (each carries all its entries). */
export const MAX_PAGE_SIZE = 5;
/** Stop following nextPageToken after this many pages (a server bug must not loop us forever). */
export const MAX_LIST_PAGES = 1000;

const NAME_PATTERN = /^workspaces\/([^/]+)\/pronunciationDictionaries\/([^/]+)$/;

/** The workspace's collection path: `/pronunciations/v1/workspaces/{ws}/pronunciationDictionaries`. */
export function collectionPath(workspace: string): string {
  return `/pronunciations/v1/workspaces/${encodeURIComponent(workspace)}/pronunciationDictionaries`;
}

/** `workspaces/{ws}/pronunciationDictionaries/{id}`. */
export function dictionaryName(workspace: string, id: string): string {
  return `workspaces/${workspace}/pronunciationDictionaries/${id}`;
}

/** The workspace and id of a resource name, or undefined when `value` is not one. */
export function parseDictionaryName(value: string): { workspace: string; id: string } | undefined {
  const match = NAME_PATTERN.exec(value.trim());
  return match ? { workspace: match[1]!, id: match[2]! } : undefined;
}

/**
 * The resource name for a dictionary given as a resource name or a bare id in `workspace`.
 * Anything with a slash that is not a resource name is refused before a request.
 */
export function resolveDictionaryName(dictionary: string, workspace: string): string {
  const value = typeof dictionary === 'string' ? dictionary.trim() : '';
  if (value === '') throw new ValidationError('Dictionary is empty: pass its id or its resource name (workspaces/…/pronunciationDictionaries/…).');
  if (parseDictionaryName(value)) return value;
  if (value.includes('/')) {
    throw new ValidationError(`"${value}" is neither a dictionary id nor a resource name of the form workspaces/{workspace}/pronunciationDictionaries/{id}.`);
  }
  return dictionaryName(workspace, value);
}

/** The request path of one dictionary: `/pronunciations/v1/{name}`, each segment encoded. */
export function resourcePath(name: string): string {
  return `/pronunciations/v1/${name.split('/').map(encodeURIComponent).join('/')}`;
}

/** Entries as the service spells them (`pronunciations` items). */
export interface EntryWire {
  displayHeadword: string;
  languageCode: string;
  phoneSymbols: string[];
}

export function entryToWire(entry: PronunciationEntry): EntryWire {
  return { displayHeadword: entry.displayHeadword, languageCode: entry.languageCode, phoneSymbols: [...entry.phoneSymbols] };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** One entry read tolerantly (camelCase or snake_case); undefined when it has no headword. */
export function parseEntry(raw: unknown): PronunciationEntry | undefined {
  const item = record(raw);
  if (!item) return undefined;
  const displayHeadword = text(item.displayHeadword ?? item.display_headword);
  if (!displayHeadword) return undefined;
  const symbols = item.phoneSymbols ?? item.phone_symbols;
  return {
    displayHeadword,
    languageCode: text(item.languageCode ?? item.language_code) ?? '',
    phoneSymbols: Array.isArray(symbols) ? symbols.filter((symbol): symbol is string => typeof symbol === 'string') : [],
  };
}

/** A dictionary object from a response; a ProtocolError when it has no usable `name`. */
export function parseDictionary(raw: unknown, requestId?: string): PronunciationDictionary {
  const item = record(raw);
  const name = text(item?.name);
  const parsed = name ? parseDictionaryName(name) : undefined;
  if (!item || !name || !parsed) {
    throw new ProtocolError({ serverMessage: 'a pronunciation dictionary in the response has no resource name', requestId, body: raw });
  }
  const entries = item.pronunciations;
  return {
    name,
    id: parsed.id,
    workspace: parsed.workspace,
    displayName: text(item.displayName ?? item.display_name) ?? '',
    entries: Array.isArray(entries) ? entries.map(parseEntry).filter((entry): entry is PronunciationEntry => entry !== undefined) : [],
    etag: text(item.etag) ?? '',
  };
}

/** One list page: its dictionaries and the token of the next page ('' or absent at the end). */
export function parseListPage(raw: unknown, requestId?: string): { dictionaries: PronunciationDictionary[]; nextPageToken?: string } {
  const page = record(raw);
  if (!page) throw new ProtocolError({ serverMessage: 'the dictionary list response is not a JSON object', requestId, body: raw });
  const items = page.pronunciationDictionaries ?? page.pronunciation_dictionaries ?? [];
  if (!Array.isArray(items)) {
    throw new ProtocolError({ serverMessage: '`pronunciationDictionaries` in the list response is not an array', requestId, body: raw });
  }
  const token = text(page.nextPageToken ?? page.next_page_token);
  return { dictionaries: items.map((item) => parseDictionary(item, requestId)), nextPageToken: token === '' ? undefined : token };
}
