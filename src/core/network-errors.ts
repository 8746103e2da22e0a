// Network failures into the error tree, for HTTP and WebSocket alike: what undici, ws or Node threw
// (error codes, possibly nested in causes or AggregateErrors) becomes a ConnectionError or
// TimeoutError whose message names the host and the flag to check; an abort reason we set wins.
import { ConnectionError, InworldError, TimeoutError, UserAbortError } from './errors.js';

const REFUSED_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  EADDRNOTAVAIL: 'address not available',
  UND_ERR_SOCKET: 'connection closed unexpectedly',
  UND_ERR_CLOSED: 'connection closed',
};
/** Failures before any connection existed: not one byte of the request can have reached the server. */
const NEVER_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EADDRNOTAVAIL']);
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) for (const inner of errors) codes.push(...errorCodes(inner));
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** Maps whatever undici, ws or Node threw into the error tree, preferring the abort reason we set. */
export function mapNetworkError(error: unknown, signal: AbortSignal | undefined, url: URL, requestId: string): InworldError {
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof InworldError) return reason;
    return new UserAbortError('Request was aborted', { cause: reason });
  }
  if (error instanceof InworldError) return error;
  const codes = errorCodes(error);
  const where = url.host;
  const flag = url.protocol === 'ws:' || url.protocol === 'wss:' ? '--ws-url' : '--base-url';
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  const target = secure ? `Check ${flag}, your network or proxy.` : `Check ${flag} or your network.`;
  if (codes.includes('UND_ERR_CONNECT_TIMEOUT') || codes.includes('UND_ERR_HEADERS_TIMEOUT') || codes.includes('UND_ERR_BODY_TIMEOUT')) {
    return new TimeoutError(`Timed out talking to ${where} (request ${requestId}).`, { cause: error, hint: target });
  }
  const tls = codes.find((code) => TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'));
  if (tls) {
    return new ConnectionError(`TLS handshake with ${where} failed (${tls}). ${target}`, { cause: error, retryable: false });
  }
  for (const code of codes) {
    const reason = REFUSED_CODES[code];
    if (reason === undefined) continue;
    const lost = code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED';
    const message = lost
      ? `Connection to ${where} was lost (${reason}) (request ${requestId}). ${target}`
      : `Cannot connect to ${where} (${reason}). ${target}`;
    return new ConnectionError(message, { cause: error, requestNotSent: NEVER_CONNECTED_CODES.has(code) });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new ConnectionError(`Request to ${where} failed: ${detail} (request ${requestId}). ${target}`, { cause: error });
}
