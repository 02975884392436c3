/** The bearer key check: both sides hashed with SHA-256 and compared in constant time, so neither length nor content leaks by timing. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new key, generated when none was chosen: `smcs-` and 43 random characters (256 bits). */
export const generateServerKey = (): string => `smcs-${randomBytes(32).toString('base64url')}`;

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export class BearerKey {
  private readonly expected: Buffer;

  constructor(key: string) {
    this.expected = digest(key);
  }

  /** True when `authorization` is `Bearer <the key>`. */
  accepts(authorization: string | undefined): boolean {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
    return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), this.expected);
  }
}
