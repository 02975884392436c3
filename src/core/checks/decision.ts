/**
 * Choosing by the checks (design-notes "Checks: selection"): each reply's score is the question examples it passes,
 * or, for tests a model wrote, the sum of their weights — a test's weight is the share of code-bearing replies that
 * pass it (CodeT's dual agreement: a test most solutions pass is more likely right). The replies are put in one order
 * (replyRanking.ts) whose first is the answer; this file measures each reply for it and says how the answer was chosen.
 * Pure.
 */
import type { Behaviour, BestByChecks, CheckRun, CheckSet, CheckSource, CheckSummary, ReplyRef, SelectedBy, TieBreak } from '../contracts/checks';
import { programOf, tieBreakBonus } from './tieBreak';
import { EPSILON, rankReplies, type RankedReply } from './replyRanking';
import { at } from '../util/arrays';
import type { CandidateOutcome, ReferenceOutcome } from '../contracts/events';

/** What running one reply on the checks gave. */
export interface ReplyChecks {
  summary: CheckSummary;
  runs: CheckRun[];
}

/** Counts a reply's runs; a check that could not run (`unusable`) is counted apart, outside the total. */
export function summarize(runs: readonly CheckRun[], source: CheckSource): CheckSummary {
  const count = (status: CheckRun['status']): number => runs.filter((r) => r.status === status).length;
  const unusable = count('unusable');
  return { total: runs.length - unusable, passed: count('passed'), failed: count('failed'), errored: count('errored'), timedOut: count('timedOut'), ...(unusable > 0 ? { unusable } : {}), source };
}

/** The checks some reply could not run through no fault of its own: they count for no reply. */
function unusableChecks(results: Iterable<ReplyChecks>): Set<number> {
  const found = new Set<number>();
  for (const r of results) for (const run of r.runs) if (run.status === 'unusable') found.add(run.check);
  return found;
}

/** Weight of each check: the share of the checked replies that pass it (1 for the question's own examples). */
export function checkWeights(checkSet: CheckSet, results: readonly ReplyChecks[]): number[] {
  if (checkSet.source === 'question') return checkSet.checks.map(() => 1);
  return checkSet.checks.map((_, i) => (results.length === 0 ? 0 : results.filter((r) => r.runs.some((run) => run.check === i && run.status === 'passed')).length / results.length));
}

/** A reply's score: the weights of the checks it passes (a reply not checked scores 0). */
export function checkScore(result: ReplyChecks | undefined, weights: readonly number[]): number {
  return result?.runs.reduce((sum, run) => sum + (run.status === 'passed' ? (weights[run.check] ?? 0) : 0), 0) ?? 0;
}

export interface ChecksRankingInput {
  /** Candidates that succeeded, with their hybrid total, in index order. */
  candidates: readonly { index: number; total: number }[];
  /** Referencers that answered, in the result's order. */
  referencers: readonly string[];
  /** Each reply's runs on the checks (empty without checks: every reply is then in the running alike). */
  results: ReadonlyMap<string, ReplyChecks>;
  weights: readonly number[];
  checkCount: number;
  /** Tests written to break a tie: the trusted ones a reply passes add to its hybrid total. */
  tieBreak?: TieBreak;
  /** Each reply's behaviour on inputs derived from the examples, when they were run (behaviour.ts). */
  behaviour?: ReadonlyMap<string, Behaviour>;
  /** The referencers' priors: between referencers nothing else tells apart, the higher prior answers. */
  priors?: ReadonlyMap<string, number>;
  /**
   * Each reply's program (tieBreak.ts `programOf`), by its key: replies of one program passing the same checks are no
   * tie. A reply without one is a program of its own.
   */
  programs?: ReadonlyMap<string, string>;
}

export interface ChecksRanking {
  /** Every reply, the answer first, in the one ranking (replyRanking.ts). */
  order: ReplyRef[];
  /** The candidate ranked first (the card the panel marks; ties: the hybrid score); −1 when none succeeded. */
  winner: number;
  selectedBy: SelectedBy;
  bestByChecks: BestByChecks | null;
}

/** The key a reply's results are kept under. */
export function replyKey(ref: ReplyRef): string {
  return ref.kind === 'candidate' ? `candidate:${ref.index}` : `referencer:${ref.model}`;
}

const better = (a: number, b: number): boolean => a > b + EPSILON;

/** How two replies compare on what was run (score, then crashes, then agreement): > 0 when `a` ranks first. */
function byChecks(a: RankedReply, b: RankedReply): number {
  if (better(a.score, b.score)) return 1;
  if (better(b.score, a.score)) return -1;
  if (a.crashes !== b.crashes) return b.crashes - a.crashes;
  if (better(a.behaviourVotes, b.behaviourVotes)) return 1;
  if (better(b.behaviourVotes, a.behaviourVotes)) return -1;
  return 0;
}

const refOf = (r: RankedReply): ReplyRef => (r.kind === 'candidate' ? { kind: 'candidate', index: r.index } : { kind: 'referencer', model: r.model });

/**
 * What chose `answer` over `rivals`, the replies of other programs passing as many checks (a tie on the checks): the
 * first rule of the ranking that set it above one of them — the crashes or the shared behaviour on derived inputs, then
 * the tie-breaking tests, then the hybrid score (a candidate ranks first among replies tied on all of these), then the
 * prior (between referencers).
 */
function tieBrokenBy(answer: RankedReply, rivals: readonly RankedReply[]): SelectedBy {
  if (rivals.some((r) => byChecks(answer, r) > 0)) return 'derived';
  if (rivals.some((r) => better(answer.bonus, r.bonus))) return 'tests';
  return answer.kind === 'candidate' ? 'score' : 'prior';
}

/**
 * The replies ranked (replyRanking.ts), the answer first, and how it was chosen. By the checks (`bestByChecks` names
 * it) when it passes more checks than some reply and no reply of another program passes as many; when one does, the
 * checks tie, and `selectedBy` names what broke the tie (`tieBrokenBy`) and nothing is favoured. By the score when
 * nothing was checked or every reply passes the same.
 */
export function rankByChecks(input: ChecksRankingInput): ChecksRanking {
  const { results, weights } = input;
  const measured = (ref: ReplyRef): Pick<RankedReply, 'score' | 'crashes' | 'behaviourVotes' | 'bonus'> => {
    const key = replyKey(ref);
    const behaviour = input.behaviour?.get(key);
    return { score: checkScore(results.get(key), weights), crashes: behaviour?.crashes ?? 0, behaviourVotes: behaviour?.support ?? 0, bonus: tieBreakBonus(results.get(key)?.summary, input.tieBreak) };
  };
  const unchecked = results.size === 0;
  const candidates: RankedReply[] = input.candidates.map((c) => ({ kind: 'candidate', index: c.index, total: c.total, checked: true, ...measured({ kind: 'candidate', index: c.index }) }));
  const referencers: RankedReply[] = input.referencers.map((model, position) => ({
    kind: 'referencer',
    model,
    prior: input.priors?.get(model) ?? 0,
    position,
    checked: unchecked || results.has(replyKey({ kind: 'referencer', model })),
    ...measured({ kind: 'referencer', model }),
  }));
  const ranked = rankReplies([...candidates, ...referencers]);
  const answer = ranked[0];
  const winning = ranked.find((r) => r.kind === 'candidate');
  const order = ranked.map(refOf);
  const winner = winning?.kind === 'candidate' ? winning.index : -1;
  if (unchecked || answer === undefined || !answer.checked) return { order, winner, selectedBy: 'score', bestByChecks: null };
  const programOf = (r: RankedReply): string => {
    const key = replyKey(refOf(r));
    return input.programs?.get(key) ?? key;
  };
  const inRunning = ranked.filter((r) => r.checked && r !== answer);
  const rivals = inRunning.filter((r) => !better(answer.score, r.score) && programOf(r) !== programOf(answer));
  if (rivals.length > 0) return { order, winner, selectedBy: tieBrokenBy(answer, rivals), bestByChecks: null };
  if (!inRunning.some((r) => better(answer.score, r.score))) return { order, winner, selectedBy: 'score', bestByChecks: null };
  const summary = results.get(replyKey(refOf(answer)))?.summary;
  return { order, winner, selectedBy: 'checks', bestByChecks: { ...refOf(answer), passed: summary?.passed ?? 0, total: summary?.total ?? input.checkCount } };
}

/** What the checks stage settled on: the check set, each checked reply's results and, when run, its behaviour on derived inputs. */
export interface Checked {
  checkSet: CheckSet;
  results: ReadonlyMap<string, ReplyChecks>;
  behaviour?: ReadonlyMap<string, Behaviour>;
}

/** The outcome of the ranking for the result: each reply with its checks, the order, the answer, how it was chosen. */
export interface Decision {
  candidates: CandidateOutcome[];
  referencers: ReferenceOutcome[];
  /** Every reply that answered, the answer first (replyRanking.ts). */
  order: ReplyRef[];
  /** The first of `order`: the reply that is the answer. */
  answer: ReplyRef;
  /** The candidate ranked first; −1 when no aggregation succeeded. */
  winner: number;
  selectedBy: SelectedBy;
  bestByChecks: BestByChecks | null;
  /** The replies in the running on the checks in their order, the answer first (empty when there were no checks). */
  answerOrder: ReplyRef[];
}

function withResult<T extends CandidateOutcome | ReferenceOutcome>(outcome: T, result: ReplyChecks | undefined, behaviour: Behaviour | undefined): T {
  const checked = result ? { ...outcome, checks: result.summary, checkRuns: result.runs } : outcome;
  return behaviour ? { ...checked, behaviour } : checked;
}

/** Weights with the checks that could not run on some reply set to 0: a problem of the check favours no one. */
export function withoutUnusable(weights: readonly number[], results: Iterable<ReplyChecks>): number[] {
  const unusable = unusableChecks(results);
  return weights.map((w, i) => (unusable.has(i) ? 0 : w));
}

/**
 * Ranks the replies that succeeded — with the checks when there were any, else by the hybrid score then the prior
 * (`priors` decide between referencers nothing else tells apart) — and carries each reply's checks onto it. Throws
 * when no reply succeeded (an ask with no reply has no answer and never gets here).
 */
export function decide(candidates: readonly CandidateOutcome[], referencers: readonly ReferenceOutcome[], checked: Checked | null, priors?: ReadonlyMap<string, number>): Decision {
  const results = checked?.results ?? new Map<string, ReplyChecks>();
  const behaviour = checked?.behaviour;
  const checkSet = checked?.checkSet;
  // A reply without code is a program of its own.
  const replies = [...candidates.map((c) => ({ ref: { kind: 'candidate', index: c.index } as const, text: c.text })), ...referencers.map((r) => ({ ref: { kind: 'referencer', model: r.model } as const, text: r.text }))];
  const programs = new Map(replies.map((r) => [replyKey(r.ref), programOf(r.text)] as const).filter(([, program]) => program !== ''));
  const selection = rankByChecks({
    candidates: candidates.filter((c) => c.ok),
    referencers: referencers.filter((r) => r.ok).map((r) => r.model),
    results,
    weights: checkSet ? withoutUnusable(checkSet.weights ?? checkWeights(checkSet, [...results.values()]), results.values()) : [],
    checkCount: checkSet?.checks.length ?? 0,
    ...(checkSet?.tieBreak ? { tieBreak: checkSet.tieBreak } : {}),
    ...(behaviour ? { behaviour } : {}),
    ...(priors ? { priors } : {}),
    programs,
  });
  const own = (ref: ReplyRef) => [results.get(replyKey(ref)), behaviour?.get(replyKey(ref))] as const;
  const inRunning = (ref: ReplyRef): boolean => ref.kind === 'candidate' || results.has(replyKey(ref));
  return {
    candidates: candidates.map((c) => withResult(c, ...own({ kind: 'candidate', index: c.index }))),
    referencers: referencers.map((r) => withResult(r, ...own({ kind: 'referencer', model: r.model }))),
    ...selection,
    answer: at(selection.order, 0),
    answerOrder: checked ? selection.order.filter(inRunning) : [],
  };
}

/**
 * The decision with `first` moved to the front of its order, in that order, the rest as ranked — for a rule that
 * chooses outside the checks (the final answers, core/ask/answerChoice): its pick is then the answer, `order[0]`, and
 * the winner the first candidate of the new order. Replies not in the order are left out of `first`.
 */
export function putFirst(decision: Decision, first: readonly ReplyRef[], selectedBy: SelectedBy): Decision {
  const keys = new Set(decision.order.map(replyKey));
  const front = first.filter((ref, i) => keys.has(replyKey(ref)) && first.findIndex((r) => replyKey(r) === replyKey(ref)) === i);
  const moved = new Set(front.map(replyKey));
  const order = [...front, ...decision.order.filter((ref) => !moved.has(replyKey(ref)))];
  const inRunning = new Set(decision.answerOrder.map(replyKey));
  const winning = order.find((ref) => ref.kind === 'candidate');
  return {
    ...decision,
    order,
    answer: at(order, 0),
    winner: winning?.kind === 'candidate' ? winning.index : -1,
    selectedBy,
    answerOrder: order.filter((ref) => inRunning.has(replyKey(ref))),
  };
}
