// The Voice API's wire shapes (docs/protocol.md#voices) and the functions that turn them into the
// library's types: voice objects from either list endpoint, clone sample verdicts, design
// previews, and language codes in the service's upper snake case (`EN_US`).
import { ProtocolError } from '../core/errors.js';
import type { SampleValidation, Voice, VoicePreview } from './types.js';

export const VOICE_API_PATH = '/voices/v1/voices';
export const LEGACY_VOICES_PATH = '/tts/v1/voices';
export const CLONE_PATH = `${VOICE_API_PATH}:clone`;
export const DESIGN_PATH = `${VOICE_API_PATH}:design`;

/** The path of one voice, with its id escaped (custom ids hold `__`, never `/`, but be safe). */
export function voicePath(voiceId: string, verb?: 'publish'): string {
  return `${VOICE_API_PATH}/${encodeURIComponent(voiceId)}${verb ? `:${verb}` : ''}`;
}

/** The region a bare language means when the service needs a full code (its own list of codes). */
const DEFAULT_REGION: Record<string, string> = {
  en: 'US', zh: 'CN', ja: 'JP', ko: 'KR', ru: 'RU', it: 'IT', es: 'ES', pt: 'BR', de: 'DE', fr: 'FR',
  ar: 'SA', pl: 'PL', nl: 'NL', hi: 'IN', he: 'IL',
};

/** `en-US`, `en_us` → `EN_US`; `en` → `EN_US` (its usual region); `auto` → `AUTO`. */
export function toVoiceApiLangCode(code: string): string {
  const parts = code.trim().split(/[-_]/).filter(Boolean);
  if (parts.length === 0) return code;
  const [language, ...rest] = parts;
  if (rest.length === 0) {
    const region = DEFAULT_REGION[language!.toLowerCase()];
    return region ? `${language!.toUpperCase()}_${region}` : language!.toUpperCase();
  }
  return [language, ...rest].map((part) => part!.toUpperCase()).join('_');
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

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.length > 0) : [];
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Normalises one Voice API voice object. */
export function normaliseVoiceApiVoice(raw: unknown): Voice | undefined {
  const fields = record(raw);
  if (!fields) return undefined;
  const name = str(fields.name);
  const id = str(fields.voiceId) ?? (name ? name.split('/').pop() : undefined);
  if (!id) return undefined;
  const languages: string[] = [];
  const langCode = str(fields.langCode);
  if (langCode) languages.push(langCodeToBcp47(langCode));
  for (const language of strings(fields.promptLanguages)) {
    if (!languages.includes(language)) languages.push(language);
  }
  const source = str(fields.source);
  const voice: Voice = {
    id,
    displayName: str(fields.displayName) ?? id,
    languages,
    isCustom: source !== undefined ? source !== 'SYSTEM' : id.includes('__'),
    tags: strings(fields.tags),
    origin: 'voice-api',
  };
  const description = str(fields.description);
  if (description) voice.description = description;
  const gender = str(fields.gender);
  if (gender && !gender.endsWith('_UNSPECIFIED')) voice.gender = gender;
  const ageGroup = str(fields.ageGroup);
  if (ageGroup && !ageGroup.endsWith('_UNSPECIFIED')) voice.ageGroup = ageGroup;
  if (source) voice.source = source;
  const categories = strings(fields.categories);
  if (categories.length > 0) voice.categories = categories;
  if (name) voice.name = name;
  return voice;
}

/** Normalises one legacy `/tts/v1/voices` voice object. */
export function normaliseLegacyVoice(raw: unknown): Voice | undefined {
  const fields = record(raw);
  if (!fields) return undefined;
  const id = str(fields.voiceId) ?? str(fields.name);
  if (!id) return undefined;
  const isCustom = typeof fields.isCustom === 'boolean' ? fields.isCustom : id.includes('__');
  const voice: Voice = {
    id,
    displayName: str(fields.displayName) ?? id,
    languages: strings(fields.languages),
    isCustom,
    tags: strings(fields.tags),
    origin: 'legacy',
  };
  const description = str(fields.description);
  if (description) voice.description = description;
  const gender = str(fields.gender);
  if (gender) voice.gender = gender;
  const ageGroup = str(fields.ageGroup);
  if (ageGroup) voice.ageGroup = ageGroup;
  voice.source = isCustom ? 'CUSTOM' : 'SYSTEM';
  return voice;
}

/** A voice object the service must have sent (get, update, publish); a ProtocolError if it is not one. */
export function requireVoice(raw: unknown, requestId: string, what: string): Voice {
  const voice = normaliseVoiceApiVoice(raw);
  if (!voice) throw new ProtocolError({ serverMessage: `${what} response holds no voice object with a voiceId`, requestId });
  return voice;
}

/** The texts of `[{text}]` (the shape of clone warnings and errors); plain strings are taken too. */
function texts(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((item) => (typeof item === 'string' ? item : str(record(item)?.text)))
    .filter((text): text is string => text !== undefined && text.length > 0);
}

/** `audioSamplesValidated` of a clone response. */
export function parseSampleValidations(value: unknown): SampleValidation[] {
  if (!Array.isArray(value)) return [];
  return value.map((item) => {
    const fields = record(item) ?? {};
    const verdict: SampleValidation = { warnings: texts(fields.warnings), errors: texts(fields.errors) };
    const langCode = str(fields.langCode);
    if (langCode) verdict.langCode = langCode;
    const transcription = str(fields.transcription);
    if (transcription) verdict.transcription = transcription;
    return verdict;
  });
}

/** `previewVoices` of a design response, with each preview's audio decoded from base64. */
export function parsePreviews(value: unknown, requestId: string): VoicePreview[] {
  if (!Array.isArray(value)) throw new ProtocolError({ serverMessage: 'design response has no previewVoices array', requestId });
  return value.map((item, index) => {
    const fields = record(item) ?? {};
    const id = str(fields.voiceId);
    const audio = str(fields.previewAudio);
    if (!id || audio === undefined) {
      throw new ProtocolError({ serverMessage: `design preview ${index + 1} lacks its voiceId or previewAudio`, requestId });
    }
    const preview: VoicePreview = { id, audio: Buffer.from(audio, 'base64') };
    const previewText = str(fields.previewText);
    if (previewText) preview.previewText = previewText;
    return preview;
  });
}
