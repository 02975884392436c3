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
