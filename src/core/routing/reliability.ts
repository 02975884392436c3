/**
 * How reliable each routed model is on questions like this one, as a share right (0..1) for the vote on final answers
 * (posterior/answerVote.ts): its share right over the support set, shrunk toward its bank-wide share as routing shrinks
 * the priors (shrinkage.ts) — and the same share with one support question left out, which the vote's margin is
 * chosen on. Pure.
 */
import type { SupportSet } from '../contracts/priorSource';
import { localSums, overallShare, shrinkPrior, type PriorShrinkage } from './shrinkage';

/** The share right of `model` over the support questions `indices` (shrunk when `shrinkage` says); null without a label. */
export function shareRight(support: SupportSet, model: string, indices: readonly number[], shrinkage?: PriorShrinkage): number | null {
  const column = support.columns.get(model)?.correct;
  if (!column) return null;
  const sums = localSums(support.similarities, indices, column);
  const overall = shrinkage ? overallShare(shrinkage.overall.get(model)) : null;
  if (sums.labelled === 0 || !(sums.weight > 0)) return overall;
  const size = indices.length;
  const shrunk = shrinkage ? shrinkPrior((sums.right * size) / sums.labelled, sums, size, shrinkage.alpha, overall) : (sums.right * size) / sums.labelled;
  return Math.min(1, Math.max(0, (shrunk * sums.labelled) / (sums.weight * size)));
}

/** One support question for the vote: its similarity, each model's label on it, and each model's share without it. */
export interface ReliabilityRow {
  weight: number;
  labels: Map<string, number>;
  reliability: Map<string, number>;
}

/** Each model's share over the whole support set, and the support questions with the shares leaving each one out. */
export function reliabilities(support: SupportSet, models: readonly string[], shrinkage?: PriorShrinkage): { shares: Map<string, number>; rows: ReliabilityRow[] } {
  const all = Array.from({ length: support.ids.length }, (_, i) => i);
  const share = (model: string, indices: readonly number[]): number => shareRight(support, model, indices, shrinkage) ?? 0.5;
  const shares = new Map(models.map((m) => [m, share(m, all)]));
  const rows = all.map((i): ReliabilityRow => {
    const others = all.filter((j) => j !== i);
    return {
      weight: support.similarities[i] ?? 0,
      labels: new Map(models.map((m) => [m, support.columns.get(m)?.correct[i] ?? -1])),
      reliability: new Map(models.map((m) => [m, share(m, others)])),
    };
  });
  return { shares, rows };
}
