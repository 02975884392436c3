/** Summary numbers of a bank (the `smcs bank stats` output). */
import type { EmbedderIdentity } from './manifest';
import type { QuestionBank } from './questionBank';

export interface ModelStats {
  model: string;
  labelled: number;
  correct: number;
  /** correct / labelled (0 when nothing is labelled). */
  accuracy: number;
}

export interface BankStats {
  size: number;
  embedder: EmbedderIdentity;
  models: ModelStats[];
  /** Questions per domain; questions without one count under `(none)`. */
  domains: Record<string, number>;
  /** Questions per source; questions without one count under `(none)`. */
  sources: Record<string, number>;
}

/** Counts questions, label coverage and accuracy per model, and questions per domain and source. */
export function bankStats(bank: QuestionBank): BankStats {
  const domains: Record<string, number> = {};
  const sources: Record<string, number> = {};
  for (const record of bank.records()) {
    const domain = record.domain ?? '(none)';
    const source = record.source ?? '(none)';
    domains[domain] = (domains[domain] ?? 0) + 1;
    sources[source] = (sources[source] ?? 0) + 1;
  }
  return {
    size: bank.size,
    embedder: bank.embedder,
    models: bank.modelCoverage().map((c) => ({ ...c, accuracy: c.labelled > 0 ? c.correct / c.labelled : 0 })),
    domains,
    sources,
  };
}
