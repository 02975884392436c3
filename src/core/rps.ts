/**
 * Retrieval-based Prior Selection (DESIGN §2, paper §3).
 *
 *   t = γ · s_(Nbase)              (Nbase-th largest similarity; the smallest when N < Nbase)
 *   I = { i : s_i ≥ t }            (top Nbase instead when s_(Nbase) ≤ 0)
 *   V[m] = Σ_{i∈I, labelled} s_i · c[m,i] · |I| / |labelled(m) ∩ I|
 *   unprofiled model (no label in I) → mean prior of the profiled ones
 *   referencers = K largest priors, ties in configured order.
 */
import { at } from './arrays';
import type { PriorInfo, SelectionFallback } from './events';

/** Correctness of one model per question: 1 right, 0 wrong, anything negative = no label. */
export type LabelColumn = ArrayLike<number>;

export interface RpsInput {
  /** Cosine similarity of the query to every bank question. */
  similarities: ArrayLike<number>;
  /** Label column per model key, aligned with `similarities`. Missing models are unlabelled everywhere. */
  labels: ReadonlyMap<string, LabelColumn>;
  /** Candidate model keys in configured order. */
  models: readonly string[];
  k: number;
  nBase: number;
  gamma: number;
}

export interface RpsResult {
  /** Indices (into `similarities`) of the support set. */
  support: number[];
  /** Prior per model, in configured order. */
  priors: PriorInfo[];
  /** The selected referencers, best first. */
  referencers: string[];
  fallback?: SelectionFallback;
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

/** Priors of every model over a support set (unprofiled → mean of the profiled ones). */
export function computePriors(
  similarities: ArrayLike<number>,
  support: readonly number[],
  labels: ReadonlyMap<string, LabelColumn>,
  models: readonly string[],
): PriorInfo[] {
  // Support indices index `similarities` and, by the LabelColumn contract, every aligned column.
  const raw = models.map((model) => {
    const column = labels.get(model);
    if (!column) return null;
    let sum = 0;
    let labelled = 0;
    for (const i of support) {
      const c = column[i]!;
      if (c < 0 || Number.isNaN(c)) continue;
      labelled++;
      sum += similarities[i]! * c;
    }
    return labelled === 0 ? null : (sum * support.length) / labelled;
  });
  const profiled = raw.filter((v): v is number => v !== null);
  const mean = profiled.length === 0 ? 0 : profiled.reduce((a, b) => a + b, 0) / profiled.length;
  return models.map((model, m) => {
    const v = raw[m] ?? null;
    return v === null ? { model, prior: mean, unprofiled: true } : { model, prior: v, unprofiled: false };
  });
}

/** Runs RPS: support set, priors, top-K referencers (or the plain-MoA fallback). */
export function selectReferencers(input: RpsInput): RpsResult {
  const { similarities, labels, models, k, nBase, gamma } = input;
  const plain = (fallback: SelectionFallback, support: number[]): RpsResult => ({
    support,
    priors: models.map((model) => ({ model, prior: 0, unprofiled: true })),
    referencers: models.slice(0, k),
    fallback,
  });
  if (similarities.length === 0) return plain('empty-bank', []);
  const support = supportSet(similarities, nBase, gamma);
  const priors = computePriors(similarities, support, labels, models);
  if (priors.every((p) => p.unprofiled)) return plain('no-profiled-model', support);
  const referencers = topK(
    priors.map((p) => p.prior),
    k,
  ).map((i) => at(models, i));
  return { support, priors, referencers };
}
