/**
 * Price-aware routing (docs/design-notes.md, "Routing that knows prices"): from the same support set RPS uses, each
 * model's expected accuracy and expected cost of one reply, and the referencers chosen by
 *
 *   score(m) = accuracy(m) − w · cost(m)
 *
 *   accuracy(m) = Σ_{i∈I, labelled} s_i · c[m,i] / Σ_{i∈I, labelled} s_i      (the prior normalised by the support weights)
 *   tokens(m)   = Σ_{i∈I, recorded} s_i · t[m,i] / Σ_{i∈I, recorded} s_i       (prompt and completion apart)
 *   cost(m)     = tokens(m) · price(m)                                          (USD of one reply)
 *
 * w (`costWeight`, 1/USD) says what a right answer is worth: a model that costs Δ USD more per question must be right
 * on w·Δ more of the questions to be chosen, so 1/w is the price the user pays for one more right answer.
 */
import type { TokenColumn } from '../contracts/priorSource';
import type { PastMean } from '../cost/pastCalls';
import type { TokenPrice } from '../contracts/types';
import type { ModelEstimate, ReplyTokens, RoutingMode } from '../contracts/routingReport';

/**
 * The cost weight each mode uses (1/USD). `quality` is RPS exactly (no cost term). `balanced` (5) pays up to $0.20
 * for one more right answer in a question: on the MMLU-Pro-shaped routing set (src/bench/routingSynth.ts) one model
 * per question chosen this way is 1.5 points below the best model at 0.6× its cost. `budget` (20) pays up to $0.05:
 * 7 points below at 0.07× the cost. docs/design-notes.md has the curve they were read from.
 */
export const MODE_COST_WEIGHTS: Readonly<Record<RoutingMode, number>> = Object.freeze({ quality: 0, balanced: 5, budget: 20 });

/**
 * The completion tokens assumed for a reply when nothing is known of the model's replies: a typical chat answer of a
 * few paragraphs with a code block. Recorded code-only solutions are shorter (median 127 tokens over 10 models on
 * HumanEval, 59 on MBPP; test/fixtures/e2e), chain-of-thought answers longer; the past calls replace it after one ask.
 */
export const TYPICAL_REPLY_TOKENS = 500;

/**
 * Past calls of a model here that outweigh its bank counts estimated at import (`tokensFrom: "imported"`): counts an
 * importer made from the recorded replies' length (3 characters a token, of replies to another prompt, often a
 * benchmark's chain of thought) put the expected cost of an imported MMLU-Pro bank at 1.6–2.6× what the asks then
 * cost (issue 62 item 5), where a server's own counts are within 1.04×; the model's own replies here say what it
 * writes for this user. Three: a mean of three replies, as the HumanEval replay's expected cost settles after three asks.
 */
export const PAST_CALLS_OVER_IMPORTED = 3;

export interface EstimateInput {
  similarities: ArrayLike<number>;
  /** Indices of the support set (rps.supportSet). */
  support: readonly number[];
  /** Label columns aligned with `similarities` (1, 0, negative = unlabelled). */
  labels: ReadonlyMap<string, ArrayLike<number>>;
  /** Token columns aligned with `similarities`; a model without one has no record. */
  tokens: ReadonlyMap<string, TokenColumn>;
  models: readonly string[];
  /** USD per token of a model, when known. */
  price: (model: string) => TokenPrice | undefined;
  /** Tokens to assume when nothing else is known (this ask's prompt, a typical reply); without it such a cost is unknown. */
  assumed?: ReplyTokens;
  /**
   * This installation's past calls of a model as a referencer (mean tokens, and how many), or null when it has none;
   * the prompt of this ask replaces theirs (what it sends is known).
   */
  history?: (model: string) => PastMean | null;
  /**
   * Prompt tokens this ask sends beyond what the bank's questions sent (the attached context), added to every
   * expected prompt: recorded tokens are of the question alone.
   */
  extraPromptTokens?: number;
}

/** Similarity-weighted accuracy of one label column over the support set, and how many support questions it labels. */
export function expectedAccuracy(similarities: ArrayLike<number>, support: readonly number[], column: ArrayLike<number> | undefined): { accuracy: number | null; labelled: number } {
  // Support indices index `similarities` and, by the column contract, every aligned column.
  if (!column) return { accuracy: null, labelled: 0 };
  let right = 0;
  let weight = 0;
  let labelled = 0;
  for (const i of support) {
    const c = column[i]!;
    if (!(c >= 0)) continue;
    const s = similarities[i]!;
    labelled++;
    weight += s;
    right += s * c;
  }
  if (labelled === 0) return { accuracy: null, labelled: 0 };
  // All-zero weights (an orthogonal support set): every labelled question counts alike.
  if (!(weight > 0)) {
    let plain = 0;
    for (const i of support) if (column[i]! >= 0) plain += column[i]!;
    return { accuracy: plain / labelled, labelled };
  }
  return { accuracy: right / weight, labelled };
}

/** Similarity-weighted mean tokens of the recorded replies in `columns` over the support set; null when none is recorded. */
export function expectedTokens(similarities: ArrayLike<number>, support: readonly number[], columns: readonly TokenColumn[]): ReplyTokens | null {
  // Support indices index `similarities` and, by the column contract, every aligned column.
  let weight = 0;
  let count = 0;
  let prompt = 0;
  let completion = 0;
  let plainPrompt = 0;
  let plainCompletion = 0;
  for (const column of columns) {
    for (const i of support) {
      const p = column.prompt[i]!;
      const c = column.completion[i]!;
      if (!(p >= 0) || !(c >= 0)) continue;
      const s = Math.max(0, similarities[i]!);
      count++;
      weight += s;
      prompt += s * p;
      completion += s * c;
      plainPrompt += p;
      plainCompletion += c;
    }
  }
  if (count === 0) return null;
  return weight > 0 ? { prompt: prompt / weight, completion: completion / weight } : { prompt: plainPrompt / count, completion: plainCompletion / count };
}

/** Whether most of the recorded replies of `column` on the support set have counts estimated at import. */
export function mostlyImported(support: readonly number[], column: TokenColumn): boolean {
  // Support indices index every aligned column.
  const estimated = column.estimated;
  if (!estimated) return false;
  let recorded = 0;
  let imported = 0;
  for (const i of support) {
    if (!(column.prompt[i]! >= 0) || !(column.completion[i]! >= 0)) continue;
    recorded++;
    if (estimated[i] === 1) imported++;
  }
  return imported > recorded / 2;
}

/** USD of `tokens` at `price`; null when either is unknown (an unknown price is never taken as free). */
export function replyCost(tokens: ReplyTokens | null, price: TokenPrice | undefined): number | null {
  return tokens === null || price === undefined ? null : tokens.prompt * price.prompt + tokens.completion * price.completion;
}

/** Every model's expected accuracy and cost over the support set (see the module comment). */
export function estimateModels(input: EstimateInput): ModelEstimate[] {
  const { similarities, support, labels, tokens, models, price, assumed, history, extraPromptTokens = 0 } = input;
  const accuracies = models.map((model) => expectedAccuracy(similarities, support, labels.get(model)));
  const profiled = accuracies.flatMap((a) => (a.accuracy === null ? [] : [a.accuracy]));
  const mean = profiled.length === 0 ? 0 : profiled.reduce((a, b) => a + b, 0) / profiled.length;
  const own = models.map((model) => {
    const column = tokens.get(model);
    return column ? expectedTokens(similarities, support, [column]) : null;
  });
  const imported = models.map((model) => {
    const column = tokens.get(model);
    return column !== undefined && mostlyImported(support, column);
  });
  const recorded = models.flatMap((model, m) => {
    const column = tokens.get(model);
    return column && own[m] !== null ? [column] : [];
  });
  // This ask's prompt is known; a past call's prompt was another question's.
  const asked = (t: ReplyTokens | null): ReplyTokens | null => (t === null ? null : { prompt: assumed?.prompt ?? t.prompt, completion: t.completion });
  const pastMeans = models.map((model) => history?.(model) ?? null);
  const past = pastMeans.map(asked);
  const pastKnown = past.filter((t): t is ReplyTokens => t !== null);
  const others =
    recorded.length > 0
      ? expectedTokens(similarities, support, recorded)
      : pastKnown.length > 0
        ? { prompt: assumed?.prompt ?? 0, completion: pastKnown.reduce((sum, t) => sum + t.completion, 0) / pastKnown.length }
        : null;
  return models.map((model, m) => {
    const { accuracy, labelled } = accuracies[m] ?? { accuracy: null, labelled: 0 };
    const theirs = past[m] ?? null;
    // Counts estimated at import give way to the model's own replies here once there are a few (PAST_CALLS_OVER_IMPORTED).
    const outweighed = imported[m] === true && (pastMeans[m]?.calls ?? 0) >= PAST_CALLS_OVER_IMPORTED;
    const mine = outweighed ? null : (own[m] ?? null);
    const base = mine ?? theirs ?? others ?? assumed ?? null;
    const expected = base && extraPromptTokens > 0 ? { ...base, prompt: base.prompt + extraPromptTokens } : base;
    return {
      model,
      accuracy: accuracy ?? mean,
      unprofiled: accuracy === null,
      labelled,
      tokens: expected,
      tokensFrom: mine !== null ? (imported[m] ? 'imported' : 'support') : theirs !== null ? 'history' : others !== null ? 'others' : assumed ? 'assumed' : 'none',
      costUsd: replyCost(expected, price(model)),
    };
  });
}

/**
 * The cost each model is ranked with: its own when known; a model whose cost is unknown is ranked as the dearest
 * known one (never as free), and when no cost is known at all, cost plays no part (null).
 */
export function rankingCosts(costs: readonly (number | null)[]): number[] | null {
  const known = costs.filter((c): c is number => c !== null);
  if (known.length === 0) return null;
  const dearest = Math.max(...known);
  return costs.map((c) => c ?? dearest);
}

/** score(m) = accuracy − w · cost, with the costs of `rankingCosts` (accuracy alone when no cost is known). */
export function objectiveScores(accuracies: readonly number[], costs: readonly (number | null)[], costWeight: number): number[] {
  const ranked = rankingCosts(costs);
  return accuracies.map((a, m) => (ranked === null ? a : a - costWeight * (ranked[m] ?? 0)));
}

/**
 * Indices of the models in the order the objective ranks them: higher score first, then the cheaper, then the
 * configured order (a stable sort).
 */
export function objectiveOrder(scores: readonly number[], costs: readonly (number | null)[]): number[] {
  const ranked = rankingCosts(costs);
  return scores
    .map((score, index) => ({ score, cost: ranked?.[index] ?? 0, index }))
    .sort((a, b) => b.score - a.score || a.cost - b.cost || a.index - b.index)
    .map((e) => e.index);
}
