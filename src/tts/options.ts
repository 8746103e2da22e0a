// TTS request options: the caller-facing type, defaults, validation with one-line fixes, and the
// exact camelCase wire body. Shared by HTTP synthesis (tts/http.ts) and the WebSocket `create`
// message (buildSynthesisConfig), so both transports validate and default identically.
import { ValidationError } from '../core/errors.js';
import { requireModelFeature, modelWarnings, type SynthesisWarning } from './model-checks.js';
import { DEFAULT_TTS_MODEL_ID } from './models.js';

/** Encodings accepted by the HTTP endpoints. */
export const TTS_HTTP_ENCODINGS = ['LINEAR16', 'PCM', 'WAV', 'MP3', 'OGG_OPUS', 'FLAC', 'ALAW', 'MULAW'] as const;
/** Encodings accepted by the WebSocket endpoint (no FLAC). */
export const TTS_WS_ENCODINGS = ['LINEAR16', 'PCM', 'WAV', 'MP3', 'OGG_OPUS', 'ALAW', 'MULAW'] as const;
/** An audio encoding for synthesis (one of {@link TTS_HTTP_ENCODINGS}). */
export type AudioEncoding = (typeof TTS_HTTP_ENCODINGS)[number];

/** Timestamp granularities the service can return. */
export const TIMESTAMP_TYPES = ['WORD', 'CHARACTER'] as const;
/** Word or character timestamps. */
export type TimestampType = (typeof TIMESTAMP_TYPES)[number];
/** Whether the server expands numbers, dates and abbreviations before speaking. */
export const TEXT_NORMALIZATION_VALUES = ['ON', 'OFF'] as const;
/** `ON` or `OFF` (server default when absent). */
export type TextNormalization = (typeof TEXT_NORMALIZATION_VALUES)[number];
/** How freely the model varies its delivery. */
export const DELIVERY_MODES = ['STABLE', 'BALANCED', 'CREATIVE'] as const;
/** One of {@link DELIVERY_MODES}. */
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
/** Old names still accepted, and the name sent in their place. */
export const DELIVERY_MODE_ALIASES: Readonly<Record<string, DeliveryMode>> = { EXPRESSIVE: 'CREATIVE' };
export const TIMESTAMP_TRANSPORT_STRATEGIES = ['SYNC', 'ASYNC'] as const;
export type TimestampTransportStrategy = (typeof TIMESTAMP_TRANSPORT_STRATEGIES)[number];

export const DEFAULT_VOICE_ID = 'Ashley';
export const DEFAULT_MODEL_ID = DEFAULT_TTS_MODEL_ID;
/** LINEAR16 works on every server revision; its per-chunk WAV headers are stripped for the caller. */
export const DEFAULT_AUDIO_ENCODING: AudioEncoding = 'LINEAR16';
export const DEFAULT_SAMPLE_RATE_HZ = 24_000;
/** Characters per HTTP request (the documented `/tts/v1/voice` limit; `:stream` may allow 4000). */
export const TTS_HTTP_MAX_TEXT_CHARS = 2_000;

export const MIN_SAMPLE_RATE_HZ = 8_000;
export const MAX_SAMPLE_RATE_HZ = 48_000;
export const TELEPHONY_SAMPLE_RATE_HZ = 8_000;
export const MP3_MIN_SAMPLE_RATE_HZ = 16_000;
export const MP3_BIT_RATE_RANGE_BPS = [32_000, 320_000] as const;
export const OPUS_BIT_RATE_RANGE_BPS = [32_000, 192_000] as const;
export const SPEAKING_RATE_RANGE = [0.5, 1.5] as const;
export const MAX_TEMPERATURE = 2;
/** Pronunciation dictionaries one request may name (TTS-2 models only). */
export const MAX_PRONUNCIATION_DICTIONARIES = 3;
/** Length of an ad-hoc voice design's description, in characters. */
export const DESIGN_PROMPT_CHARS = [7, 1024] as const;
/** `seed` is a 32-bit signed integer on the wire. */
export const SEED_RANGE = [-2_147_483_648, 2_147_483_647] as const;

/** An ad-hoc voice described in words, used instead of a saved voice (TTS-2 only; nothing is saved). */
export interface VoiceDesign {
  /** What the voice sounds like, 7..1024 characters, e.g. "a calm older man with a low, warm voice". */
  designPrompt: string;
}

/** The audio to produce: encoding, sample rate, bit rate, speaking rate. */
export interface AudioConfig {
  audioEncoding?: AudioEncoding;
  /** 8000..48000; default 24000. MULAW/ALAW: 8000 only. MP3: 16000..48000. */
  sampleRateHertz?: number;
  /** Bits per second, MP3 (32000..320000) and OGG_OPUS (32000..192000) only. */
  bitRate?: number;
  /** 0.5..1.5 (1 is normal speed). */
  speakingRate?: number;
}

/** What to synthesize and how: text, voice, model, audio and timestamps. */
export interface SynthesisOptions {
  text: string;
  /**
   * Default 'Ashley' (unless `voiceDesign` is given). System voice names are case-sensitive;
   * custom voices are "{workspace}__{voice}".
   */
  voiceId?: string;
  /** An ad-hoc designed voice instead of `voiceId` (inworld-tts-2 only). */
  voiceDesign?: VoiceDesign;
  /** Default 'inworld-tts-2'. Any id is sent; one this version does not know draws a warning. */
  modelId?: string;
  audioConfig?: AudioConfig;
  /** (0, 2]. A top-level field on the wire, not part of audioConfig. Ignored by inworld-tts-2. */
  temperature?: number;
  timestampType?: TimestampType;
  applyTextNormalization?: TextNormalization;
  /** BCP-47, e.g. en-US. Auto-detected from the text when absent. */
  language?: string;
  /** TTS-2 models only. EXPRESSIVE, the old name of CREATIVE, is sent as CREATIVE. */
  deliveryMode?: DeliveryMode | 'EXPRESSIVE';
  /** The same seed, text and voice give the same audio (a 32-bit signed integer). */
  seed?: number;
  /** `:stream` and WebSocket only: SYNC sends timestamps with the audio, ASYNC after it. */
  timestampTransportStrategy?: TimestampTransportStrategy;
  /**
   * Resource names (`workspaces/{ws}/pronunciationDictionaries/{id}`, a dictionary's `name`) of
   * up to 3 pronunciation dictionaries whose entries this request uses. TTS-2 models only.
   */
  pronunciationDictionaries?: string[];
}

/** The options with every default applied. */
export interface ResolvedSynthesisOptions extends SynthesisOptions {
  /** Absent when the request carries a `voiceDesign` instead. */
  voiceId?: string;
  modelId: string;
  audioConfig: AudioConfig & { audioEncoding: AudioEncoding; sampleRateHertz: number };
}

export interface ValidateOptions {
  /** `ws` refuses FLAC (the WebSocket does not offer it). Default `http`. */
  transport?: 'http' | 'ws';
  /** Refuse text longer than this (callers that split long text skip this). */
  maxTextChars?: number;
  /** Skip the empty-text check (the WebSocket `create` message has no text). */
  allowEmptyText?: boolean;
}

export function resolveSynthesisOptions(options: SynthesisOptions): ResolvedSynthesisOptions {
  return {
    ...options,
    voiceId: options.voiceId ?? (options.voiceDesign === undefined ? DEFAULT_VOICE_ID : undefined),
    modelId: options.modelId ?? DEFAULT_MODEL_ID,
    audioConfig: {
      ...options.audioConfig,
      audioEncoding: options.audioConfig?.audioEncoding ?? DEFAULT_AUDIO_ENCODING,
      sampleRateHertz: options.audioConfig?.sampleRateHertz ?? DEFAULT_SAMPLE_RATE_HZ,
    },
  };
}

function fail(message: string): never {
  throw new ValidationError(message);
}

/** `also` are accepted too but not offered (old names). */
function checkEnum<T extends string>(name: string, flag: string, value: unknown, allowed: readonly T[], also: readonly string[] = []): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || ![...allowed, ...also].includes(value)) {
    fail(`${name} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)}); fix ${flag}.`);
  }
}

function checkNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${name} must be a number (got ${JSON.stringify(value)}).`);
}

/** Throws a ValidationError with one line naming the problem and the fix; returns the resolved options. */
export function validateSynthesisOptions(options: SynthesisOptions, validate: ValidateOptions = {}): ResolvedSynthesisOptions {
  if (options === null || typeof options !== 'object') fail('Synthesis options must be an object with at least `text`.');
  const resolved = resolveSynthesisOptions(options);
  const transport = validate.transport ?? 'http';

  if (!validate.allowEmptyText) {
    if (typeof options.text !== 'string') fail('Text must be a string; pass the text to speak as arguments, --file or stdin.');
    if (options.text.trim().length === 0) fail('Text is empty; pass the text to speak as arguments, --file or stdin.');
  }
  if (validate.maxTextChars !== undefined && typeof options.text === 'string' && options.text.length > validate.maxTextChars) {
    fail(`Text is ${options.text.length} characters; one request allows ${validate.maxTextChars}. Split it into sentences first.`);
  }
  if (typeof resolved.modelId !== 'string' || resolved.modelId.trim() === '') fail(`Model id is empty; pass --model <id>, e.g. ${DEFAULT_MODEL_ID}.`);
  checkVoice(options, resolved);

  const audio = resolved.audioConfig;
  const encodings: readonly string[] = transport === 'ws' ? TTS_WS_ENCODINGS : TTS_HTTP_ENCODINGS;
  if (transport === 'ws' && audio.audioEncoding === 'FLAC') {
    fail('FLAC is not available over the WebSocket; use --encoding LINEAR16, WAV, MP3 or OGG_OPUS (or `inworld say`).');
  }
  checkEnum('Audio encoding', '--encoding', audio.audioEncoding, encodings);

  const rate = audio.sampleRateHertz;
  if (!Number.isInteger(rate) || rate < MIN_SAMPLE_RATE_HZ || rate > MAX_SAMPLE_RATE_HZ) {
    fail(`Sample rate must be a whole number of Hz from ${MIN_SAMPLE_RATE_HZ} to ${MAX_SAMPLE_RATE_HZ} (got ${String(rate)}); fix --sample-rate.`);
  }
  if ((audio.audioEncoding === 'MULAW' || audio.audioEncoding === 'ALAW') && rate !== TELEPHONY_SAMPLE_RATE_HZ) {
    fail(`${audio.audioEncoding} is 8 kHz only (got ${rate} Hz); use --sample-rate 8000.`);
  }
  if (audio.audioEncoding === 'MP3' && rate < MP3_MIN_SAMPLE_RATE_HZ) {
    fail(`MP3 needs a sample rate from ${MP3_MIN_SAMPLE_RATE_HZ} to ${MAX_SAMPLE_RATE_HZ} Hz (got ${rate}); fix --sample-rate.`);
  }

  if (audio.bitRate !== undefined) {
    const bitRate: unknown = audio.bitRate;
    const range = audio.audioEncoding === 'MP3' ? MP3_BIT_RATE_RANGE_BPS : audio.audioEncoding === 'OGG_OPUS' ? OPUS_BIT_RATE_RANGE_BPS : undefined;
    if (range === undefined) fail(`Bit rate applies only to MP3 and OGG_OPUS, not ${audio.audioEncoding}; drop --bit-rate.`);
    if (typeof bitRate !== 'number' || !Number.isInteger(bitRate) || bitRate < range[0] || bitRate > range[1]) {
      fail(`${audio.audioEncoding} bit rate must be a whole number from ${range[0]} to ${range[1]} bits/s (got ${String(bitRate)}); fix --bit-rate.`);
    }
  }
  if (audio.speakingRate !== undefined) {
    checkNumber(audio.speakingRate, 'Speaking rate');
    if (audio.speakingRate < SPEAKING_RATE_RANGE[0] || audio.speakingRate > SPEAKING_RATE_RANGE[1]) {
      fail(`Speaking rate must be from ${SPEAKING_RATE_RANGE[0]} to ${SPEAKING_RATE_RANGE[1]} (got ${audio.speakingRate}); fix --speaking-rate.`);
    }
  }
  if (options.temperature !== undefined) {
    checkNumber(options.temperature, 'Temperature');
    if (options.temperature <= 0 || options.temperature > MAX_TEMPERATURE) {
      fail(`Temperature must be above 0 and at most ${MAX_TEMPERATURE} (got ${options.temperature}); fix --temperature.`);
    }
  }
  checkEnum('Timestamp type', '--timestamps', options.timestampType, TIMESTAMP_TYPES);
  checkEnum('Text normalization', '--normalize', options.applyTextNormalization, TEXT_NORMALIZATION_VALUES);
  checkEnum('Delivery mode', '--delivery-mode', options.deliveryMode, DELIVERY_MODES, Object.keys(DELIVERY_MODE_ALIASES));
  if (options.deliveryMode !== undefined) requireModelFeature(resolved.modelId, 'deliveryMode');
  checkSeed(options.seed);
  checkEnum('Timestamp transport', '--timestamp-transport', options.timestampTransportStrategy, TIMESTAMP_TRANSPORT_STRATEGIES);
  if (options.language !== undefined) {
    if (typeof options.language !== 'string' || !/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/.test(options.language)) {
      fail(`Language must be a BCP-47 code such as en-US or ja-JP (got ${JSON.stringify(options.language)}); fix --language.`);
    }
  }
  checkPronunciationDictionaries(options.pronunciationDictionaries, resolved.modelId);
  return resolved;
}

function checkPronunciationDictionaries(names: unknown, modelId: string): void {
  if (names === undefined) return;
  if (!Array.isArray(names) || names.some((name) => typeof name !== 'string' || name.trim() === '')) {
    fail('Pronunciation dictionaries must be a list of dictionary names; fix --pronunciation-dict.');
  }
  if (names.length > MAX_PRONUNCIATION_DICTIONARIES) {
    fail(`${names.length} pronunciation dictionaries: a request may use at most ${MAX_PRONUNCIATION_DICTIONARIES}; drop some --pronunciation-dict.`);
  }
  if (names.length > 0) requireModelFeature(modelId, 'pronunciationDictionaries');
}

/** A voice id or a voice design (not both), the design on a model that can use it. */
function checkVoice(options: SynthesisOptions, resolved: ResolvedSynthesisOptions): void {
  const design: unknown = options.voiceDesign;
  if (design === undefined) {
    if (typeof resolved.voiceId !== 'string' || resolved.voiceId.trim() === '') fail('Voice id is empty; pass --voice <id> (see `inworld voices`).');
    return;
  }
  if (options.voiceId !== undefined) fail('A request takes a voice id or a voice design, not both; drop --voice or --voice-design.');
  const prompt = design !== null && typeof design === 'object' ? (design as { designPrompt?: unknown }).designPrompt : undefined;
  if (typeof prompt !== 'string') fail('A voice design needs a designPrompt (a description of the voice); pass --voice-design "<description>".');
  const [min, max] = DESIGN_PROMPT_CHARS;
  const length = [...prompt.trim()].length;
  if (length < min || length > max) {
    fail(`A voice design description takes ${min} to ${max} characters (got ${length}); fix --voice-design.`);
  }
  requireModelFeature(resolved.modelId, 'voiceDesign');
}

function checkSeed(seed: unknown): void {
  if (seed === undefined) return;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < SEED_RANGE[0] || seed > SEED_RANGE[1]) {
    fail(`Seed must be a whole number from ${SEED_RANGE[0]} to ${SEED_RANGE[1]} (got ${JSON.stringify(seed)}); fix --seed.`);
  }
}

/**
 * What the request would do that the caller probably did not mean, for the chosen model: an
 * unknown or deprecated model, a temperature it ignores, an old enum name. Does not validate.
 */
export function synthesisWarnings(options: Omit<SynthesisOptions, 'text'>): SynthesisWarning[] {
  return modelWarnings({ ...options, modelId: options.modelId ?? DEFAULT_MODEL_ID });
}

/** Wire form of everything but the text: the WebSocket `create` message body and the HTTP body minus `text`. */
export interface SynthesisConfigWire {
  /** Absent when `voiceDesign` stands in for it. */
  voiceId?: string;
  voiceDesign?: VoiceDesign;
  modelId: string;
  audioConfig: { audioEncoding: AudioEncoding; sampleRateHertz: number; bitRate?: number; speakingRate?: number };
  temperature?: number;
  timestampType?: TimestampType;
  applyTextNormalization?: TextNormalization;
  language?: string;
  deliveryMode?: DeliveryMode;
  timestampTransportStrategy?: TimestampTransportStrategy;
  pronunciationDictionarySettings?: PronunciationDictionarySettingsWire;
  seed?: number;
}

/** The dictionaries a request selects, as the service spells them. */
export interface PronunciationDictionarySettingsWire {
  dictionaries: { dictionary: string }[];
}

export interface SynthesisBodyWire extends SynthesisConfigWire {
  text: string;
}

export interface BuildOptions {
  /** Include timestampTransportStrategy (`:stream` and WebSocket accept it; `/tts/v1/voice` does not). Default true. */
  includeTransportStrategy?: boolean;
}

/** The camelCase config fields, defaults applied, unset optional fields omitted. Does not validate. */
export function buildSynthesisConfig(options: Omit<SynthesisOptions, 'text'> & { text?: string }, build: BuildOptions = {}): SynthesisConfigWire {
  const resolved = resolveSynthesisOptions({ ...options, text: options.text ?? '' });
  const audio = resolved.audioConfig;
  const audioConfig: SynthesisConfigWire['audioConfig'] = {
    audioEncoding: audio.audioEncoding,
    sampleRateHertz: audio.sampleRateHertz,
  };
  if (audio.bitRate !== undefined) audioConfig.bitRate = audio.bitRate;
  if (audio.speakingRate !== undefined) audioConfig.speakingRate = audio.speakingRate;
  const wire: SynthesisConfigWire = resolved.voiceDesign
    ? { voiceDesign: { designPrompt: resolved.voiceDesign.designPrompt }, modelId: resolved.modelId, audioConfig }
    : { voiceId: resolved.voiceId, modelId: resolved.modelId, audioConfig };
  if (resolved.temperature !== undefined) wire.temperature = resolved.temperature;
  if (resolved.timestampType !== undefined) wire.timestampType = resolved.timestampType;
  if (resolved.applyTextNormalization !== undefined) wire.applyTextNormalization = resolved.applyTextNormalization;
  if (resolved.language !== undefined) wire.language = resolved.language;
  if (resolved.deliveryMode !== undefined) wire.deliveryMode = DELIVERY_MODE_ALIASES[resolved.deliveryMode] ?? (resolved.deliveryMode as DeliveryMode);
  if (resolved.seed !== undefined) wire.seed = resolved.seed;
  if (resolved.timestampTransportStrategy !== undefined && build.includeTransportStrategy !== false) {
    wire.timestampTransportStrategy = resolved.timestampTransportStrategy;
  }
  if (resolved.pronunciationDictionaries !== undefined && resolved.pronunciationDictionaries.length > 0) {
    wire.pronunciationDictionarySettings = { dictionaries: resolved.pronunciationDictionaries.map((dictionary) => ({ dictionary })) };
  }
  return wire;
}

/** The exact HTTP request body (`text` first). Does not validate: call validateSynthesisOptions first. */
export function buildSynthesisBody(options: SynthesisOptions, build: BuildOptions = {}): SynthesisBodyWire {
  return { text: options.text, ...buildSynthesisConfig(options, build) };
}

/** Encodings whose audio we hand out as raw 16-bit little-endian mono PCM (headers stripped). */
export function isPcm16Encoding(encoding: AudioEncoding): boolean {
  return encoding === 'PCM' || encoding === 'LINEAR16' || encoding === 'WAV';
}

/** Bytes per second of audio for headerless fixed-rate encodings; undefined for compressed ones. */
export function bytesPerSecond(encoding: AudioEncoding, sampleRateHertz: number, channels = 1): number | undefined {
  if (isPcm16Encoding(encoding)) return sampleRateHertz * 2 * channels;
  if (encoding === 'MULAW' || encoding === 'ALAW') return sampleRateHertz * channels;
  return undefined;
}
