/**
 * Runs the k-fold routing evaluation: similarity rows come in blocks from a float64 matrix product
 * (onnxruntime-node), and each held-out question is routed by the pure core.
 */
import { costReport, type CostReport } from '../core/eval/costFrontier';
import { alphaSampleOf, combine, createCollector, createScratch, emptyPartial, evaluateQuestion, foldAlpha, foldsOf, planShrinkage, type RoutingData, type RoutingParams, type RoutingReport, type ShrinkagePlan } from '../core/eval/routingEval';
import type { PriorShrinkageSetting } from '../core/contracts/config';
import type { TokenPrice } from '../core/contracts/types';
import { createMatMul, type MatMul } from './matmul';

export interface RoutingRunOptions {
  /** Questions per matrix-product block (memory: block × n × 8 bytes). */
  blockRows?: number;
  /** The matrix product to use (default: onnxruntime-node). */
  matMul?: MatMul;
  /** Each model's price (in `data.models` order): adds the single models' cost and the routing frontier. */
  prices?: readonly (TokenPrice | undefined)[];
  /** Also route with shrunk priors (`shrunk` in the report): a fixed α, or `auto` = each fold's own estimate. */
  priorShrinkage?: PriorShrinkageSetting;
}

/**
 * Each fold's shrinkage; with `auto`, its α chosen on its sample questions, whose similarity rows come from the matrix
 * product one fold at a time (a fold's rows: sample × n × 8 bytes).
 */
async function shrinkagePlan(data: RoutingData, params: RoutingParams, setting: PriorShrinkageSetting, matMul: MatMul, transposed: Float64Array): Promise<ShrinkagePlan> {
  const { n, dim, embeddings } = data;
  const alphas = new Map<number, number>();
  if (setting === 'auto') {
    for (const fold of foldsOf(data)) {
      const sample = alphaSampleOf(data, fold);
      const queries = new Float64Array(sample.length * dim);
      sample.forEach((q, r) => queries.set(embeddings.subarray(q * dim, (q + 1) * dim), r * dim));
      const block = await matMul(queries, sample.length, dim, transposed, n);
      alphas.set(fold, foldAlpha(data, params, fold, sample.map((_, r) => block.subarray(r * n, (r + 1) * n))));
    }
  }
  return planShrinkage(data, setting, (fold) => alphas.get(fold) ?? 0);
}

export async function runRoutingEval(data: RoutingData, params: RoutingParams, options: RoutingRunOptions = {}): Promise<RoutingReport & Partial<CostReport>> {
  // The transpose below reads `embeddings` (n × dim) at loop-bounded indices, hence its `!`.
  const { n, dim, embeddings } = data;
  const matMul = options.matMul ?? (await createMatMul());
  const blockRows = Math.max(1, Math.min(options.blockRows ?? Math.floor(64_000_000 / Math.max(n, 1)), n));
  const transposed = new Float64Array(dim * n);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) transposed[d * n + i] = embeddings[i * dim + d]!;
  const scratch = createScratch(data);
  const partial = emptyPartial();
  const collector = options.prices ? createCollector(data, options.prices) : undefined;
  const plan = options.priorShrinkage === undefined ? undefined : await shrinkagePlan(data, params, options.priorShrinkage, matMul, transposed);
  for (let from = 0; from < n; from += blockRows) {
    const rows = Math.min(blockRows, n - from);
    const block = await matMul(embeddings.subarray(from * dim, (from + rows) * dim), rows, dim, transposed, n);
    for (let r = 0; r < rows; r++) evaluateQuestion(data, params, from + r, block.subarray(r * n, (r + 1) * n), scratch, partial, collector, plan?.get(data.folds[from + r]!));
  }
  return { ...combine(data, partial, plan), ...(collector ? costReport(data, collector) : {}) };
}
