/**
 * The question bank as the rest of the product sees it: one asynchronous interface over every store (the local
 * folder on vectra, a team bank in a database), built so that a store need not hold every vector in memory.
 */
import type { SupportRequest } from '../core/contracts/priorSource';
import type { SupportSet } from '../core/contracts/priorSource';
import type { BankRecord, RecordedTokens } from '../core/contracts/types';
import type { RecoveryReport } from './recoveryReport';
import type { EmbedderIdentity } from './embedderIdentity';
import type { BankStats } from './stats';

/** Which store holds a bank. */
export type BankStoreKind = 'local' | 'postgres';

/** A question to add: a bank record whose embedding is required (any length-`dimension` vector; it is stored normalised). */
export type NewQuestion = Omit<BankRecord, 'embedding'> & { embedding: ArrayLike<number> };

export interface LabelUpdate {
  id: string;
  model: string;
  correct: 0 | 1;
  /**
   * Tokens of the reply the label came from (the usage the server reported, or an estimate marked `estimated`); a store
   * keeps them with the label and returns them in `SupportSet.columns[model].tokens` and in records' `tokens`. A label
   * set without them has none (an earlier reply's tokens are dropped with its label).
   */
  tokens?: RecordedTokens;
}

/** Where a write comes from: who made it and how. A store that keeps attribution records it with every row. */
export interface WriteOrigin {
  /** The person (`userName` in the config); default the user the bank was opened for. */
  user?: string;
  via: 'import' | 'profile' | 'choice';
}

/** One atomic change: questions removed, then added, then labels set. */
export interface BankChange {
  remove?: readonly string[];
  add?: readonly NewQuestion[];
  labels?: readonly LabelUpdate[];
  /**
   * Questions of `add` already in the bank keep what is stored and get their labels merged, instead of refusing the
   * change (imports: another writer may have added the same question since the caller looked).
   */
  addOrMerge?: boolean;
  origin?: WriteOrigin;
}

export interface RecordOptions {
  /** Include the stored (unit) embedding. */
  embedding?: boolean;
}

export interface ModelCoverage {
  model: string;
  /** Questions with a label for this model. */
  labelled: number;
  /** Questions this model answered correctly. */
  correct: number;
}

/** What is known about one model's failed profiling requests on one question. */
export interface FailureEntry {
  count: number;
  lastError: string;
  /** ISO time of the last failure. */
  at: string;
}

/** Failed profiling requests by model key, then question id. */
export type FailureMap = Record<string, Record<string, FailureEntry>>;

/** Profiling requests that failed (counted once more each) and ones answered since (their failure is forgotten). */
export interface FailureUpdate {
  failed: readonly { model: string; id: string; lastError: string }[];
  answered: readonly { model: string; id: string }[];
}

export interface OpenBankOptions {
  /** The embedder the caller queries with; must match the one that built the bank. */
  embedder: EmbedderIdentity;
  /** Create an empty bank when there is none (needs `write`). */
  create?: boolean;
  /** Open for changes (a folder takes its writer lock). Without it the bank is read-only. */
  write?: boolean;
}

/** How to reach a team bank: its password's first source (then PGPASSWORD, ~/.pgpass), and who writes. Folders need neither. */
export interface BankAccess {
  /** The password from the caller's secret store (SecretStorage in the extension), if any. */
  password?: () => Promise<string | undefined>;
  /** Who this process's writes are attributed to (the config's userName, default the OS user). */
  user?: string;
}

/** A question bank, whatever holds it. Reads may run while another process writes; every write is atomic. */
export interface Bank {
  readonly store: BankStoreKind;
  /** Where the bank is, for messages: the folder, or the database URL without a password. */
  readonly location: string;
  /** The embedder that built the bank. */
  readonly embedder: EmbedderIdentity;
  /** True when this handle may change the bank. */
  readonly writable: boolean;
  /** What the open found damaged and how it recovered (the local store only). */
  readonly recovery: RecoveryReport | undefined;

  /** Number of questions. */
  count(): Promise<number>;
  /** RPS's support set for `query` (paper §3.1; `src/core/routing/rps.ts` states the rule), with the requested models' columns. */
  supportSet(query: Float32Array, request: SupportRequest): Promise<SupportSet>;
  /** The questions with these ids that the bank holds, with their labels. */
  lookup(ids: readonly string[], options?: RecordOptions): Promise<Map<string, BankRecord>>;
  /** The questions whose text is one of `texts` (character for character), keyed by text: the first in bank order where several share one. */
  findByText(texts: readonly string[], options?: RecordOptions): Promise<Map<string, BankRecord>>;
  /** Every question in bank order with its labels, as of the call. */
  scan(options?: RecordOptions): AsyncIterable<BankRecord>;
  /** Label coverage of every labelled model, in order of first appearance. */
  coverage(): Promise<ModelCoverage[]>;
  /** Questions, label coverage and accuracy per model and domain, questions per domain and source. */
  statistics(): Promise<BankStats>;

  /** Applies a change atomically (validated fully first; on any error nothing is written). */
  commit(change: BankChange): Promise<void>;
  /** Throws a BankError unless this handle can change the bank; `purpose` ends the message ("… to <purpose>"). */
  assertWritable(purpose: string): void;
  /** Profiling requests that failed and were not answered since. */
  profileFailures(): Promise<FailureMap>;
  /** Records failed profiling requests and forgets the ones answered since. */
  updateProfileFailures(update: FailureUpdate): Promise<void>;

  /** Waits for pending writes and releases what the handle holds. */
  close(): Promise<void>;
  /** Closes, and when this handle's open created the bank and nothing was committed, removes it again. */
  discardIfNew(): Promise<void>;
}
