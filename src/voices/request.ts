// One Voice API call with the retry rule its kind needs. Reads (list, get) and the calls whose
// repetition changes nothing (update, delete) follow the normal policy; clone, design and publish
// are retried only when the request never left this machine (docs/protocol.md#errors-limits-and-retries).
import type { InworldClient } from '../core/client.js';
import { NotFoundError } from '../core/errors.js';
import { requestJson, type HttpMethod, type HttpRequestOptions, type JsonResponse } from '../core/http.js';
import { isRetryableBeforeSend, withRetry } from '../core/retry.js';
import type { VoiceCallOptions } from './types.js';

export interface VoiceRequest {
  method: HttpMethod;
  path: string;
  query?: HttpRequestOptions['query'];
  body?: unknown;
  /** False for calls that create something: never sent twice. */
  idempotent: boolean;
  /** The deadline when the caller gives none. */
  defaultTimeoutMs?: number;
  /** A 404 on a retry means an earlier attempt already did it (a delete): answer as if it succeeded. */
  goneOnRetryIsDone?: boolean;
}

/** Sends the request (retrying as its kind allows) and returns the parsed JSON answer. */
export async function voiceRequest(client: InworldClient, request: VoiceRequest, options: VoiceCallOptions = {}): Promise<JsonResponse<unknown>> {
  const timeoutMs = options.timeoutMs ?? request.defaultTimeoutMs;
  return withRetry(
    async (attempt) => {
      if (attempt > 1) client.logger.debug(`voices: ${request.method} ${request.path} attempt ${attempt}`);
      try {
        return await requestJson(client, { method: request.method, path: request.path, query: request.query, body: request.body, signal: options.signal, timeoutMs });
      } catch (error) {
        if (attempt > 1 && request.goneOnRetryIsDone && error instanceof NotFoundError) {
          return { status: 200, data: {}, requestId: error.requestId ?? '', headers: {} };
        }
        throw error;
      }
    },
    {
      maxRetries: options.maxRetries ?? client.maxRetries,
      signal: options.signal,
      ...(request.idempotent ? {} : { retryable: isRetryableBeforeSend }),
    },
  );
}

/** The JSON object of a response, or an empty one (DELETE may answer with nothing). */
export function objectOf(data: unknown): Record<string, unknown> {
  return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}
