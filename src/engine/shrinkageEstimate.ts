/**
 * `priorShrinkage: auto` for one bank state: a sample of the bank's questions, each routed over the rest of the bank as
 * an ask would be, and the α that predicts their own labels best (core/routing/shrinkage `estimateAlpha`).
 */
import type { Bank, ModelCoverage } from '../bank';
import type { PriorSource, SupportRequest, SupportSet } from '../core/contracts/priorSource';
import { alphaSamplePositions, alphaSampleSize, estimateAlpha, type AlphaEstimate, type AlphaSample } from '../core/routing/shrinkage';

/** What the estimate was judged on, besides α: the sampled questions. */
export interface BankAlpha extends AlphaEstimate {
  questions: number;
}

/** The support set without the question `id` (a bank question is its own nearest neighbour). */
function leaveOut(support: SupportSet, id: string): Pick<AlphaSample, 'similarities' | 'columns'> {
  const keep = support.ids.flatMap((other, i) => (other === id ? [] : [i]));
  const similarities = keep.map((i) => support.similarities[i]!);
  const columns = new Map([...support.columns].map(([model, c]) => [model, keep.map((i) => c.correct[i]!)]));
  return { similarities, columns };
}

/**
 * `alphaSampleSize` questions spread over the bank in bank order (the same ones every time for the same bank), each
 * with its support set from `source` under `request` without itself and its own labels of `request.models`.
 */
export async function bankAlphaSamples(bank: Pick<Bank, 'count' | 'scan'>, source: PriorSource, request: SupportRequest): Promise<AlphaSample[]> {
  const size = await bank.count();
  const positions = new Set(alphaSamplePositions(size, alphaSampleSize(size)));
  const picked: { id: string; embedding: number[]; correct: Record<string, 0 | 1> }[] = [];
  let position = 0;
  for await (const record of bank.scan({ embedding: true })) {
    if (positions.has(position) && record.embedding && record.correct) picked.push({ id: record.id, embedding: record.embedding, correct: record.correct });
    position++;
  }
  const samples: AlphaSample[] = [];
  for (const question of picked) {
    const support = await source.supportSet(Float32Array.from(question.embedding), request);
    const labels = new Map(request.models.flatMap((m) => (question.correct[m] === undefined ? [] : [[m, question.correct[m]] as const])));
    samples.push({ ...leaveOut(support, question.id), labels });
  }
  return samples;
}

/** α for the bank: `estimateAlpha` over `bankAlphaSamples`, toward the bank-wide counts `coverage`. */
export async function estimateBankAlpha(bank: Pick<Bank, 'count' | 'scan'>, source: PriorSource, request: SupportRequest, coverage: readonly ModelCoverage[]): Promise<BankAlpha> {
  const samples = await bankAlphaSamples(bank, source, request);
  const overall = new Map(coverage.map((c) => [c.model, { correct: c.correct, labelled: c.labelled }]));
  return { ...estimateAlpha(samples, overall), questions: samples.length };
}
