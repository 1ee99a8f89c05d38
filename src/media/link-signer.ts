import { createHmac, timingSafeEqual } from 'node:crypto';

export type LinkCheck = 'ok' | 'expired' | 'invalid';

/** Expiries are rounded up to this step, so a link stays the same (and cacheable) for a while. */
const EXPIRY_STEP_SECONDS = 60;

/**
 * Signs and checks links to private files of the local driver: an HMAC of the path, the
 * transformation and the expiry time, with a key derived from the app's JWT secret (the
 * label keeps it from ever being a valid token key).
 */
export class LinkSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('media-chat:media-links:v1').digest();
  }

  /** Query parameters (`exp`, `sig`) for a link valid for at least `ttlSeconds`. */
  sign(
    path: string,
    transformation: string | undefined,
    ttlSeconds: number,
    now = Date.now(),
  ): { exp: number; sig: string } {
    const exp = Math.ceil((now / 1000 + ttlSeconds) / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS;
    return { exp, sig: this.mac(path, transformation, exp) };
  }

  check(
    path: string,
    transformation: string | undefined,
    exp: string | undefined,
    sig: string | undefined,
    now = Date.now(),
  ): LinkCheck {
    if (!exp || !sig || !/^\d{1,12}$/.test(exp) || !/^[\w-]{22}$/.test(sig)) return 'invalid';
    const expected = Buffer.from(this.mac(path, transformation, Number(exp)));
    const given = Buffer.from(sig);
    if (!timingSafeEqual(expected, given)) return 'invalid';
    return Number(exp) * 1000 < now ? 'expired' : 'ok';
  }

  private mac(path: string, transformation: string | undefined, exp: number): string {
    return createHmac('sha256', this.key)
      .update(`${path}\n${transformation ?? ''}\n${exp}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
  }
}
