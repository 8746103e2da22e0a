// Authentication as the service does it: `Authorization: Basic <credential>` or
// `Bearer <token>`, the `bearer_<token>` WebSocket subprotocol, or the `authorization` query
// parameter on a WebSocket upgrade. The credential's contents are never interpreted.
import type { IncomingMessage } from 'node:http';

export type AuthVia = 'header' | 'subprotocol' | 'query';

export type AuthResult =
  | { ok: true; scheme: 'basic' | 'bearer'; credential: string; via: AuthVia; subprotocol?: string }
  | { ok: false; message: string };

const SCHEME = /^(basic|bearer)\s+(\S.*)$/i;
const BEARER_SUBPROTOCOL_PREFIX = 'bearer_';

export function parseAuthorization(value: string): { scheme: 'basic' | 'bearer'; credential: string } | undefined {
  const match = SCHEME.exec(value.trim());
  if (!match) return undefined;
  return { scheme: match[1]!.toLowerCase() as 'basic' | 'bearer', credential: match[2]!.trim() };
}

/** Subprotocols a WebSocket client offered. */
export function offeredSubprotocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (!header) return [];
  return String(header)
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/**
 * Checks the request's credentials. With `expectedKey` set only that credential passes;
 * otherwise any non-empty one does. `allowWsForms` enables the subprotocol and query forms.
 */
export function authenticate(request: IncomingMessage, url: URL, expectedKey: string | undefined, allowWsForms: boolean): AuthResult {
  const candidates: { scheme: 'basic' | 'bearer'; credential: string; via: AuthVia; subprotocol?: string }[] = [];
  const header = request.headers.authorization;
  if (header !== undefined) {
    const parsed = parseAuthorization(header);
    if (!parsed) return { ok: false, message: 'Invalid authorization header: expected "Basic <credentials>" or "Bearer <token>"' };
    candidates.push({ ...parsed, via: 'header' });
  }
  if (allowWsForms) {
    for (const protocol of offeredSubprotocols(request)) {
      if (protocol.toLowerCase().startsWith(BEARER_SUBPROTOCOL_PREFIX) && protocol.length > BEARER_SUBPROTOCOL_PREFIX.length) {
        candidates.push({ scheme: 'bearer', credential: protocol.slice(BEARER_SUBPROTOCOL_PREFIX.length), via: 'subprotocol', subprotocol: protocol });
      }
    }
    const query = url.searchParams.get('authorization');
    if (query !== null) {
      const parsed = parseAuthorization(query);
      if (parsed) candidates.push({ ...parsed, via: 'query' });
    }
  }
  if (candidates.length === 0) return { ok: false, message: 'Missing authorization: send "Authorization: Basic <credentials>"' };
  const accepted = candidates.find((c) => c.credential.length > 0 && (expectedKey === undefined || c.credential === expectedKey));
  if (!accepted) return { ok: false, message: 'Invalid credentials' };
  return { ok: true, ...accepted };
}
