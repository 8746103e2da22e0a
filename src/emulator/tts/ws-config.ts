// Parsing of the client frames of the TTS WebSocket (create, send_text, flush_context,
// close_context, and the older update_config), independent of the client library. As protobuf-JSON
// parsing does: camelCase and snake_case keys both accepted, unknown fields and unknown enum names
// ignored, wrong JSON types rejected (they become a top-level `error`); bad values are rejected per
// context (a status error).
import type { EmulatorAudioEncoding } from '../codecs/encoders.js';
import { EmulatorError, GRPC_INVALID_ARGUMENT } from '../server/grpc.js';
import { readDictionarySettings } from '../pronunciations/synthesis.js';
import { DEFAULT_TTS_SAMPLE_RATE_HZ, G711_SAMPLE_RATE_HZ, MAX_TTS_SAMPLE_RATE_HZ, MIN_TTS_SAMPLE_RATE_HZ } from '../codecs/sample-rates.js';
import { seedMessage, unknownModelMessage, voiceChoiceMessage } from './request-features.js';

export const WS_ENCODINGS: readonly EmulatorAudioEncoding[] = ['LINEAR16', 'PCM', 'MP3', 'OGG_OPUS', 'ALAW', 'MULAW', 'WAV'];
export const DEFAULT_WS_ENCODING: EmulatorAudioEncoding = 'MP3';
export const DEFAULT_BUFFER_CHAR_THRESHOLD = 1000;
export const DEFAULT_MAX_BUFFER_DELAY_MS = 3000;
const TIMESTAMP_TYPES = ['TIMESTAMP_TYPE_UNSPECIFIED', 'WORD', 'CHARACTER'];
const NORMALIZATION = ['APPLY_TEXT_NORMALIZATION_UNSPECIFIED', 'ON', 'OFF'];
const DELIVERY_MODES = ['DELIVERY_MODE_UNSPECIFIED', 'STABLE', 'BALANCED', 'CREATIVE'];
const TRANSPORTS = ['TIMESTAMP_TRANSPORT_STRATEGY_UNSPECIFIED', 'SYNC', 'ASYNC'];

/** A frame the server cannot even interpret: answered with a top-level `error` (code 3). */
export class FrameTypeError extends Error {}

/** A well-formed request with a bad value: answered with a status error for that context. */
export class ConfigValueError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export type ClientAction =
  | { kind: 'create'; contextId?: string; body: Record<string, unknown> }
  | { kind: 'send_text'; contextId?: string; text: string; flush: boolean }
  | { kind: 'flush_context'; contextId?: string }
  | { kind: 'close_context'; contextId?: string }
  | { kind: 'update_config'; contextId?: string; body: Record<string, unknown> };

/** Reads one frame into an action. Throws FrameTypeError for anything not a valid frame. */
export function parseClientFrame(text: string): ClientAction {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FrameTypeError(`Invalid JSON payload: ${(error as Error).message}`);
  }
  if (!isRecord(json)) throw new FrameTypeError('Invalid payload: expected a JSON object');
  const rawId = pick(json, 'contextId', 'context_id');
  if (rawId !== undefined && typeof rawId !== 'string') throw new FrameTypeError('Invalid value for contextId: expected a string');
  const contextId = rawId === '' ? undefined : (rawId as string | undefined);
  const create = pick(json, 'create');
  if (create !== undefined) {
    if (!isRecord(create)) throw new FrameTypeError('Invalid value for create: expected an object');
    return { kind: 'create', contextId, body: create };
  }
  const send = pick(json, 'send_text', 'sendText');
  if (send !== undefined) {
    if (!isRecord(send)) throw new FrameTypeError('Invalid value for send_text: expected an object');
    const value = pick(send, 'text');
    if (value !== undefined && typeof value !== 'string') throw new FrameTypeError('Invalid value for send_text.text: expected a string');
    const flush = pick(send, 'flush_context', 'flushContext');
    if (flush !== undefined && !isRecord(flush)) throw new FrameTypeError('Invalid value for send_text.flush_context: expected an object');
    return { kind: 'send_text', contextId, text: (value as string | undefined) ?? '', flush: flush !== undefined };
  }
  const flush = pick(json, 'flush_context', 'flushContext');
  if (flush !== undefined) {
    if (!isRecord(flush)) throw new FrameTypeError('Invalid value for flush_context: expected an object');
    return { kind: 'flush_context', contextId };
  }
  const close = pick(json, 'close_context', 'closeContext');
  if (close !== undefined) {
    if (!isRecord(close)) throw new FrameTypeError('Invalid value for close_context: expected an object');
    return { kind: 'close_context', contextId };
  }
  const update = pick(json, 'update_config', 'updateConfig');
  if (update !== undefined) {
    if (!isRecord(update)) throw new FrameTypeError('Invalid value for update_config: expected an object');
    return { kind: 'update_config', contextId, body: update };
  }
  throw new FrameTypeError('Invalid payload: expected one of create, send_text, flush_context, close_context, update_config');
}

/** The effective configuration of a context; `echo` is what `contextCreated` carries. */
export interface ContextConfig {
  /** Empty when `designPrompt` stands in for a voice. */
  voiceId: string;
  /** The `voiceDesign.designPrompt` of an ad-hoc voice (inworld-tts-2). */
  designPrompt?: string;
  seed?: number;
  modelId: string;
  encoding: EmulatorAudioEncoding;
  sampleRateHertz: number;
  bitRate?: number;
  speakingRate: number;
  temperature?: number;
  timestampType: 'NONE' | 'WORD' | 'CHARACTER';
  language?: string;
  transport: 'SYNC' | 'ASYNC';
  autoMode: boolean;
  bufferCharThreshold: number;
  maxBufferDelayMs: number;
  /** Resource names from `pronunciationDictionarySettings` (their existence is checked at create). */
  pronunciationDictionaries: string[];
  echo: Record<string, unknown>;
}

export interface ConfigLimits {
  bufferCharThresholdMax: number;
}

/** Validates a `create` body. Type errors throw FrameTypeError; bad values throw ConfigValueError (code 3). */
export function parseCreateConfig(body: Record<string, unknown>, limits: ConfigLimits): ContextConfig {
  const voiceId = optString(body, 'create.voiceId', 'voiceId', 'voice_id');
  const modelId = optString(body, 'create.modelId', 'modelId', 'model_id');
  const audio = pick(body, 'audioConfig', 'audio_config');
  if (audio !== undefined && !isRecord(audio)) throw new FrameTypeError('Invalid value for create.audioConfig: expected an object');
  const audioConfig = (audio ?? {}) as Record<string, unknown>;
  const encodingName = optString(audioConfig, 'audioConfig.audioEncoding', 'audioEncoding', 'audio_encoding');
  const sampleRate = optNumber(audioConfig, 'audioConfig.sampleRateHertz', 'sampleRateHertz', 'sample_rate_hertz');
  const bitRate = optNumber(audioConfig, 'audioConfig.bitRate', 'bitRate', 'bit_rate');
  const speakingRate = optNumber(audioConfig, 'audioConfig.speakingRate', 'speakingRate', 'speaking_rate');
  const temperature = optNumber(body, 'create.temperature', 'temperature');
  const timestampType = optEnum(body, TIMESTAMP_TYPES, 'create.timestampType', 'timestampType', 'timestamp_type');
  const normalization = optEnum(body, NORMALIZATION, 'create.applyTextNormalization', 'applyTextNormalization', 'apply_text_normalization');
  const language = optString(body, 'create.language', 'language');
  const deliveryMode = optEnum(body, DELIVERY_MODES, 'create.deliveryMode', 'deliveryMode', 'delivery_mode');
  const transport = optEnum(body, TRANSPORTS, 'create.timestampTransportStrategy', 'timestampTransportStrategy', 'timestamp_transport_strategy');
  const autoMode = pick(body, 'autoMode', 'auto_mode');
  if (autoMode !== undefined && typeof autoMode !== 'boolean') throw new FrameTypeError('Invalid value for create.autoMode: expected a boolean');
  const threshold = optNumber(body, 'create.bufferCharThreshold', 'bufferCharThreshold', 'buffer_char_threshold');
  const delay = optNumber(body, 'create.maxBufferDelayMs', 'maxBufferDelayMs', 'max_buffer_delay_ms');
  const seed = optNumber(body, 'create.seed', 'seed');
  const design = pick(body, 'voiceDesign', 'voice_design');
  if (design !== undefined && design !== null && !isRecord(design)) throw new FrameTypeError('Invalid value for create.voiceDesign: expected an object');
  const designPrompt = isRecord(design) ? optString(design, 'create.voiceDesign.designPrompt', 'designPrompt', 'design_prompt') ?? '' : undefined;

  if (!modelId) throw new ConfigValueError(GRPC_INVALID_ARGUMENT, 'modelId is required');
  const refusal = voiceChoiceMessage({ voiceId, designPrompt, modelId }) ?? unknownModelMessage(modelId) ?? seedMessage(seed);
  if (refusal) throw new ConfigValueError(GRPC_INVALID_ARGUMENT, refusal);
  let encoding: EmulatorAudioEncoding = DEFAULT_WS_ENCODING;
  if (encodingName !== undefined && encodingName !== 'AUDIO_ENCODING_UNSPECIFIED') {
    if (encodingName === 'FLAC') throw new ConfigValueError(GRPC_INVALID_ARGUMENT, 'audioEncoding FLAC is not supported on the WebSocket API');
    // Unknown enum names are ignored like any unknown value: the default applies.
    if ((WS_ENCODINGS as readonly string[]).includes(encodingName)) encoding = encodingName as EmulatorAudioEncoding;
  }
  const telephony = encoding === 'MULAW' || encoding === 'ALAW';
  const sampleRateHertz = sampleRate ?? (telephony ? G711_SAMPLE_RATE_HZ : DEFAULT_TTS_SAMPLE_RATE_HZ);
  if (!Number.isInteger(sampleRateHertz) || sampleRateHertz < MIN_TTS_SAMPLE_RATE_HZ || sampleRateHertz > MAX_TTS_SAMPLE_RATE_HZ) {
    throw new ConfigValueError(GRPC_INVALID_ARGUMENT, `sampleRateHertz must be between ${MIN_TTS_SAMPLE_RATE_HZ} and ${MAX_TTS_SAMPLE_RATE_HZ}, got ${sampleRateHertz}`);
  }
  if (telephony && sampleRateHertz !== G711_SAMPLE_RATE_HZ) {
    throw new ConfigValueError(GRPC_INVALID_ARGUMENT, `${encoding} supports only ${G711_SAMPLE_RATE_HZ} Hz, got ${sampleRateHertz}`);
  }
  if (speakingRate !== undefined && speakingRate !== 0 && (speakingRate < 0.5 || speakingRate > 1.5)) {
    throw new ConfigValueError(GRPC_INVALID_ARGUMENT, `speakingRate must be between 0.5 and 1.5, got ${speakingRate}`);
  }
  if (temperature !== undefined && (temperature < 0 || temperature > 2)) {
    throw new ConfigValueError(GRPC_INVALID_ARGUMENT, `temperature must be in (0, 2], got ${temperature}`);
  }
  const bufferCharThreshold = threshold ?? DEFAULT_BUFFER_CHAR_THRESHOLD;
  if (!Number.isInteger(bufferCharThreshold) || bufferCharThreshold < 1 || bufferCharThreshold > limits.bufferCharThresholdMax) {
    throw new ConfigValueError(GRPC_INVALID_ARGUMENT, `bufferCharThreshold must be between 1 and ${limits.bufferCharThresholdMax}, got ${bufferCharThreshold}`);
  }
  const maxBufferDelayMs = delay ?? DEFAULT_MAX_BUFFER_DELAY_MS;
  if (!Number.isInteger(maxBufferDelayMs) || maxBufferDelayMs < 0) {
    throw new ConfigValueError(GRPC_INVALID_ARGUMENT, `maxBufferDelayMs must be a non-negative integer, got ${maxBufferDelayMs}`);
  }
  const pronunciationDictionaries = readDictionaries(body, modelId);
  const effectiveTransport = transport === 'ASYNC' ? 'ASYNC' : 'SYNC';
  const effectiveTimestamps = timestampType === 'WORD' || timestampType === 'CHARACTER' ? timestampType : 'NONE';

  const echoAudio: Record<string, unknown> = { audioEncoding: encoding, sampleRateHertz: sampleRateHertz };
  if (bitRate !== undefined) echoAudio.bitRate = bitRate;
  echoAudio.speakingRate = speakingRate && speakingRate > 0 ? speakingRate : 1;
  const echo: Record<string, unknown> = designPrompt !== undefined ? { voiceDesign: { designPrompt }, modelId, audioConfig: echoAudio } : { voiceId, modelId, audioConfig: echoAudio };
  if (seed !== undefined) echo.seed = seed;
  if (temperature !== undefined) echo.temperature = temperature;
  if (timestampType !== undefined) echo.timestampType = timestampType;
  if (normalization !== undefined) echo.applyTextNormalization = normalization;
  if (language !== undefined) echo.language = language;
  if (deliveryMode !== undefined) echo.deliveryMode = deliveryMode;
  echo.bufferCharThreshold = bufferCharThreshold;
  echo.maxBufferDelayMs = maxBufferDelayMs;
  echo.autoMode = autoMode ?? false;
  echo.timestampTransportStrategy = effectiveTransport;
  if (pronunciationDictionaries.length > 0) echo.pronunciationDictionarySettings = { dictionaries: pronunciationDictionaries.map((dictionary) => ({ dictionary })) };

  return {
    voiceId: voiceId ?? '',
    ...(designPrompt !== undefined ? { designPrompt } : {}),
    ...(seed !== undefined ? { seed } : {}),
    modelId,
    encoding,
    sampleRateHertz,
    bitRate,
    speakingRate: speakingRate && speakingRate > 0 ? speakingRate : 1,
    temperature,
    timestampType: effectiveTimestamps,
    language,
    transport: effectiveTransport,
    autoMode: (autoMode as boolean | undefined) ?? false,
    bufferCharThreshold,
    maxBufferDelayMs,
    pronunciationDictionaries,
    echo,
  };
}

/** The dictionaries a create selects; a refusal is a status error for the context. */
function readDictionaries(body: Record<string, unknown>, modelId: string): string[] {
  try {
    return readDictionarySettings(body, modelId);
  } catch (error) {
    if (error instanceof EmulatorError) throw new ConfigValueError(error.grpcCode, error.message);
    throw error;
  }
}

/**
 * The configuration after an `update_config`: the fields it carries (any key style) over the
 * context's effective configuration, checked as a `create` would be. The model cannot change.
 */
export function parseUpdatedConfig(current: ContextConfig, update: Record<string, unknown>, limits: ConfigLimits): ContextConfig {
  const changes = camelKeys(update);
  const audio = changes.audioConfig;
  if (audio !== undefined && !isRecord(audio)) throw new FrameTypeError('Invalid value for update_config.audioConfig: expected an object');
  const modelId = changes.modelId;
  if (modelId !== undefined && modelId !== null && modelId !== current.modelId) {
    throw new ConfigValueError(GRPC_INVALID_ARGUMENT, `update_config cannot change the model: the context keeps ${current.modelId}`);
  }
  const currentAudio = current.echo.audioConfig as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...current.echo, ...changes, modelId: current.modelId, audioConfig: { ...currentAudio, ...camelKeys(audio ?? {}) } };
  // A new voice replaces a designed one, and a new design a voice.
  if (changes.voiceId !== undefined && changes.voiceDesign === undefined) delete merged.voiceDesign;
  if (changes.voiceDesign !== undefined && changes.voiceId === undefined) delete merged.voiceId;
  return parseCreateConfig(merged, limits);
}

function camelKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), value]));
}

function pick(record: Record<string, unknown>, ...keys: string[]): unknown {
  for (const key of keys) if (record[key] !== undefined) return record[key];
  return undefined;
}

function optString(record: Record<string, unknown>, label: string, ...keys: string[]): string | undefined {
  const value = pick(record, ...keys);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new FrameTypeError(`Invalid value for ${label}: expected a string`);
  return value;
}

function optNumber(record: Record<string, unknown>, label: string, ...keys: string[]): number | undefined {
  const value = pick(record, ...keys);
  if (value === undefined || value === null) return undefined;
  // protobuf-JSON also accepts numbers written as strings.
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new FrameTypeError(`Invalid value for ${label}: expected a number`);
  return n;
}

/** Enum: must be a string; a name we do not know is ignored (undefined), as the real API does. */
function optEnum(record: Record<string, unknown>, allowed: string[], label: string, ...keys: string[]): string | undefined {
  const value = pick(record, ...keys);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new FrameTypeError(`Invalid value for ${label}: expected an enum name string`);
  return allowed.includes(value) ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
