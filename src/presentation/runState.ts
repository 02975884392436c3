/**
 * The state of one question ("run") as seen by a user interface, derived from the pipeline's events by a
 * pure reducer. The extension host and the webview apply the same reducer to the same actions, so a
 * live-streamed run and a snapshot re-sent after the view is recreated always agree.
 */
import type { AskResult, CandidateOutcome, PipelineEvent, ReferenceOutcome, Spent } from '../core/contracts/events';
import type { PriorInfo } from '../core/contracts/priorSource';
import type { Behaviour, CheckRun, CheckSummary, ReplyRef } from '../core/contracts/checks';
import { sameReply } from './answerNames';
import type { OutputStop } from '../core/contracts/types';
import { sharedOf, type SharedOutcome } from './runOutcome';
import { followStream, type AnswerStream } from './streamedAnswer';
import type { ErrorKind, FailedEndpoint } from '../core/contracts/errors';
import type { TokenUsage } from '../core/contracts/types';
import type { ContextReport } from '../core/contracts/contextReport';
import type { GuardedContext } from '../core/secrets/secretGuard';

/** What a run reports of its context (for the webview, which imports only shared code). */
export type { ContextReport };

export type StageName = 'retrieve' | 'referencers' | 'aggregate' | 'score';
export const STAGES: readonly StageName[] = ['retrieve', 'referencers', 'aggregate', 'score'];

export type StageStatus = 'pending' | 'active' | 'done' | 'failed' | 'skipped';

export interface StageState {
  status: StageStatus;
  /** Epoch ms when the stage became active. */
  startedAt?: number;
  /** Epoch ms when the stage finished (done, failed or skipped). */
  endedAt?: number;
  /** Ms the user spent in a dialog while the stage was active (the model download's consent): not the stage's time. */
  waitedMs?: number;
}

/** How long a stage took (or has taken by `now`, while active), less the time the user spent in a dialog; undefined when it has no time. */
export function stageMs(stage: StageState, now: number): number | undefined {
  const end = stage.endedAt ?? (stage.status === 'active' ? now : undefined);
  if (stage.startedAt === undefined || end === undefined || stage.status === 'skipped') return undefined;
  return Math.max(0, end - stage.startedAt - (stage.waitedMs ?? 0));
}

export type ReplyStatus = 'waiting' | 'streaming' | 'done' | 'failed' | 'abandoned';

export interface ReferencerState {
  model: string;
  status: ReplyStatus;
  text: string;
  reasoning: string;
  latencyMs?: number;
  usage?: TokenUsage;
  costUsd?: number;
  error?: string;
  errorKind?: ErrorKind;
  trimmed?: boolean;
  /** Left out by the straggler deadline after this many ms (late is not wrong). */
  lateAfterMs?: number;
  /** SMCS stopped reading the reply (past max_tokens, or at the call's time limit) and kept it as far as it got. */
  stopped?: OutputStop;
  /** The call is waiting before another attempt (rate limited or retrying), since epoch ms `at`; cleared by the next delta. */
  waiting?: Waiting;
  /** Its code run on the checks. */
  checks?: CheckSummary;
  checkRuns?: CheckRun[];
  /** What it did on inputs derived from the examples, when the examples tied. */
  behaviour?: Behaviour;
}

export interface Waiting {
  ms: number;
  reason: string;
  at: number;
}

export interface CandidateState {
  index: number;
  subset: string[];
  /** How many of the n draws gave this subset (absent in runs stored before subsets were aggregated once each). */
  draws?: number;
  status: ReplyStatus;
  text: string;
  /** The aggregator's reasoning, when it reasons (absent in runs stored before it was kept). */
  reasoning?: string;
  latencyMs?: number;
  usage?: TokenUsage;
  error?: string;
  errorKind?: ErrorKind;
  /** SMCS stopped reading the aggregation and kept it as far as it got. */
  stopped?: OutputStop;
  waiting?: Waiting;
  similarity?: number;
  perplexity?: number | null;
  total?: number;
  /** Its code run on the checks. */
  checks?: CheckSummary;
  checkRuns?: CheckRun[];
  /** What it did on inputs derived from the examples, when the examples tied. */
  behaviour?: Behaviour;
}

export type RunStatus = 'running' | 'done' | 'error' | 'cancelled';

/** The cost limit an ask was sent under: `waived` when the user sent it anyway, over the expected cost. */
export interface CostLimit {
  maxUsd: number;
  waived: boolean;
}

/**
 * The editor a question was asked from, where Apply puts the kept reply's code: the file (its URI and name), the
 * selection the question was about and the cursor, as offsets into the file's text when it was asked.
 */
export interface AskOrigin {
  uri: string;
  name: string;
  /** The editor's language id (`typescript`): Apply offers a code block only to a file of its language. */
  languageId?: string;
  selection?: { start: number; end: number; text: string };
  cursor: number;
}

export interface RunState extends Partial<SharedOutcome> {
  id: string;
  /** The conversation this run is a turn of (a run that starts a thread has its own id as thread id). */
  threadId: string;
  question: string;
  /**
   * The selection the question was about (the chip's, or Ask About Selection's), as it was sent: its items screened for
   * secrets, and what the screen left out or redacted (also among `contextNotes`). A follow-up carries it again, a
   * retry sends it again with its notes, and the bank learns the question with it; it is among `contextReport` too.
   */
  selection?: GuardedContext;
  /** The editor the question was asked from (absent when no file was open). */
  origin?: AskOrigin;
  /** The code every model received (files, selection, problems, terminal, retrieved chunks), without its text. */
  contextReport?: ContextReport[];
  /** What could not be attached, and what the context budget cut ("utils.py lines 200–900 left out: context window"). */
  contextNotes?: string[];
  startedAt: number;
  finishedAt?: number;
  status: RunStatus;
  stages: Record<StageName, StageState>;
  supportCount?: number;
  /** How many questions of full weight the support set is worth (absent from runs that did not report it). */
  supportEffective?: number;
  priors: PriorInfo[];
  referencers: ReferencerState[];
  candidates: CandidateState[];
  /**
   * The aggregation whose words the answer card shows while the run is written (the first to write), and whether they
   * broke off; absent until one writes (presentation/liveAnswer.ts).
   */
  answerStream?: AnswerStream;
  /** The reply the user took instead of the run's answer (a candidate, or a referencer the checks offered); absent: the answer stands. */
  choice?: ReplyRef;
  /** smcs.maxCostPerQuestion when the ask was sent (absent without a limit). */
  costLimit?: CostLimit;
  /**
   * This run asks the question of run `runId` again with `models` added to the referencers ("Use them anyway" on the
   * models that run left out for want of labels); once it is answered, it stands for that run in the conversation.
   */
  askedAgain?: { runId: string; models: string[] };
  /**
   * Why the run failed; `endpoints`: the endpoints it failed at, when it was theirs; `retryAfterMs`: the wait their
   * server asked for; `serverStopping`: the SMCS server that ran it was shutting down (its message says what is counted).
   */
  error?: { message: string; kind: ErrorKind; causes: string[]; endpoints?: FailedEndpoint[]; retryAfterMs?: number; serverStopping?: true };
}

/** Everything that changes a run: a pipeline event, a user cancel, or a user choice. */
export type RunAction =
  | { type: 'event'; event: PipelineEvent; at: number }
  | { type: 'cancelled'; at: number }
  | { type: 'choose'; index: number | null }
  /** Take a referencer's reply as the answer (the checks favour it over every candidate). */
  | { type: 'use-reference'; model: string }
  /** The user spent `ms` in a dialog (the model download's consent) while the run went on: the active stage's timer leaves it out. */
  | { type: 'user-waited'; ms: number };

/**
 * Whether an untrusted value (a webview message, stored history) has the shape of a RunState: its identity,
 * status and the stage, prior, referencer and candidate collections. Field contents are not checked further.
 */
export function isRunState(v: unknown): v is RunState {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.id === 'string' &&
    typeof r.threadId === 'string' &&
    typeof r.question === 'string' &&
    typeof r.status === 'string' &&
    typeof r.stages === 'object' &&
    r.stages !== null &&
    Array.isArray(r.priors) &&
    Array.isArray(r.referencers) &&
    Array.isArray(r.candidates)
  );
}

/** A fresh run, before any event; `threadId` is the conversation it continues (its own id when it starts one). */
export function createRun(id: string, question: string, startedAt: number, threadId: string = id): RunState {
  return {
    id,
    threadId,
    question,
    startedAt,
    status: 'running',
    stages: {
      retrieve: { status: 'active', startedAt },
      referencers: { status: 'pending' },
      aggregate: { status: 'pending' },
      score: { status: 'pending' },
    },
    priors: [],
    referencers: [],
    candidates: [],
  };
}

function setStage(run: RunState, name: StageName, status: StageStatus, at: number): RunState {
  const prev = run.stages[name];
  if (prev.status === status) return run;
  const next: StageState = { ...prev, status };
  if (status === 'active' && next.startedAt === undefined) next.startedAt = at;
  if (status === 'done' || status === 'failed' || status === 'skipped') {
    if (next.startedAt === undefined) next.startedAt = at;
    next.endedAt = at;
  }
  return { ...run, stages: { ...run.stages, [name]: next } };
}

function updateReferencer(run: RunState, model: string, update: (r: ReferencerState) => ReferencerState): RunState {
  let found = false;
  const referencers = run.referencers.map((r) => {
    if (r.model !== model) return r;
    found = true;
    return update(r);
  });
  if (!found) referencers.push(update({ model, status: 'waiting', text: '', reasoning: '' }));
  return { ...run, referencers };
}

function updateCandidate(run: RunState, index: number, update: (c: CandidateState) => CandidateState): RunState {
  let found = false;
  const candidates = run.candidates.map((c) => {
    if (c.index !== index) return c;
    found = true;
    return update(c);
  });
  if (!found) {
    candidates.push(update({ index, subset: [], status: 'waiting', text: '' }));
    candidates.sort((a, b) => a.index - b.index);
  }
  return { ...run, candidates };
}

const isActiveReply = (s: ReplyStatus): boolean => s === 'waiting' || s === 'streaming';

/** Once aggregating has begun, the referencers stage ends with its last reply. */
function referencersSettled(run: RunState, at: number): RunState {
  if (run.stages.aggregate.status !== 'active' || run.referencers.some((r) => isActiveReply(r.status))) return run;
  return setStage(run, 'referencers', 'done', at);
}

/** Closes every stage still open, marking the given one failed and the rest skipped. */
function closeStages(run: RunState, at: number, failedStage: StageName | undefined): RunState {
  let next = run;
  for (const name of STAGES) {
    const status = next.stages[name].status;
    if (status === 'pending') next = setStage(next, name, 'skipped', at);
    else if (status === 'active') next = setStage(next, name, name === failedStage ? 'failed' : 'skipped', at);
  }
  return next;
}

function currentStage(run: RunState): StageName | undefined {
  return STAGES.find((s) => run.stages[s].status === 'active');
}

type EventOf<T extends PipelineEvent['type']> = Extract<PipelineEvent, { type: T }>;
type ReferencerEvent = EventOf<'referencer-started' | 'referencer-delta' | 'referencer-waiting' | 'referencer-done' | 'referencer-failed'>;
type AggregationEvent = EventOf<'aggregation-started' | 'aggregation-delta' | 'aggregation-waiting' | 'aggregation-done' | 'aggregation-failed'>;

function applyEvent(run: RunState, event: PipelineEvent, at: number): RunState {
  switch (event.type) {
    case 'embed':
      return run;
    case 'retrieve':
      return applyRetrieve(run, event, at);
    case 'referencer-started':
    case 'referencer-delta':
    case 'referencer-waiting':
    case 'referencer-done':
    case 'referencer-failed':
      return referencersSettled(
        updateReferencer(run, event.type === 'referencer-done' ? event.reference.model : event.model, (r) => nextReferencer(event.type === 'referencer-waiting' ? r : pastWait(r), event, at)),
        at,
      );
    case 'referencers-abandoned':
      return referencersSettled(
        {
          ...run,
          referencers: run.referencers.map((r) => (event.models.includes(r.model) && isActiveReply(r.status) ? { ...r, status: 'abandoned', lateAfterMs: event.afterMs } : r)),
        },
        at,
      );
    case 'subsets': {
      // Aggregations start as their references arrive: the subsets may come while referencers still answer, and come
      // again (replacing the first) when one failed or was left out late.
      const next: RunState = {
        ...run,
        aggregator: event.aggregator,
        candidates: event.subsets.map((subset, index) => ({ index, subset, draws: event.draws[index] ?? 1, status: 'waiting', text: '' })),
      };
      return referencersSettled(setStage(next, 'aggregate', 'active', at), at);
    }
    case 'aggregation-started':
    case 'aggregation-delta':
    case 'aggregation-waiting':
    case 'aggregation-done':
    case 'aggregation-failed':
      return updateCandidate(run, event.index, (c) => nextCandidate(event.type === 'aggregation-waiting' ? c : pastWait(c), event, at));
    case 'checks':
      return { ...run, checkSet: event.checkSet };
    case 'reply-checked': {
      const checked = { checks: event.checks, checkRuns: event.runs };
      return event.reply.kind === 'referencer'
        ? updateReferencer(run, event.reply.model, (r) => ({ ...r, ...checked }))
        : updateCandidate(run, event.reply.index, (c) => ({ ...c, ...checked }));
    }
    case 'scored':
      return applyScores(run, event, at);
    case 'done':
      return applyDone(run, event.result, at);
    case 'error': {
      if (event.kind === 'cancelled') return withSpent(reduceRun(run, { type: 'cancelled', at }), event.spent);
      const failed = currentStage(run);
      const next: RunState = { ...run, status: 'error', finishedAt: at, error: { message: event.message, kind: event.kind, causes: event.causes, ...(event.endpoints ? { endpoints: event.endpoints } : {}), ...(event.retryAfterMs !== undefined ? { retryAfterMs: event.retryAfterMs } : {}), ...(event.serverStopping ? { serverStopping: true } : {}) } };
      return withSpent(closeStages(next, at, failed), event.spent);
    }
  }
}

/** A run that ended without an answer keeps what it paid for: the calls that returned before it failed or was stopped. */
function withSpent(run: RunState, spent: Spent | undefined): RunState {
  if (spent === undefined || spent.calls.length === 0) return run;
  return { ...run, calls: spent.calls, costUsd: spent.costUsd, tokens: spent.tokens };
}

function applyRetrieve(run: RunState, event: EventOf<'retrieve'>, at: number): RunState {
  const next: RunState = {
    ...run,
    supportCount: event.supportCount,
    priors: event.priors,
    referencers: event.referencers.map((model) => ({ model, status: 'waiting', text: '', reasoning: '' })),
  };
  if (event.supportEffective !== undefined) next.supportEffective = event.supportEffective;
  if (event.fallback) next.selectionFallback = event.fallback;
  if (event.routing) next.routing = event.routing;
  if (event.context) {
    next.contextReport = event.context.items;
    const notes = [...new Set([...(run.contextNotes ?? []), ...event.context.notes])];
    if (notes.length > 0) next.contextNotes = notes;
  }
  return setStage(setStage(next, 'retrieve', 'done', at), 'referencers', 'active', at);
}

/** Any news from a call but another wait ends its wait. */
function pastWait(item: ReferencerState): ReferencerState;
function pastWait(item: CandidateState): CandidateState;
function pastWait(item: ReferencerState | CandidateState): ReferencerState | CandidateState {
  const { waiting: _ended, ...rest } = item;
  return rest;
}

function nextReferencer(r: ReferencerState, event: ReferencerEvent, at: number): ReferencerState {
  switch (event.type) {
    case 'referencer-started':
      return { ...r, status: 'streaming' };
    case 'referencer-delta':
      return event.kind === 'text' ? { ...r, status: 'streaming', text: r.text + event.text } : { ...r, status: 'streaming', reasoning: r.reasoning + event.text };
    case 'referencer-waiting':
      return { ...r, waiting: { ms: event.ms, reason: event.reason, at } };
    case 'referencer-done': {
      const ref = event.reference;
      // The final split is authoritative: a lone </think> turns text streamed so far into reasoning.
      const next: ReferencerState = { ...r, status: ref.ok ? 'done' : 'failed', text: ref.text, reasoning: ref.reasoning, latencyMs: ref.latencyMs, usage: ref.usage };
      if (ref.costUsd !== undefined) next.costUsd = ref.costUsd;
      if (ref.error !== undefined) next.error = ref.error;
      if (ref.errorKind !== undefined) next.errorKind = ref.errorKind;
      if (ref.trimmed) next.trimmed = true;
      if (ref.stopped) next.stopped = ref.stopped;
      return next;
    }
    case 'referencer-failed':
      // A straggler is abandoned first and then fails when its request is aborted: it stays 'abandoned'.
      return { ...r, status: r.status === 'abandoned' ? 'abandoned' : 'failed', error: event.error, errorKind: event.kind };
  }
}

function nextCandidate(c: CandidateState, event: AggregationEvent, at: number): CandidateState {
  switch (event.type) {
    case 'aggregation-started':
      return { ...c, subset: event.subset, status: 'streaming' };
    case 'aggregation-delta':
      return { ...c, status: 'streaming', text: c.text + event.text };
    case 'aggregation-waiting':
      return { ...c, waiting: { ms: event.ms, reason: event.reason, at } };
    case 'aggregation-done':
      return { ...c, status: 'done', text: event.text, reasoning: event.reasoning, latencyMs: event.latencyMs, usage: event.usage, ...(event.stopped ? { stopped: event.stopped } : {}) };
    case 'aggregation-failed':
      return { ...c, status: 'failed', error: event.error, errorKind: event.kind };
  }
}

function applyScores(run: RunState, event: EventOf<'scored'>, at: number): RunState {
  const byIndex = new Map(event.candidates.map((c) => [c.index, c]));
  const next: RunState = {
    ...run,
    winner: event.winner,
    logprobsUsed: event.logprobsUsed,
    ...(event.selectedBy !== undefined ? { selectedBy: event.selectedBy } : {}),
    ...(event.bestByChecks !== undefined ? { bestByChecks: event.bestByChecks } : {}),
    candidates: run.candidates.map((c) => {
      const scored = byIndex.get(c.index);
      if (!scored) return c;
      const merged: CandidateState = { ...c, similarity: scored.similarity, perplexity: scored.perplexity, total: scored.total, ...checksOf(scored) };
      if (!scored.ok && c.status !== 'failed') {
        merged.status = 'failed';
        if (scored.error !== undefined) merged.error = scored.error;
        if (scored.errorKind !== undefined) merged.errorKind = scored.errorKind;
      }
      return merged;
    }),
  };
  // Nothing to score: a reply answers without aggregation (the referencers agreed, or the cost limit left none).
  if (event.candidates.length === 0) return setStage(setStage(setStage(next, 'referencers', 'done', at), 'aggregate', 'skipped', at), 'score', 'skipped', at);
  // Every aggregation failed (a reference answers): the stage failed, its dot says so beside "all 3 failed".
  const written = next.candidates.some((c) => c.status === 'done');
  return setStage(setStage(setStage(next, 'aggregate', written ? 'done' : 'failed', at), 'score', 'active', at), 'score', 'done', at);
}

/** The check fields of an outcome (its runs, and its behaviour on derived inputs), to copy onto a card's state. */
function checksOf(outcome: CandidateOutcome | ReferenceOutcome): Pick<CandidateState, 'checks' | 'checkRuns' | 'behaviour'> {
  return {
    ...(outcome.checks ? { checks: outcome.checks, ...(outcome.checkRuns ? { checkRuns: outcome.checkRuns } : {}) } : {}),
    ...(outcome.behaviour ? { behaviour: outcome.behaviour } : {}),
  };
}

function applyDone(run: RunState, result: AskResult, at: number): RunState {
  const checksByModel = new Map(result.referencers.map((r) => [r.model, checksOf(r)]));
  let next: RunState = {
    ...run,
    ...sharedOf(result),
    priors: result.priors,
    status: 'done',
    finishedAt: at,
    referencers: run.referencers.map((r) => ({ ...r, ...checksByModel.get(r.model) })),
    supportCount: result.support.count,
    ...(result.support.effective !== undefined ? { supportEffective: result.support.effective } : {}),
  };
  if (next.candidates.length === 0 && result.candidates.length > 0) {
    next.candidates = result.candidates.map((c) => ({
      index: c.index,
      subset: c.subset,
      draws: c.draws,
      status: c.ok ? 'done' : 'failed',
      text: c.text,
      similarity: c.similarity,
      perplexity: c.perplexity,
      total: c.total,
      ...checksOf(c),
    }));
  }
  for (const name of STAGES) {
    if (next.stages[name].status === 'active') next = setStage(next, name, 'done', at);
  }
  return closeStages(next, at, undefined);
}

/** The run with the aggregation its answer card shows followed through `event` (streamedAnswer followStream). */
function followAnswer(run: RunState, event: PipelineEvent): RunState {
  const answerStream = followStream(run.answerStream, event);
  return answerStream === run.answerStream ? run : { ...run, answerStream };
}

function finishedReplies<T extends { status: ReplyStatus }>(items: T[]): T[] {
  return items.map((item) => (isActiveReply(item.status) ? { ...item, status: 'abandoned' } : item));
}

/** Applies one action to a run. Pure: returns a new state and never mutates its input. */
export function reduceRun(run: RunState, action: RunAction): RunState {
  switch (action.type) {
    case 'event': {
      const event = action.event;
      // Stop ends a run at once; the pipeline's own end comes after it, with the calls paid for until then.
      if (run.status === 'cancelled' && run.calls === undefined && event.type === 'error' && event.kind === 'cancelled') return withSpent(run, event.spent);
      if (run.status !== 'running') return run;
      return followAnswer(applyEvent(run, event, action.at), event);
    }
    case 'user-waited': {
      const active = currentStage(run);
      if (run.status !== 'running' || active === undefined || !(action.ms > 0)) return run;
      const stage = run.stages[active];
      return { ...run, stages: { ...run.stages, [active]: { ...stage, waitedMs: (stage.waitedMs ?? 0) + action.ms } } };
    }
    case 'cancelled': {
      if (run.status !== 'running') return run;
      const next: RunState = {
        ...run,
        status: 'cancelled',
        finishedAt: action.at,
        referencers: finishedReplies(run.referencers),
        candidates: finishedReplies(run.candidates),
      };
      return closeStages(next, action.at, undefined);
    }
    case 'choose': {
      if (run.status !== 'done') return run;
      const { choice: _previous, ...rest } = run;
      // Choosing the candidate the run answers with is a revert; the winner is not it when a reference answers.
      if (action.index === null || sameReply(run.answer?.reply, { kind: 'candidate', index: action.index })) return rest;
      const candidate = run.candidates.find((c) => c.index === action.index);
      if (!candidate || candidate.status !== 'done') return run;
      return { ...rest, choice: { kind: 'candidate', index: action.index } };
    }
    case 'use-reference': {
      if (run.status !== 'done') return run;
      const reference = run.referencers.find((r) => r.model === action.model);
      if (!reference || reference.status !== 'done' || reference.text === '') return run;
      return { ...run, choice: { kind: 'referencer', model: action.model } };
    }
  }
}

/** How the replies of a stage ended: answered, failed, stopped (by Stop), left out late (the straggler deadline), out of how many. */
export interface ReplyCounts {
  ok: number;
  failed: number;
  stopped: number;
  late: number;
  total: number;
}

function replyCounts(items: readonly { status: ReplyStatus; lateAfterMs?: number }[]): ReplyCounts {
  const count = (status: ReplyStatus): number => items.filter((i) => i.status === status).length;
  const late = items.filter((i) => i.status === 'abandoned' && i.lateAfterMs !== undefined).length;
  return { ok: count('done'), failed: count('failed'), stopped: count('abandoned') - late, late, total: items.length };
}

/**
 * The referencers a run still waits for once every other has answered or given up (at most two of them), and how long
 * since the last reply came in ms; undefined otherwise (the stage strip says "waiting for model-d, 3.1 s, others done").
 */
export function waitingFor(run: RunState, now: number): { models: string[]; ms: number } | undefined {
  const stage = run.stages.referencers;
  if (run.status !== 'running' || stage.status !== 'active' || stage.startedAt === undefined) return undefined;
  const pending = run.referencers.filter((r) => isActiveReply(r.status));
  const answered = run.referencers.filter((r) => r.status === 'done');
  if (pending.length === 0 || pending.length > 2 || answered.length === 0) return undefined;
  const lastReply = stage.startedAt + Math.max(...answered.map((r) => r.latencyMs ?? 0));
  return { models: pending.map((r) => r.model), ms: Math.max(0, now - lastReply) };
}

/** The counters of the stage strip's reply stages: the references and the candidates. */
export function stageCounts(run: RunState): { referencers: ReplyCounts; aggregate: ReplyCounts } {
  return { referencers: replyCounts(run.referencers), aggregate: replyCounts(run.candidates) };
}
