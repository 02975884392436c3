/**
 * Conversations ("threads") as the panel lists them: the runs that share a thread id, titled by their first
 * question. Host and webview derive the same list from the same runs.
 */
import { shownAnswer } from './runAnswer';
import type { RunState } from './runState';

export interface ThreadSummary {
  id: string;
  /** The first question of the thread. */
  title: string;
  /** Questions asked in it. */
  turns: number;
  startedAt: number;
  /** When its latest run started. */
  updatedAt: number;
  /** Cost of its priced calls in USD; null when none had a price. */
  costUsd: number | null;
}

/** The runs of a thread, oldest first. */
export function threadRuns(runs: readonly RunState[], threadId: string): RunState[] {
  return runs.filter((r) => r.threadId === threadId).sort((a, b) => a.startedAt - b.startedAt);
}

/** Every thread, most recently used first. */
export function listThreads(runs: readonly RunState[]): ThreadSummary[] {
  const byThread = new Map<string, RunState[]>();
  for (const run of runs) {
    const list = byThread.get(run.threadId);
    if (list) list.push(run);
    else byThread.set(run.threadId, [run]);
  }
  return [...byThread.entries()]
    .map(([id, list]) => {
      const sorted = [...list].sort((a, b) => a.startedAt - b.startedAt);
      const first = sorted[0];
      const last = sorted.at(-1);
      return {
        id,
        title: first?.question ?? '',
        turns: sorted.length,
        startedAt: first?.startedAt ?? 0,
        updatedAt: last?.startedAt ?? 0,
        costUsd: threadCost(sorted),
      };
    })
    .sort((a, b) => b.updatedAt - a.updatedAt);
}

/** Cost of a thread's priced calls; null when none had a price. */
export function threadCost(runs: readonly RunState[]): number | null {
  const priced = runs.flatMap((r) => (typeof r.costUsd === 'number' ? [r.costUsd] : []));
  return priced.length === 0 ? null : priced.reduce((a, b) => a + b, 0);
}

/**
 * The earlier turns a new question in this thread carries: every answered run, with the reply the user kept
 * (the winner, or the candidate chosen instead). `send` turns a run's question and context into the message sent.
 */
export function keptTurns(runs: readonly RunState[], threadId: string, send: (run: RunState) => string): { question: string; answer: string }[] {
  // A run asked again with more models gives its turn to the answer of that ask.
  const replaced = new Set(runs.flatMap((r) => (r.askedAgain !== undefined && r.status === 'done' ? [r.askedAgain.runId] : [])));
  return threadRuns(runs, threadId).flatMap((run) => {
    if (replaced.has(run.id)) return [];
    const answer = run.status === 'done' ? shownAnswer(run) : undefined;
    return answer === undefined || answer === '' ? [] : [{ question: send(run), answer }];
  });
}

/**
 * The runs once `retry` asks the question of run `retriedId` again: a failed run of the same thread gives its place to
 * the retry (one retry of a two-turn thread still reads "2 turns"); a stopped run stays, with the replies it received.
 */
export function withRetry(runs: readonly RunState[], retriedId: string | undefined, retry: RunState): RunState[] {
  const failed = runs.find((r) => r.id === retriedId);
  const replaced = failed !== undefined && failed.status === 'error' && failed.threadId === retry.threadId;
  return [...runs.filter((r) => !(replaced && r === failed)), retry];
}
