/**
 * The cost limit's one rule, and what each front end does when a prepared ask breaks it: the CLI and the SMCS model in VS Code's chat
 * refuse, `smcs serve` cuts the ask to what fits the limit, the panel and `@smcs` ask the user. The ask loop
 * (core/ask/askLoop) is the one place a verdict is made, by this rule.
 */
import type { TokensFrom } from '../contracts/routingReport';

/** What a prepared ask is expected to cost, and the limit it is judged against. */
export interface PlanCost {
  /** Expected USD of the uncut routing; null when a needed price is unknown. */
  expectedUsd: number | null;
  /** At worst (every reply at the output limit); null when a needed price is unknown. */
  worstUsd: number | null;
  /** `maxCostPerQuestion`, or null without one. */
  limitUsd: number | null;
  /** The cost the limit judges is above it (see `overLimit`). */
  over: boolean;
  /** Models whose replies are priced at the stated typical length: nothing is known of them yet. */
  assumed: string[];
  /** Where each asked model's expected reply length comes from (core/contracts/routingReport TokensFrom): what the estimate is worth. */
  basis: { model: string; from: TokensFrom }[];
}

/** What a front end does with an ask over the limit. */
export type CostPolicy = 'refuse' | 'cut' | 'ask';

/** How far an ask is over the limit, in the words the front ends tell the user. */
export interface OverLimit {
  /** The cost the limit judged: the expected cost, or the worst case when the expected one is unknown. */
  judgedUsd: number;
  /** Which of the two `judgedUsd` is. */
  judged: 'expected' | 'worst';
  /** The worst case beside an expected cost (null when `judgedUsd` is the worst case already, or it is unknown). */
  worstUsd: number | null;
  limitUsd: number;
  assumed: string[];
  basis: PlanCost['basis'];
}

/** `send`: within the limit (or none); `cut`: the run sends what fits it; `refuse` and `ask`: nothing is sent yet. */
export type CostVerdict = { action: 'send' } | { action: 'cut'; over: OverLimit } | { action: 'refuse'; over: OverLimit } | { action: 'ask'; over: OverLimit };

/**
 * The one rule: the limit judges the expected cost, the worst case only when the expected one is unknown; an ask whose
 * cost is unknown either way passes. Null when within the limit or there is none.
 */
export function overLimit(cost: Pick<PlanCost, 'expectedUsd' | 'worstUsd' | 'limitUsd' | 'assumed' | 'basis'>): OverLimit | null {
  const { expectedUsd, worstUsd, limitUsd } = cost;
  const judgedUsd = expectedUsd ?? worstUsd;
  if (limitUsd === null || judgedUsd === null || judgedUsd <= limitUsd) return null;
  return { judgedUsd, judged: expectedUsd === null ? 'worst' : 'expected', worstUsd: expectedUsd === null ? null : worstUsd, limitUsd, assumed: cost.assumed, basis: cost.basis };
}

/** The verdict on a prepared ask's cost under `policy`; an ask that could not be prepared (null) is sent, its run says why. */
export function costVerdict(cost: PlanCost | null, policy: CostPolicy): CostVerdict {
  const over = cost === null ? null : overLimit(cost);
  return over === null ? { action: 'send' } : { action: policy, over };
}
