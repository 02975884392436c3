/**
 * What routing reports of its choice: the mode, each model's expected accuracy and cost, and what the cost limit
 * kept or left out. The config validates the mode, the events carry the rest, and `routing/` and `cost/` compute them.
 */

/** How referencers are chosen: by the paper's priors (`quality`), or by accuracy minus a weight times cost. */
export type RoutingMode = 'quality' | 'balanced' | 'budget';
export const ROUTING_MODES: readonly RoutingMode[] = ['quality', 'balanced', 'budget'];

/** Tokens of one reply: what was sent and what the model wrote. */
export interface ReplyTokens {
  prompt: number;
  completion: number;
}

/**
 * Where a model's expected tokens come from, best first: its own replies on the support set (the bank's counts);
 * this installation's own past calls of the model (`history`, engine/callHistory); the other models' replies on the
 * support set, else their past calls here (`others`); the stated typical length (`assumed`, TYPICAL_REPLY_TOKENS of
 * routing/objective, never the output limit); or nothing (`none`: its cost is unknown). `imported`: its own replies on
 * the support set, but counted from their text when the bank was imported (the results file had no usage) — until it
 * has PAST_CALLS_OVER_IMPORTED past calls here, which then come first (routing/objective).
 */
export type TokensFrom = 'support' | 'imported' | 'history' | 'others' | 'assumed' | 'none';

/** One model as routing sees it for this question: how often it is right on the similar questions, and what a reply costs. */
export interface ModelEstimate {
  model: string;
  /**
   * Expected accuracy 0…1; an unprofiled model gets the mean of the profiled ones (as RPS gives it the mean prior), the
   * best of them when the bank has nothing close to the question (FarQuestion).
   */
  accuracy: number;
  unprofiled: boolean;
  /** Support questions labelled for this model (the "143" of "right on 62 % of 143 similar questions"). */
  labelled: number;
  /** Expected tokens of one reply; null when nothing on the support set says. */
  tokens: ReplyTokens | null;
  tokensFrom: TokensFrom;
  /** Expected USD of one reply at the model's current price; null when its price or its tokens are unknown. */
  costUsd: number | null;
}

/**
 * The bank has nothing close to the question (core/routing/exploration): its most similar bank question (`nearest`) is
 * less similar than the bank's own questions are to theirs (`near`, the 5th percentile), so the models without a label
 * among the similar questions were ranked with the best profiled one, not with the mean.
 */
export interface FarQuestion {
  nearest: number;
  near: number;
}

/** Why a model ranked above the last one chosen was left out by the cost limit. */
export type LeftOutReason = 'over-budget' | 'no-price';

/** What `maxCostPerQuestion` decided: the expected cost of what is asked, the aggregations kept, the models left out. */
export interface BudgetReport {
  maxUsd: number;
  /** Expected USD of what is asked. */
  estimatedUsd: number;
  /** Aggregations run (fewer than configured when the limit asked for it). */
  aggregations: number;
  /** Models ranked above the last one chosen that were left out, and why. */
  leftOut: { model: string; reason: LeftOutReason }[];
  /** The aggregator has no price: its aggregations are not in `estimatedUsd`. */
  aggregationsUnpriced: boolean;
}
