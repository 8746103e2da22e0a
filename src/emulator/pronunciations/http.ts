// The Pronunciation Dictionaries API: `/pronunciations/v1/workspaces/{ws}/pronunciationDictionaries`
// (GET list in pages of at most 5, POST create) and `…/{id}` (GET, PATCH with updateMask and
// etag, DELETE with ?etag=&allowMissing=). A stale etag is 409 ABORTED.
import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from '../server/context.js';
import { EmulatorError, GRPC_ABORTED, GRPC_NOT_FOUND, GRPC_UNIMPLEMENTED, invalidArgument } from '../server/grpc.js';
import { sendJson } from '../server/http-io.js';
import { isObject, readString, type JsonObject } from '../server/json-fields.js';
import { readDisplayName, readEntries } from './entries.js';
import { dictionaryJson, type StoredDictionary } from './store.js';

/** Dictionaries per list page: the default, and the most a page holds (each carries all its entries). */
export const LIST_PAGE_SIZE = 5;
/** A custom fault on a PATCH or DELETE: another writer changes the dictionary just before it is checked. */
export const CONCURRENT_EDIT_FAULT = 'pronunciation-concurrent-edit';

const PATH = /^\/pronunciations\/v1\/workspaces\/([^/]+)\/pronunciationDictionaries(?:\/([^/]+))?$/;
const MASK_FIELDS: Record<string, 'displayName' | 'pronunciations'> = {
  displayName: 'displayName', display_name: 'displayName', pronunciations: 'pronunciations',
};

export interface PronunciationTarget {
  workspace: string;
  /** Absent for the collection. */
  id?: string;
}

export function matchPronunciationPath(path: string): PronunciationTarget | undefined {
  const match = PATH.exec(path);
  if (!match) return undefined;
  const workspace = decodeURIComponent(match[1]!);
  return match[2] === undefined ? { workspace } : { workspace, id: decodeURIComponent(match[2]) };
}

export interface PronunciationRequest {
  method: string;
  url: URL;
  body: unknown;
  response: ServerResponse;
}

export function handlePronunciations(target: PronunciationTarget, req: PronunciationRequest, ctx: EmulatorContext): void {
  const { method, response } = req;
  const notAllowed = (): never => {
    throw new EmulatorError(GRPC_UNIMPLEMENTED, `Method ${method} not allowed on ${req.url.pathname}`, 405);
  };
  if (target.id === undefined) {
    if (method === 'GET') return sendJson(response, 200, listPage(target.workspace, req.url, ctx));
    if (method === 'POST') return sendJson(response, 200, dictionaryJson(create(target.workspace, req.body, ctx)));
    return notAllowed();
  }
  const name = `workspaces/${target.workspace}/pronunciationDictionaries/${target.id}`;
  if (method === 'GET') return sendJson(response, 200, dictionaryJson(existing(name, ctx)));
  if (method === 'PATCH') return sendJson(response, 200, dictionaryJson(update(name, req.url, req.body, ctx)));
  if (method === 'DELETE') return sendJson(response, 200, remove(name, req.url, ctx));
  return notAllowed();
}

function existing(name: string, ctx: EmulatorContext): StoredDictionary {
  const dictionary = ctx.pronunciations.find(name);
  if (!dictionary) throw new EmulatorError(GRPC_NOT_FOUND, `Pronunciation dictionary ${name} not found`);
  return dictionary;
}

function listPage(workspace: string, url: URL, ctx: EmulatorContext): Record<string, unknown> {
  const sizeText = url.searchParams.get('pageSize') ?? url.searchParams.get('page_size');
  const token = url.searchParams.get('pageToken') ?? url.searchParams.get('page_token') ?? '';
  const requested = sizeText === null || sizeText.trim() === '' ? 0 : Number(sizeText);
  if (!Number.isInteger(requested) || requested < 0) throw invalidArgument(`page_size must be a non-negative integer, got "${sizeText}"`);
  const size = requested === 0 ? LIST_PAGE_SIZE : Math.min(requested, LIST_PAGE_SIZE);
  const offset = token === '' ? 0 : decodePageToken(token, workspace);
  const all = ctx.pronunciations.list(workspace);
  const page = all.slice(offset, offset + size);
  const next = offset + size < all.length ? encodePageToken(workspace, offset + size) : '';
  return { pronunciationDictionaries: page.map(dictionaryJson), nextPageToken: next };
}

function create(workspace: string, body: unknown, ctx: EmulatorContext): StoredDictionary {
  if (!isObject(body)) throw invalidArgument('Invalid JSON payload: expected a pronunciation dictionary object');
  return ctx.pronunciations.create(workspace, readDisplayName(body), readEntries(body));
}

function update(name: string, url: URL, body: unknown, ctx: EmulatorContext): StoredDictionary {
  if (!isObject(body)) throw invalidArgument('Invalid JSON payload: expected a pronunciation dictionary object');
  const mask = readUpdateMask(url, body);
  const bodyName = readString(body, 'name');
  if (bodyName !== undefined && bodyName !== '' && bodyName !== name) {
    throw invalidArgument(`name "${bodyName}" in the body does not match the dictionary in the path (${name})`);
  }
  const etag = readString(body, 'etag');
  const dictionary = existing(name, ctx);
  checkEtag(dictionary, etag, ctx);
  const changes: { displayName?: string; entries?: StoredDictionary['entries'] } = {};
  if (mask.has('displayName')) changes.displayName = readDisplayName(body);
  if (mask.has('pronunciations')) changes.entries = readEntries(body);
  return ctx.pronunciations.write(dictionary, changes);
}

function readUpdateMask(url: URL, body: JsonObject): Set<'displayName' | 'pronunciations'> {
  const fromQuery = url.searchParams.get('updateMask') ?? url.searchParams.get('update_mask');
  const fromBody = readString(body, 'updateMask');
  const text = fromQuery ?? fromBody;
  if (text === null || text === undefined || text.trim() === '') throw invalidArgument('update_mask is required: name the fields to change (displayName, pronunciations)');
  const fields = new Set<'displayName' | 'pronunciations'>();
  for (const part of text.split(',').map((field) => field.trim()).filter(Boolean)) {
    const field = MASK_FIELDS[part];
    if (!field) throw invalidArgument(`update_mask names "${part}", which cannot be updated; use displayName and/or pronunciations`);
    fields.add(field);
  }
  return fields;
}

function remove(name: string, url: URL, ctx: EmulatorContext): Record<string, never> {
  const etag = url.searchParams.get('etag') ?? undefined;
  const allowMissing = readFlag(url.searchParams.get('allowMissing') ?? url.searchParams.get('allow_missing'), 'allow_missing');
  if (etag === undefined || etag === '') throw invalidArgument('etag is required: get the dictionary and pass its current etag');
  const dictionary = ctx.pronunciations.find(name);
  if (!dictionary) {
    if (allowMissing) return {};
    throw new EmulatorError(GRPC_NOT_FOUND, `Pronunciation dictionary ${name} not found`);
  }
  checkEtag(dictionary, etag, ctx);
  ctx.pronunciations.delete(name);
  return {};
}

/** Refuses a missing etag (400) or a stale one (409), after any concurrent-edit fault has struck. */
function checkEtag(dictionary: StoredDictionary, etag: string | undefined, ctx: EmulatorContext): void {
  if (etag === undefined || etag === '') throw invalidArgument('etag is required: get the dictionary and pass its current etag');
  const concurrent = ctx.matchedFaults.some((fault) => fault.type === 'custom' && fault.name === CONCURRENT_EDIT_FAULT);
  if (concurrent) ctx.pronunciations.write(dictionary, {});
  if (etag !== dictionary.etag) {
    throw new EmulatorError(GRPC_ABORTED, `The etag "${etag}" of ${dictionary.name} is stale: the dictionary changed since it was read; get it again and retry`);
  }
}

function readFlag(value: string | null, name: string): boolean {
  if (value === null || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw invalidArgument(`${name} must be true or false, got "${value}"`);
}

function encodePageToken(workspace: string, offset: number): string {
  return Buffer.from(`${workspace}\n${offset}`, 'utf8').toString('base64url');
}

function decodePageToken(token: string, workspace: string): number {
  const [owner, offset] = Buffer.from(token, 'base64url').toString('utf8').split('\n');
  if (owner !== workspace || offset === undefined || !/^\d+$/.test(offset)) throw invalidArgument(`Invalid page_token "${token}"`);
  return Number(offset);
}
