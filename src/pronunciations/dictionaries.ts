// The Pronunciation Dictionaries API calls: list (every page), get, create, update, delete, and
// adding or removing entries as a read followed by an update with the etag just read.
//
// Retries: reads follow the client's policy. Writes are retried only when the request never left
// this machine (connection refused, host not found): create has no idempotency key, so a repeat
// after a lost answer could make a second dictionary, and a repeated update or delete would only
// meet its own etag again as a conflict.
import type { InworldClient } from '../core/client.js';
import { ConnectionError, NotFoundError, TimeoutError, ValidationError } from '../core/errors.js';
import { requestJson, type HttpMethod, type JsonResponse } from '../core/http.js';
import { withRetry } from '../core/retry.js';
import { isConflict, staleEtagError } from './errors.js';
import {
  MAX_LIST_PAGES,
  MAX_PAGE_SIZE,
  collectionPath,
  entryToWire,
  parseDictionary,
  parseListPage,
  resolveDictionaryName,
  resourcePath,
} from './protocol.js';
import type {
  CreateDictionaryInput,
  DeleteDictionaryOptions,
  EntrySelector,
  PronunciationCallOptions,
  PronunciationDictionary,
  PronunciationEntry,
  RemoveEntriesResult,
  UpdateDictionaryInput,
  UpdateDictionaryOptions,
} from './types.js';
import { checkDisplayName, checkEntries, entryKey, headwordKey } from './validate.js';

/** Network failures that mean the request was never sent, so sending it now cannot repeat it. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EADDRNOTAVAIL']);

/** True when `error` happened before the request reached the server. */
export function failedBeforeSending(error: unknown): boolean {
  if (!(error instanceof ConnectionError) || error instanceof TimeoutError) return false;
  let current: unknown = error.cause;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

interface Call {
  method: HttpMethod;
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

async function send(client: InworldClient, call: Call, options: PronunciationCallOptions): Promise<JsonResponse<unknown>> {
  const write = call.method !== 'GET';
  return withRetry(() => requestJson(client, { ...call, signal: options.signal, timeoutMs: options.timeoutMs }), {
    maxRetries: options.maxRetries ?? client.maxRetries,
    signal: options.signal,
    ...(write ? { retryable: failedBeforeSending } : {}),
  });
}

/** Every dictionary in the workspace, following nextPageToken to the end (pages of at most 5). */
export async function listDictionaries(client: InworldClient, workspace: string, options: PronunciationCallOptions = {}): Promise<PronunciationDictionary[]> {
  const dictionaries: PronunciationDictionary[] = [];
  const seen = new Set<string>();
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
    const response = await send(client, { method: 'GET', path: collectionPath(workspace), query: { pageSize: MAX_PAGE_SIZE, pageToken } }, options);
    const parsed = parseListPage(response.data, response.requestId);
    dictionaries.push(...parsed.dictionaries);
    if (!parsed.nextPageToken || seen.has(parsed.nextPageToken)) return dictionaries;
    seen.add(parsed.nextPageToken);
    pageToken = parsed.nextPageToken;
  }
  client.logger.debug(`pronunciations: stopped after ${MAX_LIST_PAGES} pages`);
  return dictionaries;
}

/** One dictionary by id (in `workspace`) or resource name, with all its entries and its etag. */
export async function getDictionary(client: InworldClient, workspace: string, dictionary: string, options: PronunciationCallOptions = {}): Promise<PronunciationDictionary> {
  const name = resolveDictionaryName(dictionary, workspace);
  const response = await send(client, { method: 'GET', path: resourcePath(name) }, options);
  return parseDictionary(response.data, response.requestId);
}

/** Creates a dictionary; checked first, sent once (never repeated after the request has left). */
export async function createDictionary(client: InworldClient, workspace: string, input: CreateDictionaryInput, options: PronunciationCallOptions = {}): Promise<PronunciationDictionary> {
  const displayName = checkDisplayName(input?.displayName);
  checkEntries(input.entries);
  const body = { displayName, pronunciations: input.entries.map(entryToWire) };
  const response = await send(client, { method: 'POST', path: collectionPath(workspace), body }, options);
  return parseDictionary(response.data, response.requestId);
}

/** Replaces the fields given (named in updateMask) if `options.etag` is still current. */
export async function updateDictionary(
  client: InworldClient,
  workspace: string,
  dictionary: string,
  input: UpdateDictionaryInput,
  options: UpdateDictionaryOptions,
  conflictHint?: string,
): Promise<PronunciationDictionary> {
  const name = resolveDictionaryName(dictionary, workspace);
  if (typeof options?.etag !== 'string' || options.etag === '') {
    throw new ValidationError('An update needs the etag of the dictionary as last read; get it first.');
  }
  const mask: string[] = [];
  const body: Record<string, unknown> = { name, etag: options.etag };
  if (input.displayName !== undefined) {
    body.displayName = checkDisplayName(input.displayName);
    mask.push('displayName');
  }
  if (input.entries !== undefined) {
    checkEntries(input.entries);
    body.pronunciations = input.entries.map(entryToWire);
    mask.push('pronunciations');
  }
  if (mask.length === 0) throw new ValidationError('Nothing to update: give a new display name, new entries, or both.');
  try {
    const response = await send(client, { method: 'PATCH', path: resourcePath(name), query: { updateMask: mask.join(',') }, body }, options);
    return parseDictionary(response.data, response.requestId);
  } catch (error) {
    throw isConflict(error) ? staleEtagError(name, error, conflictHint) : error;
  }
}

/** What a read-then-write tells the user on a conflict: this one reads again when run again. */
const RERUN_HINT = 'Conflict: the dictionary changed while this ran, so nothing was written; run it again to apply the change to the current contents.';

/**
 * Adds entries (an entry for a word already there in that language replaces it): a read, then
 * an update of the entry list with the etag just read.
 */
export async function addEntries(
  client: InworldClient,
  workspace: string,
  dictionary: string,
  entries: readonly PronunciationEntry[],
  options: PronunciationCallOptions = {},
): Promise<PronunciationDictionary> {
  checkEntries(entries);
  const current = await getDictionary(client, workspace, dictionary, options);
  const added = new Map(entries.map((entry) => [entryKey(entry), entry]));
  const kept = current.entries.filter((entry) => !added.has(entryKey(entry)));
  return updateDictionary(client, workspace, current.name, { entries: [...kept, ...added.values()] }, { ...options, etag: current.etag }, RERUN_HINT);
}

/** Removes the selected entries: a read, then an update with the etag just read (none when nothing matched). */
export async function removeEntries(
  client: InworldClient,
  workspace: string,
  dictionary: string,
  selectors: readonly EntrySelector[],
  options: PronunciationCallOptions = {},
): Promise<RemoveEntriesResult> {
  const current = await getDictionary(client, workspace, dictionary, options);
  const matches = (entry: PronunciationEntry): boolean =>
    selectors.some(
      (selector) =>
        headwordKey(selector.displayHeadword) === headwordKey(entry.displayHeadword) &&
        (selector.languageCode === undefined || selector.languageCode.toLowerCase() === entry.languageCode.toLowerCase()),
    );
  const removed = current.entries.filter(matches);
  if (removed.length === 0) return { dictionary: current, removed };
  const kept = current.entries.filter((entry) => !matches(entry));
  const saved = await updateDictionary(client, workspace, current.name, { entries: kept }, { ...options, etag: current.etag }, RERUN_HINT);
  return { dictionary: saved, removed };
}

/** Deletes a dictionary with its etag (read first when not given); `allowMissing` makes "already gone" a success. */
export async function deleteDictionary(client: InworldClient, workspace: string, dictionary: string, options: DeleteDictionaryOptions = {}): Promise<void> {
  const name = resolveDictionaryName(dictionary, workspace);
  let etag = options.etag;
  const readFirst = etag === undefined || etag === '';
  if (readFirst) {
    try {
      etag = (await getDictionary(client, workspace, name, options)).etag;
    } catch (error) {
      if (options.allowMissing && error instanceof NotFoundError) return;
      throw error;
    }
  }
  const query = { etag, allowMissing: options.allowMissing ? 'true' : undefined };
  try {
    await send(client, { method: 'DELETE', path: resourcePath(name), query }, options);
  } catch (error) {
    throw isConflict(error) ? staleEtagError(name, error, readFirst ? RERUN_HINT : undefined) : error;
  }
}
