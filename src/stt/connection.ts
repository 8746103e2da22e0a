// Opens one STT WebSocket: the handshake with the client's headers, a connect deadline, and a
// refused upgrade turned into the right APIError (a 401 becomes AuthenticationError, which is
// not retryable). `ws` is imported lazily so commands that never stream do not pay for it.

import type { IncomingMessage } from 'node:http';
import type { WebSocket as WsSocket } from 'ws';
import type { InworldClient } from '../core/client.js';
import { ConnectionError, makeApiError, parseRpcStatus, TimeoutError, UserAbortError, type InworldError } from '../core/errors.js';
import { mapNetworkError } from '../core/http.js';
import { webSocketAgent } from '../core/proxy.js';

/** mapNetworkError wants a signal; aborts are handled before it is called here. */
const NEVER_ABORTED = new AbortController().signal;

export const STT_STREAM_PATH = '/stt/v1/transcribe:streamBidirectional';
/** Largest error body read from a refused handshake. */
const MAX_HANDSHAKE_BODY_BYTES = 64 * 1024;

export async function openSttSocket(client: InworldClient, signal: AbortSignal | undefined): Promise<WsSocket> {
  const { WebSocket } = await import('ws');
  const url = client.wsUrl(STT_STREAM_PATH);
  const requestId = crypto.randomUUID();
  client.logger.debug(`stt: connecting to ${url.href} (request ${requestId})`);
  const agent = await webSocketAgent(url);
  const socket = new WebSocket(url, { headers: client.headers(requestId), handshakeTimeout: client.timeoutMs, agent });
  return new Promise<WsSocket>((resolve, reject) => {
    let settled = false;
    const finish = (error?: InworldError) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      socket.off('open', onOpen);
      if (error) {
        socket.removeAllListeners();
        socket.on('error', () => {});
        socket.terminate();
        reject(error);
      } else {
        resolve(socket);
      }
    };
    const onOpen = () => finish();
    const onAbort = () => finish(new UserAbortError());
    socket.once('open', onOpen);
    socket.on('unexpected-response', (_request, response: IncomingMessage) => {
      readBody(response).then(
        (body) => finish(handshakeError(response, body, requestId)),
        () => finish(handshakeError(response, '', requestId)),
      );
    });
    socket.on('error', (error: Error & { code?: string }) => {
      if (/timed out/i.test(error.message)) finish(new TimeoutError(`STT connect timed out after ${client.timeoutMs} ms`, { cause: error }));
      else finish(mapNetworkError(error, signal ?? NEVER_ABORTED, url, requestId));
    });
    socket.once('close', (code) => finish(new ConnectionError(`connection closed during the handshake (${code})`)));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function handshakeError(response: IncomingMessage, body: string, requestId: string): InworldError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const { grpcCode, message } = parseRpcStatus(parsed);
  const retryAfter = Number(response.headers['retry-after']);
  return makeApiError({
    status: response.statusCode,
    grpcCode,
    serverMessage: message ?? (body.trim().slice(0, 200) || response.statusMessage || 'WebSocket handshake refused'),
    requestId: headerValue(response.headers['x-request-id']) ?? requestId,
    body: parsed ?? body,
    ...(Number.isFinite(retryAfter) ? { retryAfterMs: retryAfter * 1000 } : {}),
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_HANDSHAKE_BODY_BYTES) chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}
