// A plain HTTP request from arrival to answer: body read (with its size cap), the control surface,
// the request log, authentication, the fault actions that act before any handler, the route, and
// errors turned into gRPC status bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { headerStall, statusAnswer } from '../faults/before-handler.js';
import { stall } from '../faults/http-writer.js';
import { authenticate } from './auth.js';
import { CONTROL_PREFIX, handleControl } from './control-http.js';
import { EmulatorError, GRPC_INTERNAL, GRPC_INVALID_ARGUMENT, GRPC_UNAUTHENTICATED } from './grpc.js';
import { BodyTooLargeError, readBody, sendJson, sendRpcError, sendStatus } from './http-io.js';
import type { RecordedRequest } from './recorder.js';
import { requestUrl, route, STT_PATH, type RoutedRequest } from './routes.js';
import type { ServerRuntime } from './runtime.js';
import { handleStorage } from '../jobs/http.js';
import { STORAGE_PREFIX } from '../jobs/signed-urls.js';

/** The server's 'request' listener: never rejects; an unexpected error answers 500. */
export function httpListener(runtime: ServerRuntime): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handleHttp(runtime, request, response).catch((error: unknown) => {
      runtime.log.info(`internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      if (!response.headersSent) sendStatus(response, 500, GRPC_INTERNAL, 'Internal error');
      else response.destroy();
    });
  };
}

async function handleHttp(runtime: ServerRuntime, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { options, faults, recorder } = runtime;
  const startedMs = Date.now();
  const url = requestUrl(request);
  const path = url.pathname;
  const method = (request.method ?? 'GET').toUpperCase();
  let raw: Buffer;
  try {
    raw = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readBody(request);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return sendStatus(response, 413, GRPC_INVALID_ARGUMENT, error.message);
    throw error;
  }
  if (options.controlEndpoints && path.startsWith(CONTROL_PREFIX)) {
    return handleControl(method, path, raw, response, { faults, recorder, engine: runtime.speech.name, options });
  }
  const req = parseJsonBody({ method, path, url, request, response, raw });
  const record = recordRequest(runtime, req, startedMs);

  // Signed result URLs carry their own authorization, as on a storage host: no key is asked for.
  if (path.startsWith(STORAGE_PREFIX) && (method === 'GET' || method === 'HEAD')) {
    const matched = faults.take({ protocol: 'http', method, path });
    const answer = statusAnswer(matched);
    if (answer) return sendJson(response, answer.status, answer.body, answer.headers);
    return handleStorage(request, response, url, runtime.contextFor(record, matched));
  }
  const auth = authenticate(request, url, options.apiKey, false);
  if (!auth.ok) return sendStatus(response, 401, GRPC_UNAUTHENTICATED, auth.message);

  const matched = faults.take({ protocol: 'http', method, path });
  await runtime.delay(options.firstByteLatencyMs).catch(() => {});
  const stallFault = headerStall(matched);
  if (stallFault) await stall(runtime.contextFor(record, matched), response, stallFault.ms);
  if (response.destroyed) return;
  const answer = statusAnswer(matched);
  if (answer) return sendJson(response, answer.status, answer.body, answer.headers);

  try {
    await route(runtime, req, runtime.contextFor(record, matched));
  } catch (error) {
    if (error instanceof EmulatorError) {
      if (!response.headersSent) return sendRpcError(response, error);
      // Headers are out: report it the way a stream does.
      if (!response.destroyed) response.end(`${JSON.stringify({ error: error.toStatus() })}\n`);
      return;
    }
    if (runtime.closing.aborted) return void response.destroy();
    throw error;
  }
}

function parseJsonBody(req: Omit<RoutedRequest, 'body' | 'bodyParsed'>): RoutedRequest {
  if (req.raw.length === 0) return { ...req, body: undefined, bodyParsed: true };
  try {
    return { ...req, body: JSON.parse(req.raw.toString('utf8')), bodyParsed: true };
  } catch {
    return { ...req, body: undefined, bodyParsed: false };
  }
}

/** Logs the request (its status and duration once answered) and gives it an x-request-id. */
function recordRequest(runtime: ServerRuntime, req: RoutedRequest, startedMs: number): RecordedRequest {
  const { method, path, url, request, response, raw, body } = req;
  const record = runtime.recorder.record({
    protocol: 'http',
    method,
    path,
    query: Object.fromEntries(url.searchParams),
    rawQuery: url.search,
    headers: request.headers,
    bodyBytes: raw.length,
    ...(body !== undefined ? { body } : {}),
    // STT bodies are mostly base64 audio: the parsed body is kept, the raw text is not.
    ...(path === STT_PATH ? {} : { rawBody: raw.toString('utf8') }),
  });
  response.setHeader('x-request-id', headerValue(request, 'x-request-id') ?? randomUUID());
  response.on('finish', () => {
    record.status = response.statusCode;
    runtime.log.info(`${method} ${path} ${response.statusCode} ${Date.now() - startedMs}ms`);
  });
  response.on('close', () => {
    if (!response.writableFinished) runtime.log.info(`${method} ${path} connection closed after ${Date.now() - startedMs}ms`);
  });
  return record;
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
