/**
 * The `AskResult` of a finished run (one restored from history, or the one the user kept a reply of): the shared
 * fields as the run has them (runOutcome.ts), the mapped ones rebuilt from the run's own shape.
 */
import type { AskResult, CandidateOutcome, ReferenceOutcome, Timings } from '../core/contracts/events';
import { sharedOf } from './runOutcome';
import type { RunState } from './runState';

const ZERO_TIMINGS: Timings = { embedMs: 0, retrieveMs: 0, referencersMs: 0, aggregateMs: 0, scoreMs: 0, totalMs: 0 };

function referenceOutcome(r: RunState['referencers'][number]): ReferenceOutcome {
  return {
    model: r.model,
    ok: r.status === 'done',
    latencyMs: r.latencyMs ?? 0,
    usage: r.usage ?? { promptTokens: 0, completionTokens: 0 },
    text: r.text,
    reasoning: r.reasoning,
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.errorKind !== undefined ? { errorKind: r.errorKind } : {}),
    ...(r.costUsd !== undefined ? { costUsd: r.costUsd } : {}),
    ...(r.trimmed ? { trimmed: true } : {}),
    ...(r.stopped !== undefined ? { stopped: r.stopped } : {}),
    ...(r.checks !== undefined ? { checks: r.checks } : {}),
    ...(r.checkRuns !== undefined ? { checkRuns: r.checkRuns } : {}),
    ...(r.behaviour !== undefined ? { behaviour: r.behaviour } : {}),
  };
}

function candidateOutcome(c: RunState['candidates'][number]): CandidateOutcome {
  return {
    index: c.index,
    subset: c.subset,
    draws: c.draws ?? 1,
    ok: c.status === 'done',
    text: c.text,
    reasoning: c.reasoning ?? '',
    similarity: c.similarity ?? 0,
    perplexity: c.perplexity ?? null,
    total: c.total ?? 0,
    ...(c.error !== undefined ? { error: c.error } : {}),
    ...(c.errorKind !== undefined ? { errorKind: c.errorKind } : {}),
    ...(c.stopped !== undefined ? { stopped: c.stopped } : {}),
    ...(c.checks !== undefined ? { checks: c.checks } : {}),
    ...(c.checkRuns !== undefined ? { checkRuns: c.checkRuns } : {}),
    ...(c.behaviour !== undefined ? { behaviour: c.behaviour } : {}),
  };
}

/** Rebuilds the `AskResult` of a finished run; undefined while not done. */
export function resultFromRun(run: RunState): AskResult | undefined {
  if (run.status !== 'done' || run.winner === undefined || run.answer === undefined) return undefined;
  return {
    aggregator: '',
    selectedBy: 'score',
    bestByChecks: null,
    logprobsUsed: false,
    timings: ZERO_TIMINGS,
    usage: { promptTokens: 0, completionTokens: 0 },
    calls: [],
    costUsd: null,
    tokens: { prompt: 0, completion: 0 },
    conversation: { turns: 0, dropped: [] },
    cappedOutput: [],
    ...sharedOf(run),
    winner: run.winner,
    answer: run.answer,
    priors: run.priors,
    question: run.question,
    support: { count: run.supportCount ?? 0, ...(run.supportEffective !== undefined ? { effective: run.supportEffective } : {}) },
    referencers: run.referencers.map(referenceOutcome),
    candidates: run.candidates.map(candidateOutcome),
    trimmedReferences: run.referencers.filter((r) => r.trimmed).map((r) => r.model),
    ...(run.contextReport !== undefined ? { context: run.contextReport } : {}),
    ...(run.contextNotes !== undefined ? { contextNotes: run.contextNotes } : {}),
  };
}
