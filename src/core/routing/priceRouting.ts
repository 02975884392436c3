/**
 * One ask's choice of referencers and aggregator under a routing mode: RPS's support set and priors, each model's
 * expected accuracy and cost (./objective.ts), referencers by prior (`quality`) or by accuracy − w · cost, the
 * `auto` aggregator by the same rule, and `maxCostPerQuestion` as a hard constraint (core/cost/budget).
 */
import { at } from '../util/arrays';
import { accuracyLowerBound } from './accuracy';
import { fitToBudget, setCost, cheapestAlone, type AggregationCostInput, type BudgetCandidate } from '../cost/budget';
import { aggregationsNeeded } from '../posterior/priorDrop';
import { estimateModels, objectiveOrder, objectiveScores, rankingCosts } from './objective';
import type { BudgetReport, ModelEstimate, ReplyTokens, RoutingMode } from '../contracts/routingReport';
import type { TokenColumn } from '../contracts/priorSource';
import { routeFromSupport, type RoutePlan } from './rps';
import { exploreEstimates } from './exploration';
import type { PriorShrinkage } from './shrinkage';
import type { SupportSet } from '../contracts/priorSource';
import type { TokenPrice } from '../contracts/types';
import type { PastMean } from '../cost/pastCalls';
import { ConfigError } from '../contracts/config';

export interface RoutingSettings {
  mode: RoutingMode;
  /** The weight of cost (1/USD): the mode's, or `costWeight` when set. 0 in `quality`. */
  costWeight: number;
  /** USD; the chosen set's expected cost must fit. Null = no limit. */
  maxCostPerQuestion: number | null;
  /** Pulls RPS's priors toward each model's bank-wide share right (shrinkage.ts); absent = the paper's priors. */
  priorShrinkage?: PriorShrinkage;
  /**
   * The bank's own nearest-neighbour similarity (exploration.ts `nearSimilarity`): a question less similar than this to
   * every bank question has its unprofiled models ranked with the best profiled one. Absent: always the mean.
   */
  nearSimilarity?: number;
}

/** How the aggregator is chosen: a configured model, or `auto` with each model's bank-wide accuracy (lower bound). */
export type AggregatorSetting = { model: string } | { auto: ReadonlyMap<string, { correct: number; labelled: number }>; fallback: string };

export interface PriceRoutingInput {
  /** RPS's support set for the question, with each model's label and token columns. */
  support: SupportSet;
  /** Candidate model keys in configured order. */
  models: readonly string[];
  /** Referencers to choose. */
  k: number;
  price: (model: string) => TokenPrice | undefined;
  routing: RoutingSettings;
  aggregator: AggregatorSetting;
  /** Configured aggregations, and references dropped per subset. */
  n: number;
  kDrop: number;
  /** Tokens every aggregation sends besides the references (instructions, earlier turns, the question). */
  aggregationPromptTokens: number;
  /** Tokens of a reply to assume for a model when nothing is known of its replies (objective `assumed`). */
  assumedTokens?: ReplyTokens;
  /** This installation's past calls of a model as a referencer (objective `history`). */
  history?: (model: string) => PastMean | null;
  /** This installation's past aggregations by a model (what it writes as the aggregator), or null when none. */
  aggregationHistory?: (model: string) => ReplyTokens | null;
  /**
   * How many distinct subsets the ask's n draws give over references with these priors (in the order the referencers
   * run; the ask's own random stream, core/util/rng); absent: as many as can be.
   */
  drawnSubsets?: (priors: readonly number[], n: number) => number;
  /** The output limit: the worst case has every reply this long. */
  maxTokens?: number;
  /** Tokens of attached context every prompt of this ask carries beyond its question (core/ask/contextMessage). */
  contextTokens?: number;
  /**
   * Models the user chose to ask whatever their rank ("Use them anyway" on models without labels): each configured one
   * the mode leaves out joins the referencers after its choice (the cost limit, when set, still judges the set).
   */
  include?: readonly string[];
}

export interface PriceRoutingResult extends RoutePlan {
  /** Expected accuracy and cost per model, in configured order. */
  estimates: ModelEstimate[];
  mode: RoutingMode;
  costWeight: number;
  aggregator: string;
  /** Aggregations to run (n, unless the cost limit lowered it). */
  aggregations: number;
  /** Expected USD of the chosen set and of what `quality` would have chosen (null when a needed price is unknown). */
  expectedUsd: number | null;
  qualityUsd: number | null;
  /** USD of the chosen set at worst: every reply as long as the output limit, every possible subset aggregated; null when a price is unknown. */
  worstUsd: number | null;
  /** Present when `maxCostPerQuestion` is set and was applied. */
  budget?: BudgetReport;
}

/** USD in an error message (the front ends' money format lives in src/presentation, which core may not import). */
const usd = (x: number): string => `${Number(x.toPrecision(3))} USD`;

/** The distinct subsets of a set as `input.drawnSubsets` counts them, with RPS's priors. */
function distinctOf(input: PriceRoutingInput, priors: ReadonlyMap<string, number>): ((models: readonly string[], n: number) => number) | undefined {
  const drawn = input.drawnSubsets;
  return drawn && ((models, n) => drawn(models.map((m) => priors.get(m) ?? 0), n));
}

function candidate(e: ModelEstimate): BudgetCandidate {
  return { model: e.model, costUsd: e.costUsd, tokens: e.tokens };
}

function aggregationInput(input: PriceRoutingInput, aggregator: ModelEstimate | undefined): AggregationCostInput {
  const written = aggregator ? (input.aggregationHistory?.(aggregator.model)?.completion ?? aggregator.tokens?.completion ?? 0) : 0;
  return { fixedPromptTokens: input.aggregationPromptTokens, completionTokens: written, price: aggregator ? input.price(aggregator.model) : undefined };
}

/** USD of `set` with `aggregations` at worst (see PriceRoutingResult.worstUsd). */
function worstSetCost(input: PriceRoutingInput, set: readonly ModelEstimate[], aggregator: string, aggregations: number): number | null {
  const limit = input.maxTokens;
  if (limit === undefined) return null;
  const prices = set.map((e) => input.price(e.model));
  const aggregatorPrice = input.price(aggregator);
  const runs = aggregationsNeeded(set.length, input.kDrop, aggregations);
  if (prices.some((p) => p === undefined) || (runs > 0 && aggregatorPrice === undefined)) return null;
  const prompt = (e: ModelEstimate) => e.tokens?.prompt ?? (input.assumedTokens?.prompt ?? 0) + (input.contextTokens ?? 0);
  const references = set.reduce((sum, e, i) => sum + prompt(e) * prices[i]!.prompt + limit * prices[i]!.completion, 0);
  if (runs === 0 || aggregatorPrice === undefined) return references;
  const kept = Math.max(1, set.length - input.kDrop);
  return references + runs * ((input.aggregationPromptTokens + kept * limit) * aggregatorPrice.prompt + limit * aggregatorPrice.completion);
}

/** Expected USD of `set` with `aggregations`, or null when a model of it (or the aggregator) has an unknown cost. */
function knownSetCost(input: PriceRoutingInput, set: readonly ModelEstimate[], aggregator: ModelEstimate | undefined, aggregations: number, priors: ReadonlyMap<string, number>): number | null {
  if (set.some((e) => e.costUsd === null)) return null;
  const agg = aggregationInput(input, aggregator);
  if (aggregations > 0 && (agg.price === undefined || aggregator?.tokens == null)) return null;
  return setCost(set.map(candidate), aggregations, input.kDrop, agg, distinctOf(input, priors));
}

/**
 * `auto`: the model with the best accuracy lower bound (./accuracy.ts, as `aggregator: auto` always chose) minus
 * w × the expected cost of its aggregations over `set` (an unknown one ranked as the dearest known); with w = 0
 * exactly today's choice: the first model with the highest bound, else the first configured model.
 */
function chooseAggregator(input: PriceRoutingInput, estimates: readonly ModelEstimate[], set: readonly ModelEstimate[], costWeight: number, priors: ReadonlyMap<string, number>): string {
  const setting = input.aggregator;
  if ('model' in setting) return setting.model;
  const profiled = estimates.filter((e) => (setting.auto.get(e.model)?.labelled ?? 0) > 0);
  const costs = costWeight === 0 ? null : rankingCosts(profiled.map((e) => aggregationOnly(input, set, e, priors)));
  let best = setting.fallback;
  let bestScore = -Infinity;
  profiled.forEach((e, i) => {
    const counts = setting.auto.get(e.model) ?? { correct: 0, labelled: 0 };
    const score = accuracyLowerBound(counts.correct, counts.labelled) - costWeight * (costs?.[i] ?? 0);
    if (score > bestScore) {
      best = e.model;
      bestScore = score;
    }
  });
  return best;
}

/** Expected USD of the n aggregations `aggregator` would run over `set`; null when its price or tokens are unknown. */
function aggregationOnly(input: PriceRoutingInput, set: readonly ModelEstimate[], aggregator: ModelEstimate, priors: ReadonlyMap<string, number>): number | null {
  const agg = aggregationInput(input, aggregator);
  if (agg.price === undefined || aggregator.tokens === null) return null;
  const references = set.map(candidate);
  return setCost(references, input.n, input.kDrop, agg, distinctOf(input, priors)) - setCost(references, 0, input.kDrop, agg);
}

/**
 * The ranking with the included models the first `k` leave out moved right after them, and how many are chosen now:
 * the mode's `k` and those models.
 */
function included(ranked: readonly ModelEstimate[], k: number, include: readonly string[] | undefined): { order: ModelEstimate[]; k: number } {
  const chosen = new Set(ranked.slice(0, k).map((e) => e.model));
  const wanted = new Set(include ?? []);
  const added = ranked.filter((e) => wanted.has(e.model) && !chosen.has(e.model));
  if (added.length === 0) return { order: [...ranked], k };
  return { order: [...ranked.slice(0, k), ...added, ...ranked.slice(k).filter((e) => !added.includes(e))], k: k + added.length };
}

/** Chooses referencers, aggregator and aggregations for one ask (see the module comment). Throws ConfigError when nothing fits the cost limit. */
export function routeWithPrices(input: PriceRoutingInput): PriceRoutingResult {
  const { support } = input;
  const rps = routeFromSupport(support, input.models, input.k, input.routing.priorShrinkage, input.routing.nearSimilarity);
  const tokens = new Map<string, TokenColumn>();
  for (const [model, c] of support.columns) if (c.tokens) tokens.set(model, c.tokens);
  const estimated = estimateModels({
    similarities: support.similarities,
    support: Array.from({ length: support.ids.length }, (_, i) => i),
    labels: new Map([...support.columns].map(([model, c]) => [model, c.correct])),
    tokens,
    models: input.models,
    price: input.price,
    ...(input.assumedTokens ? { assumed: input.assumedTokens } : {}),
    ...(input.history ? { history: input.history } : {}),
    ...(input.contextTokens ? { extraPromptTokens: input.contextTokens } : {}),
  });
  // Far from the bank, the modes that weigh cost try the unprofiled models as quality does (exploration.ts).
  const estimates = rps.far ? exploreEstimates(estimated) : estimated;
  const byModel = new Map(estimates.map((e) => [e.model, e]));
  const { routing } = input;
  const quality = rps.referencers.map((m) => at(estimates, input.models.indexOf(m)));
  const priorOf = new Map(rps.priors.map((p) => [p.model, p.prior]));
  // Quality's choice with the same included models: what the mode saves is compared like for like.
  const qualitySet = included([...quality, ...estimates.filter((e) => !rps.referencers.includes(e.model))], quality.length, input.include);
  const qualityChosen = qualitySet.order.slice(0, qualitySet.k);
  const qualityAggregator = chooseAggregator(input, estimates, qualityChosen, 0, priorOf);
  const qualityUsd = knownSetCost(input, qualityChosen, byModel.get(qualityAggregator), input.n, priorOf);
  const priced = routing.costWeight > 0 && !rps.fallback;
  const ranked = priced
    ? objectiveOrder(
        objectiveScores(
          estimates.map((e) => e.accuracy),
          estimates.map((e) => e.costUsd),
          routing.costWeight,
        ),
        estimates.map((e) => e.costUsd),
      ).map((i) => at(estimates, i))
    : qualitySet.order;
  const { order: withIncluded, k } = priced ? included(ranked, input.k, input.include) : qualitySet;
  let referencers = withIncluded.slice(0, k);
  let aggregator = priced ? chooseAggregator(input, estimates, referencers, routing.costWeight, priorOf) : qualityAggregator;
  let aggregations = input.n;
  let budget: BudgetReport | undefined;
  if (routing.maxCostPerQuestion !== null) {
    const aggregation = aggregationInput(input, byModel.get(aggregator));
    const choice = fitToBudget({ candidates: withIncluded.map(candidate), k, kDrop: input.kDrop, n: input.n, aggregation, maxUsd: routing.maxCostPerQuestion, ...(input.drawnSubsets ? { distinct: distinctOf(input, priorOf) } : {}) });
    if (choice === null) {
      const cheapest = cheapestAlone(withIncluded.map(candidate));
      throw new ConfigError(
        'maxCostPerQuestion',
        cheapest?.costUsd != null
          ? `no set of models fits ${usd(routing.maxCostPerQuestion)} per question: the cheapest, ${cheapest.model} alone without aggregation, is expected to cost ${usd(cheapest.costUsd)}; nothing was sent`
          : `no model has a known price, so no set can be shown to fit ${usd(routing.maxCostPerQuestion)} per question; nothing was sent`,
      );
    }
    referencers = choice.chosen.map((i) => at(withIncluded, i));
    aggregations = choice.aggregations;
    budget = { maxUsd: routing.maxCostPerQuestion, estimatedUsd: choice.estimatedUsd, aggregations, leftOut: choice.leftOut, aggregationsUnpriced: choice.aggregationsUnpriced };
    if (priced) aggregator = chooseAggregator(input, estimates, referencers, routing.costWeight, priorOf);
  }
  return {
    ...rps,
    referencers: referencers.map((e) => e.model),
    estimates,
    mode: routing.mode,
    costWeight: routing.costWeight,
    aggregator,
    aggregations,
    expectedUsd: knownSetCost(input, referencers, byModel.get(aggregator), aggregations, priorOf),
    qualityUsd,
    worstUsd: worstSetCost(input, referencers, aggregator, aggregations),
    ...(budget ? { budget } : {}),
  };
}
