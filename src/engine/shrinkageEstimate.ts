/**
 * What routing learns of one bank state from a sample of its questions, each routed over the rest of the bank as an ask
 * would be: `priorShrinkage: auto`'s α, the one that predicts their own labels best (core/routing/shrinkage
 * `estimateAlpha`), and how similar a question of the bank's own is to its nearest other one — below the 5th percentile
 * of that, a question is far from the bank (core/routing/exploration `nearSimilarity`).
 */
import type { Bank, ModelCoverage } from '../bank';
import type { PriorSource, SupportRequest, SupportSet } from '../core/contracts/priorSource';
import { nearSimilarity } from '../core/routing/exploration';
import { alphaSamplePositions, alphaSampleSize, estimateAlpha, type AlphaEstimate, type AlphaSample } from '../core/routing/shrinkage';
import { own } from '../core/util/ownKeys';

/** What the estimate was judged on, besides α: the sampled questions. */
export interface BankAlpha extends AlphaEstimate {
  questions: number;
}

/** One pass over the sampled questions: the labelled ones as α's samples, and every one's nearest other question's similarity. */
export interface BankSample {
  alpha: AlphaSample[];
  nearest: number[];
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
 * with its support set from `source` under `request` without itself: the labelled ones with their own labels of
 * `request.models` (α's samples), and every one's most similar other question (the support set holds it: it is the
 * most similar). The scan reads no embeddings (a third of its time); only the sampled questions' are looked up.
 */
export async function bankSamples(bank: Pick<Bank, 'count' | 'scan' | 'lookup'>, source: PriorSource, request: SupportRequest): Promise<BankSample> {
  const size = await bank.count();
  const positions = new Set(alphaSamplePositions(size, alphaSampleSize(size)));
  const picked: string[] = [];
  let position = 0;
  for await (const record of bank.scan()) {
    if (positions.has(position)) picked.push(record.id);
    position++;
  }
  const records = await bank.lookup(picked, { embedding: true });
  const alpha: AlphaSample[] = [];
  const nearest: number[] = [];
  for (const id of picked) {
    const record = records.get(id);
    if (!record?.embedding) continue;
    const support = leaveOut(await source.supportSet(Float32Array.from(record.embedding), request), id);
    if (support.similarities.length > 0) nearest.push(Math.max(...Array.from(support.similarities)));
    const { correct } = record;
    if (!correct) continue;
    const labels = new Map(request.models.flatMap((m) => {
      const c = own(correct, m);
      return c === undefined ? [] : [[m, c] as const];
    }));
    alpha.push({ ...support, labels });
  }
  return { alpha, nearest };
}

/** What one bank state gives routing: α (`setting`'s number, or with `auto` `estimateAlpha`'s) and `near` (null: never far). */
export interface BankCalibration {
  alpha: number;
  /** Present when α was chosen from the bank. */
  estimate?: BankAlpha;
  near: number | null;
}

/** α and `near` for the bank from one sample (`bankSamples`), α toward the bank-wide counts `coverage`. */
export async function calibrateBank(bank: Pick<Bank, 'count' | 'scan' | 'lookup'>, source: PriorSource, request: SupportRequest, coverage: readonly ModelCoverage[], setting: number | 'auto'): Promise<BankCalibration> {
  const sample = await bankSamples(bank, source, request);
  const near = nearSimilarity(sample.nearest);
  if (setting !== 'auto') return { alpha: setting, near };
  const overall = new Map(coverage.map((c) => [c.model, { correct: c.correct, labelled: c.labelled }]));
  const estimate = { ...estimateAlpha(sample.alpha, overall), questions: sample.alpha.length };
  return { alpha: estimate.alpha, estimate, near };
}
