/**
 * The referencers' consensus, which the agreement shortcut (setting `agreementShortcut`) acts on — spending less when
 * they agree: when every reply states the same final answer (an option letter or a number, read by the graders' own
 * extraction), or the replies are near-identical by embedding similarity, the aggregations would synthesise what is
 * already agreed, so none is run and the agreed reply is the answer; when a majority states the same answer, one
 * aggregation instead of n. The similarity bar was measured (docs/design-notes.md, scripts/agreement-threshold.ts).
 */
import { cosine } from '../util/vectorMath';
import { compareFinalAnswers, describeAnswer, finalAnswer } from '../grading/finalAnswer';
import type { AgreementBasis } from '../contracts/events';

/**
 * Cosine similarity at or above which every pair of replies counts as near-identical, by embedder. Lexical
 * (hashed TF-IDF): 0.80, measured on the real MMLU-Pro replies of three models (scripts/agreement-threshold.ts: the
 * lowest bar at which pairs of replies state the same final answer in at least 95 % of cases — 12 of 12; at 0.76,
 * 15 of 16). Other embedders: 0.95, not measured here (no sentence-embedding weights on this machine); sentence
 * models put replies reaching different results at 0.5–0.8 (core/grading/learning), so the bar sits well above that band.
 */
export function nearIdenticalThreshold(embedderId: string): number {
  return embedderId.startsWith('lexical:') ? 0.8 : 0.95;
}

export interface Consensus {
  basis: AgreementBasis;
  /** The agreed final answer (basis `answer`). */
  answer?: string;
  /** The lowest pairwise similarity of the replies (basis `similarity`). */
  similarity?: number;
  /** Replies that agree, of the replies that arrived. */
  agreeing: number;
  of: number;
  /** Indices (into the replies) of the agreeing ones. */
  members: number[];
}

/** The largest group of replies stating the same final answer (null when no reply states one). */
export function answerConsensus(texts: readonly string[]): Consensus | null {
  const answers = texts.map((t) => finalAnswer(t));
  let best: Consensus | null = null;
  for (const a of answers) {
    if (a === null) continue;
    const members = answers.flatMap((b, j) => (b !== null && compareFinalAnswers(a, b) === 1 ? [j] : []));
    if (best === null || members.length > best.agreeing) best = { basis: 'answer', answer: describeAnswer(a), agreeing: members.length, of: texts.length, members };
  }
  return best;
}

/** Near-identical replies: every pair at or above `threshold`; null when some pair is below it. */
export function similarityConsensus(vectors: readonly ArrayLike<number>[], threshold: number): Consensus | null {
  let lowest = 1;
  for (let i = 0; i < vectors.length; i++) for (let j = i + 1; j < vectors.length; j++) lowest = Math.min(lowest, cosine(vectors[i] ?? [], vectors[j] ?? []));
  return vectors.length >= 2 && lowest >= threshold ? { basis: 'similarity', similarity: lowest, agreeing: vectors.length, of: vectors.length, members: vectors.map((_, i) => i) } : null;
}

/**
 * Aggregations to run given a consensus of the `of` replies: none when all (at least two) agree, one when more than
 * half do, else all `n`.
 */
export function aggregationsAfter(consensus: Consensus | null, n: number): number {
  if (consensus === null || consensus.of < 2 || consensus.agreeing < 2) return n;
  if (consensus.agreeing === consensus.of) return 0;
  return consensus.agreeing * 2 > consensus.of ? Math.min(1, n) : n;
}
