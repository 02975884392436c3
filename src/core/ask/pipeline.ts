/**
 * One SMCS ask as an async stream of typed events (paper §3):
 * embed → retrieve (RPS) → referencers in parallel → prior-drop subsets → n aggregations → hybrid score → done.
 * An aggregation starts once its subset's references are in (aggregationStage), not after the slowest referencer.
 * For code questions, replies are run on the question's checks as they arrive (checkStage) and the checks choose.
 * Pure orchestration: all I/O goes through the Embedder, PriorSource, LlmGateway and CheckRunner ports.
 */
import { at } from '../util/arrays';
import { AsyncQueue } from '../util/asyncQueue';
import { asksForCode, extractChecks, rulesFor } from '../checks/extraction';
import { decide } from '../checks/selection';
import { chooseByAnswers } from './answerChoice';
import { CheckStage, type TestWriter } from '../checks/stage';
import type { FittedContext } from '../context/fitContext';
import { reportOf, selectionText, type ContextItem } from '../context/contextItem';
import { askMessage, type ContextMessage } from './contextMessage';
import { aggregationsAfter, answerAgreement, nearIdenticalThreshold, similarityAgreement, type Agreement } from '../posterior/agreement';
import { fitConversation, retrievalText, turnMessages } from './conversation';
import { totalCost, totalTokens } from '../cost/costs';
import type { CallRecord } from '../contracts/types';
import { commonKind, errorEndpoint, errorKind, errorMessage, failedEndpoints, type FailedEndpoint } from '../contracts/errors';
import type { AskResult, CandidateOutcome, PipelineEvent, ReferenceOutcome, RoutingSummary } from '../contracts/events';
import { hybridScores } from '../posterior/hybridScore';
import { MODEL_TESTS_MAX_TOKENS, modelTestsMessages, parseModelTests } from '../checks/modelTests';
import { distinctSubsets, drawSubsets } from '../posterior/priorDrop';
import type { PastCalls } from '../cost/pastCalls';
import { TYPICAL_REPLY_TOKENS } from '../routing/objective';
import type { ReplyTokens } from '../contracts/routingReport';
import { aggregatorSystemPrompt, userMessage } from './prompts';
import { askRng } from '../util/rng';
import { routeWithPrices, type PriceRoutingResult } from '../routing/priceRouting';
import type { SupportSet } from '../contracts/priorSource';
import { estimateMessageTokens, estimatePromptTokens, estimateTokens } from '../util/tokens';
import { refuseForEveryModel, refuseOversizedPrompt } from './promptSize';
import { STRAGGLER_MIN_MS, type ChatMessage, type ChatResult, type TokenUsage } from '../contracts/types';
import { AggregationStage, type Aggregation } from './aggregationStage';
import { CancelledError, Ledger, checkCancelled, completedCallOf, type AskContext, type PipelineDeps, type PipelineInput, type PipelineRouting } from './askState';

export type { PipelineDeps, PipelineInput, PipelineRouting };

/**
 * What one ask will do, decided once before anything is sent: the question embedded, its support set read, the
 * routing chosen as the cost limit allows (and as it would be without the limit), and what that costs. The front
 * ends judge the limit on `cost`; the run executes the plan without embedding or reading the bank again.
 */
export interface AskPlan {
  question: string;
  /** The turn in its thread the plan was made for. */
  turn: number;
  embedMs: number;
  retrieveMs: number;
  /** Priced calls the planning made (an endpoint embedder's), counted in the run that uses the plan. */
  calls: CallRecord[];
  /** The routing the run follows: with `maxCostPerQuestion`, the models and aggregations that fit it. */
  limited: PriceRoutingResult;
  /** The question's support set in the bank (the vote on final answers weighs the models on it); absent without a bank. */
  support?: SupportSet;
  /** The routing without the limit (the paper's choice, or the mode's): what the limit is judged on, and what a waived ask runs. */
  uncut: PriceRoutingResult;
  /** Why nothing fits the limit (the run refuses with it unless the limit is waived). */
  refusal?: Error;
  cost: PlanCost;
}

/** What the planned ask costs, and the one rule every front end applies: the limit judges the expected cost. */
export interface PlanCost {
  /** Expected USD of the uncut routing; null when a needed price is unknown. */
  expectedUsd: number | null;
  /** At worst (every reply at the output limit); null when a needed price is unknown. */
  worstUsd: number | null;
  /** `maxCostPerQuestion`, or null without one. */
  limitUsd: number | null;
  /** The expected cost (the worst case when it is unknown) is above the limit. */
  over: boolean;
  /** Models whose replies are priced at the stated typical length: nothing is known of them yet. */
  assumed: string[];
}

/** The error event's `endpoints`, present when the failures were any endpoint's. */
function endpointsOf(ids: readonly (string | undefined)[]): { endpoints?: FailedEndpoint[] } {
  const endpoints = failedEndpoints(ids);
  return endpoints.length > 0 ? { endpoints } : {};
}

const ZERO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0 };

/**
 * Runs one ask — the given plan, else one made now; the stream always ends with `done` or `error` (cancellation is an
 * `error` of kind `cancelled`).
 */
export function runPipeline(input: PipelineInput, deps: PipelineDeps, signal: AbortSignal, plan?: AskPlan): AsyncIterable<PipelineEvent> {
  const queue = new AsyncQueue<PipelineEvent>();
  // Made here so a failed or stopped ask still reports the calls it paid for.
  const ledger = new Ledger();
  void execute(input, deps, signal, (e) => queue.push(e), ledger, plan)
    .catch((e: unknown) => {
      if (signal.aborted || e instanceof CancelledError) queue.push({ type: 'error', message: 'Cancelled', kind: 'cancelled', causes: [], spent: ledger.spent });
      else queue.push({ type: 'error', message: errorMessage(e), kind: errorKind(e), causes: [], spent: ledger.spent, ...endpointsOf([errorEndpoint(e)]) });
    })
    .finally(() => queue.close());
  return queue;
}

function askContext(input: PipelineInput, deps: PipelineDeps, signal: AbortSignal, emit: (e: PipelineEvent) => void, ledger: Ledger): AskContext {
  return {
    input,
    deps,
    signal,
    emit,
    now: deps.now ?? (() => performance.now()),
    history: input.history ?? [],
    user: { role: 'user', content: userMessage(input.question) },
    selected: '',
    ledger,
  };
}

/**
 * Plans an ask of `input` (see AskPlan): refuses a question no model can take, embeds it, reads its support set and
 * routes it with and without the cost limit. No chat call is made.
 */
export async function planAsk(input: PipelineInput, deps: PipelineDeps, signal: AbortSignal): Promise<AskPlan> {
  const ledger = new Ledger();
  const ctx = askContext(input, deps, signal, () => undefined, ledger);
  refuseForEveryModel(input.models, thisTurnTokens(ctx), (model) => deps.gateway.contextWindow(model));
  const t0 = ctx.now();
  const queryVector = await embedQuestion(ctx);
  const tEmbed = ctx.now();
  const support = await supportOf(ctx, queryVector);
  const limit = input.routing?.maxCostPerQuestion ?? null;
  const uncut = route(ctx, support, null);
  let limited = uncut;
  let refusal: Error | undefined;
  if (limit !== null) {
    try {
      limited = route(ctx, support, limit);
    } catch (err) {
      refusal = err instanceof Error ? err : new Error(errorMessage(err));
    }
  }
  const judged = uncut.expectedUsd ?? uncut.worstUsd;
  const assumed = uncut.estimates.filter((e) => e.tokensFrom === 'assumed' && uncut.referencers.includes(e.model)).map((e) => e.model);
  return {
    question: input.question,
    turn: ctx.history.length,
    embedMs: tEmbed - t0,
    retrieveMs: ctx.now() - tEmbed,
    calls: [...ledger.calls],
    limited,
    uncut,
    support,
    ...(refusal ? { refusal } : {}),
    cost: { expectedUsd: uncut.expectedUsd, worstUsd: uncut.worstUsd, limitUsd: limit, over: limit !== null && judged !== null && judged > limit, assumed },
  };
}

async function execute(input: PipelineInput, deps: PipelineDeps, signal: AbortSignal, emit: (e: PipelineEvent) => void, ledger: Ledger, given?: AskPlan): Promise<void> {
  const ctx = askContext(input, deps, signal, emit, ledger);
  if (given && (given.question !== input.question || given.turn !== ctx.history.length)) throw new Error('the plan was made for another question');
  const plan = given ?? (await planAsk(input, deps, signal));
  checkCancelled(ctx);
  ledger.calls.push(...plan.calls);
  const t0 = ctx.now() - plan.embedMs - plan.retrieveMs;
  const tEmbed = t0 + plan.embedMs;
  emit({ type: 'embed', ms: plan.embedMs });
  if (plan.refusal && !input.costLimitWaived) throw plan.refusal;
  const selection = input.costLimitWaived ? plan.uncut : plan.limited;
  const tRetrieve = ctx.now();
  const { priors, referencers, fallback } = selection;
  const routing = routingSummary(selection);
  // The routing may choose another aggregator and fewer aggregations (cost limit): every later stage reads them here.
  ctx.input = { ...input, aggregator: selection.aggregator, params: { ...input.params, n: selection.aggregations } };
  const context = input.contextItems === undefined ? undefined : fitAskContext(ctx, referencers, input.contextItems);
  const contextNotes = [...(input.contextNotes ?? []), ...(context?.notes ?? [])];
  const contextReport = context !== undefined || contextNotes.length > 0 ? { items: context?.items.map(reportOf) ?? [], notes: contextNotes } : undefined;
  // Once the models are chosen, each must take the question with its context (core/ask/promptSize).
  for (const model of [...referencers, selection.aggregator]) refuseOversizedPrompt(model, thisTurnTokens(ctx), deps.gateway.contextWindow(model));
  emit({ type: 'retrieve', ms: tRetrieve - tEmbed, supportCount: selection.supportCount, supportEffective: selection.supportEffective, priors, referencers, ...(fallback ? { fallback } : {}), estimates: selection.estimates, routing, ...(contextReport ? { context: contextReport } : {}) });
  ctx.checks = checkStageFor(ctx, new Map(priors.filter((p) => referencers.includes(p.model)).map((p) => [p.model, p.prior])));

  const priorOf = new Map(priors.map((p) => [p.model, p.prior]));
  // Aggregations start as their references arrive, unless how many run depends on the replies (the agreement shortcut).
  const stage = new AggregationStage(ctx, referencers, priorOf, !input.routing?.agreementShortcut);
  let outcomes: ReferenceOutcome[];
  try {
    outcomes = await runReferencers(referencers, ctx, stage);
    checkCancelled(ctx);
  } catch (e) {
    await stage.stopAll();
    throw e;
  }
  const tReferencers = ctx.now();
  const arrived = outcomes.filter((o) => o.ok);
  if (arrived.length === 0) {
    await stage.stopAll();
    emit({
      type: 'error',
      message: outcomes.length === 1 ? 'The only referencer failed' : `All ${outcomes.length} referencers failed`,
      kind: commonKind(outcomes.map((o) => o.errorKind ?? 'internal')),
      // LLM errors name their model already; others get it in front.
      causes: outcomes.map((o) => (o.error?.includes(o.model) ? o.error : `${o.model}: ${o.error ?? 'no reply'}`)),
      spent: ledger.spent,
      ...endpointsOf(outcomes.map((o) => o.errorEndpoint)),
    });
    return;
  }

  const byPrior = (list: readonly ReferenceOutcome[]) => [...list].sort((a, b) => (priorOf.get(b.model) ?? 0) - (priorOf.get(a.model) ?? 0));
  const planned = ctx.input.params.n;
  const agreement = await agreementOf(ctx, arrived);
  ctx.input = { ...ctx.input, params: { ...ctx.input.params, n: agreement ? aggregationsAfter(agreement, planned) : planned } };
  // No aggregation (the referencers agree, or the cost limit leaves one reply): the highest-prior such reply answers.
  const directReference = ctx.input.params.n === 0 ? at(byPrior(agreement && agreement.agreeing === arrived.length ? agreement.members.map((i) => at(arrived, i)) : arrived), 0) : undefined;
  const aggregations = directReference ? [] : await stage.finish(arrived);
  const { trimmedModels } = stage;
  const tAggregate = ctx.now();

  const scored = await scoreCandidates(ctx, aggregations);
  const tScore = ctx.now();
  const checked = (await ctx.checks?.settle()) ?? null;
  checkCancelled(ctx);
  const tChecks = ctx.now();
  const checksDecision = decide(scored.candidates, scored.winner, outcomes, checked, priorOf);
  // A question with a final answer and no checks: the final answers choose (core/ask/answerChoice).
  const byAnswers = checked || directReference ? null : chooseByAnswers({ question: input.question, arrived, candidates: checksDecision.candidates, priors, aggregator: ctx.input.aggregator, ...(plan.support ? { support: plan.support } : {}), ...(input.routing?.priorShrinkage ? { shrinkage: input.routing.priorShrinkage } : {}), ...(deps.sameMath ? { same: deps.sameMath } : {}) });
  const decision = byAnswers ? { ...checksDecision, winner: byAnswers.winner === -1 ? checksDecision.winner : byAnswers.winner, reference: null, selectedBy: 'agreement' as const } : checksDecision;
  const { selectedBy, bestByChecks } = decision;
  emit({ type: 'scored', candidates: decision.candidates, winner: decision.winner, logprobsUsed: scored.logprobsUsed, selectedBy, bestByChecks });

  // When every aggregation failed, the reference the checks rank first answers (else the highest prior), flagged.
  const fallbackReference = decision.winner === -1 && !directReference && !byAnswers?.reference ? (arrived.find((o) => o.model === decision.reference) ?? at(byPrior(arrived), 0)) : undefined;
  // A reference the checks rank above every candidate answers in its own words.
  const checksReference = decision.winner !== -1 && decision.reference !== null ? arrived.find((o) => o.model === decision.reference) : undefined;
  // The final answers chose an answer no candidate holds: the highest-prior referencer holding it answers.
  const agreementReference = byAnswers?.reference ? arrived.find((o) => o.model === byAnswers.reference) : undefined;
  const answeringReference = agreementReference ?? directReference ?? fallbackReference ?? checksReference;
  const { calls } = ctx.ledger;
  const result: AskResult = {
    question: input.question,
    support: { count: selection.supportCount, effective: selection.supportEffective },
    priors,
    ...(fallback ? { selectionFallback: fallback } : {}),
    referencers: decision.referencers.map((o) => (trimmedModels.has(o.model) ? { ...o, trimmed: true } : o)),
    aggregator: input.aggregator,
    candidates: decision.candidates,
    winner: decision.winner,
    selectedBy,
    bestByChecks,
    ...(checked ? { checkSet: checked.checkSet } : {}),
    answer: answeringReference ? answeringReference.text : at(decision.candidates, decision.winner).text,
    ...(fallbackReference ? { fallbackReference: fallbackReference.model } : {}),
    ...(directReference ? { directReference: directReference.model } : {}),
    ...(checksReference ? { checksReference: checksReference.model } : {}),
    ...(agreementReference ? { agreementReference: agreementReference.model } : {}),
    ...(decision.order.length > 0 ? { answerOrder: decision.order } : {}),
    routing,
    ...(byAnswers ? { agreement: byAnswers.agreement } : agreement ? { agreement: { basis: agreement.basis, ...(agreement.answer !== undefined ? { answer: agreement.answer } : {}), ...(agreement.similarity !== undefined ? { similarity: agreement.similarity } : {}), agreeing: agreement.agreeing, of: agreement.of } } : {}),
    savedCalls: planned - ctx.input.params.n,
    logprobsUsed: scored.logprobsUsed,
    trimmedReferences: [...trimmedModels],
    timings: {
      embedMs: tEmbed - t0,
      retrieveMs: tRetrieve - tEmbed,
      referencersMs: tReferencers - tRetrieve,
      aggregateMs: tAggregate - tReferencers,
      scoreMs: tScore - tAggregate,
      totalMs: tChecks - t0,
      ...(ctx.checks ? { checksMs: tChecks - tScore } : {}),
    },
    usage: ctx.ledger.chatUsage,
    calls,
    costUsd: totalCost(calls),
    tokens: totalTokens(calls),
    conversation: { turns: ctx.history.length, dropped: ctx.ledger.droppedTurns },
    ...(contextReport ? { context: contextReport.items, contextNotes: contextReport.notes } : {}),
    cappedOutput: ctx.ledger.cappedOutput,
    ...(ctx.ledger.stoppedOutput.length > 0 ? { stoppedOutput: ctx.ledger.stoppedOutput } : {}),
  };
  emit({ type: 'done', result });
}

/** Tokens every chat of this turn sends at the least: the asker's system text and this turn's user message (earlier turns may be left out). */
function thisTurnTokens(ctx: AskContext): number {
  return estimatePromptTokens([...(ctx.input.system ? [{ content: ctx.input.system }] : []), ctx.user]);
}

/**
 * Fits the context to the smallest window among the chosen referencers and the aggregator, after the conversation,
 * the question and the aggregator's instructions, and puts it in this turn's user message (which every referencer,
 * aggregation and test-writing call sends).
 */
function fitAskContext(ctx: AskContext, referencers: readonly string[], items: readonly ContextItem[]): FittedContext {
  const message = userWithContext(ctx, [...referencers, ctx.input.aggregator], items);
  ctx.user = { role: 'user', content: message.content };
  ctx.selected = selectionText(message.fitted.items);
  return message.fitted;
}

/** The user message of this turn with `items` fitted to the smallest window of `models`. */
function userWithContext(ctx: AskContext, models: readonly string[], items: readonly ContextItem[]): ContextMessage {
  return askMessage({ question: ctx.input.question, history: ctx.history }, items, models.map((m) => ctx.deps.gateway.contextWindow(m)), ctx.input.params.maxTokens);
}

/**
 * Tokens the attached context adds to every prompt of this ask, as routing counts them before the referencers are
 * chosen: fitted to the configured aggregator's window, which every fit includes (so never fewer than are sent
 * when the referencers' windows are at least as large).
 */
function contextTokens(ctx: AskContext): number {
  const items = ctx.input.contextItems;
  if (items === undefined || items.length === 0) return 0;
  const withContext = userWithContext(ctx, [ctx.input.aggregator], items).content;
  return Math.max(0, estimateMessageTokens(withContext) - estimateMessageTokens(ctx.user.content));
}

/**
 * The checks of this ask: the question's examples (or why they cannot judge), else — for a code question, when the
 * setting allows — tests the aggregator writes once a reply shows the code's shape; with the setting, also tests to
 * break a tie of the examples; none without a runner.
 */
function checkStageFor(ctx: AskContext, priors: ReadonlyMap<string, number>): CheckStage | undefined {
  const runner = ctx.deps.checkRunner;
  if (!runner) return undefined;
  const { question } = ctx.input;
  // Checks come from what the user wrote or selected, not from files in the context; the tests call sees it all.
  const asked = userMessage(question, ctx.selected);
  const base = { runner, signal: ctx.signal, emit: ctx.emit, question: asked, priors };
  const found = extractChecks(question, ctx.selected);
  const writeTests = ctx.input.modelWrittenTests === false ? undefined : testWriter(ctx, ctx.user.content);
  if (found.unverifiable !== undefined) return new CheckStage({ ...base, checkSet: { source: 'question', ...found } });
  // The question's checks may tie on replies that differ: then tests are written to tell them apart.
  if (found.checks.length > 0) return new CheckStage({ ...base, checkSet: { source: 'question', ...found }, ...(writeTests ? { writeTests } : {}) });
  // Tests are written only for a question that asks for code to be written or fixed, never to explain code.
  if (writeTests === undefined || !asksForCode(question, asked)) return undefined;
  return new CheckStage({ ...base, writeTests });
}

/**
 * The tests call: the aggregator writes tests for a code question that has none, or whose checks tie (a priced call,
 * stage `tests`); it receives the same user message, context included, as every referencer.
 */
function testWriter(ctx: AskContext, asked: string): TestWriter {
  const model = ctx.input.aggregator;
  return async (shape, purpose) => {
    try {
      const result = await ctx.deps.gateway.chat(
        { model, messages: modelTestsMessages(asked, shape, purpose), temperature: 0, maxTokens: Math.min(ctx.input.params.maxTokens, MODEL_TESTS_MAX_TOKENS), presencePenalty: 0, logprobs: false },
        () => undefined,
        ctx.signal,
      );
      ctx.ledger.chat('tests', model, result);
      const checks = parseModelTests(result.text, shape);
      return checks.length === 0 ? null : { source: 'model', checks, rules: rulesFor(asked, checks) };
    } catch (e) {
      const spent = completedCallOf(e);
      if (spent) ctx.ledger.chat('tests', model, spent);
      throw e;
    }
  };
}

/** Stage 1: the vector retrieval uses — the latest question (with the one before it when it is a short follow-up). */
async function embedQuestion(ctx: AskContext): Promise<Float32Array> {
  const text = retrievalText(ctx.input.question, ctx.history);
  const [queryVector] = await ctx.deps.embedder.embed([text], ctx.signal, (call) => ctx.ledger.calls.push(call));
  if (queryVector === undefined) throw new Error('the embedder returned no vector for the question');
  checkCancelled(ctx);
  return queryVector;
}

/** Stage 2: the question's support set (RPS falls back to the first K models when there is no bank). */
async function supportOf(ctx: AskContext, queryVector: Float32Array): Promise<SupportSet> {
  const { input, deps } = ctx;
  const support: SupportSet = deps.bank
    ? await deps.bank.supportSet(queryVector, { nBase: input.params.nBase, gamma: input.params.gamma, models: input.models })
    : { bankSize: 0, ids: [], similarities: [], columns: new Map() };
  checkCancelled(ctx);
  return support;
}

/**
 * Priors, each model's expected accuracy and cost, and the referencers, aggregator and aggregations the routing mode
 * chooses, within `maxCostPerQuestion` (null: no limit). Throws ConfigError when nothing fits the limit.
 */
function route(ctx: AskContext, support: SupportSet, maxCostPerQuestion: number | null): PriceRoutingResult {
  const { input, deps, history, user } = ctx;
  const { params } = input;
  const routing: PipelineRouting = { ...(input.routing ?? { mode: 'quality', costWeight: 0, agreementShortcut: false }), maxCostPerQuestion };
  const promptTokens = estimatePromptTokens([...turnMessages(history), user]);
  const attachedTokens = contextTokens(ctx);
  return routeWithPrices({
    support,
    models: input.models,
    k: params.k,
    price: (model) => deps.gateway.price(model),
    routing,
    aggregator: routing.autoAggregator && routing.costWeight > 0 ? { auto: routing.autoAggregator, fallback: input.aggregator } : { model: input.aggregator },
    n: params.n,
    kDrop: params.kDrop,
    aggregationPromptTokens: estimateMessageTokens(aggregatorSystemPrompt([], input.system)) + promptTokens + attachedTokens,
    assumedTokens: { prompt: promptTokens, completion: Math.min(TYPICAL_REPLY_TOKENS, params.maxTokens) },
    contextTokens: attachedTokens,
    maxTokens: params.maxTokens,
    // The draws the aggregation stage will make if every referencer answers: the same stream, the same subsets.
    drawnSubsets: (priors, n) => distinctSubsets(drawSubsets(priors, params.kDrop, n, askRng(params.seed, input.question, history.length))).length,
    ...(deps.pastCalls ? pastCallsOf(deps.pastCalls) : {}),
    ...(input.include ? { include: input.include } : {}),
  });
}

/** The routing's view of past calls: a model's replies as a referencer, its aggregations as the aggregator. */
function pastCallsOf(past: PastCalls): { history: (model: string) => ReplyTokens | null; aggregationHistory: (model: string) => ReplyTokens | null } {
  return { history: (model) => past.mean(model, 'referencer'), aggregationHistory: (model) => past.mean(model, 'aggregation') };
}

/** What the result and the panel say of the routing: the mode, the weight, the expected costs and the limit. */
function routingSummary(selection: PriceRoutingResult): RoutingSummary {
  return {
    mode: selection.mode,
    costWeight: selection.costWeight,
    expectedUsd: selection.expectedUsd,
    qualityUsd: selection.qualityUsd,
    worstUsd: selection.worstUsd,
    estimates: selection.estimates,
    ...(selection.budget ? { budget: selection.budget } : {}),
  };
}

/**
 * The referencers' agreement, when the shortcut is on and two or more replies arrived: their final answers, else
 * (no reply states one) the similarity of the replies, embedded once; null when they do not agree enough to save a call.
 */
async function agreementOf(ctx: AskContext, arrived: readonly ReferenceOutcome[]): Promise<Agreement | null> {
  if (!ctx.input.routing?.agreementShortcut || arrived.length < 2 || ctx.input.params.n === 0) return null;
  const texts = arrived.map((o) => o.text);
  const byAnswer = answerAgreement(texts);
  if (byAnswer) return aggregationsAfter(byAnswer, ctx.input.params.n) < ctx.input.params.n ? byAnswer : null;
  const vectors = await ctx.deps.embedder.embed(texts, ctx.signal, (call) => ctx.ledger.calls.push(call));
  checkCancelled(ctx);
  return similarityAgreement(vectors, nearIdenticalThreshold(ctx.deps.embedder.id));
}

/** Stage 6: the hybrid score over the candidates that succeeded; winner −1 when none did. */
async function scoreCandidates(ctx: AskContext, aggregations: readonly Aggregation[]): Promise<{ candidates: CandidateOutcome[]; winner: number; logprobsUsed: boolean }> {
  const succeeded = aggregations.filter((a): a is Aggregation & { result: ChatResult } => a.result !== undefined);
  const candidates: CandidateOutcome[] = aggregations.map((a) => ({
    index: a.index,
    subset: a.subset,
    draws: a.draws,
    ok: a.result !== undefined,
    ...(a.error !== undefined ? { error: a.error.message, errorKind: a.error.kind } : {}),
    text: a.result?.text ?? '',
    reasoning: a.result?.reasoning ?? '',
    ...(a.result?.stopped ? { stopped: a.result.stopped } : {}),
    similarity: 0,
    perplexity: null,
    total: 0,
  }));
  if (succeeded.length === 0) return { candidates, winner: -1, logprobsUsed: false };
  const vectors = await ctx.deps.embedder.embed(
    succeeded.map((a) => a.result.text),
    ctx.signal,
    (call) => ctx.ledger.calls.push(call),
  );
  checkCancelled(ctx);
  const scored = hybridScores(vectors, succeeded.map((a) => a.result.tokenLogprobs), ctx.input.params.lambda, succeeded.map((a) => a.draws));
  // hybridScores returns one score per succeeded aggregation, and a.index is a position in candidates.
  succeeded.forEach((a, j) => {
    candidates[a.index] = {
      ...at(candidates, a.index),
      similarity: at(scored.similarity, j),
      perplexity: scored.perplexity[j] ?? null,
      total: at(scored.total, j),
    };
  });
  return { candidates, winner: at(succeeded, scored.winner).index, logprobsUsed: scored.logprobsUsed };
}

/** One referencer's request: the asker's system message, the earlier turns and this question, fitted to the model's window. */
function referencerRequest(ctx: AskContext, model: string): { messages: ChatMessage[]; maxTokens: number } {
  const { maxTokens } = ctx.input.params;
  const system: ChatMessage[] = ctx.input.system ? [{ role: 'system', content: ctx.input.system }] : [];
  const fitted = fitConversation(system, ctx.history, [ctx.user], maxTokens, ctx.deps.gateway.contextWindow(model));
  ctx.ledger.fitted('referencer', model, fitted.droppedTurns, fitted.maxTokens, maxTokens);
  return fitted;
}

/**
 * Stage 3: every referencer in parallel. The straggler deadline: once K − Kdrop references are in, the others get
 * `stragglerFactor` times the time taken so far (at least STRAGGLER_MIN_MS); then they are aborted and left out as
 * late, their streamed tokens counted as an estimated call (late is not wrong: no label comes of it). Each reference
 * that arrives goes to the aggregation stage, which starts the subsets it completes; each that will not is left out.
 */
async function runReferencers(models: readonly string[], ctx: AskContext, aggregations: AggregationStage): Promise<ReferenceOutcome[]> {
  const { deps, signal, emit, now, ledger } = ctx;
  const { params } = ctx.input;
  const controllers = models.map(() => new AbortController());
  const stopAll = () => controllers.forEach((c) => c.abort(signal.reason));
  signal.addEventListener('abort', stopAll, { once: true });
  const settled = new Set<number>();
  const late = new Map<number, number>();
  const streamed = models.map(() => '');
  const enough = Math.max(1, models.length - params.kDrop);
  const t0 = now();
  let okCount = 0;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const leaveOutStragglers = () => {
    const pending = models.flatMap((model, i) => (settled.has(i) ? [] : [{ model, i }]));
    if (pending.length === 0) return;
    const afterMs = now() - t0;
    aggregations.leftOut(pending.map(({ model }) => model));
    pending.forEach(({ i }) => {
      late.set(i, afterMs);
      at(controllers, i).abort(new Error('straggler deadline'));
    });
    emit({ type: 'referencers-abandoned', models: pending.map(({ model }) => model), afterMs });
  };
  try {
    return await Promise.all(
      models.map(async (model, i): Promise<ReferenceOutcome> => {
        emit({ type: 'referencer-started', model });
        const started = now();
        let sent: readonly ChatMessage[] = [];
        try {
          const request = referencerRequest(ctx, model);
          sent = request.messages;
          const r = await deps.gateway.chat(
            {
              model,
              messages: request.messages,
              temperature: params.temperature,
              maxTokens: request.maxTokens,
              presencePenalty: params.presencePenalty,
              logprobs: false,
            },
            (d) => {
              if (d.kind !== 'wait') streamed[i] += d.text;
              emit(d.kind === 'wait' ? { type: 'referencer-waiting', model, ms: d.ms, reason: d.reason } : { type: 'referencer-delta', model, kind: d.kind, text: d.text });
            },
            at(controllers, i).signal,
          );
          const call = ledger.chat('referencer', model, r);
          const outcome: ReferenceOutcome = {
            model,
            ok: true,
            latencyMs: r.latencyMs,
            usage: r.usage,
            text: r.text,
            reasoning: r.reasoning,
            ...(call.costUsd !== null ? { costUsd: call.costUsd } : {}),
            ...(r.stopped ? { stopped: r.stopped } : {}),
          };
          settled.add(i);
          emit({ type: 'referencer-done', reference: outcome });
          ctx.checks?.reply({ kind: 'referencer', model }, r.text);
          aggregations.arrive(outcome);
          okCount++;
          if (params.stragglerFactor > 0 && okCount === enough && okCount < models.length && deadline === undefined) {
            deadline = setTimeout(leaveOutStragglers, Math.max(STRAGGLER_MIN_MS, params.stragglerFactor * (now() - t0)));
          }
          return outcome;
        } catch (e) {
          settled.add(i);
          // A reply that reasoned and never answered fails, but its tokens were generated and are paid for.
          const spent = completedCallOf(e);
          if (spent) ledger.chat('referencer', model, spent);
          const leftOutAfter = late.get(i);
          if (leftOutAfter !== undefined) {
            const usage = ledger.partial('referencer', model, { prompt: estimatePromptTokens(sent), completion: estimateTokens(streamed[i] ?? '') }, deps.gateway.price(model), now() - started);
            const error = `late: left out after ${(leftOutAfter / 1000).toFixed(1)} s`;
            if (!signal.aborted) emit({ type: 'referencer-failed', model, error, kind: 'cancelled' });
            return { model, ok: false, late: true, error, errorKind: 'cancelled', latencyMs: now() - started, usage, text: '', reasoning: '' };
          }
          const error = errorMessage(e);
          const kind = errorKind(e);
          const endpoint = errorEndpoint(e);
          if (!signal.aborted) {
            emit({ type: 'referencer-failed', model, error, kind });
            aggregations.leftOut([model]);
          }
          return { model, ok: false, error, errorKind: kind, ...(endpoint !== undefined ? { errorEndpoint: endpoint } : {}), latencyMs: now() - started, usage: ZERO_USAGE, text: '', reasoning: '' };
        }
      }),
    );
  } finally {
    if (deadline !== undefined) clearTimeout(deadline);
    signal.removeEventListener('abort', stopAll);
  }
}
