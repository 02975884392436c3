/**
 * Runs the k-fold routing evaluation: similarity rows come in blocks from a float64 matrix product
 * (onnxruntime-node), and each held-out question is routed by the pure core.
 */
import { costReport, type CostReport } from '../core/eval/costFrontier';
import { combine, createCollector, createScratch, emptyPartial, evaluateQuestion, type RoutingData, type RoutingParams, type RoutingReport } from '../core/eval/routingEval';
import type { TokenPrice } from '../core/contracts/types';
import { createMatMul, type MatMul } from './matmul';

export interface RoutingRunOptions {
  /** Questions per matrix-product block (memory: block × n × 8 bytes). */
  blockRows?: number;
  /** The matrix product to use (default: onnxruntime-node). */
  matMul?: MatMul;
  /** Each model's price (in `data.models` order): adds the single models' cost and the routing frontier. */
  prices?: readonly (TokenPrice | undefined)[];
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
  for (let from = 0; from < n; from += blockRows) {
    const rows = Math.min(blockRows, n - from);
    const block = await matMul(embeddings.subarray(from * dim, (from + rows) * dim), rows, dim, transposed, n);
    for (let r = 0; r < rows; r++) evaluateQuestion(data, params, from + r, block.subarray(r * n, (r + 1) * n), scratch, partial, collector);
  }
  return { ...combine(data, partial), ...(collector ? costReport(data, collector) : {}) };
}
