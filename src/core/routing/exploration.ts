/**
 * Routing when the bank knows nothing close to the question (issue 62 item 7): the models it has no label for among
 * the similar questions are tried beside the best it knows, rather than ranked with the others' mean and left out.
 *
 * A bank of multiple-choice questions says how the models it profiled do on multiple-choice questions; asked a coding
 * exercise, its "similar" questions are only the least far of many unrelated ones, so the profiled models' priors say
 * little, and a code model the bank never saw, ranked with their mean, never gets a seat — and, never asked, never gets
 * a label either. So:
 *
 *   near  = the 5th percentile of the bank's own nearest-neighbour similarities (each sampled bank question's most
 *           similar other question): a question drawn like the bank's own is called far 1 time in 20
 *   far   = the question's most similar bank question is less similar than `near`
 *   far → every unprofiled model's prior (and expected accuracy) is the best profiled one's; ties keep the
 *         configured order, as everywhere in RPS. Near: the mean, as the paper's RPS has it.
 *
 * Calibrated by the bank itself, the rule holds for any embedder (the lexical one's similarities are a third of a
 * sentence model's). On the replay sets with the lexical embedder (`scripts/far-routing.ts`): the MMLU-Pro bank's near
 * is 0.221; 154 of HumanEval's 164 questions and 288 of GSM8K's 300 are below it, 7 of MMLU-Pro's 140 held-out ones.
 */
import type { PriorInfo } from '../contracts/priorSource';
import type { FarQuestion, ModelEstimate } from '../contracts/routingReport';

/** The share of the bank's own questions called far: the quantile of their nearest-neighbour similarities taken as `near`. */
export const FAR_SHARE = 0.05;

/**
 * The fewest sampled questions `near` is read from: a quantile of one in twenty says nothing of fewer than twenty (in
 * a bank of eight it is its least similar pair, and ordinary follow-ups read as far from it).
 */
export const NEAR_MIN_QUESTIONS = Math.ceil(1 / FAR_SHARE);

/** `near` for a bank from its sampled questions' nearest-neighbour similarities; null (never far) when they are too few to judge on. */
export function nearSimilarity(nearest: readonly number[]): number | null {
  const known = nearest.filter((s) => Number.isFinite(s)).sort((a, b) => a - b);
  if (known.length < NEAR_MIN_QUESTIONS) return null;
  return known[Math.min(known.length - 1, Math.floor(FAR_SHARE * known.length))] ?? null;
}

/** The question is far from the bank when its most similar bank question is less similar than `near` (see the module comment). */
export function farQuestion(similarities: ArrayLike<number>, near: number | undefined): FarQuestion | undefined {
  if (near === undefined || similarities.length === 0) return undefined;
  let nearest = -Infinity;
  for (let i = 0; i < similarities.length; i++) nearest = Math.max(nearest, similarities[i]!);
  return nearest < near ? { nearest, near } : undefined;
}

/** Priors with every unprofiled model's at the best profiled prior (unchanged when no model is profiled). */
export function explorePriors(priors: readonly PriorInfo[]): PriorInfo[] {
  const profiled = priors.filter((p) => !p.unprofiled).map((p) => p.prior);
  if (profiled.length === 0) return [...priors];
  const best = Math.max(...profiled);
  return priors.map((p) => (p.unprofiled ? { ...p, prior: best } : p));
}

/** Estimates with every unprofiled model's accuracy at the best profiled one's (unchanged when no model is profiled). */
export function exploreEstimates(estimates: readonly ModelEstimate[]): ModelEstimate[] {
  const profiled = estimates.filter((e) => !e.unprofiled).map((e) => e.accuracy);
  if (profiled.length === 0) return [...estimates];
  const best = Math.max(...profiled);
  return estimates.map((e) => (e.unprofiled ? { ...e, accuracy: best } : e));
}
