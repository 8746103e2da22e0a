// Listing voices. The current Voice API is `GET /voices/v1/voices` (AIP-160 filter
// `lang_code = "<code>"`, paged with pageToken/nextPageToken). When it answers 404 (an older server,
// or a deployment without it) we fall back to the legacy `GET /tts/v1/voices?filter=language=<xx>`,
// which only knows ISO 639-1 base codes. Both shapes are normalised to one Voice type.
import type { InworldClient } from '../core/client.js';
import { NotFoundError, ProtocolError, ValidationError } from '../core/errors.js';
import { requestJson, type JsonResponse } from '../core/http.js';
import { withRetry } from '../core/retry.js';
import type { Voice } from './types.js';

export type { Voice } from './types.js';

export const VOICE_API_PATH = '/voices/v1/voices';
export const LEGACY_VOICES_PATH = '/tts/v1/voices';
/** Stop following nextPageToken after this many pages (a server bug must not loop us forever). */
export const MAX_VOICE_PAGES = 100;
/** Page size we ask the Voice API for; the server may return fewer. */
export const VOICE_PAGE_SIZE = 500;

/** Filter and request settings for listing voices. */
export interface ListVoicesOptions {
  /** Language filter: BCP-47 (`en-US`), underscore form (`en_US`) or a base code (`en`). */
  language?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
  /** Ask the Voice API for this page size (default 500). */
  pageSize?: number;
  /** Skip the Voice API and use the legacy endpoint only. */
  legacyOnly?: boolean;
}

export interface ListVoicesResult {
  voices: Voice[];
  /** Which endpoint answered. */
  source: 'voice-api' | 'legacy';
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.length > 0) : [];
}

/** `EN_US` -> `en-US`, `AUTO` -> `auto`, `zh_Hant_TW` -> `zh-Hant-TW`. */
export function langCodeToBcp47(code: string): string {
  const parts = code.split(/[_-]/).filter(Boolean);
  if (parts.length === 0) return code;
  return parts
    .map((part, index) => {
      if (index === 0) return part.toLowerCase();
      if (part.length === 2) return part.toUpperCase();
      if (part.length === 4) return part[0]!.toUpperCase() + part.slice(1).toLowerCase();
      return part;
    })
    .join('-');
}

/** Normalises one Voice API voice object. */
export function normaliseVoiceApiVoice(raw: unknown): Voice | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const record = raw as Record<string, unknown>;
  const name = str(record.name);
  const id = str(record.voiceId) ?? (name ? name.split('/').pop() : undefined);
  if (!id) return undefined;
  const languages: string[] = [];
  const langCode = str(record.langCode);
  if (langCode) languages.push(langCodeToBcp47(langCode));
  for (const language of strings(record.promptLanguages)) {
    if (!languages.includes(language)) languages.push(language);
  }
  const source = str(record.source);
  const voice: Voice = {
    id,
    displayName: str(record.displayName) ?? id,
    languages,
    isCustom: source !== undefined ? source !== 'SYSTEM' : id.includes('__'),
    tags: strings(record.tags),
    origin: 'voice-api',
  };
  const description = str(record.description);
  if (description) voice.description = description;
  const gender = str(record.gender);
  if (gender && !gender.endsWith('_UNSPECIFIED')) voice.gender = gender;
  const ageGroup = str(record.ageGroup);
  if (ageGroup && !ageGroup.endsWith('_UNSPECIFIED')) voice.ageGroup = ageGroup;
  if (source) voice.source = source;
  const categories = strings(record.categories);
  if (categories.length > 0) voice.categories = categories;
  if (name) voice.name = name;
  return voice;
}

/** Normalises one legacy `/tts/v1/voices` voice object. */
export function normaliseLegacyVoice(raw: unknown): Voice | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const record = raw as Record<string, unknown>;
  const id = str(record.voiceId) ?? str(record.name);
  if (!id) return undefined;
  const isCustom = typeof record.isCustom === 'boolean' ? record.isCustom : id.includes('__');
  const voice: Voice = {
    id,
    displayName: str(record.displayName) ?? id,
    languages: strings(record.languages),
    isCustom,
    tags: strings(record.tags),
    origin: 'legacy',
  };
  const description = str(record.description);
  if (description) voice.description = description;
  const gender = str(record.gender);
  if (gender) voice.gender = gender;
  const ageGroup = str(record.ageGroup);
  if (ageGroup) voice.ageGroup = ageGroup;
  voice.source = isCustom ? 'CUSTOM' : 'SYSTEM';
  return voice;
}

function validateLanguage(language: string | undefined): string | undefined {
  if (language === undefined) return undefined;
  const trimmed = language.trim();
  if (trimmed === '') return undefined;
  if (!/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/.test(trimmed)) {
    throw new ValidationError(`Language "${language}" is not a language code; use a form like en, en-US or ja-JP (fix --lang).`);
  }
  return trimmed;
}

function voicesArray(data: unknown, requestId: string): unknown[] {
  if (data === null || typeof data !== 'object') {
    throw new ProtocolError({ serverMessage: 'voice list response is not a JSON object', requestId });
  }
  const voices = (data as Record<string, unknown>).voices;
  if (voices === undefined || voices === null) return [];
  if (!Array.isArray(voices)) throw new ProtocolError({ serverMessage: '`voices` in the voice list response is not an array', requestId });
  return voices;
}

async function getJson(client: InworldClient, path: string, query: Record<string, string | number | undefined>, options: ListVoicesOptions): Promise<JsonResponse<unknown>> {
  return withRetry(
    () => requestJson(client, { method: 'GET', path, query, signal: options.signal, timeoutMs: options.timeoutMs }),
    { maxRetries: options.maxRetries ?? client.maxRetries, signal: options.signal },
  );
}

async function listFromVoiceApi(client: InworldClient, language: string | undefined, options: ListVoicesOptions): Promise<Voice[]> {
  const filter = language ? `lang_code = "${language}"` : undefined;
  const voices: Voice[] = [];
  const seenTokens = new Set<string>();
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_VOICE_PAGES; page += 1) {
    const response = await getJson(client, VOICE_API_PATH, { filter, pageSize: options.pageSize ?? VOICE_PAGE_SIZE, pageToken }, options);
    for (const raw of voicesArray(response.data, response.requestId)) {
      const voice = normaliseVoiceApiVoice(raw);
      if (voice) voices.push(voice);
    }
    const next = str((response.data as Record<string, unknown>).nextPageToken);
    if (!next || seenTokens.has(next)) return voices;
    seenTokens.add(next);
    pageToken = next;
  }
  client.logger.debug(`voices: stopped after ${MAX_VOICE_PAGES} pages`);
  return voices;
}

async function listFromLegacy(client: InworldClient, language: string | undefined, options: ListVoicesOptions): Promise<Voice[]> {
  // The legacy filter only knows base codes: en-US -> en.
  const base = language ? language.split(/[-_]/)[0]!.toLowerCase() : undefined;
  const response = await getJson(client, LEGACY_VOICES_PATH, { filter: base ? `language=${base}` : undefined }, options);
  const voices: Voice[] = [];
  for (const raw of voicesArray(response.data, response.requestId)) {
    const voice = normaliseLegacyVoice(raw);
    if (voice) voices.push(voice);
  }
  return voices;
}

/** Lists voices, optionally for one language; Voice API first, legacy endpoint on 404. */
export async function listVoicesDetailed(client: InworldClient, options: ListVoicesOptions = {}): Promise<ListVoicesResult> {
  const language = validateLanguage(options.language);
  if (!options.legacyOnly) {
    try {
      return { voices: await listFromVoiceApi(client, language, options), source: 'voice-api' };
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      client.logger.debug('voices: the Voice API answered 404; using the legacy /tts/v1/voices endpoint');
    }
  }
  return { voices: await listFromLegacy(client, language, options), source: 'legacy' };
}

/** Lists voices, optionally for one language; Voice API first, legacy endpoint on 404. */
export async function listVoices(client: InworldClient, options: ListVoicesOptions = {}): Promise<Voice[]> {
  return (await listVoicesDetailed(client, options)).voices;
}
