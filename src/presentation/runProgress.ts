/**
 * Where a run stands, read from its state: the one reading of an ask's progress. The pipeline's events are reduced
 * once, by `reduceRun` (runState.ts); the panel's stage strip, the CLI's progress line and the server's keep-alive
 * comments all read the state that gives, so they count replies the same way. `RunTracker` is that reduction for a
 * front end that only follows one run (the CLI, the server).
 */
import type { PipelineEvent } from '../core/contracts/events';
import type { CheckSource } from '../core/contracts/checks';
import { createRun, reduceRun, stageCounts, type ReplyCounts, type RunState } from './runState';

/** What the run is doing now, in the order an ask goes through it. */
export type RunPhase = 'embedding' | 'referencers' | 'aggregations' | 'checks' | 'scored';

export interface RunProgress {
  phase: RunPhase;
  /** The references and the candidates: arrived, failed, stopped, of how many (the panel's stage strip shows these). */
  referencers: ReplyCounts;
  aggregations: ReplyCounts;
  /** The referencers asked, in routing order. */
  models: string[];
  aggregator?: string;
  /** The checks the replies are run on, once known (none for a question without code to check). */
  checks?: { count: number; source: CheckSource };
  /** A call waiting before another attempt (rate limited, or retrying after a failure): who, how long, why. */
  waiting?: { who: string; ms: number; reason: string };
}

/** Replies that ended, however: arrived, failed, stopped or left out late. */
export const ended = (c: ReplyCounts): number => c.ok + c.failed + c.stopped + c.late;

function phaseOf(run: RunState, progress: Omit<RunProgress, 'phase'>): RunPhase {
  if (run.winner !== undefined) return 'scored';
  // Aggregations start as their references arrive: until the last referencer is in, that is what the run waits for.
  if (run.stages.referencers.status === 'active' && run.stages.retrieve.status === 'done') return 'referencers';
  if (run.stages.aggregate.status === 'active') {
    const all = progress.aggregations.total > 0 && ended(progress.aggregations) === progress.aggregations.total;
    return all && progress.checks !== undefined ? 'checks' : 'aggregations';
  }
  if (run.stages.retrieve.status === 'active') return 'embedding';
  return 'referencers';
}

/** The progress of a run, from its state. */
export function runProgress(run: RunState): RunProgress {
  const counts = stageCounts(run);
  const checks = run.checkSet !== undefined && run.checkSet.checks.length > 0 ? { count: run.checkSet.checks.length, source: run.checkSet.source } : undefined;
  const referencer = run.referencers.find((r) => r.waiting !== undefined);
  const candidate = run.candidates.find((c) => c.waiting !== undefined);
  const waiting = referencer?.waiting
    ? { who: referencer.model, ms: referencer.waiting.ms, reason: referencer.waiting.reason }
    : candidate?.waiting
      ? { who: `aggregation ${candidate.index + 1}`, ms: candidate.waiting.ms, reason: candidate.waiting.reason }
      : undefined;
  const progress: Omit<RunProgress, 'phase'> = {
    referencers: counts.referencers,
    aggregations: counts.aggregate,
    models: run.referencers.map((r) => r.model),
    ...(run.aggregator !== undefined ? { aggregator: run.aggregator } : {}),
    ...(checks ? { checks } : {}),
    ...(waiting ? { waiting } : {}),
  };
  return { phase: phaseOf(run, progress), ...progress };
}

/** One run followed event by event: its state, reduced once, and its progress. */
export class RunTracker {
  private state: RunState;

  constructor(question = '', now: number = Date.now()) {
    this.state = createRun('run', question, now);
  }

  get run(): RunState {
    return this.state;
  }

  /** Reduces an event into the run; returns its progress. */
  update(event: PipelineEvent, at: number = Date.now()): RunProgress {
    this.state = reduceRun(this.state, { type: 'event', event, at });
    return runProgress(this.state);
  }

  get progress(): RunProgress {
    return runProgress(this.state);
  }
}
