/**
 * What a question bank gives RPS for one query (paper §3.1): the support set with each requested model's columns.
 * Every store implements `PriorSource`; the pipeline and RPS read the set it returns.
 */

/** Correctness of one model per question: 1 right, 0 wrong, anything negative = no label. */
export type LabelColumn = ArrayLike<number>;

/**
 * One model's recorded reply tokens, aligned with the similarities (like a label column): NaN where the bank holds
 * no record for that question.
 */
export interface TokenColumn {
  prompt: ArrayLike<number>;
  completion: ArrayLike<number>;
  /**
   * 1 where the counts were estimated from the texts' length when the bank was imported (the results file had the
   * reply but no usage), 0 or NaN where they are a server's; absent: none estimated.
   */
  estimated?: ArrayLike<number>;
}

/** One model's columns over a support set, aligned with `SupportSet.similarities`. */
export interface ModelColumns {
  /** 1 right, 0 wrong, anything negative = no label. */
  correct: LabelColumn;
  /** Tokens of the reply each label came from (NaN where none is recorded); absent when the store records none. */
  tokens?: TokenColumn;
}

/**
 * What RPS needs from a bank for one query: every question with similarity ≥ γ·s_(Nbase) (see `supportSet`), in bank
 * order, with its similarity and the requested models' columns. A store may compute it however it can (a full scan,
 * an index), as long as the set is this one.
 */
export interface SupportSet {
  /** Questions in the whole bank (0 = empty bank). */
  bankSize: number;
  /** Ids of the support questions, in bank order. */
  ids: readonly string[];
  /** Their similarities to the query, aligned with `ids`. */
  similarities: ArrayLike<number>;
  /** Per requested model key; a model the bank has no label for may be absent. */
  columns: ReadonlyMap<string, ModelColumns>;
  /** Set when the bank could not be read (a team bank's server unreachable): the ask goes on as with an empty bank. */
  unavailable?: boolean;
}

/** Which support set RPS asks the bank for: similarity at least γ times the Nbase-th largest (src/core/routing/rps.ts). */
export interface SupportRequest {
  nBase: number;
  gamma: number;
  /** Model keys whose columns are wanted. */
  models: readonly string[];
}

/** What the pipeline needs from the question bank: the support set of a query (an empty bank gives `bankSize` 0). */
export interface PriorSource {
  supportSet(query: Float32Array, request: SupportRequest): Promise<SupportSet>;
}

export interface PriorInfo {
  model: string;
  prior: number;
  /** No label for this model in the support set: it got the mean prior of the others. */
  unprofiled: boolean;
}

/** Why the referencers are plain MoA rather than RPS-selected (`bank-unavailable`: a team bank could not be reached). */
export type RouteFallback = 'empty-bank' | 'no-profiled-model' | 'bank-unavailable';
