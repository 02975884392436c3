/**
 * Choosing by the checks (design-notes "Checks: selection"): each reply's score is the question examples it passes,
 * or, for tests a model wrote, the sum of their weights — a test's weight is the share of code-bearing replies that
 * pass it (CodeT's dual agreement: a test most solutions pass is more likely right). The winner is the candidate with
 * the best score, ties broken by the hybrid score — plus, when model-written tests were asked for to break a tie
 * (tieBreak.ts), what the trusted ones add to it; where nothing tells candidates apart the hybrid score alone decides.
 * Pure.
 */
import type { Behaviour, BestByChecks, CheckRun, CheckSet, CheckSource, CheckSummary, ReplyRef, SelectedBy, TieBreak } from '../contracts/checks';
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
  /** Each reply's behaviour on inputs derived from the examples, when they were run (behaviour.ts). */
  behaviour?: ReadonlyMap<string, Behaviour>;
  /** The referencers' priors: between referencers nothing else tells apart, the higher prior answers. */
  priors?: ReadonlyMap<string, number>;
}

export interface Selection {
  /** The candidate the checks rank first (ties: the hybrid score); −1 when none succeeded. */
  winner: number;
  /** The referencer whose own reply is the answer: it ranks above every candidate (null: the winner is the answer). */
  reference: string | null;
  selectedBy: SelectedBy;
  bestByChecks: BestByChecks | null;
  /** Every reply in the running, the answer first, in the order the checks rank them (what the panel's Why shows). */
  order: ReplyRef[];
}

/** The key a reply's results are kept under. */
export function replyKey(ref: ReplyRef): string {
  return ref.kind === 'candidate' ? `candidate:${ref.index}` : `referencer:${ref.model}`;
}

const better = (a: number, b: number): boolean => a > b + EPSILON;

/** One reply in the running for the answer: what the checks and the derived inputs say of it. */
interface Entrant {
  ref: ReplyRef;
  /** Weight of the question's checks (or trusted model tests) it passes. */
  score: number;
  /** Derived inputs it crashed on where another reply returned (fewer ranks first). */
  crashes: number;
  /** Weight of the independent models behaving as it does on the derived inputs. */
  support: number;
  /** What the trusted tie-breaking tests add. */
  bonus: number;
}

/** How two entrants compare on what was run (score, then crashes, then agreement): > 0 when `a` ranks first. */
function byChecks(a: Entrant, b: Entrant): number {
  if (better(a.score, b.score)) return 1;
  if (better(b.score, a.score)) return -1;
  if (a.crashes !== b.crashes) return b.crashes - a.crashes;
  if (better(a.support, b.support)) return 1;
  if (better(b.support, a.support)) return -1;
  return 0;
}

/**
 * The answer among every reply with code — each reference and each aggregation — and how it was chosen
 * (design-notes "Checks: selection"): most checks passed first, then fewest crashes on derived inputs, then the
 * behaviour most independent models share there; among candidates still tied, the hybrid total with what the
 * trusted tie-breaking tests add; a referencer answers only when it ranks above every candidate (an aggregation that
 * fails what its own references passed never beats them), the highest prior among referencers so tied. The reply
 * the checks favour is the answer when something ran told it from another reply; null when nothing did (a tie).
 */
export function selectByChecks(input: SelectionInput): Selection {
  const { candidates, referencers, results, weights } = input;
  const entrant = (ref: ReplyRef): Entrant => {
    const key = replyKey(ref);
    const behaviour = input.behaviour?.get(key);
    return { ref, score: checkScore(results.get(key), weights), crashes: behaviour?.crashes ?? 0, support: behaviour?.support ?? 0, bonus: tieBreakBonus(results.get(key)?.summary, input.tieBreak) };
  };
  const cands = candidates.map((c) => ({ ...entrant({ kind: 'candidate', index: c.index }), index: c.index, total: c.total }));
  const refs = referencers.filter((model) => results.has(replyKey({ kind: 'referencer', model }))).map((model, order) => ({ ...entrant({ kind: 'referencer', model }), model, order }));
  // Among the candidates the checks rank first, the highest hybrid total with what tie-breaking tests add (ties: the lowest index).
  let winner = input.scoreWinner;
  let top: (typeof cands)[number] | undefined;
  for (const c of cands) {
    const order = top === undefined ? 1 : byChecks(c, top);
    if (order > 0 || (order === 0 && top !== undefined && c.total + c.bonus > top.total + top.bonus)) top = c;
  }
  const toldByChecks = top !== undefined && cands.some((c) => byChecks(top, c) > 0);
  const bestBonus = cands.filter((c) => top !== undefined && byChecks(c, top) === 0).reduce((m, c) => Math.max(m, c.bonus), 0);
  const toldByTests = top !== undefined && cands.some((c) => byChecks(c, top) === 0 && better(bestBonus, c.bonus));
  if (top !== undefined && (toldByChecks || toldByTests)) winner = top.index;
  const winning = cands.find((c) => c.index === winner);
  // A referencer answers when it ranks above the winner (or there is none); the highest prior among those tied.
  const prior = (model: string): number => input.priors?.get(model) ?? 0;
  const above = refs.filter((r) => winning === undefined || byChecks(r, winning) > 0 || (byChecks(r, winning) === 0 && better(r.bonus, winning.bonus)));
  const bestRef = above.reduce<(typeof refs)[number] | undefined>((m, r) => {
    if (m === undefined) return r;
    const order = byChecks(r, m) || (better(r.bonus, m.bonus) ? 1 : better(m.bonus, r.bonus) ? -1 : 0);
    return order > 0 || (order === 0 && (better(prior(r.model), prior(m.model)) || (!better(prior(m.model), prior(r.model)) && r.order < m.order))) ? r : m;
  }, undefined);
  const answer: Entrant | undefined = bestRef ?? winning;
  const everyone: Entrant[] = [...cands, ...refs];
  const apart = answer !== undefined && everyone.some((e) => byChecks(answer, e) > 0 || (byChecks(answer, e) === 0 && better(answer.bonus, e.bonus)));
  const passedOf = (ref: ReplyRef): { passed: number; total: number } => {
    const summary = results.get(replyKey(ref))?.summary;
    return { passed: summary?.passed ?? 0, total: summary?.total ?? input.checkCount };
  };
  const bestByChecks: BestByChecks | null = !apart || answer === undefined ? null : answer.ref.kind === 'referencer' ? { kind: 'referencer', model: answer.ref.model, ...passedOf(answer.ref) } : { kind: 'candidate', index: answer.ref.index, ...passedOf(answer.ref) };
  const chosenByTests = toldByTests && winning !== undefined && !better(bestBonus, winning.bonus);
  const rank = (a: (typeof cands)[number] | (typeof refs)[number], b: (typeof cands)[number] | (typeof refs)[number]): number => {
    const checks = byChecks(b, a);
    if (checks !== 0) return checks;
    if ('total' in a && 'total' in b) return b.total + b.bonus - (a.total + a.bonus) || a.index - b.index;
    if (better(a.bonus, b.bonus) || better(b.bonus, a.bonus)) return b.bonus - a.bonus;
    if ('total' in a !== 'total' in b) return 'total' in a ? -1 : 1;
    return 'model' in a && 'model' in b ? prior(b.model) - prior(a.model) || a.order - b.order : 0;
  };
  const rest = [...cands, ...refs].filter((e) => e.ref !== answer?.ref).sort(rank);
  const order = [...(answer ? [answer.ref] : []), ...rest.map((e) => e.ref)];
  return { winner, reference: bestRef?.model ?? null, selectedBy: bestRef !== undefined || toldByChecks || chosenByTests ? 'checks' : 'score', bestByChecks, order };
}

/** What the checks stage settled on: the check set, each checked reply's results and, when run, its behaviour on derived inputs. */
export interface Checked {
  checkSet: CheckSet;
  results: ReadonlyMap<string, ReplyChecks>;
  behaviour?: ReadonlyMap<string, Behaviour>;
}

/** The outcome of the checks for the result: each reply with its checks, the winner, how it was chosen. */
export interface Decision {
  candidates: CandidateOutcome[];
  referencers: ReferenceOutcome[];
  winner: number;
  /** The referencer whose reply is the answer, when it ranks above every candidate. */
  reference: string | null;
  selectedBy: SelectedBy;
  bestByChecks: BestByChecks | null;
  /** The replies in the order the checks rank them, the answer first (empty when there were no checks). */
  order: ReplyRef[];
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
 * Applies the checks (when there were any) to the scored candidates and the referencers: the answer among all of
 * them (`priors` decide between referencers nothing else tells apart).
 */
export function decide(candidates: readonly CandidateOutcome[], scoreWinner: number, referencers: readonly ReferenceOutcome[], checked: Checked | null, priors?: ReadonlyMap<string, number>): Decision {
  if (!checked) return { candidates: [...candidates], referencers: [...referencers], winner: scoreWinner, reference: null, selectedBy: 'score', bestByChecks: null, order: [] };
  const { checkSet, results, behaviour } = checked;
  const selection = selectByChecks({
    candidates: candidates.filter((c) => c.ok),
    scoreWinner,
    referencers: referencers.filter((r) => r.ok).map((r) => r.model),
    results,
    weights: withoutUnusable(checkSet.weights ?? checkWeights(checkSet, [...results.values()]), results.values()),
    checkCount: checkSet.checks.length,
    ...(checkSet.tieBreak ? { tieBreak: checkSet.tieBreak } : {}),
    ...(behaviour ? { behaviour } : {}),
    ...(priors ? { priors } : {}),
  });
  const own = (ref: ReplyRef) => [results.get(replyKey(ref)), behaviour?.get(replyKey(ref))] as const;
  return {
    candidates: candidates.map((c) => withResult(c, ...own({ kind: 'candidate', index: c.index }))),
    referencers: referencers.map((r) => withResult(r, ...own({ kind: 'referencer', model: r.model }))),
    ...selection,
  };
}
