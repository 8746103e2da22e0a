// Whole-clip transcription over REST, POST /stt/v1/transcribe (docs/protocol.md#stt), used by
// `inworld transcribe --batch`. The clip is sent as raw LINEAR16 with its sample rate (the
// encodings inworld-stt-1's sync path takes are LINEAR16 and FLAC); clips above the API's ~16 MB
// are refused before sending, with the fix (stream them instead).

import type { InworldClient } from '../core/client.js';
import { ConnectionError, makeApiError, parseRpcStatus, TimeoutError, UserAbortError, ValidationError } from '../core/errors.js';
import { STT_RETRY_BACKOFF, withRetry } from '../core/retry.js';
import { buildTranscribeConfig, validateSttOptions, type SttOptions } from './options.js';
import { parseVoiceProfile, parseWords, type VoiceProfile, type WordTimestamp } from './protocol.js';

export const STT_TRANSCRIBE_PATH = '/stt/v1/transcribe';
/** The sync endpoint takes clips up to about 16 MB (docs/protocol.md#stt). */
export const MAX_BATCH_AUDIO_BYTES = 16 * 1024 * 1024;
/** Extra time allowed per second of audio on top of the client's timeout (upload + recognition). */
const TIMEOUT_PER_AUDIO_SECOND_MS = 1_000;

/** The transcript of one clip. */
export interface BatchTranscription {
  text: string;
  words: WordTimestamp[];
  voiceProfile?: VoiceProfile;
  usage?: { transcribedAudioMs?: number; modelId?: string };
}

/** Settings for a one-clip transcription. */
export interface BatchOptions extends SttOptions {
  signal?: AbortSignal;
  maxRetries?: number;
}

export async function transcribeClip(client: InworldClient, pcm: Uint8Array, options: BatchOptions): Promise<BatchTranscription> {
  validateSttOptions(options);
  if (pcm.length > MAX_BATCH_AUDIO_BYTES) {
    const seconds = Math.round(pcm.length / ((options.channels ?? 1) * 2 * options.sampleRateHertz));
    throw new ValidationError(`the audio is ${seconds} s (${pcm.length} bytes), over the ${MAX_BATCH_AUDIO_BYTES / 1024 / 1024} MB the batch endpoint takes`, {
      hint: 'Drop --batch to stream it instead',
    });
  }
  const body = JSON.stringify({
    transcribeConfig: buildTranscribeConfig(options),
    audioData: { content: Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64') },
  });
  const audioSeconds = pcm.length / ((options.channels ?? 1) * 2 * options.sampleRateHertz);
  const timeoutMs = client.timeoutMs + Math.ceil(audioSeconds) * TIMEOUT_PER_AUDIO_SECOND_MS;
  return withRetry(() => postOnce(client, body, timeoutMs, options.signal), {
    ...STT_RETRY_BACKOFF,
    maxRetries: options.maxRetries ?? client.maxRetries,
    signal: options.signal,
    onRetry: ({ error, delayMs }) => client.logger.debug(`stt batch: ${(error as Error).message}; retrying in ${delayMs} ms`),
  });
}

async function postOnce(client: InworldClient, body: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<BatchTranscription> {
  const requestId = crypto.randomUUID();
  const url = client.httpUrl(STT_TRANSCRIBE_PATH);
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  client.logger.debug(`stt batch: POST ${url.href} (${body.length} bytes, request ${requestId})`);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { ...client.headers(requestId), 'Content-Type': 'application/json' },
      body,
      signal: combined,
    });
    text = await response.text();
  } catch (error) {
    if (signal?.aborted) throw new UserAbortError();
    if (timeout.aborted) throw new TimeoutError(`no answer from ${url.origin} within ${timeoutMs} ms`, { cause: error });
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new ConnectionError(`cannot reach ${url.origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const { grpcCode, message } = parseRpcStatus(json);
    const retryAfter = Number(response.headers.get('retry-after'));
    throw makeApiError({
      status: response.status,
      grpcCode,
      serverMessage: message ?? text.slice(0, 200),
      requestId: response.headers.get('x-request-id') ?? requestId,
      body: json ?? text,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    });
  }
  if (typeof json !== 'object' || json === null) throw makeApiError({ status: response.status, serverMessage: 'the answer is not JSON', requestId });
  return parseBatchAnswer(json as Record<string, unknown>);
}

/** Reads `{transcription, voiceProfile?, usage?}`; the profile is also accepted inside transcription. */
export function parseBatchAnswer(json: Record<string, unknown>): BatchTranscription {
  const transcription = (json.transcription ?? {}) as Record<string, unknown>;
  const voiceProfile = parseVoiceProfile(json.voiceProfile ?? json.voice_profile ?? transcription.voiceProfile ?? transcription.voice_profile);
  const usage = json.usage as Record<string, unknown> | undefined;
  const result: BatchTranscription = {
    text: typeof transcription.transcript === 'string' ? transcription.transcript : '',
    words: parseWords(transcription.wordTimestamps ?? transcription.word_timestamps),
  };
  if (voiceProfile) result.voiceProfile = voiceProfile;
  if (usage && typeof usage === 'object') {
    result.usage = {
      transcribedAudioMs: typeof usage.transcribedAudioMs === 'number' ? usage.transcribedAudioMs : Number(usage.transcribedAudioMs) || undefined,
      modelId: typeof usage.modelId === 'string' ? usage.modelId : undefined,
    };
  }
  return result;
}
