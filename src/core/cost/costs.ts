/**
 * What an ask costs: one record per call (referencers, aggregations, embeddings through an endpoint), their
 * totals, and the estimate shown before sending, from the question's length, K, n and the output limit.
 */
import type { CallRecord, TokenPrice } from '../contracts/types';
import { aggregationsNeeded } from '../posterior/priorDrop';

/** USD of `tokens` at `price`, or null without a price. */
export function callCost(tokens: { prompt: number; completion: number }, price: TokenPrice | undefined): number | null {
  return price === undefined ? null : tokens.prompt * price.prompt + tokens.completion * price.completion;
}

/** Sum of the calls' tokens. */
export function totalTokens(calls: readonly CallRecord[]): { prompt: number; completion: number } {
  return calls.reduce((t, c) => ({ prompt: t.prompt + c.tokens.prompt, completion: t.completion + c.tokens.completion }), { prompt: 0, completion: 0 });
}

/** Sum of the priced calls' cost; null when no call has a price (a local server shows tokens only). */
export function totalCost(calls: readonly CallRecord[]): number | null {
  const priced = calls.flatMap((c) => (c.costUsd === null ? [] : [c.costUsd]));
  return priced.length === 0 ? null : priced.reduce((a, b) => a + b, 0);
}

export interface CostEstimateInput {
  /** Estimated tokens of what every call sends besides references: the question, editor context and earlier turns. */
  promptTokens: number;
  /** Estimated tokens of the aggregator's fixed instructions. */
  instructionTokens: number;
  k: number;
  kDrop: number;
  n: number;
  maxTokens: number;
  /** Price of every configured model that may be chosen as a referencer (undefined = no price known). */
  referencerPrices: readonly (TokenPrice | undefined)[];
  aggregatorPrice: TokenPrice | undefined;
}

export interface CostEstimate {
  /** At most this many USD, if every reply used the whole output limit; null when no chosen model has a price. */
  maxUsd: number | null;
  /** Some model that may be called has no known price (its calls are not in `maxUsd`). */
  partial: boolean;
}

/**
 * An upper bound of an ask's cost before it is sent: the K priciest configured models as referencers, each
 * replying with `maxTokens`, and n aggregations each reading K − Kdrop such replies and writing `maxTokens`.
 */
export function estimateAskCost(input: CostEstimateInput): CostEstimate {
  const { promptTokens, maxTokens } = input;
  const k = Math.min(input.k, input.referencerPrices.length);
  const referencerCosts = input.referencerPrices
    .map((price) => callCost({ prompt: promptTokens, completion: maxTokens }, price))
    .sort((a, b) => (b ?? -1) - (a ?? -1))
    .slice(0, k);
  const kept = Math.max(1, k - input.kDrop);
  const aggregation = callCost({ prompt: input.instructionTokens + promptTokens + kept * maxTokens, completion: maxTokens }, input.aggregatorPrice);
  // Subsets drawn more than once are aggregated once: at most C(K, Kdrop) aggregations run.
  const costs = [...referencerCosts, ...Array.from({ length: aggregationsNeeded(k, input.kDrop, input.n) }, () => aggregation)];
  const priced = costs.flatMap((c) => (c === null ? [] : [c]));
  return { maxUsd: priced.length === 0 ? null : priced.reduce((a, b) => a + b, 0), partial: priced.length < costs.length };
}
