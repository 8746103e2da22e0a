// The public types of HTTP synthesis (tts/http.ts): what a chunk, a whole result and a call's
// settings hold.
import type { WarningListener } from './model-checks.js';
import type { HeaderPatch } from '../audio/part-joiner.js';
import type { RetryInfo } from '../core/retry.js';
import type { AudioEncoding } from './options.js';
import type { Timestamps } from './timestamps.js';

/** What the server billed for one synthesis. */
export interface Usage {
  processedCharactersCount?: number;
  modelId?: string;
}

/** What the audio bytes of a synthesis are: encoding, container, rate and channels. */
export interface AudioFormat {
  encoding: AudioEncoding;
  /** What `audio` holds: raw s16le PCM, raw G.711, or the encoder's own container bytes. */
  container: 'pcm_s16le' | 'mulaw' | 'alaw' | 'mp3' | 'ogg_opus' | 'flac';
  sampleRateHertz: number;
  channels: number;
}

/** One piece of an HTTP streaming synthesis: audio and/or timestamps, in order. */
export interface SynthesisChunk {
  audio?: Buffer;
  timestamps?: Timestamps;
  usage?: Usage;
  /** On the first chunk that carries audio. */
  format?: AudioFormat;
  /** Index of the text part (request) this chunk came from; 0 unless the text was split. */
  part: number;
  /** On the first chunk of each part: the `x-request-id` of the request that produced it. */
  requestId?: string;
  /**
   * On the last chunk of a multi-part FLAC: bytes to write over the output at `offset` once all of
   * it is written (STREAMINFO's totals, sent as "unknown"). For a seekable file; a pipe may ignore it.
   */
  headerPatch?: HeaderPatch;
}

/** Per-call settings for HTTP synthesis: cancellation, deadlines, retries and long-text splitting. */
export interface SynthesisCallOptions {
  signal?: AbortSignal;
  /** Connect/first-byte and idle deadline per request; defaults to client.timeoutMs. */
  timeoutMs?: number;
  /** Defaults to client.maxRetries. */
  maxRetries?: number;
  /** Longest text per request; longer text is split at sentence boundaries. Default 2000. */
  maxTextChars?: number;
  maxPartsInFlight?: number;
  maxBufferedBytesPerPart?: number;
  /** Called before each retry of a part, with the failure and the delay. */
  onRetry?: (info: RetryInfo & { part: number }) => void;
  /** Called with the text of each part before it is requested. */
  onPart?: (info: { part: number; parts: number; text: string }) => void;
  /** Override retry backoff (tests). */
  retryBaseDelayMs?: number;
  /** Hears what is sent anyway but probably not meant (an unknown model, an ignored temperature), before the first request. */
  onWarning?: WarningListener;
}

/** The whole result of a one-shot synthesis. */
export interface SynthesisResult {
  /** The whole audio: raw PCM / G.711 for fixed-rate encodings (headers removed), else the encoder's bytes. */
  audio: Buffer;
  format: AudioFormat;
  timestamps?: Timestamps;
  /** Summed over all parts. */
  usage?: Usage;
  /** Audio length in seconds, measured from the audio bytes of every part. */
  durationSeconds: number;
  parts: number;
}
