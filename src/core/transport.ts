// Sends one HTTP request and resolves with the response head and a readable body. Node's own
// http/https modules carry it when no proxy is configured (they load in a few milliseconds, where
// undici costs 150 ms or more of start-up); with HTTP(S)_PROXY set, undici's EnvHttpProxyAgent does.
import type { Readable } from 'node:stream';
import { httpDispatcher } from './proxy.js';

export interface RawResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

export interface RawRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

export async function sendRequest(url: URL, request: RawRequest): Promise<RawResponse> {
  const dispatcher = await httpDispatcher();
  if (dispatcher) {
    const { request: undiciRequest } = await import('undici');
    const response = await undiciRequest(url, {
      method: request.method as 'GET',
      headers: request.headers,
      body: request.body,
      signal: request.signal,
      dispatcher,
      // The caller enforces its own deadlines; undici's would fire with less helpful errors.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    return { statusCode: response.statusCode, headers: response.headers, body: response.body as unknown as Readable };
  }
  const { request: nodeRequest } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(request.body));
  return new Promise<RawResponse>((resolve, reject) => {
    const outgoing = nodeRequest(url, { method: request.method, headers, signal: request.signal });
    outgoing.once('response', (incoming) => {
      resolve({ statusCode: incoming.statusCode ?? 0, headers: incoming.headers, body: incoming });
    });
    outgoing.once('error', reject);
    outgoing.end(request.body);
  });
}
