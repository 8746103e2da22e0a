// Making the voices clients create: their ids (`{workspace}__{name}`, as the service names custom
// voices), their language code in the service's spelling, and the placeholder sound the emulator
// gives them (a pitch and an espeak voice, from the design description where there is one).
import { randomBytes } from 'node:crypto';
import { basePitchHz, espeakVoiceFor } from './catalogue.js';
import type { EmulatorVoice } from './types.js';

const MAX_SLUG_CHARS = 40;

/** `Grandma Reading!` → `grandma_reading`. */
export function slugOf(displayName: string): string {
  const slug = displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_SLUG_CHARS)
    .replace(/_+$/, '');
  return slug === '' ? 'voice' : slug;
}

/** `{workspace}__{slug}`, with `_2`, `_3`… when that id is already taken. */
export function customVoiceId(workspace: string, displayName: string, taken: (id: string) => boolean): string {
  const base = `${workspace}__${slugOf(displayName)}`;
  if (!taken(base)) return base;
  for (let n = 2; ; n += 1) if (!taken(`${base}_${n}`)) return `${base}_${n}`;
}

/** A preview's id: unguessable, since previews are not listed. */
export function previewVoiceId(workspace: string): string {
  return `${workspace}__design_${randomBytes(5).toString('hex')}`;
}

/** The region the service pairs a bare language with where it is not the language's own letters. */
const USUAL_REGION: Record<string, string> = { EN: 'US', JA: 'JP', ZH: 'CN', KO: 'KR', PT: 'BR', AR: 'SA', HI: 'IN', HE: 'IL' };

/** `en-US`, `en_us`, `EN_US` → `EN_US`; `en` → `EN_US`; empty → the fallback. */
export function normaliseLangCode(code: string | undefined, fallback: string): string {
  const parts = (code ?? '').trim().split(/[-_]/).filter(Boolean);
  if (parts.length === 0) return fallback;
  if (parts.length === 1) {
    const language = parts[0]!.toUpperCase();
    if (language === 'AUTO') return 'AUTO';
    return `${language}_${USUAL_REGION[language] ?? language}`;
  }
  return parts.map((part) => part.toUpperCase()).join('_');
}

/** The base language of a langCode for the speech engine: `EN_US` → `en-US`; AUTO → English. */
export function renderLanguage(langCode: string): string {
  if (langCode === 'AUTO') return 'en-US';
  const [language = 'en', region] = langCode.split('_');
  return region ? `${language.toLowerCase()}-${region}` : language.toLowerCase();
}

/** What a description says about the voice's gender and age, as far as plain words go. */
export function describedKind(prompt: string): Pick<EmulatorVoice, 'gender' | 'ageGroup'> {
  const text = prompt.toLowerCase();
  const gender = /\b(woman|female|girl|lady|grandma|grandmother|mother|she)\b/.test(text)
    ? 'FEMALE'
    : /\b(man|male|boy|guy|gentleman|grandpa|grandfather|father|he)\b/.test(text)
      ? 'MALE'
      : '';
  const ageGroup = /\b(old|older|elderly|aged|senior|grandma|grandpa|grandmother|grandfather)\b/.test(text)
    ? 'OLD'
    : /\bmiddle[- ]aged\b/.test(text)
      ? 'MIDDLE_AGED'
      : /\b(young|teen|teenage|child|kid|youthful)\b/.test(text)
        ? 'YOUNG'
        : gender === '' ? '' : 'ADULT';
  return { gender, ageGroup };
}

/** A small stable number from a string, so one name always gets the same pitch. */
function hashOf(text: string): number {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return hash;
}

export interface CustomVoiceFields {
  voiceId: string;
  displayName: string;
  description: string;
  langCode: string;
  tags: string[];
  gender?: EmulatorVoice['gender'];
  ageGroup?: EmulatorVoice['ageGroup'];
  /** Shifts the pitch (design previews of one description differ by this). */
  variation?: number;
}

export function customVoice(fields: CustomVoiceFields): EmulatorVoice {
  const gender = fields.gender ?? '';
  const ageGroup = fields.ageGroup ?? '';
  const spread = (hashOf(fields.voiceId) % 31) - 15;
  return {
    voiceId: fields.voiceId,
    displayName: fields.displayName,
    description: fields.description,
    langCode: fields.langCode,
    promptLanguages: fields.langCode === 'AUTO' ? [] : [renderLanguage(fields.langCode)],
    gender,
    ageGroup,
    tags: fields.tags,
    categories: [],
    source: 'IVC',
    pitchHz: basePitchHz(gender, ageGroup) + spread + (fields.variation ?? 0) * 18,
    espeakVoice: espeakVoiceFor(fields.langCode === 'AUTO' ? 'EN_US' : fields.langCode, gender),
  };
}
