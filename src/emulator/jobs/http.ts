// The job endpoints: POST /tts/v1/voice:synthesizeAsync, POST /tts/v1/voice:synthesizeBatch,
// GET /lro/v1alpha/{name}, and the signed result objects under /storage/v1/objects/ (served with
// no credentials, like a storage host: an expired or altered signature is a 403).
// Faults of their own (custom actions): `job-fail` on a submit makes that job end with an error
// (params `code`, `message`); `expired-urls` on a poll hands out URLs that have already expired.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../server/context.js';
import { FaultWriter } from '../faults/http-writer.js';
import { findAction } from '../faults/rules.js';
import { EmulatorError, GRPC_INTERNAL, GRPC_NOT_FOUND, invalidArgument, rpcStatus } from '../server/grpc.js';
import { JSON_CONTENT_TYPE, sendJson } from '../server/http-io.js';
import { parseTtsHttpRequest, type TtsHttpRequest } from '../tts/request.js';
import { synthesizeWhole } from '../tts/http.js';
import type { EmulatedJob } from './store.js';
import { STORAGE_PREFIX } from './signed-urls.js';

export const ASYNC_PATH = '/tts/v1/voice:synthesizeAsync';
export const BATCH_PATH = '/tts/v1/voice:synthesizeBatch';
export const LRO_PREFIX = '/lro/v1alpha/';

const AUDIO_TYPES: Record<string, [string, string]> = {
  MP3: ['audio/mpeg', 'mp3'],
  OGG_OPUS: ['audio/ogg', 'ogg'],
  FLAC: ['audio/flac', 'flac'],
  LINEAR16: ['audio/wav', 'wav'],
  WAV: ['audio/wav', 'wav'],
  PCM: ['audio/L16', 'pcm'],
  MULAW: ['audio/basic', 'ulaw'],
  ALAW: ['audio/x-alaw-basic', 'alaw'],
};

/** The origin result URLs are signed for: the one the client reached us at. */
function originOf(request: IncomingMessage): string {
  return `http://${request.headers.host ?? 'localhost'}`;
}

/** A job's request, checked as the job endpoints check it: the async text limit, and timestamps only where alignment exists. */
function parseJobRequest(body: unknown, ctx: EmulatorContext): TtsHttpRequest {
  const request = parseTtsHttpRequest(body, {
    transport: 'http',
    voices: ctx.voices,
    unknownVoice: ctx.options.unknownVoice,
    pronunciations: ctx.pronunciations,
    maxChars: ctx.options.limits.asyncChars,
  });
  const languages = ctx.options.timestampLanguages;
  if (request.timestampType !== 'NONE' && request.language && !languages.includes('*')) {
    const base = request.language.split(/[-_]/)[0]!.toLowerCase();
    if (!languages.includes(base)) throw invalidArgument(`timestampType ${request.timestampType} is not supported for language "${request.language}"`);
  }
  return request;
}

/** Renders one request into stored objects: the audio, and the timestamps JSON when asked for. */
async function renderFiles(request: TtsHttpRequest, ctx: EmulatorContext): Promise<{ audio: string; timestamps?: string }> {
  const whole = await synthesizeWhole(request, ctx);
  const [contentType, extension] = AUDIO_TYPES[request.encoding] ?? ['application/octet-stream', 'bin'];
  const audio = ctx.jobs.put({ contentType, bytes: whole.audio }, `audio.${extension}`);
  if (!whole.timestampInfo) return { audio };
  const timestamps = ctx.jobs.put({ contentType: JSON_CONTENT_TYPE, bytes: Buffer.from(JSON.stringify(whole.timestampInfo), 'utf8') }, 'timestamps.json');
  return { audio, timestamps };
}

/** The `job-fail` fault, when it matched this submission. */
function injectedFailure(ctx: EmulatorContext): ReturnType<typeof rpcStatus> | undefined {
  const fault = findAction(ctx.matchedFaults, 'custom');
  if (!fault || fault.name !== 'job-fail') return undefined;
  const code = typeof fault.params?.code === 'number' ? fault.params.code : GRPC_INTERNAL;
  const message = typeof fault.params?.message === 'string' ? fault.params.message : 'synthesis failed';
  return rpcStatus(code, message);
}

async function answerOperation(request: IncomingMessage, response: ServerResponse, job: EmulatedJob, ctx: EmulatorContext): Promise<void> {
  response.writeHead(200, { 'content-type': JSON_CONTENT_TYPE });
  await new FaultWriter(response, ctx.matchedFaults, ctx).writeBody(ctx.jobs.operation(job, originOf(request), ctx.options.signedUrlTtlMs));
}

export async function handleSynthesizeAsync(request: IncomingMessage, response: ServerResponse, body: unknown, ctx: EmulatorContext): Promise<void> {
  const parsed = parseJobRequest(body, ctx);
  const job = ctx.jobs.create('async', ctx.options.workspace, ctx.options.jobDelayMs);
  const failure = injectedFailure(ctx);
  ctx.jobs.run(job, async () => {
    if (failure) {
      job.error = failure;
      return;
    }
    Object.assign(job, await renderFiles(parsed, ctx));
  });
  await answerOperation(request, response, job, ctx);
}

/** Checks every item first: one invalid item rejects the whole batch, naming it. */
function parseBatch(body: unknown, ctx: EmulatorContext): Array<{ customId: string; request: TtsHttpRequest }> {
  const items = body !== null && typeof body === 'object' ? (body as { items?: unknown }).items : undefined;
  if (!Array.isArray(items) || items.length === 0) throw invalidArgument('items must be a non-empty array of {customId, request}');
  if (items.length > ctx.options.limits.batchItems) throw invalidArgument(`a batch takes at most ${ctx.options.limits.batchItems} items (got ${items.length})`);
  const seen = new Set<string>();
  return items.map((item: unknown, index) => {
    const record = item !== null && typeof item === 'object' ? (item as Record<string, unknown>) : {};
    const customId = record.customId ?? record.custom_id;
    if (typeof customId !== 'string' || customId === '') throw invalidArgument(`items[${index}]: customId must be a non-empty string`);
    if (seen.has(customId)) throw invalidArgument(`items[${index}]: customId "${customId}" is used twice`);
    seen.add(customId);
    try {
      return { customId, request: parseJobRequest(record.request, ctx) };
    } catch (error) {
      if (error instanceof EmulatorError) throw invalidArgument(`items[${index}] (customId "${customId}"): ${error.message}`);
      throw error;
    }
  });
}

export async function handleSynthesizeBatch(request: IncomingMessage, response: ServerResponse, body: unknown, ctx: EmulatorContext): Promise<void> {
  const items = parseBatch(body, ctx);
  const job = ctx.jobs.create('batch', ctx.options.workspace, ctx.options.jobDelayMs);
  const failure = injectedFailure(ctx);
  ctx.jobs.run(job, async () => {
    if (failure) {
      job.error = failure;
      return;
    }
    const outcomes = [];
    for (const item of items) {
      try {
        outcomes.push({ customId: item.customId, ...(await renderFiles(item.request, ctx)) });
      } catch (error) {
        outcomes.push({ customId: item.customId, error: rpcStatus(GRPC_INTERNAL, error instanceof Error ? error.message : String(error)) });
      }
    }
    job.items = outcomes;
  });
  await answerOperation(request, response, job, ctx);
}

export async function handleGetOperation(request: IncomingMessage, response: ServerResponse, path: string, ctx: EmulatorContext): Promise<void> {
  const name = decodeURIComponent(path.slice(LRO_PREFIX.length));
  const job = ctx.jobs.get(name);
  if (!job) throw new EmulatorError(GRPC_NOT_FOUND, `operation ${name} not found`);
  const fault = findAction(ctx.matchedFaults, 'custom');
  if (fault?.name === 'expired-urls') job.expiredUrls = (job.expiredUrls ?? 0) + 1;
  await answerOperation(request, response, job, ctx);
}

/** GET of a signed object: no credentials, the signature decides (403 when expired or altered, as a storage host answers). */
export function handleStorage(request: IncomingMessage, response: ServerResponse, url: URL, ctx: EmulatorContext): void {
  const check = ctx.jobs.signer.check(url.pathname, url.searchParams);
  if (check !== 'ok') {
    const message = check === 'expired' ? 'Request has expired' : 'The request signature we calculated does not match the signature you provided';
    return sendJson(response, 403, { error: { code: 403, message, status: check === 'expired' ? 'ExpiredToken' : 'SignatureDoesNotMatch' } });
  }
  const object = ctx.jobs.object(decodeURIComponent(url.pathname.slice(STORAGE_PREFIX.length)));
  if (!object) return sendJson(response, 404, { error: { code: 404, message: 'No such object' } });
  const bytes = object.render ? object.render(originOf(request)) : object.bytes!;
  response.writeHead(200, { 'content-type': object.contentType, 'content-length': String(bytes.length) });
  response.end(bytes);
}
