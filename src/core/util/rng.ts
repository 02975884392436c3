/**
 * Seeded pseudo-random numbers (xoshiro128**, seeded through splitmix32), so that subset draws and
 * fold shuffles are reproducible from `seed`.
 */
import { at } from './arrays';
import { hash32 } from './hash';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRng(seed: number): Rng {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  return {
    next(): number {
      const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
      const t = (b << 9) >>> 0;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d, 11);
      return result / 4294967296;
    },
  };
}

/**
 * The random stream of one ask, from the configured seed, the question and its turn in a thread (0 for the first):
 * one question with one seed always gets the same numbers (tests, replays and `--seed` stay deterministic), while
 * different questions get independent ones, as the method's draws assume. A stream made from the seed alone gave
 * every question the same draws.
 */
export function askRng(seed: number, question: string, turn: number): Rng {
  return createRng(hash32(`${turn}\u0000${question}`, seed));
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Fisher–Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [at(out, j), at(out, i)];
  }
  return out;
}
