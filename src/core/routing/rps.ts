/**
 * Retrieval-based Prior Selection (paper §3.1).
 *
 *   t = γ · s_(Nbase)              (Nbase-th largest similarity; the smallest when N < Nbase)
 *   I = { i : s_i ≥ t }            (top Nbase instead when s_(Nbase) ≤ 0)
 *   V[m] = Σ_{i∈I, labelled} s_i · c[m,i] · |I| / |labelled(m) ∩ I|
 *   unprofiled model (no label in I) → mean prior of the profiled ones
 *   referencers = K largest priors, ties in configured order.
 * With `priorShrinkage` each V[m] is first pulled toward the model's bank-wide share right (shrinkage.ts). When the bank
 * has nothing close to the question, unprofiled models get the best prior instead of the mean (exploration.ts).
 */
import { at } from '../util/arrays';
import { effectiveSize, localSums, overallShare, shrinkPrior, type PriorShrinkage } from './shrinkage';
import { explorePriors, farQuestion } from './exploration';
import type { FarQuestion } from '../contracts/routingReport';
import type { PriorInfo, RouteFallback } from '../contracts/priorSource';
import type { LabelColumn, ModelColumns, SupportSet } from '../contracts/priorSource';

/** What RPS decided over a support set. */
export interface RoutePlan {
  /** Questions in the support set. */
  supportCount: number;
  /** How many questions of full weight the support set is worth, (Σ s_i)² / Σ s_i² (shrinkage.ts). */
  supportEffective: number;
  /** Prior per model, in configured order. */
  priors: PriorInfo[];
  /** The selected referencers, best first. */
  referencers: string[];
  fallback?: RouteFallback;
  /** The bank has nothing close to the question: unprofiled models were ranked with the best prior (exploration.ts). */
  far?: FarQuestion;
}

/** The value of the `rank`-th largest element (1-based) of `values`; O(N) average (quickselect on a copy). */
export function kthLargest(values: ArrayLike<number>, rank: number): number {
  // Indices stay within [lo, hi] (the pivot bounds both scans), and target is clamped to the length.
  const a = Float64Array.from(values);
  if (a.length === 0) throw new RangeError('kthLargest of an empty list');
  const target = Math.min(Math.max(rank, 1), a.length) - 1;
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! > pivot) i++;
      while (a[j]! < pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return a[target]!;
}

/** Indices of the support set I (see module comment). */
export function supportSet(similarities: ArrayLike<number>, nBase: number, gamma: number): number[] {
  // Indices are loop-bounded.
  const n = similarities.length;
  if (n === 0) return [];
  const sBase = kthLargest(similarities, nBase);
  if (sBase <= 0) {
    const order = Array.from(similarities, (similarity, index) => ({ similarity, index }));
    order.sort((a, b) => b.similarity - a.similarity || a.index - b.index);
    return order.slice(0, Math.min(nBase, n)).map((e) => e.index).sort((a, b) => a - b);
  }
  const t = gamma * sBase;
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (similarities[i]! >= t) out.push(i);
  return out;
}

/** Indices of the `k` largest scores; ties keep the lower index (stable). */
export function topK(scores: readonly number[], k: number): number[] {
  return scores
    .map((score, index) => ({ score, index }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, Math.max(0, k))
    .map((e) => e.index);
}

/** Priors of every model over a support set (unprofiled → mean of the profiled ones), shrunk when `shrinkage` says. */
export function computePriors(
  similarities: ArrayLike<number>,
  support: readonly number[],
  labels: ReadonlyMap<string, LabelColumn>,
  models: readonly string[],
  shrinkage?: PriorShrinkage,
): PriorInfo[] {
  const raw = models.map((model) => {
    const column = labels.get(model);
    if (!column) return null;
    const sums = localSums(similarities, support, column);
    if (sums.labelled === 0) return null;
    const prior = (sums.right * support.length) / sums.labelled;
    return shrinkage ? shrinkPrior(prior, sums, support.length, shrinkage.alpha, overallShare(shrinkage.overall.get(model))) : prior;
  });
  const profiled = raw.filter((v): v is number => v !== null);
  const mean = profiled.length === 0 ? 0 : profiled.reduce((a, b) => a + b, 0) / profiled.length;
  return models.map((model, m) => {
    const v = raw[m] ?? null;
    return v === null ? { model, prior: mean, unprofiled: true } : { model, prior: v, unprofiled: false };
  });
}

/**
 * The support set of a full scan: `similarities` and `labels` cover the whole bank in bank order (`ids` names its
 * questions, when known). Returns the support indices and the set itself.
 */
export function scanSupport(
  similarities: ArrayLike<number>,
  labels: ReadonlyMap<string, LabelColumn>,
  request: { nBase: number; gamma: number; models: readonly string[] },
  ids?: (index: number) => string,
): { indices: number[]; support: SupportSet } {
  // Support indices index `similarities` and, by the LabelColumn contract, every aligned column.
  const indices = supportSet(similarities, request.nBase, request.gamma);
  const columns = new Map<string, ModelColumns>();
  for (const model of request.models) {
    const column = labels.get(model);
    if (column) columns.set(model, { correct: indices.map((i) => column[i]!) });
  }
  const support: SupportSet = {
    bankSize: similarities.length,
    ids: ids ? indices.map(ids) : indices.map(String),
    similarities: indices.map((i) => similarities[i]!),
    columns,
  };
  return { indices, support };
}

/**
 * Priors over a support set (shrunk when `shrinkage` is given) and the top-K referencers (or the plain-MoA fallback:
 * empty bank, no profiled model). `near`: the bank's own nearest-neighbour similarity (exploration.ts); a question less
 * similar than that to every bank question has its unprofiled models ranked with the best prior.
 */
export function routeFromSupport(support: SupportSet, models: readonly string[], k: number, shrinkage?: PriorShrinkage, near?: number): RoutePlan {
  const supportEffective = effectiveSize(support.similarities);
  const plain = (fallback: RouteFallback): RoutePlan => ({
    supportCount: support.ids.length,
    supportEffective,
    priors: models.map((model) => ({ model, prior: 0, unprofiled: true })),
    referencers: models.slice(0, k),
    fallback,
  });
  if (support.unavailable) return plain('bank-unavailable');
  if (support.bankSize === 0) return plain('empty-bank');
  const all = Array.from({ length: support.ids.length }, (_, i) => i);
  const labels = new Map([...support.columns].map(([model, c]) => [model, c.correct]));
  const paper = computePriors(support.similarities, all, labels, models, shrinkage);
  if (paper.every((p) => p.unprofiled)) return plain('no-profiled-model');
  const far = paper.some((p) => p.unprofiled) ? farQuestion(support.similarities, near) : undefined;
  const priors = far ? explorePriors(paper) : paper;
  const referencers = topK(
    priors.map((p) => p.prior),
    k,
  ).map((i) => at(models, i));
  return { supportCount: support.ids.length, supportEffective, priors, referencers, ...(far ? { far } : {}) };
}
