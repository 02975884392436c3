/**
 * An ask prepared before anything is sent (an AskPlan): the question embedded, its support set read, the context
 * screened once and fitted, the routing chosen as the cost limit allows (and as it would be without it), and what that
 * costs. A front end judges the cost (core/cost/costPolicy) and runs this very plan (pipeline.ts runPrepared); the
 * ledger it opens at the first embedding is the run's, so every call is counted.
 */
import type { FittedContext } from '../promptBudget/fitContext';
import { smallestWindow } from '../promptBudget/fitContext';
import { selectionText } from '../context/contextItem';
import { guardContext, type GuardedContext } from '../secrets/secretGuard';
import { askMessage } from './contextMessage';
import { retrievalText, turnMessages } from './conversation';
import { errorMessage } from '../contracts/errors';
import type { SupportSet } from '../contracts/priorSource';
import type { ReplyTokens } from '../contracts/routingReport';
import type { ChatMessage } from '../contracts/types';
import { overLimit, type PlanCost } from '../cost/costPolicy';
import type { PastCalls, PastMean } from '../cost/pastCalls';
import { distinctSubsets, drawSubsets } from '../posterior/priorDrop';
import { TYPICAL_REPLY_TOKENS } from '../routing/objective';
import { routeWithPrices, type PriceRoutingResult } from '../routing/priceRouting';
import { askRng } from '../util/rng';
import { estimateMessageTokens } from '../util/tokens';
import { partTokens } from '../promptBudget/promptLayout';
import { CancelledError, Ledger, type PipelineDeps, type PipelineInput, type PipelineRouting } from './askState';
import { countedEmbedder } from './countedEmbedder';
import { fixedTokens } from './fitPrompt';
import { refuseForEveryModel } from './promptSize';
import { aggregatorSystemPrompt, userMessage } from './prompts';

/** One routing of a prepared ask with the user message its models receive, the context fitted to their windows. */
export interface PlannedRoute {
  routing: PriceRoutingResult;
  /** This turn's user message: the question, then its context fitted to the smallest window of the routing's models. */
  user: ChatMessage;
  /** What the user selected, as sent (core/context/contextItem.selectionText): the checks are read from it. */
  selected: string;
  /** The context as fitted (absent without context items). */
  context?: FittedContext;
}

/** What one ask will do, decided once before anything is sent (see the file's comment). */
export interface AskPlan {
  input: PipelineInput;
  /** The ports the run uses: the embedder is the ask's own, counted in `ledger`. */
  deps: PipelineDeps;
  /** Opened at the first embedding (the workspace's retrieval, when the caller counted it): the run's ledger. */
  ledger: Ledger;
  /** The turn in its thread the plan was made for. */
  turn: number;
  embedMs: number;
  retrieveMs: number;
  /** The question's support set in the bank (empty without one): the vote on final answers weighs the models on it. */
  support: SupportSet;
  /** The routing the run follows: with `maxCostPerQuestion`, the models and aggregations that fit it. */
  limited: PlannedRoute;
  /** The routing without the limit (the paper's choice, or the mode's): what the limit is judged on, and what a waived ask runs. */
  uncut: PlannedRoute;
  /** Why nothing fits the limit (the run refuses with it unless the limit is waived). */
  refusal?: Error;
  cost: PlanCost;
}

/** The ledger and the embedder of one ask, opened before its first embedding so that every call is counted. */
export interface OpenedAsk {
  ledger: Ledger;
  deps: PipelineDeps;
}

/** Opens an ask on `deps`: a new ledger, and the embedder counting its calls there (core/ask/countedEmbedder). */
export function openAsk(deps: PipelineDeps): OpenedAsk {
  const ledger = new Ledger(deps.tokenScale);
  return { ledger, deps: { ...deps, embedder: countedEmbedder(deps.embedder, ledger) } };
}

/**
 * Prepares an ask of `input` (see AskPlan): refuses a question no model can take, embeds it, reads its support set,
 * screens the context once and routes it with and without the cost limit, fitting the context to each routing's
 * models (once per distinct window). No chat call is made.
 */
export async function prepareAsk(input: PipelineInput, opened: OpenedAsk, signal: AbortSignal): Promise<AskPlan> {
  const { ledger, deps } = opened;
  const now = deps.now ?? (() => performance.now());
  const history = input.history ?? [];
  const windowOf = (model: string) => deps.gateway.contextWindow(model);
  refuseForEveryModel(input.models, fixedTokens({ system: input.system ? [input.system] : [], question: [userMessage(input.question)] }), windowOf);
  const t0 = now();
  const [query] = await deps.embedder.embed([retrievalText(input.question, history)], signal);
  if (query === undefined) throw new Error('the embedder returned no vector for the question');
  if (signal.aborted) throw new CancelledError();
  const tEmbed = now();
  const support: SupportSet = deps.bank
    ? await deps.bank.supportSet(query, { nBase: input.params.nBase, gamma: input.params.gamma, models: input.models })
    : { bankSize: 0, ids: [], similarities: [], columns: new Map() };
  if (signal.aborted) throw new CancelledError();
  const tRetrieve = now();
  const fits = contextFits(input, guardContext(input.contextItems ?? []), windowOf);
  const limit = input.routing?.maxCostPerQuestion ?? null;
  const uncut = route(input, deps, support, null, fits.tokens);
  let limited = uncut;
  let refusal: Error | undefined;
  if (limit !== null) {
    try {
      limited = route(input, deps, support, limit, fits.tokens);
    } catch (err) {
      refusal = err instanceof Error ? err : new Error(errorMessage(err));
    }
  }
  const assumed = uncut.estimates.filter((e) => e.tokensFrom === 'assumed' && uncut.referencers.includes(e.model)).map((e) => e.model);
  const basis = uncut.estimates.filter((e) => uncut.referencers.includes(e.model)).map((e) => ({ model: e.model, from: e.tokensFrom }));
  const cost = { expectedUsd: uncut.expectedUsd, worstUsd: uncut.worstUsd, limitUsd: limit, assumed, basis };
  const plannedUncut = fits.route(uncut);
  return {
    input,
    deps,
    ledger,
    turn: history.length,
    embedMs: tEmbed - t0,
    retrieveMs: tRetrieve - tEmbed,
    support,
    limited: limited === uncut ? plannedUncut : fits.route(limited),
    uncut: plannedUncut,
    ...(refusal ? { refusal } : {}),
    cost: { ...cost, over: overLimit(cost) !== null },
  };
}

/**
 * The context of an ask fitted to a window, once per distinct window: the routing counts the fit to the configured
 * aggregator's window (which every fit includes, so never fewer tokens than are sent), the run sends the fit to the
 * smallest window of the models its routing chose — in the common case the same fit.
 */
function contextFits(input: PipelineInput, screened: GuardedContext, windowOf: (model: string) => number | undefined): { tokens: number; route: (routing: PriceRoutingResult) => PlannedRoute } {
  const turn = { question: input.question, history: input.history ?? [], ...(input.system ? { system: input.system } : {}) };
  const question = userMessage(input.question);
  const byWindow = new Map<number, Omit<PlannedRoute, 'routing'>>();
  const fitTo = (models: readonly string[]): Omit<PlannedRoute, 'routing'> => {
    if (input.contextItems === undefined) return { user: { role: 'user', content: question }, selected: '' };
    const window = smallestWindow(models.map(windowOf));
    const known = byWindow.get(window);
    if (known) return known;
    const message = askMessage(turn, screened, [window], input.params.maxTokens);
    const user: ChatMessage = { role: 'user', content: message.content };
    const fitted = { user, selected: selectionText(message.fitted.items), context: message.fitted };
    byWindow.set(window, fitted);
    return fitted;
  };
  const aggregatorFit = fitTo([input.aggregator]);
  const tokens = input.contextItems === undefined || input.contextItems.length === 0 ? 0 : Math.max(0, estimateMessageTokens(aggregatorFit.user.content) - estimateMessageTokens(question));
  return { tokens, route: (routing) => ({ ...fitTo([...routing.referencers, routing.aggregator]), routing }) };
}

/**
 * Priors, each model's expected accuracy and cost, and the referencers, aggregator and aggregations the routing mode
 * chooses, within `maxCostPerQuestion` (null: no limit). Throws ConfigError when nothing fits the limit.
 */
function route(input: PipelineInput, deps: PipelineDeps, support: SupportSet, maxCostPerQuestion: number | null, contextTokens: number): PriceRoutingResult {
  const { params } = input;
  const history = input.history ?? [];
  const routing: PipelineRouting = { ...(input.routing ?? { mode: 'quality', costWeight: 0, agreementShortcut: false }), maxCostPerQuestion };
  const promptTokens = partTokens({ question: [userMessage(input.question)], conversation: turnMessages(history).map((m) => m.content) });
  return routeWithPrices({
    support,
    models: input.models,
    k: params.k,
    price: (model) => deps.gateway.price(model),
    routing,
    aggregator: routing.autoAggregator && routing.costWeight > 0 ? { auto: routing.autoAggregator, fallback: input.aggregator } : { model: input.aggregator },
    n: params.n,
    kDrop: params.kDrop,
    aggregationPromptTokens: partTokens({ system: [aggregatorSystemPrompt([], input.system)] }) + promptTokens + contextTokens,
    assumedTokens: { prompt: promptTokens, completion: Math.min(TYPICAL_REPLY_TOKENS, params.maxTokens) },
    contextTokens,
    maxTokens: params.maxTokens,
    // The draws the aggregation stage will make if every referencer answers: the same stream, the same subsets.
    drawnSubsets: (priors, n) => distinctSubsets(drawSubsets(priors, params.kDrop, n, askRng(params.seed, input.question, history.length))).length,
    ...(deps.pastCalls ? pastCallsOf(deps.pastCalls) : {}),
    ...(input.include ? { include: input.include } : {}),
  });
}

/** The routing's view of past calls: a model's replies as a referencer, its aggregations as the aggregator. */
function pastCallsOf(past: PastCalls): { history: (model: string) => PastMean | null; aggregationHistory: (model: string) => ReplyTokens | null } {
  return { history: (model) => past.mean(model, 'referencer'), aggregationHistory: (model) => past.mean(model, 'aggregation') };
}
