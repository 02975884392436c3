/** A fast, well-mixed 32-bit string hash (not cryptographic): hashed features and per-question random streams. */

/** FNV-1a over UTF-16 code units followed by the murmur3 32-bit finaliser. */
export function hash32(text: string, seed: number): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
