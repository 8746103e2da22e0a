// Voice listing: the legacy GET /tts/v1/voices (`{voices:[{voiceId, displayName, description,
// languages, tags, isCustom}]}`) and the Voice API GET /voices/v1/voices and
// /voices/v1/voices/{voiceId} (Voice API fields, an AIP-160 filter, pageSize / pageToken paging).
import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from '../server/context.js';
import { EmulatorError, GRPC_NOT_FOUND, invalidArgument } from '../server/grpc.js';
import { sendJson } from '../server/http-io.js';
import { baseLanguage } from './catalogue.js';
import { compileVoiceFilter, languagesPredicate } from './filter.js';
import type { EmulatorVoice } from './types.js';

const MAX_PAGE_SIZE = 1000;
/** The most voices the no-parameter list returns (the service's legacy path caps it at 2000). */
const LEGACY_FULL_LIST_CAP = 2000;
/** Workspace shown in system voice resource names. */
const SYSTEM_WORKSPACE = 'inworld';

export function legacyVoiceJson(voice: EmulatorVoice): Record<string, unknown> {
  // The legacy endpoint gives system voices empty tags.
  return {
    languages: [baseLanguage(voice.langCode)],
    voiceId: voice.voiceId,
    displayName: voice.displayName,
    description: voice.description,
    tags: voice.source === 'SYSTEM' ? [] : voice.tags,
    isCustom: voice.source !== 'SYSTEM',
  };
}

/** `workspaces/{ws}/voices/{voice}`: a custom voice's id is `{ws}__{voice}`. */
function resourceName(voice: EmulatorVoice): string {
  const split = voice.voiceId.indexOf('__');
  if (voice.source === 'SYSTEM' || split < 0) return `workspaces/${SYSTEM_WORKSPACE}/voices/${voice.voiceId}`;
  return `workspaces/${voice.voiceId.slice(0, split)}/voices/${voice.voiceId.slice(split + 2)}`;
}

export function voiceApiJson(voice: EmulatorVoice): Record<string, unknown> {
  return {
    name: resourceName(voice),
    voiceId: voice.voiceId,
    langCode: voice.langCode,
    displayName: voice.displayName,
    description: voice.description,
    tags: voice.tags,
    categories: voice.categories,
    source: voice.source,
    gender: voice.gender,
    ageGroup: voice.ageGroup,
    promptLanguages: voice.promptLanguages,
  };
}

/** GET /tts/v1/voices?filter=language=xx */
export function handleLegacyVoices(response: ServerResponse, url: URL, ctx: EmulatorContext): void {
  if (ctx.options.legacyVoicesNotFound) throw new EmulatorError(GRPC_NOT_FOUND, 'Not Found');
  const filter = (url.searchParams.get('filter') ?? '').trim();
  let voices = ctx.voices.list();
  if (filter !== '') {
    const match = /^language\s*=\s*"?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?"?$/.exec(filter);
    if (!match) throw invalidArgument(`Invalid filter "${filter}": expected language=<code>`);
    const language = match[1]!.toLowerCase();
    voices = voices.filter((voice) => baseLanguage(voice.langCode) === language);
  }
  sendJson(response, 200, { voices: voices.map(legacyVoiceJson) });
}

/** GET /voices/v1/voices with filter, orderBy, pageSize, pageToken. */
export function handleListVoices(response: ServerResponse, url: URL, ctx: EmulatorContext): void {
  const param = (camel: string, snake: string): string | null => url.searchParams.get(camel) ?? url.searchParams.get(snake);
  const filter = param('filter', 'filter') ?? '';
  const orderBy = param('orderBy', 'order_by');
  const pageSizeText = param('pageSize', 'page_size');
  const pageToken = param('pageToken', 'page_token');

  const languages = url.searchParams.getAll('languages');
  let voices = ctx.voices.list().filter(compileVoiceFilter(filter)).filter(languagesPredicate(languages));
  if (orderBy) voices = [...voices].sort(voiceComparator(orderBy));
  const totalSize = voices.length;

  // Without paging parameters the list comes whole, as it did before the Voice API paged.
  if (pageSizeText === null && pageToken === null) {
    // The legacy whole list is capped, as the service caps it.
    voices = voices.slice(0, LEGACY_FULL_LIST_CAP);
    sendJson(response, 200, { voices: voices.map(voiceApiJson), totalSize, nextPageToken: '' });
    return;
  }
  const pageSize = pageSizeText === null || pageSizeText === '' ? MAX_PAGE_SIZE : Number(pageSizeText);
  if (!Number.isInteger(pageSize) || pageSize < 0) throw invalidArgument(`Invalid page_size "${pageSizeText}"`);
  const size = pageSize === 0 ? MAX_PAGE_SIZE : Math.min(pageSize, MAX_PAGE_SIZE);
  const offset = pageToken ? decodePageToken(pageToken) : 0;
  const page = voices.slice(offset, offset + size);
  const next = offset + size < totalSize ? encodePageToken(offset + size) : '';
  sendJson(response, 200, { voices: page.map(voiceApiJson), totalSize, nextPageToken: next });
}

/** GET /voices/v1/voices/{voiceId} */
export function handleGetVoice(response: ServerResponse, voiceId: string, ctx: EmulatorContext): void {
  const voice = ctx.voices.find(voiceId);
  if (!voice) throw new EmulatorError(GRPC_NOT_FOUND, `Voice ${voiceId} not found`);
  sendJson(response, 200, voiceApiJson(voice));
}

const ORDER_FIELDS: Record<string, keyof EmulatorVoice> = {
  display_name: 'displayName', displayname: 'displayName', voice_id: 'voiceId', voiceid: 'voiceId',
  lang_code: 'langCode', langcode: 'langCode', gender: 'gender', age_group: 'ageGroup', source: 'source',
};

function voiceComparator(orderBy: string): (a: EmulatorVoice, b: EmulatorVoice) => number {
  const keys = orderBy.split(',').map((part) => {
    const [name = '', direction = 'asc', ...rest] = part.trim().split(/\s+/);
    const field = ORDER_FIELDS[name.toLowerCase()];
    if (!field || rest.length > 0 || !/^(asc|desc)$/i.test(direction)) throw invalidArgument(`Invalid order_by "${orderBy}"`);
    return { field, sign: direction.toLowerCase() === 'desc' ? -1 : 1 };
  });
  return (a, b) => {
    for (const { field, sign } of keys) {
      const cmp = String(a[field]).localeCompare(String(b[field]));
      if (cmp !== 0) return cmp * sign;
    }
    return 0;
  };
}

function encodePageToken(offset: number): string {
  return Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');
}

function decodePageToken(token: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw invalidArgument(`Invalid page_token "${token}"`);
  return Number(match[1]);
}
