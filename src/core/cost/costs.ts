/**
 * What an ask costs: one record per call (referencers, aggregations, embeddings through an endpoint) and their
 * totals. What it is expected to cost before sending is the plan's (core/ask/pipeline AskPlan, core/routing/priceRouting).
 */
import type { CallRecord, TokenPrice } from '../contracts/types';

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
