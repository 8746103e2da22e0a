// Signed URLs for a job's result files, served by the emulator itself the way a storage host
// serves pre-signed objects: the URL carries an expiry and an HMAC over the object's path and
// that expiry, so it needs no credentials, and an expired or altered one is refused with 403.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Where result objects are served: `/storage/v1/objects/{object}`. */
export const STORAGE_PREFIX = '/storage/v1/objects/';

export type SignatureCheck = 'ok' | 'expired' | 'bad-signature';

export class UrlSigner {
  private readonly secret = randomBytes(32);

  private mac(path: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${path}\n${expires}`).digest('hex');
  }

  /** An absolute URL to `object` on `origin`, valid until `expiresAtMs`. */
  sign(origin: string, object: string, expiresAtMs: number): string {
    const path = `${STORAGE_PREFIX}${object}`;
    const expires = Math.floor(expiresAtMs / 1000);
    return `${origin}${path}?expires=${expires}&signature=${this.mac(path, expires)}`;
  }

  /** Checks a request's path and query as a storage host would. */
  check(path: string, query: URLSearchParams, nowMs = Date.now()): SignatureCheck {
    const expires = Number(query.get('expires'));
    const signature = query.get('signature') ?? '';
    if (!Number.isInteger(expires) || !/^[0-9a-f]{64}$/.test(signature)) return 'bad-signature';
    const expected = Buffer.from(this.mac(path, expires), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return 'bad-signature';
    return expires * 1000 <= nowMs ? 'expired' : 'ok';
  }
}
