/** Summary numbers of a bank (the `smcs bank stats` output). */
import type { EmbedderIdentity } from './manifest';
import type { QuestionBank } from './questionBank';

/** Labels and accuracy of one model on one slice of the bank. */
export interface AccuracyCount {
  labelled: number;
  correct: number;
  /** correct / labelled (0 when nothing is labelled). */
  accuracy: number;
}

export interface ModelStats extends AccuracyCount {
  model: string;
  /** The same numbers per domain (questions without one under `(none)`); only domains where the model has labels. */
  byDomain: Record<string, AccuracyCount>;
}

/** Someone who wrote to a team bank: labels and questions they stored, and when they last wrote. */
export interface Contributor {
  user: string;
  labels: number;
  questions: number;
  lastAt: string;
}

export interface BankStats {
  size: number;
  embedder: EmbedderIdentity;
  models: ModelStats[];
  /** Questions per domain; questions without one count under `(none)`. */
  domains: Record<string, number>;
  /** Questions per source; questions without one count under `(none)`. */
  sources: Record<string, number>;
  /** Who wrote to the bank (a team bank keeps attribution; the local store does not). */
  contributors?: Contributor[];
}

const accuracyOf = (labelled: number, correct: number): AccuracyCount => ({ labelled, correct, accuracy: labelled > 0 ? correct / labelled : 0 });

/** Counts questions, label coverage and accuracy per model (overall and per domain), and questions per domain and source. */
export function bankStats(bank: QuestionBank): BankStats {
  const domains: Record<string, number> = {};
  const sources: Record<string, number> = {};
  const domainOf: string[] = [];
  for (const record of bank.records()) {
    const domain = record.domain ?? '(none)';
    const source = record.source ?? '(none)';
    domainOf.push(domain);
    domains[domain] = (domains[domain] ?? 0) + 1;
    sources[source] = (sources[source] ?? 0) + 1;
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
