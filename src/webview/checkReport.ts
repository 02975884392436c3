/**
 * What the checks say in the panel (issue 15), as plain data for the views: a reply card's check line (passed, failed
 * with the runs it failed, still running, or why it was not checked) and the answer's note on how the answer was
 * chosen — a candidate, or a referencer's own reply the checks ranked above every candidate — with the offer of a
 * referencer's reply that beats every candidate, and the order the checks ranked the replies in. The wording is
 * src/presentation/checkText's, as in the CLI.
 */
import { checkLine, checkNoun, checksReferenceText, rankedReplyLine, referenceOffer, tieBreakCounts } from '../presentation/checkText';
import type { CandidateState, RunState } from '../presentation/runState';
import { sameReply } from '../presentation/answerNames';
import { answerReferences, checksTieSentence } from '../presentation/answerView';
import { candidateGroups, groupOf, nameOf } from '../presentation/candidateGroups';

type RunCheckSet = NonNullable<RunState['checkSet']>;

/** A reply as far as its checks go (a candidate's or a referencer's state). */
export type ReplyCheckState = Pick<CandidateState, 'status' | 'text' | 'checks' | 'checkRuns' | 'behaviour'>;
type CheckRun = NonNullable<CandidateState['checkRuns']>[number];
type Check = NonNullable<RunState['checkSet']>['checks'][number];

/** One check a reply did not pass, in the words the card shows. */
export interface FailedCheck {
  /** "Sample Input 2", "Example 1", "model-written test 3". */
  label: string;
  /** "wrong output", "error", "timed out", or why in words ("printed nothing: `solve` is defined but never called"). */
  outcome: string;
  /** What the reply was given: a program's standard input, a call, or assert lines. */
  given: { name: string; text: string } | undefined;
  expected: string | undefined;
  /** What it printed or returned (undefined when nothing came back). */
  actual: string | undefined;
  /** The end of its error output. */
  error: string | undefined;
}

export type CheckLineView =
  | { state: 'passed' | 'failed'; text: string; failed: FailedCheck[] }
  | { state: 'running'; text: string }
  /** Not checked: `why` says why, when it is the reply's own reason rather than the run's. */
  | { state: 'none'; text: string; why?: string };

const OUTCOMES: Record<Exclude<CheckRun['status'], 'passed' | 'unusable'>, string> = { failed: 'wrong output', errored: 'error', timedOut: 'timed out' };

/** Whether a reply has a fenced code block at all: a reply of prose is never run, so its line need not say "running". */
const CODE_FENCE = /^[ \t]*(?:```|~~~)/m;

/** A call as the question writes it: `twoSum(nums = [2,7,11,15], target = 9)`, on `Solution()` for a method. */
function callText(check: Extract<Check, { kind: 'call' }>): string {
  const args = check.args.map((a) => (a.name !== undefined ? `${a.name} = ${a.value}` : a.value)).join(', ');
  const name = check.name === '' ? 'f' : check.name;
  return `${check.method ? 'Solution().' : ''}${name}(${args})`;
}

function givenOf(check: Check): FailedCheck['given'] {
  switch (check.kind) {
    case 'stdio':
      return { name: 'Input', text: check.input };
    case 'call':
      return { name: 'Call', text: callText(check) };
    case 'assert':
      return { name: 'Test', text: check.code };
  }
}

/** The runs a reply did not pass, each with its check (runs of a check the set does not hold are left out). */
export function failedChecks(runs: readonly CheckRun[], checks: readonly Check[]): FailedCheck[] {
  return runs.flatMap((run) => {
    const check = checks[run.check];
    // a check that could not run is no failure of the reply (its problem is the check's)
    if (run.status === 'passed' || run.status === 'unusable' || check === undefined) return [];
    return [
      {
        label: check.label,
        outcome: run.reason ?? OUTCOMES[run.status],
        given: givenOf(check),
        expected: check.kind === 'assert' ? undefined : check.expected,
        actual: run.actual,
        error: run.error,
      },
    ];
  });
}

/** The check line of a reply card; undefined when the run has no checks (not a code question) or the reply is not in yet. */
export function checkLineView(reply: ReplyCheckState, run: Pick<RunState, 'status' | 'checkSet'>): CheckLineView | undefined {
  const set = run.checkSet;
  if (set === undefined || reply.status !== 'done') return undefined;
  if (reply.checks !== undefined) {
    const failed = failedChecks(reply.checkRuns ?? [], set.checks);
    return { state: reply.checks.passed === reply.checks.total ? 'passed' : 'failed', text: checkLine(reply.checks, set, reply.behaviour), failed };
  }
  if (set.unverifiable !== undefined) return { state: 'none', text: 'not checked' };
  if (set.checks.length === 0) return { state: 'none', text: 'not checked' };
  if (run.status === 'running' && CODE_FENCE.test(reply.text)) return { state: 'running', text: `running ${set.checks.length} ${checkNoun(set, set.checks.length)}…` };
  if (run.status === 'running') return undefined;
  if (set.error !== undefined) return { state: 'none', text: 'not checked', why: set.error };
  return { state: 'none', text: 'not checked: no code the checks could run' };
}

/** The answer's note on the checks: how the answer was chosen, and the referencer's reply to offer (or the one taken). */
export interface AnswerChecks {
  /** "Chosen by the checks: …", "Answer: qwen-32b's reply — passes 5/5 examples; …", "The candidates tie on the checks; the score chose.", "Not checked: …". */
  how: string;
  /** The offer of a referencer's reply that passes more checks than every candidate ("… — use it?"). */
  offer?: { text: string; model: string; name: string };
  /** The referencer's reply the user took, with what it passes. */
  taken?: string;
}

/**
 * "The replies of A and B pass 3/3 examples, more than any candidate: a tie, the checks favour neither" — when several
 * referencers pass more than every candidate alike (the checks cannot say which is right, so none is offered).
 */
function tiedReferencers(run: RunState, name: (model: string) => string): string | undefined {
  const passed = (r: ReplyCheckState): number => r.checks?.passed ?? 0;
  const best = Math.max(0, ...run.referencers.map(passed));
  const top = run.referencers.filter((r) => r.checks !== undefined && passed(r) === best);
  const first = top[0]?.checks;
  if (best === 0 || top.length < 2 || first === undefined || run.candidates.some((c) => passed(c) >= best)) return undefined;
  const names = top.map((r) => name(r.model));
  const listed = `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
  return `The replies of ${listed} pass ${first.passed}/${first.total} ${checkNoun(run.checkSet, first.total)}, more than any candidate: a tie, the checks favour neither`;
}

/** Whether model-written tests were written and trusted to break a tie of the question's checks. */
const tieBroken = (set: RunCheckSet): boolean => set.tieBreak !== undefined && set.tieBreak.error === undefined && set.tieBreak.trusted.length > 0;

/**
 * "The examples could not tell the replies apart: the aggregator wrote 6 tests, dual agreement trusted 4, candidate 1
 * passes 4 — they count in the score, which chose the winner".
 */
function tieBreakText(set: RunCheckSet, winner: CandidateState | undefined): string {
  return `The ${checkNoun(set, 2)} could not tell the replies apart: ${tieBreakCounts(set, winner)} — they count in the score, which chose the winner`;
}

/**
 * "Chosen by the checks: candidate 1 passes 6/6 examples", or, when other candidates pass just as many, "The checks tie
 * candidates 1 and 2 (each passes 6/6 examples); the score chose candidate 1" — the checks did not decide between them.
 */
function checksChoiceText(run: RunState, winner: CandidateState, checks: NonNullable<CandidateState['checks']>, set: RunCheckSet): string {
  const tied = run.candidates.filter((c) => c.status === 'done' && c.checks !== undefined && c.checks.passed === checks.passed && c.checks.total === checks.total);
  if (tied.length < 2) return `Chosen by the checks: candidate ${winner.index + 1} ${checkLine(checks, set)}`;
  const numbers = tied.map((c) => String(c.index + 1));
  const listed = `${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1] ?? ''}`;
  return `The checks tie candidates ${listed} (each ${checkLine(checks, set)}); the score chose candidate ${winner.index + 1}`;
}

/** Undefined when the run has no checks (not a code question) or is not done. */
export function answerChecks(run: RunState, name: (model: string) => string): AnswerChecks | undefined {
  const set = run.checkSet;
  if (set === undefined || run.status !== 'done') return undefined;
  if (set.unverifiable !== undefined) return { how: `Not checked: ${set.unverifiable}. The score chose the winner.` };
  if (set.checks.length === 0) return { how: `Not checked: ${set.error ?? 'no tests were written'}. The score chose the winner.` };
  if (![...run.referencers, ...run.candidates].some((r) => r.checks !== undefined)) {
    return { how: `Not checked: ${set.error ?? 'no reply had code the checks could run'}. The score chose the winner.` };
  }
  const winner = run.candidates.find((c) => c.index === run.winner);
  const problem = set.error !== undefined ? ` (${set.error})` : '';
  const { checksReference, fallbackReference } = answerReferences(run);
  const tie = checksTieSentence(run, name);
  let how: string;
  if (tie !== undefined) how = `${tie}${problem}.`;
  else if (checksReference !== undefined) {
    const replies = { referencers: run.referencers.filter((r) => r.status === 'done'), candidates: run.candidates.filter((c) => c.status === 'done'), winner: run.winner ?? -1 };
    how = `${checksReferenceText(checksReference, replies, set, name)}${problem}.`;
  } else if (run.selectedBy === 'checks' && winner?.checks) how = `${checksChoiceText(run, winner, winner.checks, set)}${problem}.`;
  else if (run.selectedBy === 'checks') how = `Chosen by the checks${problem}.`;
  else if ((run.bestByChecks === null || run.bestByChecks === undefined) && tieBroken(set)) how = `${tieBreakText(set, winner)}${problem}.`;
  else if (run.bestByChecks === null || run.bestByChecks === undefined) how = `${tiedReferencers(run, name) ?? 'The checks could not tell the replies apart'}; the score chose the winner${problem}.`;
  else how = `The candidates tie on the checks; the score chose the winner${problem}.`;
  const best = run.bestByChecks;
  if (best?.kind !== 'referencer') return { how };
  if (sameReply(run.choice, { kind: 'referencer', model: best.model })) {
    const passes = best.passed === best.total ? `passes all ${best.total}` : `passes ${best.passed} of ${best.total}`;
    return { how, taken: `${name(best.model)}'s reply ${passes} ${checkNoun(set, best.total)}.` };
  }
  // The reference the run answered with is no offer: Revert brings it back when another reply is shown.
  if (fallbackReference === best.model || checksReference === best.model) return { how };
  const text = referenceOffer(best, winner && winner.status === 'done' ? winner : undefined, set, name);
  return text === undefined ? { how } : { how, offer: { text: `${text} — use it?`, model: best.model, name: name(best.model) } };
}

/** One reply in the order the checks ranked the replies with code (issue 32). */
export interface RankingRow {
  /** "qwen-32b's reply", "Candidate 2", "Candidates 1 and 3": as the answer and the cards name it. */
  name: string;
  /** The referencer's full model key (absent for a candidate). */
  model?: string;
  /** "passes 5/5 examples · crashed on 2 of 12 derived inputs · shares its behaviour with 3 models". */
  text: string;
  /** The first: the reply the run answered with. */
  answer: boolean;
}

/**
 * The replies with code in the order the checks ranked them, the answer first; candidates that wrote the same reply
 * once, where the first of them ranked, named as their card is. Undefined when the run has no such order (not a code
 * question, a run stored before) or only one reply was ranked: there is nothing to compare.
 */
export function answerRanking(run: RunState, name: (model: string) => string): RankingRow[] | undefined {
  const groups = candidateGroups(run);
  const listed = new Set<string>();
  const order = (run.answerOrder ?? []).filter((ref) => {
    const id = ref.kind === 'referencer' ? `reference ${ref.model}` : `candidate ${groupOf(groups, ref.index)?.members[0]?.index ?? ref.index}`;
    if (listed.has(id)) return false;
    listed.add(id);
    return true;
  });
  if (run.status !== 'done' || order.length < 2) return undefined;
  const referencers = run.referencers.filter((r) => r.status === 'done');
  return order.map((ref, i) => {
    const answer = i === 0;
    if (ref.kind === 'referencer') {
      const reply = run.referencers.find((r) => r.model === ref.model) ?? { model: ref.model };
      return { name: `${name(ref.model)}'s reply`, model: ref.model, text: rankedReplyLine(reply, referencers, run.checkSet), answer };
    }
    const reply = run.candidates.find((c) => c.index === ref.index) ?? {};
    return { name: nameOf(groups, ref.index), text: rankedReplyLine(reply, referencers, run.checkSet), answer };
  });
}

/**
 * A program's output as the panel shows it: characters that would act instead of being read — control characters but
 * tab and line feed, a carriage return not ending a line, and the bidirectional overrides that can reorder what is
 * shown — become visible escapes (`\u{1b}`), so expected and actual outputs compare by eye; the line break ending
 * the output is not drawn as an empty line. The text is then set as text, never as HTML.
 */
export function visibleOutput(text: string): string {
  // eslint-disable-next-line no-control-regex -- making control characters visible is this function's purpose
  return text.replace(/\r?\n$/, '').replace(/\r(?!\n)|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
}
