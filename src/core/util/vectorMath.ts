/** Small vector helpers shared by the embedders, the bank and the CLI. */

/** Dot product of two vectors of equal length; throws when the lengths differ. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new RangeError(`dot: vector lengths differ (${a.length} vs ${b.length})`);
  }
  // Indices are loop-bounded, and b has a's length (checked above).
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    sum += a[i]! * b[i]!;
  }
  return sum;
}

/** Cosine similarity of two vectors (0 when either is all zeros). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  // Indices are loop-bounded (b is expected to be as long as a).
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Euclidean (L2) norm. */
export function l2Norm(v: ArrayLike<number>): number {
  // Indices are loop-bounded.
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    sum += v[i]! * v[i]!;
  }
  return Math.sqrt(sum);
}

/**
 * Scales `v` in place to unit L2 length and returns its norm before scaling.
 * A vector whose norm is zero or not finite is left unchanged (the caller decides what it means).
 */
export function normaliseInPlace(v: Float32Array): number {
  // Indices are loop-bounded.
  const norm = l2Norm(v);
  if (norm > 0 && Number.isFinite(norm)) {
    for (let i = 0; i < v.length; i++) {
      v[i]! /= norm;
    }
  }
  return norm;
}

/** True when `v` has unit L2 length within `tolerance`. */
export function isUnit(v: ArrayLike<number>, tolerance = 1e-4): boolean {
  return Math.abs(l2Norm(v) - 1) <= tolerance;
}
