/** Summary numbers of a bank (the `smcs bank stats` output). */
import type { EmbedderIdentity } from './embedderIdentity';

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
