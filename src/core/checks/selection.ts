/**
 * Choosing by the checks (design-notes "Checks: selection"): each reply's score is the question examples it passes,
 * or, for tests a model wrote, the sum of their weights — a test's weight is the share of code-bearing replies that
 * pass it (CodeT's dual agreement: a test most solutions pass is more likely right). The winner is the candidate with
 * the best score, ties broken by the hybrid score — plus, when model-written tests were asked for to break a tie
 * (tieBreak.ts), what the trusted ones add to it; where nothing tells candidates apart the hybrid score alone decides.
 * Pure.
 */
import type { BestByChecks, CheckRun, CheckSet, CheckSource, CheckSummary, ReplyRef, SelectedBy, TieBreak } from '../contracts/checks';
import { tieBreakBonus } from './tieBreak';
import type { CandidateOutcome, ReferenceOutcome } from '../contracts/events';

/** What running one reply on the checks gave. */
export interface ReplyChecks {
  summary: CheckSummary;
  runs: CheckRun[];
}

/** Scores closer than this are equal (model-test weights are fractions). */
const EPSILON = 1e-9;

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

export interface SelectionInput {
  /** Candidates that succeeded, with their hybrid total, in index order. */
  candidates: readonly { index: number; total: number }[];
  /** The hybrid score's winner (−1 when no candidate succeeded). */
  scoreWinner: number;
  /** Referencers that answered, in the result's order. */
  referencers: readonly string[];
  results: ReadonlyMap<string, ReplyChecks>;
  weights: readonly number[];
  checkCount: number;
  /** Tests written to break a tie: the trusted ones a reply passes add to its hybrid total. */
  tieBreak?: TieBreak;
}

export interface Selection {
  winner: number;
  selectedBy: SelectedBy;
  bestByChecks: BestByChecks | null;
}

/** The key a reply's results are kept under. */
export function replyKey(ref: ReplyRef): string {
  return ref.kind === 'candidate' ? `candidate:${ref.index}` : `referencer:${ref.model}`;
}

const better = (a: number, b: number): boolean => a > b + EPSILON;

/**
 * The winner, how it was chosen, and the reply the checks favour: null when they favour none (a tie), also when
 * several referencers pass the same checks and more than every candidate.
 */
export function selectByChecks(input: SelectionInput): Selection {
  const { candidates, referencers, results, weights } = input;
  const bonus = (ref: ReplyRef): number => tieBreakBonus(results.get(replyKey(ref))?.summary, input.tieBreak);
  const score = (ref: ReplyRef): number => checkScore(results.get(replyKey(ref)), weights);
  const cands = candidates.map((c) => {
    const ref: ReplyRef = { kind: 'candidate', index: c.index };
    return { ...c, score: score(ref), total: c.total + bonus(ref), bonus: bonus(ref) };
  });
  const refs = referencers.filter((model) => results.has(replyKey({ kind: 'referencer', model }))).map((model) => ({ model, score: score({ kind: 'referencer', model }) + bonus({ kind: 'referencer', model }) }));
  const bestCandidate = cands.reduce((m, c) => Math.max(m, c.score), -Infinity);
  const toldByChecks = cands.some((c) => better(bestCandidate, c.score));
  const bestBonus = cands.reduce((m, c) => Math.max(m, c.bonus), 0);
  const toldByTests = cands.some((c) => better(bestBonus, c.bonus));
  // Among the candidates the checks rank first, the highest hybrid total (with what tie-breaking tests add) wins (ties: the lowest index).
  let winner = input.scoreWinner;
  if (toldByChecks || toldByTests) {
    let winnerTotal = -Infinity;
    for (const c of cands) {
      if (better(bestCandidate, c.score) || !(c.total > winnerTotal)) continue;
      winner = c.index;
      winnerTotal = c.total;
    }
  }
  // What the checks favour: the question's checks first; tie-breaking tests add less than one of them.
  const favour = cands.map((c) => ({ ...c, score: c.score + c.bonus }));
  const bestFavoured = favour.reduce((m, c) => Math.max(m, c.score), -Infinity);
  const scores = [...favour.map((c) => c.score), ...refs.map((r) => r.score)];
  const apart = scores.some((s) => better(Math.max(...scores), s));
  const passedOf = (ref: ReplyRef): { passed: number; total: number } => {
    const summary = results.get(replyKey(ref))?.summary;
    return { passed: summary?.passed ?? 0, total: summary?.total ?? input.checkCount };
  };
  let bestByChecks: BestByChecks | null = null;
  if (apart) {
    const bestReferencer = refs.reduce<{ model: string; score: number } | undefined>((m, r) => (m === undefined || better(r.score, m.score) ? r : m), undefined);
    const aboveCandidates = bestReferencer !== undefined && (winner < 0 || better(bestReferencer.score, bestFavoured));
    // Referencers that tie above every candidate: the checks cannot say which of them is right, so they favour none.
    const alone = aboveCandidates && refs.every((r) => r === bestReferencer || better(bestReferencer.score, r.score));
    if (aboveCandidates) {
      if (alone) bestByChecks = { kind: 'referencer', model: bestReferencer.model, ...passedOf({ kind: 'referencer', model: bestReferencer.model }) };
    } else if (winner >= 0 && !better(bestFavoured, favour.find((c) => c.index === winner)?.score ?? -Infinity)) {
      bestByChecks = { kind: 'candidate', index: winner, ...passedOf({ kind: 'candidate', index: winner }) };
    }
  }
  // The tests chose when the winner is the one they favour most among those the checks rank first and they tell those apart.
  const winnerBonus = cands.find((c) => c.index === winner)?.bonus ?? 0;
  const chosenByTests = toldByTests && !better(bestBonus, winnerBonus);
  return { winner, selectedBy: toldByChecks || chosenByTests ? 'checks' : 'score', bestByChecks };
}

/** What the checks stage settled on: the check set and each checked reply's results. */
export interface Checked {
  checkSet: CheckSet;
  results: ReadonlyMap<string, ReplyChecks>;
}

/** The outcome of the checks for the result: each reply with its checks, the winner, how it was chosen. */
export interface Decision {
  candidates: CandidateOutcome[];
  referencers: ReferenceOutcome[];
  winner: number;
  selectedBy: SelectedBy;
  bestByChecks: BestByChecks | null;
}

function withResult<T extends CandidateOutcome | ReferenceOutcome>(outcome: T, result: ReplyChecks | undefined): T {
  return result ? { ...outcome, checks: result.summary, checkRuns: result.runs } : outcome;
}

/** Weights with the checks that could not run on some reply set to 0: a problem of the check favours no one. */
export function withoutUnusable(weights: readonly number[], results: Iterable<ReplyChecks>): number[] {
  const unusable = unusableChecks(results);
  return weights.map((w, i) => (unusable.has(i) ? 0 : w));
}

/** Applies the checks (when there were any) to the scored candidates and the referencers. */
export function decide(candidates: readonly CandidateOutcome[], scoreWinner: number, referencers: readonly ReferenceOutcome[], checked: Checked | null): Decision {
  if (!checked) return { candidates: [...candidates], referencers: [...referencers], winner: scoreWinner, selectedBy: 'score', bestByChecks: null };
  const { checkSet, results } = checked;
  const selection = selectByChecks({
    candidates: candidates.filter((c) => c.ok),
    scoreWinner,
    referencers: referencers.filter((r) => r.ok).map((r) => r.model),
    results,
    weights: withoutUnusable(checkSet.weights ?? checkWeights(checkSet, [...results.values()]), results.values()),
    checkCount: checkSet.checks.length,
    ...(checkSet.tieBreak ? { tieBreak: checkSet.tieBreak } : {}),
  });
  return {
    candidates: candidates.map((c) => withResult(c, results.get(replyKey({ kind: 'candidate', index: c.index })))),
    referencers: referencers.map((r) => withResult(r, results.get(replyKey({ kind: 'referencer', model: r.model })))),
    ...selection,
  };
}
