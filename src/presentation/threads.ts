/**
 * Conversations ("threads") as the panel lists them: the runs that share a thread id, titled by their first
 * question. Host and webview derive the same list from the same runs.
 */
import { answerView } from './answerView';
import type { RunState } from './runState';

export interface ThreadSummary {
  id: string;
  /** The first question of the thread. */
  title: string;
  /**
   * What tells it apart from threads whose titles begin alike (similar exercises): the name its code defines (`add`),
   * else its first line no such thread has; absent when its title's start is its own.
   */
  detail?: string;
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
    .sort((a, b) => b.updatedAt - a.updatedAt)
    .map((thread, _i, all) => withDetail(thread, all));
}

/** How much of a title a list row shows before it is cut (two lines at 300 px): titles alike this far look alike. */
const SHOWN_CHARS = 60;

const flat = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The first name a question's code defines (`def add(`, `function parse`, `fn main`, `func Sum`, `class Queue`). */
function definedName(question: string): string | undefined {
  // Followed by what code puts after the name, so that prose ("the function so that…") names nothing.
  const found = /\b(?:def|function|fn|func)\s+([A-Za-z_$][\w$]*)\s*[(<]|\bclass\s+([A-Za-z_$][\w$]*)\s*[:({<]/.exec(question);
  return found?.[1] ?? found?.[2];
}

/** `thread` with its `detail` when another thread's title begins as its does. */
function withDetail(thread: ThreadSummary, all: readonly ThreadSummary[]): ThreadSummary {
  const start = flat(thread.title).slice(0, SHOWN_CHARS);
  const alike = all.filter((t) => t !== thread && flat(t.title).slice(0, SHOWN_CHARS) === start);
  if (alike.length === 0) return thread;
  const name = definedName(thread.title);
  if (name !== undefined && alike.every((t) => definedName(t.title) !== name)) return { ...thread, detail: name };
  const theirs = new Set(alike.flatMap((t) => t.title.split('\n').map(flat)));
  const line = thread.title.split('\n').map(flat).find((l) => l !== '' && !theirs.has(l));
  return line === undefined ? thread : { ...thread, detail: line };
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
    const answer = run.status === 'done' ? answerView(run).text : undefined;
    return answer === undefined || answer === '' ? [] : [{ question: send(run), answer }];
  });
}

/**
 * The runs once `retry` asks the question of run `retriedId` again: a failed run of the same thread gives its place to
 * the retry (one retry of a two-turn thread still reads "2 turns"); a stopped run stays, with the replies it received.
 */
export function withRetryInPlace(runs: readonly RunState[], retriedId: string | undefined, retry: RunState): RunState[] {
  const failed = runs.find((r) => r.id === retriedId);
  const replaced = failed !== undefined && failed.status === 'error' && failed.threadId === retry.threadId;
  return [...runs.filter((r) => !(replaced && r === failed)), retry];
}
