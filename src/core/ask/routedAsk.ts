/**
 * What the routing decided for a run, as one value (routing → RoutedAsk): the input as every later stage reads it —
 * the aggregator the routing chose and as many aggregations as it allows (the cost limit may choose another aggregator
 * and fewer) —, the referencers' priors, what the result says of the routing, and what the context report says.
 */
import { reportOf } from '../context/contextItem';
import type { ContextReport } from '../contracts/contextReport';
import type { RoutingSummary } from '../contracts/events';
import type { PriceRoutingResult } from '../routing/priceRouting';
import type { PipelineInput } from './askState';
import type { PlannedRoute } from './prepareAsk';

export interface RoutedAsk {
  /** The ask's input with the routing's aggregator and number of aggregations. */
  input: Readonly<PipelineInput>;
  routing: PriceRoutingResult;
  /** What the result and the panel say of the routing: the mode, the weight, the expected costs and the limit. */
  summary: RoutingSummary;
  /** Every model's prior (the aggregation stage's drop distribution reads the referencers'). */
  priorOf: ReadonlyMap<string, number>;
  /** The referencers' priors only (a tie of checks leans on them). */
  referencerPriors: ReadonlyMap<string, number>;
  /** The context as sent and every note of it; absent when the ask had no context and nothing to say of it. */
  contextReport?: { items: ContextReport[]; notes: string[] };
}

/** The run of `input` along `chosen` (a route of its prepared ask). */
export function routedAsk(input: PipelineInput, chosen: PlannedRoute): RoutedAsk {
  const { routing, context } = chosen;
  const { priors, referencers } = routing;
  // A value screened twice (a selection, and the small file it is in) is told once.
  const notes = [...new Set([...(input.contextNotes ?? []), ...(context?.notes ?? [])])];
  return {
    input: { ...input, aggregator: routing.aggregator, params: { ...input.params, n: routing.aggregations } },
    routing,
    summary: {
      mode: routing.mode,
      costWeight: routing.costWeight,
      expectedUsd: routing.expectedUsd,
      qualityUsd: routing.qualityUsd,
      worstUsd: routing.worstUsd,
      estimates: routing.estimates,
      ...(routing.budget ? { budget: routing.budget } : {}),
      ...(routing.far ? { far: routing.far } : {}),
    },
    priorOf: new Map(priors.map((p) => [p.model, p.prior])),
    referencerPriors: new Map(priors.filter((p) => referencers.includes(p.model)).map((p) => [p.model, p.prior])),
    ...(context !== undefined || notes.length > 0 ? { contextReport: { items: context?.items.map(reportOf) ?? [], notes } } : {}),
  };
}
