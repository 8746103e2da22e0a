// How OpenAI's names become Inworld's: voices (alloy, nova…) and models (tts-1, whisper-1…), from
// a table the user can replace with `--voice-map <file.json>`. Any name that is not in the table
// is taken as an Inworld id as it is, so a client can ask for `Dennis` or `inworld-tts-2` directly.
import { readFile } from 'node:fs/promises';
import { ValidationError } from '../core/errors.js';
import { TTS_MODELS } from '../tts/models.js';
import { DEFAULT_STT_MODEL } from '../stt/options.js';

export interface GatewayMapping {
  /** OpenAI voice name → Inworld voice id. */
  voices: Record<string, string>;
  /** OpenAI speech model → Inworld TTS model id. */
  speechModels: Record<string, string>;
  /** OpenAI transcription model → Inworld STT model id. */
  transcriptionModels: Record<string, string>;
}

/** Chosen by character (gender, age, tone) from Inworld's English system voices. */
export const DEFAULT_VOICE_MAP: Readonly<Record<string, string>> = {
  alloy: 'Ashley',
  ash: 'Dennis',
  ballad: 'Craig',
  coral: 'Olivia',
  echo: 'Mark',
  fable: 'Edward',
  onyx: 'Ronald',
  nova: 'Sarah',
  sage: 'Elizabeth',
  shimmer: 'Wendy',
  verse: 'Alex',
  marin: 'Julia',
  cedar: 'Timothy',
};

/** tts-1 is OpenAI's low-latency model, so it gets Inworld's fastest; the others the flagship. */
export const DEFAULT_SPEECH_MODEL_MAP: Readonly<Record<string, string>> = {
  'tts-1': 'inworld-tts-2-flash',
  'tts-1-hd': 'inworld-tts-2',
  'gpt-4o-mini-tts': 'inworld-tts-2',
  'gpt-4o-mini-tts-2025-12-15': 'inworld-tts-2',
};

export const DEFAULT_TRANSCRIPTION_MODEL_MAP: Readonly<Record<string, string>> = {
  'whisper-1': DEFAULT_STT_MODEL,
  'gpt-4o-transcribe': DEFAULT_STT_MODEL,
  'gpt-4o-mini-transcribe': DEFAULT_STT_MODEL,
};

/** Inworld's own model ids, accepted as they are. */
export const INWORLD_SPEECH_MODELS: readonly string[] = TTS_MODELS.map((model) => model.id);
export const INWORLD_TRANSCRIPTION_MODELS: readonly string[] = [DEFAULT_STT_MODEL];

export function defaultMapping(): GatewayMapping {
  return { voices: { ...DEFAULT_VOICE_MAP }, speechModels: { ...DEFAULT_SPEECH_MODEL_MAP }, transcriptionModels: { ...DEFAULT_TRANSCRIPTION_MODEL_MAP } };
}

/**
 * Reads a map file: `{"voices": {...}, "speechModels": {...}, "transcriptionModels": {...}}`, each
 * optional and merged over the defaults (a name mapped to `null` is removed).
 */
export async function loadMapping(path: string): Promise<GatewayMapping> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ValidationError(`cannot read the voice map ${path}: ${(error as Error).message}`, { hint: 'Give a JSON file like {"voices": {"alloy": "Ashley"}}' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ValidationError(`the voice map ${path} must be a JSON object`, { hint: 'Give a JSON file like {"voices": {"alloy": "Ashley"}}' });
  }
  const mapping = defaultMapping();
  for (const key of Object.keys(parsed)) {
    if (!(key in mapping)) throw new ValidationError(`the voice map ${path} has an unknown key "${key}"`, { hint: 'Use voices, speechModels and transcriptionModels' });
    mergeTable(mapping[key as keyof GatewayMapping], (parsed as Record<string, unknown>)[key], `${path}: ${key}`);
  }
  return mapping;
}

function mergeTable(table: Record<string, string>, value: unknown, where: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationError(`${where} must be an object of names to ids`);
  for (const [name, id] of Object.entries(value)) {
    if (id === null) delete table[name];
    else if (typeof id === 'string' && id.trim() !== '') table[name] = id.trim();
    else throw new ValidationError(`${where}.${name} must be a non-empty string (or null to remove it)`);
  }
}
