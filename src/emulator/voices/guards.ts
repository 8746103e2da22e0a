// What stands between a caller and the Voice API: the key's Voices scope (403, code 7, for keys
// configured without it) and the clone rate limit, per key over a sliding minute (429, code 8,
// with Retry-After saying when the oldest clone leaves the window).
import type { IncomingMessage } from 'node:http';
import { parseAuthorization } from '../server/auth.js';
import { EmulatorError, GRPC_PERMISSION_DENIED } from '../server/grpc.js';

const RATE_WINDOW_MS = 60_000;

/** The credential a request carries (authentication already passed), or '' when it has none. */
export function credentialOf(request: IncomingMessage): string {
  const header = request.headers.authorization;
  return (header && parseAuthorization(header)?.credential) || '';
}

/** Throws 403 when the key is one configured without the Voices scope. */
export function requireVoiceScope(request: IncomingMessage, keysWithoutScope: readonly string[]): void {
  if (keysWithoutScope.length === 0) return;
  const credential = credentialOf(request);
  if (keysWithoutScope.includes('*') || keysWithoutScope.includes(credential)) {
    throw new EmulatorError(GRPC_PERMISSION_DENIED, 'Permission denied: this API key does not have the Voices scope (voices:read, voices:write)');
  }
}

/** Clones per key within the last minute. */
export class CloneRateLimiter {
  private readonly recent = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** Counts one clone for the key; returns the seconds to wait instead when the limit is reached. */
  take(key: string, limitPerMinute: number): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.now();
    const times = (this.recent.get(key) ?? []).filter((time) => time > now - RATE_WINDOW_MS);
    if (times.length >= limitPerMinute) {
      this.recent.set(key, times);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((times[0]! + RATE_WINDOW_MS - now) / 1000)) };
    }
    times.push(now);
    this.recent.set(key, times);
    return { allowed: true };
  }
}
