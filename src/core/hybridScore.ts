/**
 * The hybrid posterior score of EPE (DESIGN §2):
 *   sim_i = (1/n) Σ_j cos(G_i, G_j)   (j over all candidates, i included)
 *   ppl_i = exp(−mean log-prob of G_i's tokens)
 *   total_i = sim_i + λ·(1 − ppl_i)    (λ-term dropped for all when any candidate lacks log-probs)
 *   winner = argmax total, ties → lowest index.
 */
import { at } from './arrays';

export interface ScoredCandidates {
  similarity: number[];
  /** Null where a candidate has no log-probs. */
  perplexity: (number | null)[];
  total: number[];
  winner: number;
  /** False when the λ-term was dropped because a candidate lacked log-probs. */
  logprobsUsed: boolean;
}

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

/** exp(−mean log-prob); null when there are no log-probs (missing or zero tokens). */
export function perplexity(tokenLogprobs: readonly number[] | null): number | null {
  if (!tokenLogprobs || tokenLogprobs.length === 0) return null;
  const mean = tokenLogprobs.reduce((a, b) => a + b, 0) / tokenLogprobs.length;
  return Math.exp(-mean);
}

/** Scores candidates from their embeddings and token log-probs. */
export function hybridScores(
  embeddings: readonly ArrayLike<number>[],
  tokenLogprobs: readonly (readonly number[] | null)[],
  lambda: number,
): ScoredCandidates {
  const n = embeddings.length;
  if (n === 0) throw new RangeError('hybridScores needs at least one candidate');
  if (tokenLogprobs.length !== n) throw new RangeError('one log-prob list (or null) per candidate is required');
  const similarity = embeddings.map((gi) => embeddings.reduce((acc, gj) => acc + cosine(gi, gj), 0) / n);
  const ppl = tokenLogprobs.map(perplexity);
  // When every candidate has log-probs, `known` is `ppl` itself, index for index.
  const known = ppl.filter((p): p is number => p !== null);
  const logprobsUsed = known.length === n;
  const total = similarity.map((s, i) => (logprobsUsed ? s + lambda * (1 - at(known, i)) : s));
  let winner = 0;
  let best = at(total, 0);
  for (const [i, t] of total.entries()) {
    if (t > best) {
      winner = i;
      best = t;
    }
  }
  return { similarity, perplexity: ppl, total, winner, logprobsUsed };
}
