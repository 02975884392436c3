/**
 * k-fold evaluation of RPS routing (`smcs eval routing`, DESIGN §4).
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
 *
 * `evaluateQuestion` takes a precomputed similarity row, so callers may compute rows however is fastest
 * (the CLI uses a float64 matrix product); `evaluateRange` computes them with plain dot products.
 */
import { at } from '../util/arrays';
import { estimateModels } from '../routing/objective';
import type { TokenColumn } from '../contracts/priorSource';
import { computePriors, supportSet, topK } from '../routing/rps';
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

/** Counts over the routed questions (added to by `evaluateQuestion`). */
export interface RoutingPartial {
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

export const emptyPartial = (): RoutingPartial => ({ questions: 0, top1: 0, anyK: 0, rankAgree: 0, rankPairs: 0, rankSum: 0, rankQuestions: 0 });

/**
 * Routes held-out question `q` by RPS over the questions of the other folds and adds its outcome to `partial`.
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
): void {
  // Indices are loop-bounded: i < n, j < count ≤ n, and good, bad < models.length = priors.length.
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
  partial.questions++;
  const [first] = selected;
  if (first !== undefined && correctAt(data, first, q)) partial.top1++;
  if (selected.some((m) => correctAt(data, m, q))) partial.anyK++;
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
  partial.rankAgree += strict;
  partial.rankPairs += pairs;
  if (pairs > 0) {
    partial.rankSum += (strict + ties / 2) / pairs;
    partial.rankQuestions++;
  }
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

/** Evaluates held-out questions [from, to), computing similarity rows with plain dot products. */
export function evaluateRange(data: RoutingData, params: RoutingParams, from: number, to: number): RoutingPartial {
  // Indices are loop-bounded: i, q < n (for a valid range) and d < dim, within the n × dim embeddings.
  const { n, dim, embeddings } = data;
  const partial = emptyPartial();
  const scratch = createScratch(data);
  const row = new Float64Array(n);
  for (let q = from; q < to; q++) {
    const qOff = q * dim;
    for (let i = 0; i < n; i++) {
      const iOff = i * dim;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += embeddings[qOff + d]! * embeddings[iOff + d]!;
      row[i] = dot;
    }
    evaluateQuestion(data, params, q, row, scratch, partial);
  }
  return partial;
}

/** Turns the routed questions' counts into shares and adds the baselines. */
export function combine(data: RoutingData, total: RoutingPartial): RoutingReport {
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
  const share = (x: number, of: number) => (of === 0 ? 0 : x / of);
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
  };
}
