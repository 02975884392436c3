/**
 * One SMCS ask as an async stream of typed events (paper §3):
 * embed → retrieve (RPS) → referencers in parallel → prior-drop subsets → n aggregations → hybrid score → done.
 * Each stage is a function of what the stages before it made (routing → RoutedAsk, referencers → replies, aggregation
 * → candidates, checks → report, choice → answer), threaded here; the ask's shared context is made once and never
 * changed. An aggregation starts once its subset's references are in (aggregationStage), not after the slowest
 * referencer. For code questions, replies are run on the question's checks as they arrive (askChecks) and the checks
 * choose. Pure orchestration: all I/O goes through the Embedder, PriorSource, LlmGateway and CheckRunner ports.
 */
import { AsyncQueue } from '../util/asyncQueue';
import { at } from '../util/arrays';
import { decide, putFirst } from '../checks/decision';
import { chooseByAnswers } from './answerChoice';
import { answerShape } from '../grading/finalAnswer';
import { aggregationsAfter, answerConsensus, nearIdenticalThreshold, similarityConsensus, type Consensus } from '../posterior/consensus';
import { totalCost, totalTokens } from '../cost/costs';
import { commonKind, errorEndpoint, errorKind, errorMessage, failedEndpoints, type FailedEndpoint } from '../contracts/errors';
import type { AskResult, PipelineEvent, ReferenceOutcome } from '../contracts/events';
import { refuseOversizedPrompt } from './promptSize';
import { fixedTokens } from './fitPrompt';
import { openAsk, prepareAsk, type AskPlan, type PlannedRoute } from './prepareAsk';
import { AggregationStage } from './aggregationStage';
import { startChecks } from './askChecks';
import { scoreCandidates } from './candidateScores';
import { referencerReplies } from './referencerStage';
import { routedAsk } from './routedAsk';
import { CancelledError, checkCancelled, type Ledger, type AskContext, type PipelineDeps, type PipelineInput, type PipelineRouting } from './askState';

export type { AskPlan, PipelineDeps, PipelineInput, PipelineRouting };

/** The error event's `endpoints`, present when the failures were any endpoint's. */
function endpointsOf(ids: readonly (string | undefined)[]): { endpoints?: FailedEndpoint[] } {
  const endpoints = failedEndpoints(ids);
  return endpoints.length > 0 ? { endpoints } : {};
}

/**
 * Prepares and runs one ask (prepareAsk.ts, then runPrepared) without a cost verdict between them; the stream always
 * ends with `done` or `error` (cancellation is an `error` of kind `cancelled`).
 */
export function runPipeline(input: PipelineInput, deps: PipelineDeps, signal: AbortSignal): AsyncIterable<PipelineEvent> {
  const opened = openAsk(deps);
  return streamOf(opened.ledger, signal, async (emit) => {
    const plan = await prepareAsk(input, opened, signal);
    if (plan.refusal) throw plan.refusal;
    await execute(plan, plan.limited, signal, emit);
  });
}

/**
 * Runs a prepared ask by the routing its cost verdict chose (core/ask/askLoop): `limited`, the models and aggregations
 * within the limit, or `uncut`, what the user sent whatever the limit says; the same events as runPipeline. A plan runs
 * once: its ledger is the run's. The verdict is the loop's: a plan nothing fits within the limit is never run `limited`.
 */
export function runPrepared(plan: AskPlan, signal: AbortSignal, route: 'limited' | 'uncut'): AsyncIterable<PipelineEvent> {
  if (route === 'limited' && plan.refusal) throw new Error(`a plan that nothing fits within the limit runs only uncut: ${plan.refusal.message}`);
  return streamOf(plan.ledger, signal, (emit) => execute(plan, route === 'limited' ? plan.limited : plan.uncut, signal, emit));
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

async function execute(plan: AskPlan, chosen: PlannedRoute, signal: AbortSignal, emit: (e: PipelineEvent) => void): Promise<void> {
  const { input, deps, ledger } = plan;
  const now = deps.now ?? (() => performance.now());
  if (signal.aborted) throw new CancelledError();
  const t0 = now() - plan.embedMs - plan.retrieveMs;
  const tEmbed = t0 + plan.embedMs;
  emit({ type: 'embed', ms: plan.embedMs });
  // The routing may choose another aggregator and fewer aggregations (cost limit): every later stage reads its input.
  const route = routedAsk(input, chosen);
  const { routing, priorOf, contextReport } = route;
  const { priors, referencers, fallback } = routing;
  const ctx: AskContext = { input: route.input, deps, signal, emit, now, history: input.history ?? [], user: chosen.user, selected: chosen.selected, ledger };
  // The user message is the question, then the context (core/ask/prompts userMessage).
  if (chosen.user.content.startsWith(input.question)) ledger.carriesContext(chosen.user.content.slice(input.question.length));
  const tRetrieve = now();
  // Once the models are chosen, each must take the question with its context (core/ask/promptSize).
  for (const model of [...referencers, routing.aggregator]) refuseOversizedPrompt(model, thisTurnTokens(ctx), deps.gateway.contextWindow(model));
  emit({ type: 'retrieve', ms: tRetrieve - tEmbed, supportCount: routing.supportCount, supportEffective: routing.supportEffective, priors, referencers, ...(fallback ? { fallback } : {}), estimates: routing.estimates, routing: route.summary, ...(contextReport ? { context: contextReport } : {}) });
  const checks = startChecks(ctx, route.referencerPriors);

  // Aggregations start as their references arrive, unless how many run depends on the replies (the agreement shortcut).
  const stage = new AggregationStage(ctx, referencers, priorOf, !shortcutApplies(route.input), checks);
  let outcomes: ReferenceOutcome[];
  try {
    outcomes = await referencerReplies(ctx, referencers, checks, stage);
    checkCancelled(ctx);
  } catch (e) {
    await stage.stopAll();
    throw e;
  }
  const tReferencers = now();
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

  const planned = route.input.params.n;
  const consensus = await consensusOf(ctx, arrived);
  const aggregations = consensus ? aggregationsAfter(consensus, planned) : planned;
  // No aggregation (the referencers agree, or the cost limit leaves one reply): the reply ranked first answers.
  const direct = aggregations === 0;
  // A majority's one aggregation reads exactly the agreeing replies (consensusOf keeps a partial consensus only then).
  const majority = aggregations === 1 && consensus !== null && consensus.agreeing < consensus.of;
  const made = direct ? [] : await stage.finish(arrived, aggregations, majority ? consensus.members.map((i) => at(arrived, i)) : undefined);
  const { trimmedModels } = stage;
  const tAggregate = now();

  const scored = await scoreCandidates(ctx, made);
  const tScore = now();
  const checked = (await checks?.settle()) ?? null;
  checkCancelled(ctx);
  const tChecks = now();
  const ranked = decide(scored.candidates, outcomes, checked, priorOf);
  // A question with a final answer, no checks and aggregations that answered: the final answers choose
  // (core/ask/answerChoice), their pick first in the ranking. When every aggregation failed the fallback says so.
  // When every referencer states the same answer (the agreement shortcut), the same choice shows it: the reply that
  // states it plainly, in the asked form — not the highest-prior one that names five other options on the way.
  const voted = checked || (direct ? consensus?.basis !== 'answer' : ranked.winner === -1);
  const byAnswers = voted ? null : chooseByAnswers({ question: input.question, arrived, candidates: ranked.candidates, priors, aggregator: route.input.aggregator, support: plan.support, ...(input.routing?.priorShrinkage ? { shrinkage: input.routing.priorShrinkage } : {}), ...(deps.sameMath ? { same: deps.sameMath } : {}) });
  const decision = byAnswers ? putFirst(ranked, byAnswers.picks, direct ? ranked.selectedBy : 'agreement') : ranked;
  const { selectedBy, bestByChecks } = decision;
  emit({ type: 'scored', candidates: decision.candidates, winner: decision.winner, logprobsUsed: scored.logprobsUsed, selectedBy, bestByChecks });

  const { calls } = ledger;
  const result: AskResult = {
    question: input.question,
    support: { count: routing.supportCount, effective: routing.supportEffective },
    priors,
    ...(fallback ? { selectionFallback: fallback } : {}),
    referencers: decision.referencers.map((o) => (trimmedModels.has(o.model) ? { ...o, trimmed: true } : o)),
    // The routing may have chosen another aggregator than the configured one: the result names the one that ran.
    aggregator: route.input.aggregator,
    candidates: decision.candidates,
    winner: decision.winner,
    selectedBy,
    bestByChecks,
    ...(checked ? { checkSet: checked.checkSet } : {}),
    answer: { reply: decision.answer, because: direct ? (consensus ? 'agreement' : 'routed') : byAnswers ? 'agreement' : decision.winner === -1 ? 'fallback' : decision.answer.kind === 'referencer' || selectedBy !== 'score' ? 'checks' : 'score' },
    ...(decision.answerOrder.length > 0 ? { answerOrder: decision.answerOrder } : {}),
    routing: route.summary,
    ...(byAnswers && !direct ? { agreement: byAnswers.agreement } : consensus ? { agreement: { basis: consensus.basis, ...(consensus.answer !== undefined ? { answer: consensus.answer } : {}), ...(consensus.similarity !== undefined ? { similarity: consensus.similarity } : {}), agreeing: consensus.agreeing, of: consensus.of } } : {}),
    savedCalls: planned - aggregations,
    logprobsUsed: scored.logprobsUsed,
    trimmedReferences: [...trimmedModels],
    timings: {
      embedMs: tEmbed - t0,
      retrieveMs: tRetrieve - tEmbed,
      referencersMs: tReferencers - tRetrieve,
      aggregateMs: tAggregate - tReferencers,
      scoreMs: tScore - tAggregate,
      totalMs: tChecks - t0,
      ...(checks ? { checksMs: tChecks - tScore } : {}),
    },
    usage: ledger.chatUsage,
    calls,
    costUsd: totalCost(calls),
    tokens: totalTokens(calls),
    conversation: { turns: ctx.history.length, dropped: ledger.droppedTurns },
    ...(contextReport ? { context: contextReport.items, contextNotes: contextReport.notes } : {}),
    cappedOutput: ledger.cappedOutput,
    ...(ledger.stoppedOutput.length > 0 ? { stoppedOutput: ledger.stoppedOutput } : {}),
  };
  emit({ type: 'done', result });
}

/** Tokens every chat of this turn sends at the least: the asker's system text and this turn's user message (earlier turns may be left out). */
function thisTurnTokens(ctx: AskContext): number {
  return fixedTokens({ system: ctx.input.system ? [ctx.input.system] : [], question: [ctx.user.content] });
}

/**
 * Whether the agreement shortcut may decide how many aggregations run: `true` on every question; `answers` (the default
 * in `quality`) on questions that list options — the shape the replays measured (MMLU-Pro). Every other question keeps
 * its aggregations' early start, which waiting for every reply gives up (a code question streams sooner): a yes-or-no
 * or a name question too, whose replies' "yes" or name the consensus does not read without the question, so waiting
 * there saved nothing — and a how-to question ending "Is there a way to …?" reads as yes-or-no.
 */
function shortcutApplies(input: PipelineInput): boolean {
  const shortcut = input.routing?.agreementShortcut ?? false;
  return shortcut === 'answers' ? answerShape(input.question).kind === 'choice' : shortcut;
}

/**
 * The referencers' consensus (the agreement shortcut), when it is on and two or more replies arrived: their final answers, else
 * (no reply states one) the similarity of the replies, embedded once; null when they do not agree enough to save a call.
 */
async function consensusOf(ctx: AskContext, arrived: readonly ReferenceOutcome[]): Promise<Consensus | null> {
  if (!shortcutApplies(ctx.input) || arrived.length < 2 || ctx.input.params.n === 0) return null;
  const texts = arrived.map((o) => o.text);
  const byAnswer = answerConsensus(texts);
  if (byAnswer) return aggregationsAfter(byAnswer, ctx.input.params.n) < ctx.input.params.n ? byAnswer : null;
  if (ctx.input.routing?.agreementShortcut === 'answers') return null;
  const vectors = await ctx.deps.embedder.embed(texts, ctx.signal);
  checkCancelled(ctx);
  return similarityConsensus(vectors, nearIdenticalThreshold(ctx.deps.embedder.id));
}
