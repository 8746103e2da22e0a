// Who may talk to the HTTP transport. Bound to loopback (the default), the server still checks
// the Host header (a web page cannot reach it through DNS rebinding) and the Origin of browser
// requests; bound to another address it requires a bearer token, compared in constant time, on
// every request. The checks run before the SDK sees a byte of the request.
import type { IncomingMessage } from 'node:http';
import { BearerToken, isLoopbackAddress } from '../core/bearer-token.js';

export interface GuardOptions {
  /** The address the server is bound to. */
  host: string;
  /** Its port, once listening. */
  port: number;
  /** Required as `Authorization: Bearer <token>` when set. */
  token?: string;
  /** Origins allowed besides loopback ones (`--allow-origin`). */
  allowedOrigins?: readonly string[];
}

export interface Refusal {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

function hostAllowed(hostHeader: string | undefined, options: GuardOptions): boolean {
  if (!isLoopbackAddress(options.host)) return true; // reached by its address; the token guards it
  if (!hostHeader) return false;
  const host = hostHeader.replace(/:\d+$/, '');
  const port = /:(\d+)$/.exec(hostHeader)?.[1];
  return isLoopbackAddress(host) && (port === undefined || Number(port) === options.port);
}

function originAllowed(origin: string | undefined, options: GuardOptions): boolean {
  if (origin === undefined) return true; // not a browser
  if (options.allowedOrigins?.includes(origin)) return true;
  try {
    return isLoopbackAddress(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/** Why this request is refused, or undefined to let it through. */
export function refusal(request: IncomingMessage, options: GuardOptions): Refusal | undefined {
  if (options.token !== undefined && !new BearerToken(options.token).matches(request.headers.authorization)) {
    return { status: 401, message: 'Missing or wrong bearer token', headers: { 'www-authenticate': 'Bearer realm="inworld-mcp"' } };
  }
  if (!hostAllowed(request.headers.host, options)) return { status: 403, message: `Host ${request.headers.host ?? '(none)'} is not this server` };
  const origin = request.headers.origin;
  if (!originAllowed(origin, options)) return { status: 403, message: `Origin ${origin} is not allowed (see --allow-origin)` };
  return undefined;
}
