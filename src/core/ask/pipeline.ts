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
import { decide, putFirst } from '../checks/selection';
import { chooseByAnswers } from './answerChoice';
import { CheckStage, type TestWriter } from '../checks/stage';
import { reportOf } from '../context/contextItem';
import { aggregationsAfter, answerAgreement, nearIdenticalThreshold, similarityAgreement, type Agreement } from '../posterior/agreement';
import { turnMessages } from './conversation';
import { fitPrompt, fixedTokens } from './fitPrompt';
import { totalCost, totalTokens } from '../cost/costs';
import { commonKind, errorEndpoint, errorKind, errorMessage, failedEndpoints, type FailedEndpoint } from '../contracts/errors';
import type { AskResult, CandidateOutcome, PipelineEvent, ReferenceOutcome, RoutingSummary } from '../contracts/events';
import { hybridScores } from '../posterior/hybridScore';
import { MODEL_TESTS_MAX_TOKENS, modelTestsMessages, parseModelTests } from '../checks/modelTests';
import { userMessage } from './prompts';
import type { PriceRoutingResult } from '../routing/priceRouting';
import { estimatePromptTokens, estimateTokens } from '../util/tokens';
import { refuseOversizedPrompt } from './promptSize';
import { openAsk, prepareAsk, type AskPlan } from './prepareAsk';
import { STRAGGLER_MIN_MS, type ChatMessage, type ChatResult, type TokenUsage } from '../contracts/types';
import { AggregationStage, type Aggregation } from './aggregationStage';
import { CancelledError, checkCancelled, type Ledger, completedCallOf, type AskContext, type PipelineDeps, type PipelineInput, type PipelineRouting } from './askState';

export type { AskPlan, PipelineDeps, PipelineInput, PipelineRouting };

/** The error event's `endpoints`, present when the failures were any endpoint's. */
function endpointsOf(ids: readonly (string | undefined)[]): { endpoints?: FailedEndpoint[] } {
  const endpoints = failedEndpoints(ids);
  return endpoints.length > 0 ? { endpoints } : {};
}

const ZERO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0 };

/**
 * Prepares and runs one ask (prepareAsk.ts, then runPrepared) without a cost verdict between them; the stream always
 * ends with `done` or `error` (cancellation is an `error` of kind `cancelled`).
 */
export function runPipeline(input: PipelineInput, deps: PipelineDeps, signal: AbortSignal): AsyncIterable<PipelineEvent> {
  const opened = openAsk(deps);
  return streamOf(opened.ledger, signal, async (emit) => execute(await prepareAsk(input, opened, signal), signal, emit, false));
}

/**
 * Runs a prepared ask: its limited routing, or with `waive` (the user chose to send it whatever the limit says) its
 * uncut one; the same events as runPipeline. A plan runs once: its ledger is the run's.
 */
export function runPrepared(plan: AskPlan, signal: AbortSignal, waive: boolean): AsyncIterable<PipelineEvent> {
  return streamOf(plan.ledger, signal, (emit) => execute(plan, signal, emit, waive));
}

/** The events of `work` as a stream that ends with `done` or `error`; a failed or stopped ask reports what `ledger` holds. */
function streamOf(ledger: Ledger, signal: AbortSignal, work: (emit: (e: PipelineEvent) => void) => Promise<void>): AsyncIterable<PipelineEvent> {
  const queue = new AsyncQueue<PipelineEvent>();
  void work((e) => queue.push(e))
    .catch((e: unknown) => {
      if (signal.aborted || e instanceof CancelledError) queue.push({ type: 'error', message: 'Cancelled', kind: 'cancelled', causes: [], spent: ledger.spent });
      else queue.push({ type: 'error', message: errorMessage(e), kind: errorKind(e), causes: [], spent: ledger.spent, ...endpointsOf([errorEndpoint(e)]) });
    })
    .finally(() => queue.close());
  return queue;
}

async function execute(plan: AskPlan, signal: AbortSignal, emit: (e: PipelineEvent) => void, waive: boolean): Promise<void> {
  const { input, deps, ledger } = plan;
  const chosen = waive ? plan.uncut : plan.limited;
  const ctx: AskContext = { input, deps, signal, emit, now: deps.now ?? (() => performance.now()), history: input.history ?? [], user: chosen.user, selected: chosen.selected, ledger };
  checkCancelled(ctx);
  const t0 = ctx.now() - plan.embedMs - plan.retrieveMs;
  const tEmbed = t0 + plan.embedMs;
  emit({ type: 'embed', ms: plan.embedMs });
  if (plan.refusal && !waive) throw plan.refusal;
  const selection = chosen.routing;
  const tRetrieve = ctx.now();
  const { priors, referencers, fallback } = selection;
  const routing = routingSummary(selection);
  // The routing may choose another aggregator and fewer aggregations (cost limit): every later stage reads them here.
  ctx.input = { ...input, aggregator: selection.aggregator, params: { ...input.params, n: selection.aggregations } };
  const context = chosen.context;
  // A value screened twice (a selection, and the small file it is in) is told once.
  const contextNotes = [...new Set([...(input.contextNotes ?? []), ...(context?.notes ?? [])])];
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

  const planned = ctx.input.params.n;
  const agreement = await agreementOf(ctx, arrived);
  ctx.input = { ...ctx.input, params: { ...ctx.input.params, n: agreement ? aggregationsAfter(agreement, planned) : planned } };
  // No aggregation (the referencers agree, or the cost limit leaves one reply): the reply ranked first answers.
  const direct = ctx.input.params.n === 0;
  const aggregations = direct ? [] : await stage.finish(arrived);
  const { trimmedModels } = stage;
  const tAggregate = ctx.now();

  const scored = await scoreCandidates(ctx, aggregations);
  const tScore = ctx.now();
  const checked = (await ctx.checks?.settle()) ?? null;
  checkCancelled(ctx);
  const tChecks = ctx.now();
  const ranked = decide(scored.candidates, outcomes, checked, priorOf);
  // A question with a final answer, no checks and aggregations that answered: the final answers choose
  // (core/ask/answerChoice), their pick first in the ranking. When every aggregation failed the fallback says so.
  const byAnswers = checked || direct || ranked.winner === -1 ? null : chooseByAnswers({ question: input.question, arrived, candidates: ranked.candidates, priors, aggregator: ctx.input.aggregator, support: plan.support, ...(input.routing?.priorShrinkage ? { shrinkage: input.routing.priorShrinkage } : {}), ...(deps.sameMath ? { same: deps.sameMath } : {}) });
  const decision = byAnswers ? putFirst(ranked, byAnswers.picks, 'agreement') : ranked;
  const { selectedBy, bestByChecks } = decision;
  emit({ type: 'scored', candidates: decision.candidates, winner: decision.winner, logprobsUsed: scored.logprobsUsed, selectedBy, bestByChecks });

  const { calls } = ctx.ledger;
  const result: AskResult = {
    question: input.question,
    support: { count: selection.supportCount, effective: selection.supportEffective },
    priors,
    ...(fallback ? { selectionFallback: fallback } : {}),
    referencers: decision.referencers.map((o) => (trimmedModels.has(o.model) ? { ...o, trimmed: true } : o)),
    // The routing may have chosen another aggregator than the configured one: the result names the one that ran.
    aggregator: ctx.input.aggregator,
    candidates: decision.candidates,
    winner: decision.winner,
    selectedBy,
    bestByChecks,
    ...(checked ? { checkSet: checked.checkSet } : {}),
    answer: { reply: decision.answer, because: direct ? (agreement ? 'agreement' : 'routed') : byAnswers ? 'agreement' : decision.winner === -1 ? 'fallback' : decision.answer.kind === 'referencer' ? 'checks' : selectedBy },
    ...(decision.answerOrder.length > 0 ? { answerOrder: decision.answerOrder } : {}),
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
  return fixedTokens({ system: ctx.input.system ? [ctx.input.system] : [], question: [ctx.user.content] });
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
  const vectors = await ctx.deps.embedder.embed(texts, ctx.signal);
  checkCancelled(ctx);
  return similarityAgreement(vectors, nearIdenticalThreshold(ctx.deps.embedder.id));
}

/** Stage 6: the hybrid score over the candidates that succeeded (the ranking orders them by it, decide in checks/selection). */
async function scoreCandidates(ctx: AskContext, aggregations: readonly Aggregation[]): Promise<{ candidates: CandidateOutcome[]; logprobsUsed: boolean }> {
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
  if (succeeded.length === 0) return { candidates, logprobsUsed: false };
  const vectors = await ctx.deps.embedder.embed(
    succeeded.map((a) => a.result.text),
    ctx.signal,
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
  return { candidates, logprobsUsed: scored.logprobsUsed };
}

/** One referencer's request: the asker's system message, the earlier turns and this question, fitted to the model's window. */
function referencerRequest(ctx: AskContext, model: string): { messages: ChatMessage[]; maxTokens: number } {
  const { maxTokens } = ctx.input.params;
  const system: ChatMessage[] = ctx.input.system ? [{ role: 'system', content: ctx.input.system }] : [];
  const fitted = fitPrompt({ system: system.map((m) => m.content), question: [ctx.user.content], conversation: ctx.history }, { window: ctx.deps.gateway.contextWindow(model), maxTokens });
  ctx.ledger.fitted('referencer', model, fitted.droppedTurns, fitted.maxTokens, maxTokens);
  return { messages: [...system, ...turnMessages(fitted.turns), ctx.user], maxTokens: fitted.maxTokens };
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
