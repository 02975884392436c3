/**
 * RPS priors that know how much they know (issue 32): a model's share right over a small or loosely similar support
 * set is pulled toward its share right over the whole bank (empirical Bayes), as far as the set is uninformative.
 *
 *   n_eff(m)  = (Σ s_i)² / Σ s_i²          over the support questions labelled for m (questions of full weight it is worth)
 *   a(m)      = Σ s_i c[m,i] / Σ s_i        (the local share right; V[m] = a(m) · scale(m))
 *   scale(m)  = Σ s_i · |I| / |labelled(m) ∩ I|   (the paper's V if m were right on every support question)
 *   prior(m)  = w · V[m] + (1 − w) · p_m · scale(m),   w = n_eff / (n_eff + α)
 *
 * so prior(m) = scale(m) · (n_eff·a + α·p_m) / (n_eff + α): the posterior mean of a Beta prior of strength α questions
 * centred on p_m, the model's bank-wide share right, on the paper's scale. α = 0 gives the paper's V exactly.
 *
 * α is chosen from the bank by `estimateAlpha`: a sample of bank questions, each routed over the rest of the bank, and
 * the smallest α of a grid whose shrunk shares predict those questions' own labels about as well as the best one
 * (squared error, the Brier score, within one standard error) — leave-one-out cross-validation of the shrinkage
 * itself. A method-of-moments estimate (the spread of local shares across support sets beyond binomial noise) fails
 * where it matters most: in a bank not much larger than Nbase every support set is most of the bank, so the sets do not
 * vary and the moments say nothing, and the lexical embedder's signed similarities make local shares unbounded
 * (docs/design-notes.md, "Priors that know how much they know").
 */
import type { LabelColumn } from '../contracts/priorSource';

/** A model's labels over the whole bank. */
export interface ModelCounts {
  correct: number;
  labelled: number;
}

/** How RPS shrinks its priors: the strength α (in questions; 0 = the paper's priors) and each model's bank-wide counts. */
export interface PriorShrinkage {
  alpha: number;
  overall: ReadonlyMap<string, ModelCounts>;
}

/** (Σ s)² / Σ s²: how many questions of full weight the similarities are worth; 0 when every one is 0. */
export function effectiveSize(similarities: ArrayLike<number>): number {
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < similarities.length; i++) {
    const s = similarities[i]!;
    sum += s;
    squares += s * s;
  }
  return squares > 0 ? (sum * sum) / squares : 0;
}

/** One model's labelled support questions, summed: Σ s_i, Σ s_i², Σ s_i c_i and how many they are. */
export interface LocalSums {
  weight: number;
  squares: number;
  right: number;
  labelled: number;
}

/** The sums of `column` over the support indices `support` (negative or NaN = no label). */
export function localSums(similarities: ArrayLike<number>, support: readonly number[], column: LabelColumn): LocalSums {
  // Support indices index `similarities` and, by the LabelColumn contract, the aligned column.
  const sums = { weight: 0, squares: 0, right: 0, labelled: 0 };
  for (const i of support) {
    const c = column[i]!;
    if (c < 0 || Number.isNaN(c)) continue;
    const s = similarities[i]!;
    sums.labelled++;
    sums.weight += s;
    sums.squares += s * s;
    sums.right += s * c;
  }
  return sums;
}

/** Bank-wide share right, or null when the model has no label in the bank. */
export function overallShare(counts: ModelCounts | undefined): number | null {
  return counts && counts.labelled > 0 ? counts.correct / counts.labelled : null;
}

/**
 * The shrunk prior of a model whose paper prior is `prior` (see the module comment); `supportSize` = |I|. α = 0, or no
 * bank-wide share, leaves the paper's prior exactly.
 */
export function shrinkPrior(prior: number, sums: LocalSums, supportSize: number, alpha: number, overall: number | null): number {
  if (alpha === 0 || overall === null) return prior;
  const effective = sums.squares > 0 ? (sums.weight * sums.weight) / sums.squares : 0;
  const w = effective / (effective + alpha);
  return w * prior + (1 - w) * overall * ((sums.weight * supportSize) / sums.labelled);
}

/** The α values `estimateAlpha` chooses from: 0 (the paper), then 1 to 1024 questions in steps of √2. */
export const ALPHA_GRID: readonly number[] = [0, ...Array.from({ length: 21 }, (_, k) => 2 ** (k / 2))];

/** A bank question routed over the rest of the bank: its support set's similarities and labels, and its own labels. */
export interface AlphaSample {
  /** Similarities of the support set (the question itself left out). */
  similarities: ArrayLike<number>;
  /** Label columns aligned with `similarities` (1, 0, negative = none), per model. */
  columns: ReadonlyMap<string, LabelColumn>;
  /** The question's own label per model: 1 right, 0 wrong (a model without one is absent or negative). */
  labels: ReadonlyMap<string, number>;
}

/** What `estimateAlpha` found: α, and how many (question, model) labels it was judged on. */
export interface AlphaEstimate {
  alpha: number;
  labels: number;
}

/**
 * The smallest α of `ALPHA_GRID` whose shrunk local shares predict the sampled questions' own labels about as well as
 * the best α: squared error (Brier) summed per question, and "about as well" = the mean difference from the best within
 * one standard error over the questions (Breiman's one-standard-error rule; a question's labels go together, as one
 * hard question is hard for every model). Where the grid's errors are flat — large support sets — that keeps the
 * paper's priors instead of an α the sample's noise chose. `overall` holds the counts of the bank the samples came from,
 * their own labels included (each is taken out of its own bank-wide share). Nothing to judge on (no sample question
 * with a label and a labelled support set): α = 0, the paper's priors.
 */
export function estimateAlpha(samples: Iterable<AlphaSample>, overall: ReadonlyMap<string, ModelCounts>): AlphaEstimate {
  // Indices are loop-bounded: g < ALPHA_GRID.length, the row length of every entry of `perQuestion`.
  const perQuestion: Float64Array[] = [];
  let labels = 0;
  for (const sample of samples) {
    const all = Array.from({ length: sample.similarities.length }, (_, i) => i);
    const errors = new Float64Array(ALPHA_GRID.length);
    let judged = 0;
    for (const [model, c] of sample.labels) {
      const counts = overall.get(model);
      const column = sample.columns.get(model);
      if ((c !== 0 && c !== 1) || !counts || counts.labelled < 2 || !column) continue;
      const sums = localSums(sample.similarities, all, column);
      // Without weight the shrunk share is p for every α: the question says nothing about α.
      if (sums.labelled === 0 || sums.weight === 0) continue;
      const local = sums.right / sums.weight;
      const effective = (sums.weight * sums.weight) / sums.squares;
      const p = (counts.correct - c) / (counts.labelled - 1);
      ALPHA_GRID.forEach((alpha, g) => {
        const share = Math.min(1, Math.max(0, (effective * local + alpha * p) / (effective + alpha)));
        errors[g]! += (c - share) ** 2;
      });
      judged++;
    }
    if (judged === 0) continue;
    perQuestion.push(errors);
    labels += judged;
  }
  if (labels === 0) return { alpha: 0, labels: 0 };
  const total = (g: number) => perQuestion.reduce((sum, e) => sum + e[g]!, 0);
  let best = 0;
  for (let g = 1; g < ALPHA_GRID.length; g++) if (total(g) < total(best)) best = g;
  const q = perQuestion.length;
  for (let g = 0; g < best; g++) {
    const diffs = perQuestion.map((e) => e[g]! - e[best]!);
    const mean = diffs.reduce((a, b) => a + b, 0) / q;
    const variance = q < 2 ? 0 : diffs.reduce((a, d) => a + (d - mean) ** 2, 0) / (q - 1);
    if (mean <= Math.sqrt(variance / q)) return { alpha: ALPHA_GRID[g]!, labels };
  }
  return { alpha: ALPHA_GRID[best]!, labels };
}

/**
 * How many bank questions `estimateAlpha` is given from a bank of `size`: all of a small bank (up to 256), fewer as each
 * support set grows dear to read (about a million similarities in all, at least 16): 83 of 12k, 16 from 63k on.
 */
export function alphaSampleSize(size: number): number {
  return Math.min(size, Math.max(16, Math.min(256, Math.floor(1_000_000 / Math.max(size, 1)))));
}

/** The bank positions of the sample: `count` spread evenly over `size` questions in bank order. */
export function alphaSamplePositions(size: number, count: number): number[] {
  return Array.from({ length: Math.min(count, size) }, (_, j) => Math.floor(((j + 0.5) * size) / Math.min(count, size)));
}
