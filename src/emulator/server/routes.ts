// Which handler answers which plain HTTP request: the service's paths and the methods they take.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleSttTranscribe } from '../stt/rest.js';
import { handleSynthesize, handleSynthesizeStream } from '../tts/http.js';
import { handleLegacyVoices } from '../voices/http.js';
import { routeVoiceApi, VOICE_API_PREFIX } from '../voices/routes.js';
import { handlePronunciations, matchPronunciationPath } from '../pronunciations/http.js';
import { ASYNC_PATH, BATCH_PATH, handleGetOperation, handleSynthesizeAsync, handleSynthesizeBatch, LRO_PREFIX } from '../jobs/http.js';
import type { EmulatorContext } from './context.js';
import { EmulatorError, GRPC_INVALID_ARGUMENT, GRPC_NOT_FOUND, GRPC_UNIMPLEMENTED } from './grpc.js';
import { sendJson } from './http-io.js';
import type { ServerRuntime } from './runtime.js';

export const TTS_PATH = '/tts/v1/voice';
export const TTS_STREAM_PATH = '/tts/v1/voice:stream';
export const TTS_WS_PATH = '/tts/v1/voice:streamBidirectional';
export const STT_PATH = '/stt/v1/transcribe';
export const STT_WS_PATH = '/stt/v1/transcribe:streamBidirectional';
export const LEGACY_VOICES_PATH = '/tts/v1/voices';
export const VOICES_PATH = '/voices/v1/voices';

/** One plain HTTP request, read and recorded, on its way to a handler. */
export interface RoutedRequest {
  method: string;
  path: string;
  url: URL;
  request: IncomingMessage;
  response: ServerResponse;
  raw: Buffer;
  body: unknown;
  /** False when a body was sent that is not JSON. */
  bodyParsed: boolean;
}

export async function route(runtime: ServerRuntime, req: RoutedRequest, ctx: EmulatorContext): Promise<void> {
  const { method, path, url, request, response, body } = req;
  const requireJson = (): void => {
    if (!req.bodyParsed) throw new EmulatorError(GRPC_INVALID_ARGUMENT, 'Invalid JSON payload received');
  };
  const allow = (allowed: string): void => {
    if (method !== allowed) throw new EmulatorError(GRPC_UNIMPLEMENTED, `Method ${method} not allowed on ${path}`, 405);
  };
  switch (path) {
    case TTS_PATH:
      allow('POST');
      requireJson();
      return runtime.limited(response, () => handleSynthesize(request, response, body, ctx));
    case TTS_STREAM_PATH:
      allow('POST');
      requireJson();
      return runtime.limited(response, () => handleSynthesizeStream(request, response, body, ctx));
    case ASYNC_PATH:
      allow('POST');
      requireJson();
      return handleSynthesizeAsync(request, response, body, ctx);
    case BATCH_PATH:
      allow('POST');
      requireJson();
      return handleSynthesizeBatch(request, response, body, ctx);
    case STT_PATH:
      allow('POST');
      return handleSttTranscribe(request, response, req.raw, ctx);
    case LEGACY_VOICES_PATH:
      allow('GET');
      return handleLegacyVoices(response, url, ctx);
    case '/':
      return sendJson(response, 200, { name: 'inworld-emulator', engine: runtime.speech.name });
    default: {
      const dictionaries = matchPronunciationPath(path);
      if (dictionaries) {
        if (method !== 'GET' && method !== 'DELETE') requireJson();
        return handlePronunciations(dictionaries, { method, url, body, response }, ctx);
      }
      if (path.startsWith(VOICE_API_PREFIX)) return routeVoiceApi(req, ctx);
      if (path.startsWith(LRO_PREFIX)) {
        allow('GET');
        return handleGetOperation(request, response, path, ctx);
      }
      throw new EmulatorError(GRPC_NOT_FOUND, 'Not Found');
    }
  }
}

export function requestUrl(request: IncomingMessage): URL {
  // Clients that join a base URL ending in "/" with a path starting in "/" send "//tts/..."; accept it.
  const target = (request.url ?? '/').replace(/^\/{2,}/, '/');
  return new URL(target, 'http://emulator.invalid');
}
