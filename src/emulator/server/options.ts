// Emulator options and their defaults. Everything the protocol reference marks as uncertain
// (text limits, unknown-voice behaviour, which voice endpoints exist) is a knob here.

import type { FaultRuleInput } from '../faults/rules.js';

export type SpeechEngineName = 'espeak' | 'synthetic';

export interface EmulatorTextLimits {
  /** Max characters of `text` for `POST /tts/v1/voice` (the service allows 2000). */
  synthesizeChars?: number;
  /** Max characters for `POST /tts/v1/voice:stream` (2000 in the reference, 4000 in a newer guide). */
  streamChars?: number;
  /** Max characters in one WebSocket `send_text` (1000 in the reference, 2000 in a newer guide). */
  sendTextChars?: number;
  /** Max `bufferCharThreshold` on WebSocket `create`. */
  bufferCharThresholdMax?: number;
  /** Shortest voice design description accepted (sources disagree: 30 in Inworld's SDK, 7 in its tools). Default 1. */
  designPromptMinChars?: number;
  /** Longest voice design description accepted (250 in Inworld's SDK, 1000 in its newer tools). Default 1000. */
  designPromptMaxChars?: number;
  /** Max characters of one async job or batch item (100,000; 10,000 on On-Demand plans). Default 100000. */
  asyncChars?: number;
  /** Max items in one batch (not documented; ours). Default 1000. */
  batchItems?: number;
}

export interface EmulatorOptions {
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** No request log lines on stderr. Default true for library use (the CLI passes false). */
  quiet?: boolean;
  /** Where log lines go when not quiet. Default: process.stderr. */
  logSink?: (line: string) => void;
  /** When set, only this credential (after `Basic `/`Bearer `) is accepted; otherwise any non-empty one. */
  apiKey?: string;
  /** Delay before response headers of every request, ms. */
  firstByteLatencyMs?: number;
  /** Extra delay per request / per WebSocket generation before audio starts, ms. */
  generationLatencyMs?: number;
  /** Pace streamed audio at real time (1 s of audio takes 1 s). Off by default so tests are fast. */
  realtime?: boolean;
  /** Speech engine. Default: INWORLD_EMULATOR_ENGINE if set, else espeak when installed, else synthetic. */
  engine?: SpeechEngineName;
  /** Text limits; see EmulatorTextLimits for defaults. */
  limits?: EmulatorTextLimits;
  /** Unknown voiceId: 'not-found' (404, code 5; default), 'invalid-argument' (400, code 3) or 'accept'. */
  unknownVoice?: 'not-found' | 'invalid-argument' | 'accept';
  /** Answer `GET /tts/v1/voices` with 404, to test the client's fallback. Default false. */
  legacyVoicesNotFound?: boolean;
  /** Answer the Voice API (`/voices/v1/...`) with 404. Default false. */
  voiceApiNotFound?: boolean;
  /** Enable `/_emulator/*` control endpoints (faults, request log). Default true. */
  controlEndpoints?: boolean;
  /** Fault rules active from the start: objects or spec strings (grammar in faults/rules.ts). */
  faults?: ReadonlyArray<FaultRuleInput | string>;
  /**
   * WORD timestamps as words with their punctuation attached (`attached`, the older documented
   * style; default) or as every token of the text, whitespace and punctuation included (`tokens`,
   * the newer docs' description).
   */
  wordTimestampStyle?: 'attached' | 'tokens';
  /** Samples per streamed chunk duration, ms of audio per `:stream` line. Default 200. */
  streamChunkMs?: number;
  /**
   * Concurrent HTTP synthesis requests allowed (the service limits concurrent generations per
   * plan); one more gets 429 with code 8 (RESOURCE_EXHAUSTED). Default: unlimited.
   */
  maxConcurrentSynthesis?: number;
  /** Environment used for defaults (INWORLD_EMULATOR_ENGINE). Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Transcripts for speech-to-text turns, used in order (the emulator does not recognize speech). */
  sttScript?: string[];
  /** The workspace custom voices belong to: their ids are `{workspace}__{name}`. Default `emulator`. */
  workspace?: string;
  /** Credentials that lack the Voices scope: the Voice API answers them 403 (code 7). `*` means every key. */
  keysWithoutVoiceScope?: string[];
  /** Voice clones allowed per key per minute; one more gets 429 with Retry-After (code 8). Default 5. */
  cloneRateLimitPerMinute?: number;
  /** How long a voice design preview can be published, ms. Default 600000 (10 minutes). */
  previewTtlMs?: number;
  /** Extra time a clone takes after the voice was created, before the answer, ms (a slow service). */
  cloneLatencyMs?: number;
  /** How long a submitted async or batch job runs before its operation is done, ms. Default 300. */
  jobDelayMs?: number;
  /** How long a signed result URL stays valid, ms. Default 3600000 (one hour). */
  signedUrlTtlMs?: number;
  /**
   * Languages (base codes) with timestamp alignment: a job asking for timestamps in another
   * language is refused at submit. Default ['en']. `['*']` accepts every language.
   */
  timestampLanguages?: string[];
}

export interface ResolvedEmulatorOptions {
  port: number;
  host: string;
  quiet: boolean;
  logSink: (line: string) => void;
  apiKey: string | undefined;
  firstByteLatencyMs: number;
  generationLatencyMs: number;
  realtime: boolean;
  /** The engine asked for; `espeak` falls back to synthetic at render time when not installed. */
  engine: SpeechEngineName;
  limits: Required<EmulatorTextLimits>;
  unknownVoice: 'not-found' | 'invalid-argument' | 'accept';
  legacyVoicesNotFound: boolean;
  voiceApiNotFound: boolean;
  controlEndpoints: boolean;
  streamChunkMs: number;
  wordTimestampStyle: 'attached' | 'tokens';
  maxConcurrentSynthesis: number;
  sttScript?: string[];
  workspace: string;
  keysWithoutVoiceScope: string[];
  cloneRateLimitPerMinute: number;
  previewTtlMs: number;
  cloneLatencyMs: number;
  jobDelayMs: number;
  signedUrlTtlMs: number;
  timestampLanguages: string[];
}

export const DEFAULT_EMULATOR_HOST = '127.0.0.1';
export const DEFAULT_SYNTHESIZE_CHARS = 2000;
export const DEFAULT_STREAM_CHARS = 2000;
export const DEFAULT_SEND_TEXT_CHARS = 2000;
export const DEFAULT_BUFFER_CHAR_THRESHOLD_MAX = 2000;
export const DEFAULT_STREAM_CHUNK_MS = 200;
export const DEFAULT_WORKSPACE = 'emulator';
export const DEFAULT_CLONE_RATE_LIMIT_PER_MINUTE = 5;
export const DEFAULT_PREVIEW_TTL_MS = 10 * 60_000;
export const DEFAULT_DESIGN_PROMPT_MIN_CHARS = 1;
export const DEFAULT_DESIGN_PROMPT_MAX_CHARS = 1000;
export const DEFAULT_ASYNC_CHARS = 100_000;
export const DEFAULT_BATCH_ITEMS = 1000;
export const DEFAULT_JOB_DELAY_MS = 300;
export const DEFAULT_SIGNED_URL_TTL_MS = 60 * 60_000;
export const ENGINE_ENV_VAR = 'INWORLD_EMULATOR_ENGINE';

export function resolveEmulatorOptions(options: EmulatorOptions, espeakAvailable: boolean): ResolvedEmulatorOptions {
  const env = options.env ?? process.env;
  const envEngine = env[ENGINE_ENV_VAR];
  const engine: SpeechEngineName =
    options.engine ??
    (envEngine === 'synthetic' || envEngine === 'espeak' ? envEngine : espeakAvailable ? 'espeak' : 'synthetic');
  return {
    port: options.port ?? 0,
    host: options.host ?? DEFAULT_EMULATOR_HOST,
    quiet: options.quiet ?? true,
    logSink: options.logSink ?? ((line) => process.stderr.write(`${line}\n`)),
    apiKey: options.apiKey,
    firstByteLatencyMs: nonNegative(options.firstByteLatencyMs),
    generationLatencyMs: nonNegative(options.generationLatencyMs),
    realtime: options.realtime ?? false,
    engine,
    limits: {
      synthesizeChars: options.limits?.synthesizeChars ?? DEFAULT_SYNTHESIZE_CHARS,
      streamChars: options.limits?.streamChars ?? DEFAULT_STREAM_CHARS,
      sendTextChars: options.limits?.sendTextChars ?? DEFAULT_SEND_TEXT_CHARS,
      bufferCharThresholdMax: options.limits?.bufferCharThresholdMax ?? DEFAULT_BUFFER_CHAR_THRESHOLD_MAX,
      designPromptMinChars: options.limits?.designPromptMinChars ?? DEFAULT_DESIGN_PROMPT_MIN_CHARS,
      designPromptMaxChars: options.limits?.designPromptMaxChars ?? DEFAULT_DESIGN_PROMPT_MAX_CHARS,
      asyncChars: options.limits?.asyncChars ?? DEFAULT_ASYNC_CHARS,
      batchItems: options.limits?.batchItems ?? DEFAULT_BATCH_ITEMS,
    },
    unknownVoice: options.unknownVoice ?? 'not-found',
    legacyVoicesNotFound: options.legacyVoicesNotFound ?? false,
    voiceApiNotFound: options.voiceApiNotFound ?? false,
    controlEndpoints: options.controlEndpoints ?? true,
    streamChunkMs: options.streamChunkMs && options.streamChunkMs > 0 ? options.streamChunkMs : DEFAULT_STREAM_CHUNK_MS,
    sttScript: options.sttScript,
    wordTimestampStyle: options.wordTimestampStyle ?? 'attached',
    maxConcurrentSynthesis:
      options.maxConcurrentSynthesis !== undefined && options.maxConcurrentSynthesis > 0 ? options.maxConcurrentSynthesis : Infinity,
    workspace: options.workspace && /^[A-Za-z0-9_-]+$/.test(options.workspace) ? options.workspace : DEFAULT_WORKSPACE,
    keysWithoutVoiceScope: [...(options.keysWithoutVoiceScope ?? [])],
    cloneRateLimitPerMinute:
      options.cloneRateLimitPerMinute !== undefined && options.cloneRateLimitPerMinute > 0 ? options.cloneRateLimitPerMinute : DEFAULT_CLONE_RATE_LIMIT_PER_MINUTE,
    previewTtlMs: options.previewTtlMs !== undefined && options.previewTtlMs > 0 ? options.previewTtlMs : DEFAULT_PREVIEW_TTL_MS,
    cloneLatencyMs: nonNegative(options.cloneLatencyMs),
    jobDelayMs: options.jobDelayMs !== undefined && Number.isFinite(options.jobDelayMs) && options.jobDelayMs >= 0 ? options.jobDelayMs : DEFAULT_JOB_DELAY_MS,
    signedUrlTtlMs: options.signedUrlTtlMs !== undefined && options.signedUrlTtlMs > 0 ? options.signedUrlTtlMs : DEFAULT_SIGNED_URL_TTL_MS,
    timestampLanguages: [...(options.timestampLanguages ?? ['en'])].map((code) => code.toLowerCase()),
  };
}

function nonNegative(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;
}
