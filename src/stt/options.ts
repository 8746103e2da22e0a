// Options of a streaming transcription, their defaults, and the `transcribeConfig` they become
// (docs/protocol.md#stt). Defaults follow the LiveKit clients, which are what the CLI contract names.

import { ValidationError } from '../core/errors.js';
import type { TranscribeConfigWire } from './protocol.js';

export const DEFAULT_STT_MODEL = 'inworld/inworld-stt-1';
export const DEFAULT_STT_LANGUAGE = 'en-US';
export const DEFAULT_END_OF_TURN_THRESHOLD = 0.3;
export const DEFAULT_MIN_END_OF_TURN_SILENCE_MS = 200;
export const DEFAULT_VOICE_PROFILE_TOP_N = 1;
export const MIN_STT_SAMPLE_RATE_HZ = 8_000;
export const MAX_STT_SAMPLE_RATE_HZ = 48_000;
/** The API's rate limit: 50 audio chunks per second per account (docs/protocol.md#stt). */
export const DEFAULT_MAX_CHUNKS_PER_SECOND = 50;
/** About 100 ms per chunk is what the API recommends (docs/protocol.md#stt). */
export const CHUNK_DURATION_MS = 100;

/** Recognition settings shared by streaming and one-clip transcription. */
export interface SttOptions {
  /** Sample rate of the PCM you write, 8000–48000. */
  sampleRateHertz: number;
  /** Interleaved channels of the PCM you write. Default 1. */
  channels?: number;
  model?: string;
  /** BCP-47 code; `null` leaves it out so the server auto-detects. Default en-US. */
  language?: string | null;
  /** Default true. */
  voiceProfile?: boolean;
  /** Entries per profile category, 1–20. Default 1. */
  voiceProfileTopN?: number;
  /** 0–1; 0 means manual turns (send endTurn). Server default when absent. */
  vadThreshold?: number;
  /** Default 200 ms. */
  minEndOfTurnSilenceMs?: number;
  /** Default 0.3. */
  endOfTurnThreshold?: number;
}

export function validateSttOptions(options: SttOptions): void {
  const rate = options.sampleRateHertz;
  if (!Number.isInteger(rate) || rate < MIN_STT_SAMPLE_RATE_HZ || rate > MAX_STT_SAMPLE_RATE_HZ) {
    throw new ValidationError(`sample rate ${rate} Hz is outside the ${MIN_STT_SAMPLE_RATE_HZ}–${MAX_STT_SAMPLE_RATE_HZ} Hz the STT API accepts`);
  }
  const channels = options.channels ?? 1;
  if (!Number.isInteger(channels) || channels < 1) throw new ValidationError(`channels must be a whole number above 0, not ${channels}`);
  inRange('vadThreshold', options.vadThreshold, 0, 1);
  inRange('endOfTurnThreshold', options.endOfTurnThreshold, 0, 1);
  inRange('voiceProfileTopN', options.voiceProfileTopN, 1, 20);
  inRange('minEndOfTurnSilenceMs', options.minEndOfTurnSilenceMs, 0, 60_000);
}

function inRange(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < min || value > max) throw new ValidationError(`${name} must be in [${min}, ${max}], not ${value}`);
}

export function buildTranscribeConfig(options: SttOptions): TranscribeConfigWire {
  const voiceProfile = options.voiceProfile ?? true;
  const config: TranscribeConfigWire = {
    modelId: options.model ?? DEFAULT_STT_MODEL,
    audioEncoding: 'LINEAR16',
    sampleRateHertz: options.sampleRateHertz,
    numberOfChannels: options.channels ?? 1,
    voiceProfileConfig: voiceProfile
      ? { enableVoiceProfile: true, topN: options.voiceProfileTopN ?? DEFAULT_VOICE_PROFILE_TOP_N }
      : { enableVoiceProfile: false },
    // Word timestamps make captions possible and tell recovery exactly which audio a final
    // covered; the API ignores fields it does not know, so asking is harmless (docs/protocol.md#endpoints-and-authentication).
    includeWordTimestamps: true,
  };
  if (options.vadThreshold === 0) {
    // Manual turns: the end-of-turn settings do not apply, and Pipecat found they are rejected.
    config.inworldSttV1Config = { vadThreshold: 0 };
  } else {
    config.endOfTurnConfidenceThreshold = options.endOfTurnThreshold ?? DEFAULT_END_OF_TURN_THRESHOLD;
    config.inworldSttV1Config = {
      minEndOfTurnSilenceWhenConfident: options.minEndOfTurnSilenceMs ?? DEFAULT_MIN_END_OF_TURN_SILENCE_MS,
      ...(options.vadThreshold !== undefined ? { vadThreshold: options.vadThreshold } : {}),
    };
  }
  const language = options.language === undefined ? DEFAULT_STT_LANGUAGE : options.language;
  if (language !== null && language !== '') config.language = language;
  return config;
}

/** Bytes in one ~100 ms chunk, whole frames only. */
export function chunkBytesFor(sampleRateHertz: number, channels: number): number {
  return Math.max(1, Math.round((sampleRateHertz * CHUNK_DURATION_MS) / 1000)) * channels * 2;
}
