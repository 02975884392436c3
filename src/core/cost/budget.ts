/**
 * `maxCostPerQuestion` as a hard constraint on the chosen set: the expected cost of an ask (the referencers' replies
 * and n aggregations reading them) must fit, so the best-ranked models that fit are chosen, and when not even one
 * fits with every aggregation, fewer aggregations, down to none (the one reply is the answer).
 */
import { at } from '../util/arrays';
import { aggregationsNeeded } from '../posterior/priorDrop';
import type { LeftOutReason, ReplyTokens } from '../contracts/routingReport';
import type { TokenPrice } from '../contracts/types';

export interface BudgetCandidate {
  model: string;
  /** Expected USD of its reply; null when unknown (such a model cannot be shown to fit and is left out). */
  costUsd: number | null;
  /** Expected tokens of its reply (what each aggregation reads of it). */
  tokens: ReplyTokens | null;
}

export interface AggregationCostInput {
  /** Tokens every aggregation sends besides the references: instructions, earlier turns, the question. */
  fixedPromptTokens: number;
  /** Expected tokens the aggregator writes. */
  completionTokens: number;
  /** The aggregator's price; undefined = unknown (its aggregations are not counted, and the result says so). */
  price: TokenPrice | undefined;
}

export interface BudgetInput {
  /** Candidates in the order the router ranks them (best first). */
  candidates: readonly BudgetCandidate[];
  k: number;
  kDrop: number;
  /** Configured aggregations. */
  n: number;
  aggregation: AggregationCostInput;
  maxUsd: number;
  /** Distinct subsets the draws of a set give (what runs); absent: every draw distinct, as many as can be. */
  distinct?: DistinctSubsets;
}

/** How many distinct subsets `aggregations` draws over the references of `models` give (each distinct one is aggregated once). */
export type DistinctSubsets = (models: readonly string[], aggregations: number) => number;

export interface BudgetChoice {
  /** Indices into `candidates`, in rank order. */
  chosen: number[];
  /** Aggregations to run (0: the one chosen reply is the answer). */
  aggregations: number;
  /** Expected USD of the chosen set with those aggregations (the priced calls). */
  estimatedUsd: number;
  /** Ranked above the last chosen model but not taken, and why. */
  leftOut: { model: string; reason: LeftOutReason }[];
  /** The aggregator has no known price: its aggregations are not in `estimatedUsd`. */
  aggregationsUnpriced: boolean;
}

/** Expected USD of one aggregation reading the references of `set` (each subset keeps |set| − kDrop of them). */
function aggregationCost(set: readonly BudgetCandidate[], kDrop: number, aggregation: AggregationCostInput): number {
  const { price } = aggregation;
  if (price === undefined || set.length === 0) return 0;
  const kept = Math.max(1, set.length - kDrop);
  const read = set.reduce((sum, c) => sum + (c.tokens?.completion ?? 0), 0) * (kept / set.length);
  return (aggregation.fixedPromptTokens + read) * price.prompt + aggregation.completionTokens * price.completion;
}

/**
 * Expected USD of asking `set` with `aggregations` draws: a subset drawn twice is aggregated once, so `distinct` says
 * how many run (without it, at most C(|set|, kDrop)).
 */
export function setCost(set: readonly BudgetCandidate[], aggregations: number, kDrop: number, aggregation: AggregationCostInput, distinct?: DistinctSubsets): number {
  const runs = aggregations === 0 ? 0 : distinct ? distinct(set.map((c) => c.model), aggregations) : aggregationsNeeded(set.length, kDrop, aggregations);
  return set.reduce((sum, c) => sum + (c.costUsd ?? 0), 0) + runs * aggregationCost(set, kDrop, aggregation);
}

/**
 * The best set that fits `maxUsd`: models are taken in rank order, skipping any whose addition would not fit
 * (or whose cost is unknown), up to K, with the configured n aggregations; when not even one model fits that way,
 * the same with fewer aggregations; with none, the single best-ranked model that fits answers alone.
 * Null when nothing fits: not even the cheapest priced model alone.
 */
export function fitToBudget(input: BudgetInput): BudgetChoice | null {
  const { candidates, k, kDrop, n, aggregation, maxUsd, distinct } = input;
  const aggregationsUnpriced = aggregation.price === undefined;
  for (let aggregations = n; aggregations >= 0; aggregations--) {
    const limit = aggregations === 0 ? 1 : k;
    const chosen: number[] = [];
    const leftOut: BudgetChoice['leftOut'] = [];
    for (const [index, candidate] of candidates.entries()) {
      if (chosen.length >= limit) break;
      if (candidate.costUsd === null) {
        leftOut.push({ model: candidate.model, reason: 'no-price' });
        continue;
      }
      const next = [...chosen, index].map((i) => at(candidates, i));
      if (setCost(next, aggregations, kDrop, aggregation, distinct) <= maxUsd) chosen.push(index);
      else leftOut.push({ model: candidate.model, reason: 'over-budget' });
    }
    if (chosen.length > 0) {
      const set = chosen.map((i) => at(candidates, i));
      const last = chosen[chosen.length - 1] ?? 0;
      const before = new Set(candidates.slice(0, last).map((c) => c.model));
      return {
        chosen,
        aggregations,
        estimatedUsd: setCost(set, aggregations, kDrop, aggregation, distinct),
        leftOut: leftOut.filter((l) => before.has(l.model)),
        aggregationsUnpriced,
      };
    }
  }
  return null;
}

/** The cheapest priced candidate alone, without aggregation (what the refusal names when nothing fits). */
export function cheapestAlone(candidates: readonly BudgetCandidate[]): BudgetCandidate | undefined {
  return candidates.reduce<BudgetCandidate | undefined>((best, c) => (c.costUsd !== null && (best?.costUsd == null || c.costUsd < best.costUsd) ? c : best), undefined);
}
