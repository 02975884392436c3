/** Brute-force cosine retrieval over a packed Float32 matrix of unit vectors. */
import { l2Norm } from '../../core/util/vectorMath';


/**
 * Cosine similarity of `query` to each of the first `count` rows of `vectors` (row-major, `dimension` wide).
 * The rows are unit length; the query is normalised here, so any non-zero query works.
 */
export function cosineAll(vectors: Float32Array, count: number, dimension: number, query: Float32Array): Float32Array {
  // Hot kernel: every index below is bounded by the loops (row < count, k < dimension), hence the `!`.
  if (query.length !== dimension) throw new Error(`query has dimension ${query.length}, the bank has ${dimension}`);
  const norm = l2Norm(query);
  if (!Number.isFinite(norm) || norm === 0) throw new Error('query vector must be finite and non-zero');
  const inv = 1 / norm;
  const out = new Float32Array(count);
  const tail = dimension - (dimension % 4);
  for (let i = 0, base = 0; i < count; i++, base += dimension) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let k = 0;
    for (; k < tail; k += 4) {
      s0 += vectors[base + k]! * query[k]!;
      s1 += vectors[base + k + 1]! * query[k + 1]!;
      s2 += vectors[base + k + 2]! * query[k + 2]!;
      s3 += vectors[base + k + 3]! * query[k + 3]!;
    }
    for (; k < dimension; k++) s0 += vectors[base + k]! * query[k]!;
    out[i] = (s0 + s1 + s2 + s3) * inv;
  }
  return out;
}

/** Is row a ranked after row b? (lower score, or equal score and later position) */
function worse(scores: Float32Array, a: number, b: number): boolean {
  // Hot comparator: a and b are always row indices of `scores` (from topIndices' loop), hence the `!`.
  return scores[a]! < scores[b]! || (scores[a] === scores[b] && a > b);
}

/**
 * Indices of the `n` largest scores, best first; equal scores keep bank order.
 * Uses a bounded min-heap: O(N log n).
 */
export function topIndices(scores: Float32Array, n: number): number[] {
  // Hot loop: heap positions stay below `size` ≤ k (the heap's length), hence the `!`.
  const k = Math.max(0, Math.min(n, scores.length));
  if (k === 0) return [];
  const heap = new Int32Array(k);
  let size = 0;
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < size && worse(scores, heap[l]!, heap[w]!)) w = l;
      if (r < size && worse(scores, heap[r]!, heap[w]!)) w = r;
      if (w === i) return;
      const t = heap[i]!;
      heap[i] = heap[w]!;
      heap[w] = t;
      i = w;
    }
  };
  for (let idx = 0; idx < scores.length; idx++) {
    if (size < k) {
      let i = size++;
      heap[i] = idx;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(scores, heap[i]!, heap[p]!)) break;
        const t = heap[i]!;
        heap[i] = heap[p]!;
        heap[p] = t;
        i = p;
      }
    } else if (worse(scores, heap[0]!, idx)) {
      heap[0] = idx;
      siftDown(0);
    }
  }
  return Array.from(heap).sort((a, b) => (worse(scores, a, b) ? 1 : worse(scores, b, a) ? -1 : 0));
}
