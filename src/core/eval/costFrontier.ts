/**
 * The accuracy–cost frontier of price-aware routing (`smcs eval routing --prices`): every held-out question is
 * answered by the one model maximising accuracy − w · cost (routingObjective, ties to the cheaper, then the
 * configured order), and the share answered right and the USD spent are traced over every cost weight w ≥ 0.
 *
 * For one question the choice as w grows walks down the upper envelope of the lines a_m − w · c_m: it changes only
 * at the weights where a cheaper line overtakes, so the whole sweep is exact — every weight where some question's
 * choice changes is a step — and costs O(models²) per question. Each step is the evaluation of routing with that
 * weight; `thinFrontier` keeps the steps that move cost or accuracy by a visible amount.
 */
import { at } from '../util/arrays';
import { rankingCosts } from '../routing/objective';
import type { EstimateCollector, RoutingData } from './routingEval';
import type { TokenPrice } from '../contracts/types';
import { setOwn } from '../util/ownKeys';

export interface FrontierPoint {
  /** 1/USD: a weight that gives this result (inside the range of weights that all give it, away from its ends). */
  costWeight: number;
  accuracy: number;
  usdPer1kQuestions: number;
}

export interface SingleModelResult {
  accuracy: number;
  usdPer1kQuestions: number;
}

export interface CostReport {
  frontier: FrontierPoint[];
  singles: Record<string, SingleModelResult>;
  /** Share of (model, question) costs taken from the estimate because the bank file records no tokens for them. */
  estimatedCostShare: number;
}

/** What question q costs with model m: its recorded tokens at its price, else the router's expected cost. */
function actualCost(data: RoutingData, prices: readonly (TokenPrice | undefined)[], collector: EstimateCollector, m: number, q: number): { usd: number; estimated: boolean } {
  const price = prices[m];
  const i = m * data.n + q;
  const prompt = data.tokens?.prompt[i];
  const completion = data.tokens?.completion[i];
  if (price !== undefined && prompt !== undefined && completion !== undefined && prompt >= 0 && completion >= 0) {
    return { usd: prompt * price.prompt + completion * price.completion, estimated: false };
  }
  const expected = collector.cost[q * data.models.length + m];
  return { usd: expected !== undefined && Number.isFinite(expected) ? expected : 0, estimated: true };
}

/** One question's choices as w grows from 0: the model chosen from each weight on. */
export function envelope(accuracy: readonly number[], cost: readonly number[]): { from: number; model: number }[] {
  const better = (a: number, b: number, w: number): boolean => {
    const sa = at(accuracy, a) - w * at(cost, a);
    const sb = at(accuracy, b) - w * at(cost, b);
    return sa > sb || (sa === sb && (at(cost, a) < at(cost, b) || (at(cost, a) === at(cost, b) && a < b)));
  };
  let current = 0;
  for (let m = 1; m < accuracy.length; m++) if (better(m, current, 0)) current = m;
  const steps = [{ from: 0, model: current }];
  for (;;) {
    // The next weight at which a cheaper model scores as high as the current one; among equal weights, the cheapest.
    let next = -1;
    let nextW = Infinity;
    for (let m = 0; m < accuracy.length; m++) {
      const dc = at(cost, current) - at(cost, m);
      if (!(dc > 0)) continue;
      const w = Math.max(at(steps, steps.length - 1).from, (at(accuracy, current) - at(accuracy, m)) / dc);
      if (w < nextW || (w === nextW && next >= 0 && (at(cost, m) < at(cost, next) || (at(cost, m) === at(cost, next) && m < next)))) {
        next = m;
        nextW = w;
      }
    }
    if (next < 0) return steps;
    steps.push({ from: nextW, model: next });
    current = next;
  }
}

/** Every step of the sweep: a weight within it, the share right and USD per 1,000 questions there. */
export function traceFrontier(data: RoutingData, collector: EstimateCollector): FrontierPoint[] {
  const { n, models } = data;
  const M = models.length;
  const events: { w: number; q: number; from: number; to: number }[] = [];
  let right = 0;
  let usd = 0;
  const costOf = (m: number, q: number) => actualCost(data, collector.prices, collector, m, q).usd;
  const correct = (m: number, q: number) => (data.labels[m * n + q] === 1 ? 1 : 0);
  for (let q = 0; q < n; q++) {
    const accuracy = Array.from(collector.accuracy.subarray(q * M, (q + 1) * M));
    const known = Array.from(collector.cost.subarray(q * M, (q + 1) * M), (c) => (Number.isFinite(c) ? c : null));
    const steps = envelope(accuracy, rankingCosts(known) ?? accuracy.map(() => 0));
    const first = at(steps, 0).model;
    right += correct(first, q);
    usd += costOf(first, q);
    for (let s = 1; s < steps.length; s++) events.push({ w: at(steps, s).from, q, from: at(steps, s - 1).model, to: at(steps, s).model });
  }
  events.sort((a, b) => a.w - b.w);
  const point = (costWeight: number): FrontierPoint => ({ costWeight, accuracy: n === 0 ? 0 : right / n, usdPer1kQuestions: n === 0 ? 0 : (1000 * usd) / n });
  const points = [point(0)];
  for (let e = 0; e < events.length; ) {
    const w = at(events, e).w;
    // Weights equal but for rounding (the same crossing computed from two pairs of lines) are one step.
    for (; e < events.length && at(events, e).w <= w * (1 + 1e-9); e++) {
      const { q, from, to } = at(events, e);
      right += correct(to, q) - correct(from, q);
      usd += costOf(to, q) - costOf(from, q);
    }
    if (w === 0) points[0] = point(0);
    else points.push(point(w));
  }
  // Each step holds from its weight up to the next step's; it is reported at the geometric middle of that range
  // (twice its start for the last), where rounding cannot tip any question's choice either way.
  return points.map((p, i) => {
    const next = points[i + 1]?.costWeight;
    return i === 0 ? p : { ...p, costWeight: next === undefined ? 2 * p.costWeight : Math.sqrt(p.costWeight * next) };
  });
}

/**
 * The steps worth showing: the first and the last, and every step whose cost moved by `costStep` × the first
 * step's cost, or whose accuracy moved by `accuracyStep`, since the last one kept.
 */
export function thinFrontier(points: readonly FrontierPoint[], costStep = 0.002, accuracyStep = 0.0005): FrontierPoint[] {
  const [first] = points;
  if (first === undefined) return [];
  const kept = [first];
  let last = first;
  for (let i = 1; i < points.length; i++) {
    const p = at(points, i);
    const final = i === points.length - 1;
    if (final || Math.abs(p.usdPer1kQuestions - last.usdPer1kQuestions) >= costStep * first.usdPer1kQuestions || Math.abs(p.accuracy - last.accuracy) >= accuracyStep) {
      kept.push(p);
      last = p;
    }
  }
  return kept;
}

/** Each model alone on every question: its share right and its USD per 1,000 questions. */
export function singleModels(data: RoutingData, collector: EstimateCollector): Record<string, SingleModelResult> {
  const { n, models } = data;
  const out: Record<string, SingleModelResult> = {};
  models.forEach((model, m) => {
    let right = 0;
    let usd = 0;
    for (let q = 0; q < n; q++) {
      if (data.labels[m * n + q] === 1) right++;
      usd += actualCost(data, collector.prices, collector, m, q).usd;
    }
    setOwn(out, model, { accuracy: n === 0 ? 0 : right / n, usdPer1kQuestions: n === 0 ? 0 : (1000 * usd) / n });
  });
  return out;
}

/** The frontier, the single models and how much of the cost was estimated. */
export function costReport(data: RoutingData, collector: EstimateCollector): CostReport {
  let estimated = 0;
  for (let m = 0; m < data.models.length; m++) for (let q = 0; q < data.n; q++) if (actualCost(data, collector.prices, collector, m, q).estimated) estimated++;
  const cells = data.n * data.models.length;
  return { frontier: thinFrontier(traceFrontier(data, collector)), singles: singleModels(data, collector), estimatedCostShare: cells === 0 ? 0 : estimated / cells };
}
