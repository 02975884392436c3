/**
 * Long texts for models that read a limited number of tokens: split into pieces that fit, then one vector from the
 * pieces' vectors (their mean weighted by length, normalised), so the whole text counts, not only its beginning.
 */

import { l2Norm } from '../core/util/vectorMath';

/** Splits between words (whitespace stays with the word before it), so the pieces join back to the text. */
const words = (text: string): string[] => text.split(/(?<=\s)(?=\S)/);

/** `items` in `parts` consecutive groups of about equal total length. */
function groups(items: readonly string[], parts: number): string[] {
  const total = items.reduce((sum, s) => sum + s.length, 0);
  const out: string[] = [];
  let current = '';
  let done = 0;
  for (const item of items) {
    current += item;
    done += item.length;
    if (done >= (total * (out.length + 1)) / parts && out.length < parts - 1) {
      out.push(current);
      current = '';
    }
  }
  if (current !== '') out.push(current);
  return out;
}

/** `text` in `parts` pieces: between words when it has enough of them, else by characters (e.g. a long unbroken string). */
function splitInto(text: string, parts: number): string[] {
  const pieces = words(text);
  if (pieces.length >= parts) return groups(pieces, parts);
  return groups([...text], parts);
}

/**
 * Pieces of `text`, in order and joining back to it, each of `size` at most `limit` (a single character always counts
 * as fitting). `size` is the model's own measure (its token count), so it is called O(log) times per character.
 */
export function splitToFit(text: string, size: (piece: string) => number, limit: number): string[] {
  const n = size(text);
  if (n <= limit || text.length <= 1) return [text];
  return splitInto(text, Math.max(2, Math.ceil(n / limit))).flatMap((piece) => splitToFit(piece, size, limit));
}

/** The unit vector along Σ wᵢ·vᵢ; throws when it has no direction. */
export function weightedUnitMean(vectors: readonly Float32Array[], weights: readonly number[]): Float32Array {
  const [first] = vectors;
  if (first === undefined || vectors.length !== weights.length) throw new RangeError(`weightedUnitMean: ${vectors.length} vectors, ${weights.length} weights`);
  const sum = new Float64Array(first.length);
  vectors.forEach((v, i) => {
    const w = weights[i] ?? 0;
    // Loop-bounded by the vector length.
    for (let d = 0; d < sum.length; d++) sum[d]! += w * (v[d] ?? 0);
  });
  const norm = l2Norm(sum);
  if (!Number.isFinite(norm) || norm === 0) throw new RangeError('weightedUnitMean: the weighted mean is zero or not finite');
  return Float32Array.from(sum, (x) => x / norm);
}
