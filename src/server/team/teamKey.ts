/**
 * A team member's key: `smcs-k<id>-<secret>` (the id finds the one row to check, so a request costs one scrypt at most,
 * never one per member), stored only as a salted scrypt hash (Node's scrypt, N = 2^14, r = 8, p = 1: ~50 ms and 16 MB a
 * guess for whoever steals the table).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const SCRYPT = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const HASH_BYTES = 32;

/** A new key's secret part: 256 random bits. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** The key a member is given, from its row id and secret. */
export const teamKeyText = (keyId: number, secret: string): string => `smcs-k${keyId}-${secret}`;

/** The row id and secret of a presented key, or undefined when it is not a team key. */
export function parseTeamKey(key: string): { keyId: number; secret: string } | undefined {
  const match = /^smcs-k(\d{1,9})-([A-Za-z0-9_-]{20,100})$/.exec(key);
  return match?.[1] !== undefined && match[2] !== undefined ? { keyId: Number(match[1]), secret: match[2] } : undefined;
}

export function hashSecret(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(secret, salt, HASH_BYTES, SCRYPT, (err, hash) => (err ? reject(err) : resolve(hash))));
}

/** A fresh salt and the hash of `secret` under it. */
export async function saltedHash(secret: string): Promise<{ salt: Buffer; hash: Buffer }> {
  const salt = randomBytes(16);
  return { salt, hash: await hashSecret(secret, salt) };
}

/** True when `secret` hashes to `hash` under `salt` (compared in constant time). */
export async function secretMatches(secret: string, salt: Buffer, hash: Buffer): Promise<boolean> {
  const computed = await hashSecret(secret, salt);
  return computed.length === hash.length && timingSafeEqual(computed, hash);
}
