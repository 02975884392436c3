/**
 * The hybrid posterior score of EPE (paper §3.2):
 *   sim_i = (1/n) Σ_j cos(G_i, G_j)   (j over all candidates, i included)
 *   — a candidate aggregated once for a subset drawn w_j times counts w_j times (sim_i = Σ_j w_j cos / Σ_j w_j),
 *   which is the paper's mean over the n draws when each draw of a subset gives the same answer
 *   ppl_i = exp(−mean log-prob of G_i's tokens)
 *   total_i = sim_i + λ·(1 − ppl_i)    (λ-term dropped for all when any candidate lacks log-probs)
 *   winner = argmax total, ties → lowest index.
 */
import { at } from '../util/arrays';
import { cosine } from '../util/vectorMath';

export interface ScoredCandidates {
  similarity: number[];
  /** Null where a candidate has no log-probs. */
  perplexity: (number | null)[];
  total: number[];
  winner: number;
  /** False when the λ-term was dropped because a candidate lacked log-probs. */
  logprobsUsed: boolean;
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
  draws: readonly number[] = embeddings.map(() => 1),
): ScoredCandidates {
  const n = embeddings.length;
  if (n === 0) throw new RangeError('hybridScores needs at least one candidate');
  if (tokenLogprobs.length !== n) throw new RangeError('one log-prob list (or null) per candidate is required');
  if (draws.length !== n || draws.some((w) => !(w > 0))) throw new RangeError('one positive draw count per candidate is required');
  const drawn = draws.reduce((a, b) => a + b, 0);
  const similarity = embeddings.map((gi) => embeddings.reduce((acc, gj, j) => acc + at(draws, j) * cosine(gi, gj), 0) / drawn);
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
