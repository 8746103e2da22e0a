// Reads a `transcribeConfig` the way the service's protobuf-JSON parser would: camelCase or
// snake_case keys, unknown fields ignored, wrong JSON types rejected, then checks
// the values the emulated service cares about (LINEAR16 only for streaming, 8–48 kHz, known model).

import { invalidArgument } from '../server/grpc.js';

/** Models the streaming endpoint serves. `groq/whisper-large-v3` is sync only. */
export const STREAMING_MODELS: readonly string[] = [
  'inworld/inworld-stt-1',
  'assemblyai/universal-streaming-multilingual',
  'assemblyai/universal-streaming-english',
  'assemblyai/u3-rt-pro',
  'assemblyai/whisper-rt',
  'soniox/stt-rt-v4',
];
/** Models the synchronous REST endpoint serves. */
export const SYNC_MODELS: readonly string[] = ['inworld/inworld-stt-1', 'groq/whisper-large-v3'];

export const MIN_SAMPLE_RATE_HZ = 8_000;
export const MAX_SAMPLE_RATE_HZ = 48_000;
export const DEFAULT_SAMPLE_RATE_HZ = 16_000;
/** The service's defaults when the client sends none (documented for turn taking). */
export const DEFAULT_VAD_THRESHOLD = 0.5;
export const DEFAULT_END_OF_TURN_CONFIDENCE = 0.5;
export const DEFAULT_MIN_END_OF_TURN_SILENCE_MS = 200;
export const DEFAULT_PROFILE_TOP_N = 10;
const MIN_TURN_SILENCE_MS = 20;
const MAX_TURN_SILENCE_MS = 5_000;

export interface SttConfig {
  modelId: string;
  audioEncoding: string;
  sampleRateHertz: number;
  numberOfChannels: number;
  language?: string;
  voiceProfile: { enabled: boolean; topN: number };
  endOfTurnConfidenceThreshold: number;
  vadThreshold: number;
  minEndOfTurnSilenceMs: number;
  maxTurnSilenceMs?: number;
}

type Json = Record<string, unknown>;

/** Looks a field up by its camelCase name or the snake_case spelling. */
export function field(object: Json, camel: string): unknown {
  if (camel in object) return object[camel];
  return object[camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
}

export interface ParseSttConfigRules {
  /** Encodings accepted (streaming: LINEAR16 only). */
  encodings: readonly string[];
  models: readonly string[];
  /** REST with AUTO_DETECT does not need a sample rate. */
  requireSampleRate: boolean;
}

export const STREAMING_RULES: ParseSttConfigRules = { encodings: ['LINEAR16'], models: STREAMING_MODELS, requireSampleRate: false };

export function parseSttConfig(raw: unknown, rules: ParseSttConfigRules): SttConfig {
  const config = object(raw, 'transcribeConfig');
  const modelId = optionalString(config, 'modelId');
  if (modelId === undefined || modelId === '') throw invalidArgument('transcribeConfig.modelId is required');
  if (!rules.models.includes(modelId)) {
    throw invalidArgument(`unknown model "${modelId}" for this endpoint; supported: ${rules.models.join(', ')}`);
  }
  const encoding = optionalString(config, 'audioEncoding') ?? 'LINEAR16';
  if (!rules.encodings.includes(encoding)) {
    throw invalidArgument(`audioEncoding ${encoding} is not supported here; use ${rules.encodings.join(' or ')}`);
  }
  const rate = optionalNumber(config, 'sampleRateHertz');
  if (rate === undefined && rules.requireSampleRate) throw invalidArgument('transcribeConfig.sampleRateHertz is required for LINEAR16');
  const sampleRateHertz = rate ?? DEFAULT_SAMPLE_RATE_HZ;
  if (!Number.isInteger(sampleRateHertz) || sampleRateHertz < MIN_SAMPLE_RATE_HZ || sampleRateHertz > MAX_SAMPLE_RATE_HZ) {
    throw invalidArgument(`sampleRateHertz must be ${MIN_SAMPLE_RATE_HZ}–${MAX_SAMPLE_RATE_HZ}, got ${sampleRateHertz}`);
  }
  const numberOfChannels = optionalNumber(config, 'numberOfChannels') ?? 1;
  if (!Number.isInteger(numberOfChannels) || numberOfChannels < 1 || numberOfChannels > 8) {
    throw invalidArgument(`numberOfChannels must be 1–8, got ${numberOfChannels}`);
  }
  const profileRaw = field(config, 'voiceProfileConfig');
  const profile = profileRaw === undefined ? {} : object(profileRaw, 'voiceProfileConfig');
  const enabled = optionalBoolean(profile, 'enableVoiceProfile') ?? false;
  const topN = optionalNumber(profile, 'topN') ?? DEFAULT_PROFILE_TOP_N;
  if (!Number.isInteger(topN) || topN < 1 || topN > 20) throw invalidArgument(`voiceProfileConfig.topN must be 1–20, got ${topN}`);
  const threshold = optionalNumber(config, 'endOfTurnConfidenceThreshold') ?? DEFAULT_END_OF_TURN_CONFIDENCE;
  if (threshold < 0 || threshold > 1) throw invalidArgument('endOfTurnConfidenceThreshold must be 0–1');
  const v1Raw = field(config, 'inworldSttV1Config');
  const v1 = v1Raw === undefined ? {} : object(v1Raw, 'inworldSttV1Config');
  const vadThreshold = optionalNumber(v1, 'vadThreshold') ?? DEFAULT_VAD_THRESHOLD;
  if (vadThreshold < 0 || vadThreshold > 1) throw invalidArgument('inworldSttV1Config.vadThreshold must be 0–1');
  const minSilence = optionalNumber(v1, 'minEndOfTurnSilenceWhenConfident') ?? DEFAULT_MIN_END_OF_TURN_SILENCE_MS;
  checkSilence('minEndOfTurnSilenceWhenConfident', minSilence);
  const maxSilence = optionalNumber(v1, 'maxTurnSilence');
  if (maxSilence !== undefined) checkSilence('maxTurnSilence', maxSilence);
  const language = optionalString(config, 'language');
  return {
    modelId,
    audioEncoding: encoding,
    sampleRateHertz,
    numberOfChannels,
    ...(language ? { language } : {}),
    voiceProfile: { enabled, topN },
    endOfTurnConfidenceThreshold: threshold,
    vadThreshold,
    minEndOfTurnSilenceMs: minSilence,
    ...(maxSilence !== undefined ? { maxTurnSilenceMs: maxSilence } : {}),
  };
}

function checkSilence(name: string, ms: number): void {
  if (ms < MIN_TURN_SILENCE_MS || ms > MAX_TURN_SILENCE_MS) {
    throw invalidArgument(`inworldSttV1Config.${name} must be ${MIN_TURN_SILENCE_MS}–${MAX_TURN_SILENCE_MS} ms, got ${ms}`);
  }
}

function object(value: unknown, name: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidArgument(`${name} must be an object`);
  return value as Json;
}

function optionalString(config: Json, name: string): string | undefined {
  const value = field(config, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidArgument(`${name} must be a string`);
  return value;
}

function optionalNumber(config: Json, name: string): number | undefined {
  const value = field(config, name);
  if (value === undefined || value === null) return undefined;
  // protobuf-JSON also accepts numbers written as strings (int64 style).
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw invalidArgument(`${name} must be a number`);
  return n;
}

function optionalBoolean(config: Json, name: string): boolean | undefined {
  const value = field(config, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidArgument(`${name} must be true or false`);
  return value;
}
