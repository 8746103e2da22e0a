// Small HTTP helpers: JSON answers, gRPC error bodies, body reading with a size cap.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EmulatorError, rpcStatus } from './grpc.js';

export const JSON_CONTENT_TYPE = 'application/json';
/** Largest request body accepted: STT REST may carry ~16 MB of audio as base64. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': JSON_CONTENT_TYPE, 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** `{"code","message","details":[]}` with the HTTP status grpc-gateway maps the code to. */
export function sendRpcError(response: ServerResponse, error: EmulatorError, headers: Record<string, string> = {}): void {
  sendJson(response, error.httpStatus, error.toStatus(), headers);
}

export function sendStatus(response: ServerResponse, httpStatus: number, grpcCode: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(response, httpStatus, rpcStatus(grpcCode, message), headers);
}

export class BodyTooLargeError extends Error {}

export function readBody(request: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new BodyTooLargeError(`request body over ${maxBytes} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * Writes and waits until the bytes are handed to the socket (so a later destroy cannot discard
 * them) and any backpressure has cleared; resolves false if the response is gone.
 */
export function writeAndDrain(response: ServerResponse, data: Buffer | string): Promise<boolean> {
  return new Promise((resolve) => {
    if (response.destroyed || response.writableEnded) return resolve(false);
    const onClose = (): void => resolve(false);
    response.once('close', onClose);
    response.write(data, (error) => {
      response.off('close', onClose);
      resolve(!error);
    });
  });
}
