/**
 * The one model that answers a request the method cannot aggregate (tool calls, a structured reply; see `smcs serve`):
 * RPS and price routing as an ask would choose its referencers, with K = 1 and no aggregation.
 */
import { at } from '../util/arrays';
import type { PriorInfo, RouteFallback, SupportSet } from '../contracts/priorSource';
import type { TokenPrice } from '../contracts/types';
import type { RoutingMode } from '../contracts/routingReport';
import { routeWithPrices, type RoutingSettings } from './priceRouting';

export interface SingleRouteInput {
  support: SupportSet;
  /** Configured model keys, in configured order. */
  models: readonly string[];
  price: (model: string) => TokenPrice | undefined;
  routing: RoutingSettings;
  /** Tokens of the request and of a reply to assume where the support set records none. */
  assumedTokens: { prompt: number; completion: number };
}

export interface SingleRoute {
  model: string;
  mode: RoutingMode;
  supportCount: number;
  priors: PriorInfo[];
  fallback?: RouteFallback;
  /** Why this model, in the user's words. */
  reason: string;
}

/** Throws ConfigError (as an ask does) when no model fits `maxCostPerQuestion`. */
export function routeSingle(input: SingleRouteInput): SingleRoute {
  const selection = routeWithPrices({
    support: input.support,
    models: input.models,
    k: 1,
    price: input.price,
    routing: input.routing,
    aggregator: { model: at(input.models, 0) },
    n: 0,
    kDrop: 0,
    aggregationPromptTokens: 0,
    assumedTokens: input.assumedTokens,
  });
  const model = at(selection.referencers, 0);
  const { mode, costWeight, supportCount, priors, fallback } = selection;
  const why = fallback
    ? `no ranking (${fallback}): the first configured model`
    : mode === 'quality' || costWeight === 0
      ? `the highest prior over ${supportCount} similar questions`
      : `the best expected accuracy − ${costWeight} × cost over ${supportCount} similar questions (routing ${mode})`;
  const far = selection.far ? '; the bank has nothing close to this question, so models it has no label for rank with the best' : '';
  return { model, mode, supportCount, priors, ...(fallback ? { fallback } : {}), reason: `${why}${far}` };
}
