// OpenAI-shaped errors for the gateway: `{"error": {message, type, param, code}}` with the status
// an OpenAI client expects, and the mapping from the library's errors (Inworld's answers, lost
// connections, deadlines) to them. Messages pass through `redact` so no secret reaches a client.
import type { ServerResponse } from 'node:http';
import { APIError, ConnectionError, httpStatusForGrpc, TimeoutError, UserAbortError, ValidationError } from '../core/errors.js';

export type OpenAiErrorType = 'invalid_request_error' | 'rate_limit_error' | 'server_error';

/** A refusal the gateway answers itself, before or instead of any upstream request. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: OpenAiErrorType = 'invalid_request_error',
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export function badRequest(message: string, param: string | null = null, code: string | null = null): GatewayError {
  return new GatewayError(400, message, 'invalid_request_error', param, code);
}

/** The gateway's answer to a failure of the library: status, type and code as OpenAI would use them. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof ValidationError) return badRequest(error.message);
  if (error instanceof APIError) return fromUpstreamStatus(error);
  if (error instanceof TimeoutError) return new GatewayError(504, `Inworld did not answer in time: ${error.message}`, 'server_error', null, 'upstream_timeout');
  if (error instanceof ConnectionError) return new GatewayError(502, `cannot reach Inworld: ${error.message}`, 'server_error', null, 'upstream_unreachable');
  if (error instanceof UserAbortError) return new GatewayError(499, 'the request was cancelled', 'invalid_request_error', null, 'cancelled');
  return new GatewayError(500, 'the gateway failed unexpectedly', 'server_error');
}

function fromUpstreamStatus(error: APIError): GatewayError {
  const message = `Inworld answered ${error.message}`;
  const status = error.status ?? (error.grpcCode !== undefined ? httpStatusForGrpc(error.grpcCode) : undefined) ?? 502;
  if (status === 429) {
    const retryAfterSeconds = error.retryAfterMs !== undefined ? Math.ceil(error.retryAfterMs / 1000) : undefined;
    return new GatewayError(429, message, 'rate_limit_error', null, 'rate_limit_exceeded', retryAfterSeconds);
  }
  // Inworld refusing the gateway's own key is the gateway's misconfiguration, not the caller's
  // credential: a 401 would tell an OpenAI client its key is wrong.
  if (status === 401 || status === 403) return new GatewayError(502, `${message} (check the gateway's Inworld API key)`, 'server_error', null, 'upstream_auth');
  if (status === 400 || status === 404) return new GatewayError(400, message, 'invalid_request_error', null, 'upstream_rejected');
  if (status >= 500) return new GatewayError(status === 501 ? 502 : status, message, 'server_error');
  return new GatewayError(502, message, 'server_error');
}

/** Writes the error as JSON; nothing is written when the response has already started. */
export function sendError(response: ServerResponse, error: GatewayError, redact: (text: string) => string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = JSON.stringify({ error: { message: redact(error.message), type: error.type, param: error.param, code: error.code } });
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = error.retryAfterSeconds;
  response.writeHead(error.status, headers).end(body);
}
