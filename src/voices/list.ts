// Listing voices. The current Voice API is `GET /voices/v1/voices`: an AIP-160 `filter`
// (`lang_code = "<code>" AND gender = "female"`), the repeated `languages=` parameters Inworld's own
// SDK sends, and paging with pageToken/nextPageToken followed to the end. When it answers 404 (an
// older server), or 403 when asked to (a key without the Voices scope, as Inworld's own tools do),
// we fall back to the legacy `GET /tts/v1/voices?filter=language=<xx>`, which knows only base codes
// and no other filter. Both shapes are normalised to one Voice type (voices/protocol.ts).
import type { InworldClient } from '../core/client.js';
import { NotFoundError, PermissionDeniedError, ProtocolError, ValidationError } from '../core/errors.js';
import type { JsonResponse } from '../core/http.js';
import { LEGACY_VOICES_PATH, VOICE_API_PATH, normaliseLegacyVoice, normaliseVoiceApiVoice, str } from './protocol.js';
import { voiceRequest } from './request.js';
import type { Voice, VoiceCallOptions } from './types.js';

export type { Voice } from './types.js';
export { LEGACY_VOICES_PATH, VOICE_API_PATH, langCodeToBcp47, normaliseLegacyVoice, normaliseVoiceApiVoice } from './protocol.js';

/** Stop following nextPageToken after this many pages (a server bug must not loop us forever). */
export const MAX_VOICE_PAGES = 100;
/** Page size we ask the Voice API for; the server may return fewer. */
export const VOICE_PAGE_SIZE = 500;

/** Where a voice comes from, as the list filters it. */
export type VoiceSourceFilter = 'system' | 'custom';

/** Filter and request settings for listing voices. */
export interface ListVoicesOptions extends VoiceCallOptions {
  /** Language filter: BCP-47 (`en-US`), underscore form (`en_US`) or a base code (`en`). */
  language?: string;
  /** Several languages at once (any of them matches); combined with `language` when both are given. */
  languages?: string[];
  /** `female`, `male`, `neutral` (sent lower case, as Inworld's tools do). */
  gender?: string;
  /** `young`, `adult`, `middle_aged`, `elderly` (sent lower case). */
  ageGroup?: string;
  /** Only the built-in voices, or only the ones cloned or designed in your workspace. */
  source?: VoiceSourceFilter;
  /** Ask the Voice API for this page size (default 500). */
  pageSize?: number;
  /** Skip the Voice API and use the legacy endpoint only. */
  legacyOnly?: boolean;
  /**
   * When the Voice API refuses the key (403: no Voices scope), list from the legacy endpoint
   * instead, as Inworld's own tools do. Off by default: the refusal says what the key lacks.
   */
  fallbackOnForbidden?: boolean;
}

/** What a detailed voice listing found, and how. */
export interface ListVoicesResult {
  voices: Voice[];
  /** Which endpoint answered. */
  source: 'voice-api' | 'legacy';
  /** Filters the answering endpoint cannot apply (the legacy list knows no gender or age). */
  ignoredFilters: string[];
}

interface VoiceFilters {
  languages: string[];
  gender?: string;
  ageGroup?: string;
  source?: VoiceSourceFilter;
}

function validateLanguage(language: string): string | undefined {
  const trimmed = language.trim();
  if (trimmed === '') return undefined;
  if (!/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/.test(trimmed)) {
    throw new ValidationError(`Language "${language}" is not a language code; use a form like en, en-US or ja-JP (fix --lang).`);
  }
  return trimmed;
}

function validateWord(value: string | undefined, what: string, flag: string): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const word = value.trim().toLowerCase().replace(/[-\s]+/g, '_');
  if (!/^[a-z_]+$/.test(word)) throw new ValidationError(`${what} "${value}" is not a single word such as female or young (fix ${flag}).`);
  return word;
}

function validateFilters(options: ListVoicesOptions): VoiceFilters {
  const given = [...(options.language !== undefined ? [options.language] : []), ...(options.languages ?? [])];
  const languages = [...new Set(given.map(validateLanguage).filter((code): code is string => code !== undefined))];
  if (options.source !== undefined && options.source !== 'system' && options.source !== 'custom') {
    throw new ValidationError(`Voice source "${String(options.source)}" is neither system nor custom (fix --source).`);
  }
  return {
    languages,
    gender: validateWord(options.gender, 'Gender', '--gender'),
    ageGroup: validateWord(options.ageGroup, 'Age group', '--age'),
    source: options.source,
  };
}

/** The AIP-160 expression for the filters; one language goes here too (the form older servers know). */
export function voiceFilterExpression(filters: VoiceFilters): string | undefined {
  const terms: string[] = [];
  if (filters.languages.length === 1) terms.push(`lang_code = "${filters.languages[0]}"`);
  if (filters.gender) terms.push(`gender = "${filters.gender}"`);
  if (filters.ageGroup) terms.push(`age_group = "${filters.ageGroup}"`);
  if (filters.source) terms.push(`source = "${filters.source === 'system' ? 'SYSTEM' : 'IVC'}"`);
  return terms.length > 0 ? terms.join(' AND ') : undefined;
}

/** True when the voice speaks one of the wanted languages (`en` matches `en-GB`; `en-US` only itself). */
function speaksAny(voice: Voice, wanted: readonly string[]): boolean {
  const spoken = voice.languages.map((language) => language.toLowerCase().replace(/_/g, '-'));
  return wanted.some((code) => {
    const want = code.toLowerCase().replace(/_/g, '-');
    return spoken.some((language) => language === want || (!want.includes('-') && language.split('-')[0] === want));
  });
}

/** What the server may not have applied, applied here: a no-op when it did. */
function keep(voices: Voice[], filters: VoiceFilters, checkLanguages: boolean): Voice[] {
  return voices.filter(
    (voice) =>
      (!checkLanguages || filters.languages.length === 0 || speaksAny(voice, filters.languages)) &&
      (filters.source === undefined || voice.isCustom === (filters.source === 'custom')),
  );
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

function getJson(client: InworldClient, path: string, query: Record<string, string | number | undefined | readonly string[]>, options: ListVoicesOptions): Promise<JsonResponse<unknown>> {
  return voiceRequest(client, { method: 'GET', path, query, idempotent: true }, options);
}

async function listFromVoiceApi(client: InworldClient, filters: VoiceFilters, options: ListVoicesOptions): Promise<Voice[]> {
  const filter = voiceFilterExpression(filters);
  const languages = filters.languages.length > 0 ? filters.languages : undefined;
  const voices: Voice[] = [];
  const seenTokens = new Set<string>();
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_VOICE_PAGES; page += 1) {
    const query = { filter, languages, pageSize: options.pageSize ?? VOICE_PAGE_SIZE, pageToken };
    const response = await getJson(client, VOICE_API_PATH, query, options);
    for (const raw of voicesArray(response.data, response.requestId)) {
      const voice = normaliseVoiceApiVoice(raw);
      if (voice) voices.push(voice);
    }
    const next = str((response.data as Record<string, unknown>).nextPageToken);
    if (!next || seenTokens.has(next)) return keep(voices, filters, filters.languages.length > 1);
    seenTokens.add(next);
    pageToken = next;
  }
  client.logger.debug(`voices: stopped after ${MAX_VOICE_PAGES} pages`);
  return keep(voices, filters, filters.languages.length > 1);
}

async function listFromLegacy(client: InworldClient, filters: VoiceFilters, options: ListVoicesOptions): Promise<Voice[]> {
  // The legacy filter only knows one base code: en-US -> en. Several languages are filtered here.
  const bases = [...new Set(filters.languages.map((code) => code.split(/[-_]/)[0]!.toLowerCase()))];
  const query = { filter: bases.length === 1 ? `language=${bases[0]}` : undefined };
  const response = await getJson(client, LEGACY_VOICES_PATH, query, options);
  const voices: Voice[] = [];
  for (const raw of voicesArray(response.data, response.requestId)) {
    const voice = normaliseLegacyVoice(raw);
    if (voice) voices.push(voice);
  }
  return keep(voices, { ...filters, languages: bases }, bases.length > 1);
}

/** Lists voices matching the filters; Voice API first, the legacy endpoint on 404 (or 403, if asked). */
export async function listVoicesDetailed(client: InworldClient, options: ListVoicesOptions = {}): Promise<ListVoicesResult> {
  const filters = validateFilters(options);
  if (!options.legacyOnly) {
    try {
      return { voices: await listFromVoiceApi(client, filters, options), source: 'voice-api', ignoredFilters: [] };
    } catch (error) {
      const forbidden = error instanceof PermissionDeniedError && options.fallbackOnForbidden === true;
      if (!(error instanceof NotFoundError) && !forbidden) throw error;
      const why = error instanceof NotFoundError ? 'answered 404' : 'refused this key (403)';
      client.logger.debug(`voices: the Voice API ${why}; using the legacy /tts/v1/voices endpoint`);
    }
  }
  const ignoredFilters = [...(filters.gender ? ['gender'] : []), ...(filters.ageGroup ? ['age group'] : [])];
  return { voices: await listFromLegacy(client, filters, options), source: 'legacy', ignoredFilters };
}

/** Lists voices matching the filters; Voice API first, the legacy endpoint on 404 (or 403, if asked). */
export async function listVoices(client: InworldClient, options: ListVoicesOptions = {}): Promise<Voice[]> {
  return (await listVoicesDetailed(client, options)).voices;
}
