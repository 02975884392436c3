/** The summary numbers (`BankStats`) of a local bank, counted from its records and label columns. */
import type { BankStats, ModelStats, AccuracyCount } from '../stats';
import type { BankRecord } from '../../core/contracts/types';
import type { ModelCoverage } from '../bank';
import type { EmbedderIdentity } from '../embedderIdentity';
import { own, setOwn } from '../../core/util/ownKeys';

/** What the counting reads of a local bank (its records in bank order and its label columns). */
export interface CountedBank {
  readonly size: number;
  readonly embedder: EmbedderIdentity;
  records(): Iterable<BankRecord>;
  modelCoverage(): ModelCoverage[];
  labelMatrix(models: readonly string[]): Map<string, Int8Array>;
}

const accuracyOf = (labelled: number, correct: number): AccuracyCount => ({ labelled, correct, accuracy: labelled > 0 ? correct / labelled : 0 });

/** Counts questions, label coverage and accuracy per model (overall and per domain), and questions per domain and source. */
export function bankStats(bank: CountedBank): BankStats {
  const domains: Record<string, number> = {};
  const sources: Record<string, number> = {};
  const count = (into: Record<string, number>, key: string) => setOwn(into, key, (own(into, key) ?? 0) + 1);
  const domainOf: string[] = [];
  for (const record of bank.records()) {
    const domain = record.domain ?? '(none)';
    const source = record.source ?? '(none)';
    domainOf.push(domain);
    count(domains, domain);
    count(sources, source);
  }
  const coverage = bank.modelCoverage();
  const columns = bank.labelMatrix(coverage.map((c) => c.model));
  const models = coverage.map((c): ModelStats => {
    const col = columns.get(c.model) as Int8Array;
    const counts = new Map<string, { labelled: number; correct: number }>();
    for (const [i, domain] of domainOf.entries()) {
      const v = col[i];
      if (v !== 0 && v !== 1) continue;
      const count = counts.get(domain) ?? { labelled: 0, correct: 0 };
      count.labelled++;
      count.correct += v;
      counts.set(domain, count);
    }
    const byDomain = Object.fromEntries([...counts].sort((a, b) => a[0].localeCompare(b[0])).map(([d, n]) => [d, accuracyOf(n.labelled, n.correct)]));
    return { model: c.model, ...accuracyOf(c.labelled, c.correct), byDomain };
  });
  return { size: bank.size, embedder: bank.embedder, models, domains, sources };
}
