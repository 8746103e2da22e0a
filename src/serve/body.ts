// Request bodies with size limits: JSON for speech, multipart/form-data for transcriptions. The
// multipart parser is the runtime's own (undici's `Request#formData()`); this module only bounds
// what it is given, so an oversized upload is refused (413) without being held in memory.
import type { IncomingMessage } from 'node:http';
import { GatewayError, badRequest } from './errors.js';

/** Far above a 4096-character input with instructions; a speech request is small. */
export const MAX_JSON_BODY_BYTES = 256 * 1024;
/** OpenAI's limit for an uploaded audio file (25 MiB), plus room for the other form fields. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
const MAX_FORM_BODY_BYTES = MAX_UPLOAD_BYTES + 64 * 1024;

function tooLarge(limit: number): GatewayError {
  return new GatewayError(413, `the request body is over the ${limit} bytes this endpoint takes`, 'invalid_request_error', null, 'request_too_large');
}

/** Refuses a declared Content-Length over the limit at once, before reading a byte. */
function checkDeclaredLength(request: IncomingMessage, limit: number): void {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
}

/** The body's chunks, failing as soon as more than `limit` bytes have arrived. */
async function* bounded(request: IncomingMessage, limit: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of request) {
    total += (chunk as Buffer).length;
    if (total > limit) throw tooLarge(limit);
    yield chunk as Buffer;
  }
}

export async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
    throw badRequest('the body must be JSON (Content-Type: application/json)');
  }
  checkDeclaredLength(request, MAX_JSON_BODY_BYTES);
  const chunks: Buffer[] = [];
  for await (const chunk of bounded(request, MAX_JSON_BODY_BYTES)) chunks.push(chunk);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw badRequest('the body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('the body must be a JSON object');
  return parsed as Record<string, unknown>;
}

export async function readFormBody(request: IncomingMessage): Promise<FormData> {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\b/i.test(contentType)) {
    throw badRequest('the body must be multipart/form-data with a "file" field');
  }
  checkDeclaredLength(request, MAX_FORM_BODY_BYTES);
  let overLimit: GatewayError | undefined;
  const source = bounded(request, MAX_FORM_BODY_BYTES);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await source.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        if (error instanceof GatewayError) overLimit = error;
        controller.error(error);
      }
    },
  });
  try {
    return await new Request('http://gateway.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body, duplex: 'half' } as RequestInit).formData();
  } catch (error) {
    if (overLimit) throw overLimit;
    throw badRequest(`the multipart body cannot be read: ${(error as Error).message}`);
  }
}
