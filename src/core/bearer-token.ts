// What the local servers (`inworld mcp --http`, `inworld serve`) need to guard themselves: whether
// an address is loopback, and a bearer-token check that takes the same time for any guess.
import { createHash, timingSafeEqual } from 'node:crypto';

export function isLoopbackAddress(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

/** Checks `Authorization: Bearer <token>` headers against one expected token. */
export class BearerToken {
  private readonly expected: Buffer;

  constructor(token: string) {
    this.expected = digest(token.trim());
  }

  /** Hashing first gives equal lengths, so neither the token nor its length leaks through timing. */
  matches(authorization: string | undefined): boolean {
    const given = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim() ?? '';
    return timingSafeEqual(digest(given), this.expected);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
