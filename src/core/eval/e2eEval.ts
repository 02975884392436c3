/**
 * The end-to-end evaluation of `smcs eval e2e` (issue 32): code questions with several models' recorded replies and
 * whether each is right, replayed through the whole ask with cross-fitted banks (replay.ts), and the share the answer
 * solves beside the best single model, routing's top-1, the majority of the K routed and any of them — per fold and
 * per domain too, with where the answers that were in hand were lost (routing never chose a right model; the choice among the replies). Pure.
 */
import type { SelectedBy } from '../contracts/checks';

/** One question of the set: its recorded replies by model, and which are right (the hidden tests' verdict). */
export interface E2eTask {
  id: string;
  question: string;
  replies: Readonly<Record<string, string>>;
  correct: Readonly<Record<string, number>>;
  /** The question's domain (MMLU-Pro's category), when the set gives one: the report counts each apart. */
  domain?: string;
}

/** What one replayed ask gave. */
export interface E2eOutcome {
  id: string;
  fold: number;
  /** The answer passes the hidden tests. */
  solved: boolean;
  /** The model with the highest prior is right. */
  top1: boolean;
  /** Some routed referencer is right. */
  anyK: boolean;
  /** The answer most of the routed referencers state is right (e2eReplay.ts). */
  majorityK: boolean;
  domain?: string;
  selectedBy: SelectedBy;
  /** The answer is a referencer's own reply (the checks ranked it above every candidate), or a candidate. */
  answerFrom: 'reference' | 'candidate';
  /** Distinct subsets the ask aggregated (1 of n draws: the draws collapsed). */
  subsets: number;
  /** The examples tied different programs and the replies ran on inputs derived from them. */
  derived: boolean;
  /** The replies' working decided the final answer (core/posterior/answerVote `byWorking`). */
  byWorking: boolean;
  /**
   * The first aggregation — the one an answer streamed as it is written would show before the choice: whether the
   * choice kept it (the answer is its text, so nothing streamed is replaced) and whether it is right.
   */
  firstCandidate: { chosen: boolean; solved: boolean };
  /** Upstream calls the ask made (referencers and aggregations), and the aggregations the agreement shortcut saved. */
  calls: number;
  savedCalls: number;
}

export interface FoldFigures {
  fold: number;
  n: number;
  solved: number;
  top1: number;
  anyK: number;
  /** The best single model on this fold's questions, and what it solves. */
  bestSingle: { model: string; solved: number };
}

export interface E2eReport {
  n: number;
  folds: number;
  models: string[];
  /** Questions the answer solves. */
  solved: number;
  top1: number;
  majorityK: number;
  anyK: number;
  /** Some model of all is right (the bound of any selection). */
  anyAll: number;
  bestSingle: { model: string; solved: number };
  singles: Record<string, number>;
  byFold: FoldFigures[];
  /** Answers lost though a routed referencer was right, by how the answer was chosen. */
  lost: { byChecks: number; byScore: number };
  /** Answers that are a referencer's own reply. */
  fromReferences: number;
  /** Asks whose n draws gave a single subset. */
  collapsed: number;
  /** Per domain, when the set gives domains: the answer, top-1, the majority of K, any of K and the best single model. */
  byDomain: Record<string, { n: number; solved: number; top1: number; majorityK: number; anyK: number; bestSingle: { model: string; solved: number } }>;
  /** Asks where the answer and top-1's model are not both right or both wrong: of those, the answer right, top-1 right. */
  changed: { asks: number; solved: number; top1: number };
  /** Asks whose replies ran on derived inputs (the examples tied different programs), and how many of those it solved. */
  derived: { asks: number; solved: number };
  /** Asks whose final answer the replies' working decided: of those, the answer right, the majority of K right. */
  byWorking: { asks: number; solved: number; majorityK: number };
  /** Asks whose answer is the first aggregation's text (streamed, it would stand), and asks on which that text is right. */
  firstCandidate: { chosen: number; solved: number };
  /** Upstream calls of every ask, and per ask. */
  calls: { total: number; perAsk: number };
  /** Asks the agreement shortcut answered with fewer aggregations than planned, and how many of those the answer solved. */
  shortcut: { asks: number; solved: number; savedCalls: number };
}

/** The best model over `tasks` (ties: the first in `models`) and what it solves. */
function best(tasks: readonly E2eTask[], models: readonly string[]): { model: string; solved: number } {
  return models.reduce<{ model: string; solved: number }>((top, model) => {
    const solved = tasks.filter((t) => t.correct[model] === 1).length;
    return solved > top.solved ? { model, solved } : top;
  }, { model: models[0] ?? '', solved: -1 });
}

export function e2eReport(tasks: readonly E2eTask[], outcomes: readonly E2eOutcome[], models: readonly string[]): E2eReport {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const count = (list: readonly E2eOutcome[], pick: (o: E2eOutcome) => boolean): number => list.filter(pick).length;
  const folds = [...new Set(outcomes.map((o) => o.fold))].sort((a, b) => a - b);
  const byFold = folds.map((fold): FoldFigures => {
    const own = outcomes.filter((o) => o.fold === fold);
    const ownTasks = own.map((o) => byId.get(o.id)).filter((t): t is E2eTask => t !== undefined);
    return { fold, n: own.length, solved: count(own, (o) => o.solved), top1: count(own, (o) => o.top1), anyK: count(own, (o) => o.anyK), bestSingle: best(ownTasks, models) };
  });
  const asked = outcomes.map((o) => byId.get(o.id)).filter((t): t is E2eTask => t !== undefined);
  const calls = outcomes.reduce((sum, o) => sum + o.calls, 0);
  return {
    n: outcomes.length,
    folds: folds.length,
    models: [...models],
    solved: count(outcomes, (o) => o.solved),
    top1: count(outcomes, (o) => o.top1),
    majorityK: count(outcomes, (o) => o.majorityK),
    anyK: count(outcomes, (o) => o.anyK),
    anyAll: asked.filter((t) => models.some((m) => t.correct[m] === 1)).length,
    bestSingle: best(asked, models),
    singles: Object.fromEntries(models.map((m) => [m, asked.filter((t) => t.correct[m] === 1).length])),
    byFold,
    lost: { byChecks: count(outcomes, (o) => o.anyK && !o.solved && o.selectedBy === 'checks'), byScore: count(outcomes, (o) => o.anyK && !o.solved && o.selectedBy === 'score') },
    fromReferences: count(outcomes, (o) => o.answerFrom === 'reference'),
    collapsed: count(outcomes, (o) => o.subsets === 1),
    derived: { asks: count(outcomes, (o) => o.derived), solved: count(outcomes, (o) => o.derived && o.solved) },
    byWorking: { asks: count(outcomes, (o) => o.byWorking), solved: count(outcomes, (o) => o.byWorking && o.solved), majorityK: count(outcomes, (o) => o.byWorking && o.majorityK) },
    firstCandidate: { chosen: count(outcomes, (o) => o.firstCandidate.chosen), solved: count(outcomes, (o) => o.firstCandidate.solved) },
    calls: { total: calls, perAsk: outcomes.length === 0 ? 0 : calls / outcomes.length },
    shortcut: { asks: count(outcomes, (o) => o.savedCalls > 0), solved: count(outcomes, (o) => o.savedCalls > 0 && o.solved), savedCalls: outcomes.reduce((sum, o) => sum + o.savedCalls, 0) },
    byDomain: Object.fromEntries(
      [...new Set(outcomes.flatMap((o) => (o.domain === undefined ? [] : [o.domain])))].sort().map((domain) => {
        const own = outcomes.filter((o) => o.domain === domain);
        const ownTasks = own.map((o) => byId.get(o.id)).filter((t): t is E2eTask => t !== undefined);
        return [domain, { n: own.length, solved: count(own, (o) => o.solved), top1: count(own, (o) => o.top1), majorityK: count(own, (o) => o.majorityK), anyK: count(own, (o) => o.anyK), bestSingle: best(ownTasks, models) }];
      }),
    ),
    changed: { asks: count(outcomes, (o) => o.solved !== o.top1), solved: count(outcomes, (o) => o.solved && !o.top1), top1: count(outcomes, (o) => o.top1 && !o.solved) },
  };
}
