/**
 * k-fold evaluation of RPS routing (`smcs eval routing`; docs/design-notes.md "Method" has rankScore and the folds).
 *
 * Each held-out question is routed by RPS over the questions of the other folds:
 *   top1  = share of questions where the top-prior model is correct;
 *   anyK  = share where any of the K selected models is correct;
 *   rankScore = the paper's Eq. 8: over all held-out questions, the (correct model, wrong model) pairs whose prior
 *               ranks the correct one strictly higher, divided by Σ_q |correct_q| × |wrong_q| (pooled; ties count 0);
 *   rankScorePerQuestion = the same pairs with ties counting ½, averaged per question, then over the questions
 *               that have such a pair (the score this tool reported before it followed Eq. 8).
 * Baselines over all questions: bestSingle (accuracy of the best model), random (mean share of correct models),
 * oracle (share where some model is correct). A missing label counts as not correct.
 * Beside the paper's priors, the same questions routed with shrunk priors (core/routing/shrinkage), each fold with its
 * own α — the one the engine would choose from the other folds as its bank, or a fixed one — and its training folds'
 * counts: `shrunk` = {alpha, alphaByFold, top1, anyK, rankScore, topDiffers, setDiffers}, the last two the shares of
 * questions where the shrunk priors put another model first or chose another set of K.
 *
 * `evaluateQuestion` takes a precomputed similarity row, so callers may compute rows however is fastest
 * (the CLI uses a float64 matrix product, src/cli/routingRunner.ts; its tests cross-check it with plain dot products).
 */
import { at } from '../util/arrays';
import { estimateModels } from '../routing/objective';
import type { TokenColumn } from '../contracts/priorSource';
import { computePriors, supportSet, topK } from '../routing/rps';
import { alphaSamplePositions, alphaSampleSize, estimateAlpha, type AlphaSample, type ModelCounts, type PriorShrinkage } from '../routing/shrinkage';
import type { PriorShrinkageSetting } from '../contracts/config';
import type { TokenPrice } from '../contracts/types';

export interface RoutingData {
  /** Question count. */
  n: number;
  dim: number;
  /** Row-major n × dim unit vectors. */
  embeddings: Float64Array;
  models: readonly string[];
  /** Row-major models × n: 1 right, 0 wrong, −1 unlabelled. */
  labels: Int8Array;
  /** Fold of each question. */
  folds: Int32Array;
  /** Recorded reply tokens, row-major models × n (NaN: none recorded), when the bank file has them. */
  tokens?: { prompt: Float32Array; completion: Float32Array };
}

/**
 * What `evaluateQuestion` records for the cost frontier (costFrontier.ts): each model's expected accuracy and
 * expected USD on every routed question (row-major n × models; cost NaN when unknown).
 */
export interface EstimateCollector {
  prices: readonly (TokenPrice | undefined)[];
  accuracy: Float64Array;
  cost: Float64Array;
}

export function createCollector(data: RoutingData, prices: readonly (TokenPrice | undefined)[]): EstimateCollector {
  const size = data.n * data.models.length;
  return { prices, accuracy: new Float64Array(size), cost: new Float64Array(size).fill(Number.NaN) };
}

export interface RoutingParams {
  k: number;
  nBase: number;
  gamma: number;
}

/** Counts of one way of routing over the routed questions. */
export interface RoutingCounts {
  questions: number;
  top1: number;
  anyK: number;
  /** Eq. 8 numerator and denominator, pooled over questions. */
  rankAgree: number;
  rankPairs: number;
  /** Sum over questions of the per-question score (ties ½), and how many questions had a pair. */
  rankSum: number;
  rankQuestions: number;
}

/** The shrunk priors' counts, and on how many questions they put another model first or chose another set. */
export interface ShrunkCounts extends RoutingCounts {
  topDiffers: number;
  setDiffers: number;
}

/** Counts over the routed questions (added to by `evaluateQuestion`): the paper's priors, and the shrunk ones. */
export interface RoutingPartial extends RoutingCounts {
  shrunk: ShrunkCounts;
}

/** Per fold (by its number), how its held-out questions' priors are shrunk: α, and the other folds' counts. */
export type ShrinkagePlan = ReadonlyMap<number, PriorShrinkage>;

export interface ShrunkReport {
  /** The median of the folds' α. */
  alpha: number;
  /** Each fold's α, in fold order. */
  alphaByFold: number[];
  top1: number;
  anyK: number;
  rankScore: number;
  /** Shares of the routed questions where the top model, and the set of K, differ from the paper's priors'. */
  topDiffers: number;
  setDiffers: number;
}

export interface RoutingReport {
  n: number;
  models: number;
  folds: number;
  bestSingle: number;
  bestModel: string;
  random: number;
  oracle: number;
  top1: number;
  anyK: number;
  rankScore: number;
  rankScorePerQuestion: number;
  /** The same questions routed with shrunk priors; absent when no shrinkage plan was given. */
  shrunk?: ShrunkReport;
}

const correctAt = (data: RoutingData, m: number, q: number): boolean => data.labels[m * data.n + q] === 1;

/** Reusable buffers for `evaluateQuestion` (one set per caller, sized for the bank). */
export interface RoutingScratch {
  sims: Float64Array;
  index: Int32Array;
  columns: Int8Array[];
}

export function createScratch(data: RoutingData): RoutingScratch {
  return {
    sims: new Float64Array(data.n),
    index: new Int32Array(data.n),
    columns: data.models.map(() => new Int8Array(data.n)),
  };
}

const emptyCounts = (): RoutingCounts => ({ questions: 0, top1: 0, anyK: 0, rankAgree: 0, rankPairs: 0, rankSum: 0, rankQuestions: 0 });

export const emptyPartial = (): RoutingPartial => ({ ...emptyCounts(), shrunk: { ...emptyCounts(), topDiffers: 0, setDiffers: 0 } });

/** Adds held-out question `q`'s outcome under `priors` (models' order) and the `selected` models to `counts`. */
function addOutcome(data: RoutingData, q: number, priors: readonly number[], selected: readonly number[], counts: RoutingCounts): void {
  // good, bad < models.length = priors.length.
  const { models } = data;
  counts.questions++;
  const [first] = selected;
  if (first !== undefined && correctAt(data, first, q)) counts.top1++;
  if (selected.some((m) => correctAt(data, m, q))) counts.anyK++;
  let pairs = 0;
  let strict = 0;
  let ties = 0;
  for (let a = 0; a < models.length; a++) {
    for (let b = a + 1; b < models.length; b++) {
      const ca = correctAt(data, a, q);
      if (ca === correctAt(data, b, q)) continue;
      pairs++;
      const [good, bad] = ca ? [a, b] : [b, a];
      const diff = priors[good]! - priors[bad]!;
      if (diff > 0) strict++;
      else if (diff === 0) ties++;
    }
  }
  counts.rankAgree += strict;
  counts.rankPairs += pairs;
  if (pairs > 0) {
    counts.rankSum += (strict + ties / 2) / pairs;
    counts.rankQuestions++;
  }
}

/**
 * Routes held-out question `q` by RPS over the questions of the other folds and adds its outcome to `partial`, and with
 * `shrinkage` (its fold's) the outcome of the shrunk priors to `partial.shrunk`.
 * `row` holds the similarity of q to every question (row[i] = e_q · e_i).
 */
export function evaluateQuestion(
  data: RoutingData,
  params: RoutingParams,
  q: number,
  row: ArrayLike<number>,
  scratch: RoutingScratch,
  partial: RoutingPartial,
  collector?: EstimateCollector,
  shrinkage?: PriorShrinkage,
): void {
  // Indices are loop-bounded: i < n, j < count ≤ n.
  const { n, models, labels, folds } = data;
  const fold = at(folds, q);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (folds[i] === fold) continue;
    scratch.sims[count] = row[i]!;
    scratch.index[count] = i;
    count++;
  }
  const trainSims = scratch.sims.subarray(0, count);
  const columns = new Map<string, Int8Array>();
  models.forEach((model, m) => {
    const column = at(scratch.columns, m);
    const base = m * n;
    for (let j = 0; j < count; j++) column[j] = labels[base + scratch.index[j]!]!;
    columns.set(model, column.subarray(0, count));
  });
  const support = supportSet(trainSims, params.nBase, params.gamma);
  const priors = computePriors(trainSims, support, columns, models).map((p) => p.prior);
  const selected = topK(priors, params.k);
  if (collector) collectEstimates(data, q, trainSims, support, columns, scratch, collector);
  addOutcome(data, q, priors, selected, partial);
  if (!shrinkage) return;
  const shrunkPriors = computePriors(trainSims, support, columns, models, shrinkage).map((p) => p.prior);
  const shrunkSelected = topK(shrunkPriors, params.k);
  addOutcome(data, q, shrunkPriors, shrunkSelected, partial.shrunk);
  if (shrunkSelected[0] !== selected[0]) partial.shrunk.topDiffers++;
  const set = new Set(selected);
  if (shrunkSelected.some((m) => !set.has(m))) partial.shrunk.setDiffers++;
}

/** Each model's counts over the questions outside `fold` (the bank a question of `fold` is routed over). */
export function trainingCounts(data: RoutingData, fold: number): Map<string, ModelCounts> {
  // Indices are loop-bounded: m < models.length, q < n, within the models × n labels.
  const { n, models, labels, folds } = data;
  return new Map(
    models.map((model, m) => {
      const counts = { correct: 0, labelled: 0 };
      for (let q = 0; q < n; q++) {
        if (folds[q] === fold) continue;
        const c = labels[m * n + q]!;
        if (c < 0) continue;
        counts.labelled++;
        counts.correct += c;
      }
      return [model, counts];
    }),
  );
}

/** The questions `fold`'s α is chosen on: `alphaSampleSize` of the other folds' questions, spread evenly as the engine samples a bank. */
export function alphaSampleOf(data: RoutingData, fold: number): number[] {
  const training = Array.from(data.folds.keys()).filter((q) => data.folds[q] !== fold);
  return alphaSamplePositions(training.length, alphaSampleSize(training.length)).map((i) => at(training, i));
}

/**
 * `fold`'s α as the engine would choose it with the other folds as its bank: each question of `alphaSampleOf` routed over
 * them without itself (`rows[j]` = the similarity row of the j-th), judged on its own labels.
 */
export function foldAlpha(data: RoutingData, params: RoutingParams, fold: number, rows: readonly ArrayLike<number>[]): number {
  // Indices are loop-bounded: i < n, and support entries index the gathered arrays.
  const { n, models, labels, folds } = data;
  const samples: AlphaSample[] = alphaSampleOf(data, fold).map((q, j) => {
    const row = at(rows, j);
    const bank: number[] = [];
    for (let i = 0; i < n; i++) if (folds[i] !== fold && i !== q) bank.push(i);
    const sims = bank.map((i) => row[i]!);
    const support = supportSet(sims, params.nBase, params.gamma);
    const columns = new Map(models.map((model, m) => [model, support.map((j) => labels[m * n + bank[j]!]!)]));
    const own = new Map(models.flatMap((model, m) => (labels[m * n + q]! >= 0 ? [[model, labels[m * n + q]!] as const] : [])));
    return { similarities: support.map((j) => sims[j]!), columns, labels: own };
  });
  return estimateAlpha(samples, trainingCounts(data, fold)).alpha;
}

/** The distinct folds, in order. */
export function foldsOf(data: RoutingData): number[] {
  return [...new Set(data.folds)].sort((a, b) => a - b);
}

/** How each fold's questions are shrunk: `setting` = a fixed α for every fold, or `auto` = `autoAlpha(fold)` (its `foldAlpha`). */
export function planShrinkage(data: RoutingData, setting: PriorShrinkageSetting, autoAlpha: (fold: number) => number): ShrinkagePlan {
  return new Map(foldsOf(data).map((fold) => [fold, { alpha: setting === 'auto' ? autoAlpha(fold) : setting, overall: trainingCounts(data, fold) }]));
}

/**
 * Records every model's expected accuracy and cost on held-out question `q`: its support set over the other folds,
 * gathered into compact columns (only the support set is read, so the bank's full token matrix is never copied).
 */
function collectEstimates(
  data: RoutingData,
  q: number,
  trainSims: ArrayLike<number>,
  support: readonly number[],
  columns: ReadonlyMap<string, ArrayLike<number>>,
  scratch: RoutingScratch,
  collector: EstimateCollector,
): void {
  // Indices are loop-bounded: j < support.length, and support entries are positions among the gathered questions.
  const { n, models, tokens } = data;
  const size = support.length;
  const sims = support.map((j) => trainSims[j]!);
  const labels = new Map([...columns].map(([model, column]) => [model, support.map((j) => column[j]!)]));
  const tokenColumns = new Map<string, TokenColumn>();
  if (tokens) {
    models.forEach((model, m) => {
      const prompt = new Float32Array(size);
      const completion = new Float32Array(size);
      support.forEach((j, k) => {
        const i = m * n + scratch.index[j]!;
        prompt[k] = tokens.prompt[i]!;
        completion[k] = tokens.completion[i]!;
      });
      tokenColumns.set(model, { prompt, completion });
    });
  }
  const estimates = estimateModels({ similarities: sims, support: sims.map((_, k) => k), labels, tokens: tokenColumns, models, price: (model) => collector.prices[models.indexOf(model)] });
  const row = q * models.length;
  estimates.forEach((e, m) => {
    collector.accuracy[row + m] = e.accuracy;
    collector.cost[row + m] = e.costUsd ?? Number.NaN;
  });
}

const share = (x: number, of: number) => (of === 0 ? 0 : x / of);

/** The shrunk priors' shares, with the plan's α. */
function shrunkReport(total: ShrunkCounts, plan: ShrinkagePlan): ShrunkReport {
  const alphaByFold = [...plan].sort(([a], [b]) => a - b).map(([, f]) => f.alpha);
  const sorted = [...alphaByFold].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const alpha = sorted.length === 0 ? 0 : sorted.length % 2 === 1 ? at(sorted, mid) : (at(sorted, mid - 1) + at(sorted, mid)) / 2;
  return {
    alpha,
    alphaByFold,
    top1: share(total.top1, total.questions),
    anyK: share(total.anyK, total.questions),
    rankScore: share(total.rankAgree, total.rankPairs),
    topDiffers: share(total.topDiffers, total.questions),
    setDiffers: share(total.setDiffers, total.questions),
  };
}

/** Turns the routed questions' counts into shares and adds the baselines (and with `plan`, the shrunk priors' report). */
export function combine(data: RoutingData, total: RoutingPartial, plan?: ShrinkagePlan): RoutingReport {
  const { n, models } = data;
  let bestSingle = 0;
  let bestModel = '';
  models.forEach((model, m) => {
    let right = 0;
    for (let q = 0; q < n; q++) if (correctAt(data, m, q)) right++;
    const acc = n === 0 ? 0 : right / n;
    if (acc > bestSingle || bestModel === '') {
      bestSingle = acc;
      bestModel = model;
    }
  });
  let randomSum = 0;
  let oracle = 0;
  for (let q = 0; q < n; q++) {
    let right = 0;
    for (let m = 0; m < models.length; m++) if (correctAt(data, m, q)) right++;
    randomSum += models.length === 0 ? 0 : right / models.length;
    if (right > 0) oracle++;
  }
  return {
    n,
    models: models.length,
    folds: new Set(data.folds).size,
    bestSingle,
    bestModel,
    random: share(randomSum, n),
    oracle: share(oracle, n),
    top1: share(total.top1, total.questions),
    anyK: share(total.anyK, total.questions),
    rankScore: share(total.rankAgree, total.rankPairs),
    rankScorePerQuestion: share(total.rankSum, total.rankQuestions),
    ...(plan ? { shrunk: shrunkReport(total.shrunk, plan) } : {}),
  };
}
