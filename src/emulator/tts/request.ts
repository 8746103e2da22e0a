// Parses and validates a TTS synthesis request (text, voice or voice design, model, seed,
// audioConfig, the text's markup) for the HTTP endpoints, with the service's ranges and defaults.
import { EmulatorAudioEncoding, EMULATOR_AUDIO_ENCODINGS } from '../codecs/encoders.js';
import { EmulatorError, GRPC_INVALID_ARGUMENT, GRPC_NOT_FOUND, invalidArgument } from '../server/grpc.js';
import { isObject, JsonObject, readEnum, readInteger, readNumber, readObject, readString } from '../server/json-fields.js';
import type { ResolvedEmulatorOptions } from '../server/options.js';
import type { VoiceCatalogue } from '../voices/types.js';
import { readDictionarySettings } from '../pronunciations/synthesis.js';
import type { PronunciationStore } from '../pronunciations/store.js';
import { markupMessage } from './markup.js';
import { seedMessage, unknownModelMessage, voiceChoiceMessage } from './request-features.js';
import { DEFAULT_TTS_SAMPLE_RATE_HZ, G711_SAMPLE_RATE_HZ, MAX_TTS_SAMPLE_RATE_HZ, MIN_TTS_SAMPLE_RATE_HZ } from '../codecs/sample-rates.js';

export { KNOWN_TTS_MODELS } from './request-features.js';

export type TimestampType = 'NONE' | 'WORD' | 'CHARACTER';
export type TimestampTransport = 'SYNC' | 'ASYNC';

/** Everything about how to synthesize, without the text (shared with WebSocket `create`). */
export interface SynthesisConfig {
  /** Empty when `designPrompt` stands in for a voice. */
  voiceId: string;
  /** The `voiceDesign.designPrompt` of an ad-hoc voice (inworld-tts-2). */
  designPrompt?: string;
  seed?: number;
  modelId: string;
  encoding: EmulatorAudioEncoding;
  sampleRateHertz: number;
  /** Bits per second; meaningful for MP3 and OGG_OPUS. */
  bitRate: number;
  speakingRate: number;
  temperature: number;
  timestampType: TimestampType;
  timestampTransport: TimestampTransport;
  applyTextNormalization: 'ON' | 'OFF' | 'AUTO';
  deliveryMode: 'STABLE' | 'BALANCED' | 'CREATIVE';
  language?: string;
  /** Resource names of the pronunciation dictionaries the request selects (checked to exist). */
  pronunciationDictionaries: string[];
}

export interface TtsHttpRequest extends SynthesisConfig {
  text: string;
}

export const DEFAULT_ENCODING: EmulatorAudioEncoding = 'MP3';
export const DEFAULT_BIT_RATE = 128000;
export const DEFAULT_TEMPERATURE = 1.1;
const MP3_MIN_SAMPLE_RATE_HZ = 16000;
const MIN_SPEAKING_RATE = 0.5;
const MAX_SPEAKING_RATE = 1.5;
const MAX_TEMPERATURE = 2;
const BIT_RATE_RANGE_BPS: Partial<Record<EmulatorAudioEncoding, [number, number]>> = {
  MP3: [32000, 320000],
  OGG_OPUS: [32000, 192000],
};
const BCP47 = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/;

export interface ParseSynthesisOptions {
  transport: 'http' | 'ws';
  voices: VoiceCatalogue;
  unknownVoice: ResolvedEmulatorOptions['unknownVoice'];
  /** Where `pronunciationDictionarySettings` names are looked up; without it they are not read. */
  pronunciations?: PronunciationStore;
}

/** Validates the synthesis fields of `body` (an HTTP body or the inside of a WS `create`). */
export function parseSynthesisConfig(body: unknown, options: ParseSynthesisOptions): SynthesisConfig {
  if (!isObject(body)) throw invalidArgument('Invalid JSON payload: expected an object');
  const voiceId = readString(body, 'voiceId');
  const modelId = readString(body, 'modelId');
  const audioConfig: JsonObject = readObject(body, 'audioConfig') ?? {};
  const encodingNames = options.transport === 'ws' ? EMULATOR_AUDIO_ENCODINGS.filter((e) => e !== 'FLAC') : EMULATOR_AUDIO_ENCODINGS;
  const encoding = readEnum(audioConfig, 'audioEncoding', encodingNames, 'audio_config') ?? DEFAULT_ENCODING;
  const sampleRate = readInteger(audioConfig, 'sampleRateHertz', 'audio_config');
  const bitRate = readInteger(audioConfig, 'bitRate', 'audio_config');
  const speakingRate = readNumber(audioConfig, 'speakingRate', 'audio_config');
  const temperature = readNumber(body, 'temperature');
  const timestampType = readEnum(body, 'timestampType', ['TIMESTAMP_TYPE_UNSPECIFIED', 'WORD', 'CHARACTER'] as const);
  const transport = readEnum(body, 'timestampTransportStrategy', ['TIMESTAMP_TRANSPORT_STRATEGY_UNSPECIFIED', 'SYNC', 'ASYNC'] as const);
  const normalization = readEnum(body, 'applyTextNormalization', ['APPLY_TEXT_NORMALIZATION_UNSPECIFIED', 'ON', 'OFF'] as const);
  const deliveryMode = readEnum(body, 'deliveryMode', ['DELIVERY_MODE_UNSPECIFIED', 'STABLE', 'BALANCED', 'CREATIVE'] as const);
  const language = readString(body, 'language');
  const seed = readInteger(body, 'seed');
  const design = readObject(body, 'voiceDesign');
  const designPrompt = design ? readString(design, 'designPrompt', 'voice_design') ?? '' : undefined;

  if (!modelId) throw invalidArgument('model_id is required');
  const refusal = voiceChoiceMessage({ voiceId, designPrompt, modelId }) ?? unknownModelMessage(modelId) ?? seedMessage(seed);
  if (refusal) throw invalidArgument(refusal);
  if (voiceId && !options.voices.find(voiceId) && options.unknownVoice !== 'accept') {
    const code = options.unknownVoice === 'invalid-argument' ? GRPC_INVALID_ARGUMENT : GRPC_NOT_FOUND;
    throw new EmulatorError(code, `Unknown voice: ${voiceId} not found`);
  }
  const pronunciationDictionaries = options.pronunciations ? readDictionarySettings(body, modelId, options.pronunciations) : [];

  const g711 = encoding === 'MULAW' || encoding === 'ALAW';
  const sampleRateHertz = sampleRate ? sampleRate : g711 ? G711_SAMPLE_RATE_HZ : DEFAULT_TTS_SAMPLE_RATE_HZ;
  if (sampleRateHertz < MIN_TTS_SAMPLE_RATE_HZ || sampleRateHertz > MAX_TTS_SAMPLE_RATE_HZ) {
    throw invalidArgument(`sample_rate_hertz must be between ${MIN_TTS_SAMPLE_RATE_HZ} and ${MAX_TTS_SAMPLE_RATE_HZ}, got ${sampleRateHertz}`);
  }
  if (g711 && sampleRateHertz !== G711_SAMPLE_RATE_HZ) {
    throw invalidArgument(`${encoding} supports only ${G711_SAMPLE_RATE_HZ} Hz, got ${sampleRateHertz}`);
  }
  if (encoding === 'MP3' && sampleRateHertz < MP3_MIN_SAMPLE_RATE_HZ) {
    throw invalidArgument(`MP3 supports ${MP3_MIN_SAMPLE_RATE_HZ} to ${MAX_TTS_SAMPLE_RATE_HZ} Hz, got ${sampleRateHertz}`);
  }
  const range = BIT_RATE_RANGE_BPS[encoding];
  if (range && bitRate && (bitRate < range[0] || bitRate > range[1])) {
    throw invalidArgument(`bit_rate for ${encoding} must be between ${range[0]} and ${range[1]}, got ${bitRate}`);
  }
  if (speakingRate && (speakingRate < MIN_SPEAKING_RATE || speakingRate > MAX_SPEAKING_RATE)) {
    throw invalidArgument(`speaking_rate must be between ${MIN_SPEAKING_RATE} and ${MAX_SPEAKING_RATE}, got ${speakingRate}`);
  }
  // The service reads 0 as "use the default"; anything else must be in (0, 2].
  if (temperature !== undefined && temperature !== 0 && (temperature < 0 || temperature > MAX_TEMPERATURE)) {
    throw invalidArgument(`temperature must be greater than 0 and at most ${MAX_TEMPERATURE}, got ${temperature}`);
  }
  if (language !== undefined && language !== '' && !BCP47.test(language)) {
    throw invalidArgument(`Invalid language code "${language}"`);
  }

  return {
    voiceId: voiceId ?? '',
    ...(designPrompt !== undefined ? { designPrompt } : {}),
    ...(seed !== undefined ? { seed } : {}),
    modelId,
    encoding,
    sampleRateHertz,
    bitRate: bitRate || DEFAULT_BIT_RATE,
    speakingRate: speakingRate || 1,
    temperature: temperature || DEFAULT_TEMPERATURE,
    timestampType: timestampType === 'WORD' || timestampType === 'CHARACTER' ? timestampType : 'NONE',
    timestampTransport: transport === 'ASYNC' ? 'ASYNC' : 'SYNC',
    applyTextNormalization: normalization === 'ON' || normalization === 'OFF' ? normalization : 'AUTO',
    deliveryMode: deliveryMode === 'STABLE' || deliveryMode === 'CREATIVE' ? deliveryMode : 'BALANCED',
    ...(language ? { language } : {}),
    pronunciationDictionaries,
  };
}

/** A full HTTP request: the synthesis config plus `text` of 1..maxChars characters. */
export function parseTtsHttpRequest(body: unknown, options: ParseSynthesisOptions & { maxChars: number }): TtsHttpRequest {
  if (!isObject(body)) throw invalidArgument('Invalid JSON payload: expected an object');
  const text = readString(body, 'text');
  if (text === undefined || text.length === 0) throw invalidArgument('text is required');
  const length = [...text].length;
  if (length > options.maxChars) {
    throw invalidArgument(`text must be at most ${options.maxChars} characters, got ${length}`);
  }
  if (text.trim().length === 0) throw invalidArgument('text must contain at least one non-whitespace character');
  const config = parseSynthesisConfig(body, options);
  const markup = markupMessage(text);
  if (markup) throw invalidArgument(markup);
  return { ...config, text };
}
