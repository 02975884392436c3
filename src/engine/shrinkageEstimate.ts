/**
 * `priorShrinkage: auto` for one bank state: a sample of the bank's questions, each routed over the rest of the bank as
 * an ask would be, and the α that predicts their own labels best (core/routing/shrinkage `estimateAlpha`).
 */
import type { Bank, ModelCoverage } from '../bank';
import type { PriorSource, SupportRequest, SupportSet } from '../core/contracts/priorSource';
import { alphaSamplePositions, alphaSampleSize, estimateAlpha, type AlphaEstimate, type AlphaSample } from '../core/routing/shrinkage';
import { own } from '../core/util/ownKeys';

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
 * with its support set from `source` under `request` without itself and its own labels of `request.models`. The scan
 * reads no embeddings (a third of its time); only the sampled questions' are looked up.
 */
export async function bankAlphaSamples(bank: Pick<Bank, 'count' | 'scan' | 'lookup'>, source: PriorSource, request: SupportRequest): Promise<AlphaSample[]> {
  const size = await bank.count();
  const positions = new Set(alphaSamplePositions(size, alphaSampleSize(size)));
  const picked: string[] = [];
  let position = 0;
  for await (const record of bank.scan()) {
    if (positions.has(position) && record.correct) picked.push(record.id);
    position++;
  }
  const records = await bank.lookup(picked, { embedding: true });
  const samples: AlphaSample[] = [];
  for (const id of picked) {
    const record = records.get(id);
    if (!record?.embedding || !record.correct) continue;
    const { correct } = record;
    const support = await source.supportSet(Float32Array.from(record.embedding), request);
    const labels = new Map(request.models.flatMap((m) => {
      const c = own(correct, m);
      return c === undefined ? [] : [[m, c] as const];
    }));
    samples.push({ ...leaveOut(support, id), labels });
  }
  return samples;
}

/** α for the bank: `estimateAlpha` over `bankAlphaSamples`, toward the bank-wide counts `coverage`. */
export async function estimateBankAlpha(bank: Pick<Bank, 'count' | 'scan' | 'lookup'>, source: PriorSource, request: SupportRequest, coverage: readonly ModelCoverage[]): Promise<BankAlpha> {
  const samples = await bankAlphaSamples(bank, source, request);
  const overall = new Map(coverage.map((c) => [c.model, { correct: c.correct, labelled: c.labelled }]));
  return { ...estimateAlpha(samples, overall), questions: samples.length };
}
