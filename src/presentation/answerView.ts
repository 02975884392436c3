/**
 * The one answer view: which reply a run shows as its answer, what its top candidate is called, why that reply is the
 * answer, and where the models' final answers agree — read by every front end (the panel, `@smcs`, `smcs ask` and the
 * server's `smcs` field), so that none of them disagrees with another about which reply is the answer and why. Read
 * from the one answer type (core/contracts/answer) and the user's choice (`because: user`).
 */
import type { Answer } from '../core/contracts/answer';
import type { CheckSummary, SelectedBy } from '../core/contracts/checks';
import type { AgreementSummary, AskResult } from '../core/contracts/events';
import { agreementLine, agreementLineText, answerLabel, replyAnswerLabel } from './agreementLine';
import { referenceFields } from './answerNames';
import { candidateGroups, comparedText, groupName, groupOf } from './candidateGroups';
import { checkLine, tieBreakCounts, tieEvidence } from './checkText';
import type { RunState } from './runState';

/** What a run shows as its answer, and why. */
export interface AnswerView {
  /** The reply shown: the one the user took (`because: user`), else the run's own; undefined before the run is done. */
  shown: Answer | undefined;
  /** The shown reply's text. */
  text: string | undefined;
  /** The candidate whose text is shown (-1: none, or a referencer's reply). */
  candidate: number;
  /** The referencer whose own reply is shown (undefined: a candidate's). */
  reference: string | undefined;
  /** The checks of the shown reply. */
  checks: CheckSummary | undefined;
  /**
   * What the top-scored candidate is called: `winner` when it is the run's answer, `best candidate` when another reply
   * is (a referencer's, which the checks or the models' final answers chose — the user's choice changes no label).
   */
  topLabel: 'winner' | 'best candidate';
  /** Why the shown reply is the answer, in plain words ("candidates 1 and 3 (2 of 4 agree), the highest score"); undefined before it is done. */
  reason: string | undefined;
  /** Where the models' final answers agree ("2 of 3 models answer (D)"), when they were read. */
  agreement: string | undefined;
}

/** What of a run (the panel's state, or a result tracked into one) the view reads. */
export type AnswerSource = Pick<RunState, 'answer' | 'selectedBy' | 'winner' | 'candidates' | 'referencers' | 'agreement' | 'checkSet' | 'bestByChecks'> & Partial<Pick<RunState, 'choice' | 'savedCalls'>>;

/**
 * A finished ask's result as the view reads it (`smcs ask`, the server's `smcs` field): each reply as a run's card
 * holds it — its text and checks, and whether it answered — with the fields the result and a run share as they are.
 */
export function resultSource(result: AskResult): AnswerSource {
  const { answer, selectedBy, winner, agreement, checkSet, bestByChecks } = result;
  return {
    answer,
    selectedBy,
    winner,
    bestByChecks,
    ...(agreement ? { agreement } : {}),
    ...(checkSet ? { checkSet } : {}),
    ...(result.savedCalls !== undefined ? { savedCalls: result.savedCalls } : {}),
    candidates: result.candidates.map((c) => ({ index: c.index, subset: c.subset, draws: c.draws, status: c.ok ? 'done' : 'failed', text: c.text, ...(c.ok ? { total: c.total } : {}), ...(c.checks ? { checks: c.checks } : {}) })),
    referencers: result.referencers.map((r) => ({ model: r.model, status: r.ok ? 'done' : r.late ? 'abandoned' : 'failed', text: r.text, reasoning: r.reasoning, ...(r.checks ? { checks: r.checks } : {}), ...(r.behaviour ? { behaviour: r.behaviour } : {}) })),
  };
}

/** The answer shown: the reply the user took (`because: user`), else the run's own; undefined before the run is done. */
export function shownReply(run: Pick<RunState, 'answer'> & Partial<Pick<RunState, 'choice'>>): Answer | undefined {
  return run.choice !== undefined ? { reply: run.choice, because: 'user' } : run.answer;
}

/** The view of `run`'s answer; `name` shortens model names where the front end does. */
export function answerView(run: AnswerSource, name: (model: string) => string = (m) => m): AnswerView {
  const shown = shownReply(run);
  const reply = shown?.reply;
  const reference = reply?.kind === 'referencer' ? reply.model : undefined;
  const candidate = reply === undefined ? (run.winner ?? -1) : reply.kind === 'candidate' ? reply.index : -1;
  const own = reference !== undefined ? run.referencers.find((r) => r.model === reference) : run.candidates.find((c) => c.index === candidate);
  const agreed = agreementLine(run.agreement, name);
  const top = run.answer?.reply;
  return {
    shown,
    text: reply === undefined ? undefined : own?.text,
    candidate,
    reference,
    checks: own?.checks,
    topLabel: top === undefined || (top.kind === 'candidate' && top.index === run.winner) ? 'winner' : 'best candidate',
    reason: shown && reasonOf(run, shown, name),
    agreement: agreed && agreementLineText(agreed),
  };
}

/** The fields of the result document that name a referencer's answer (`checksReference`, …; answerNames.ts). */
export function answerReferences(run: Pick<RunState, 'answer' | 'selectedBy'>): ReturnType<typeof referenceFields> {
  return run.answer === undefined ? {} : referenceFields(run.answer, run.selectedBy);
}

/** "candidate 2 of 4", or "candidates 1, 3 and 4 (3 of 4 agree)" when several aggregations wrote candidate `index`'s reply. */
export function candidatePhrase(run: Pick<RunState, 'candidates' | 'winner'> & Partial<Pick<RunState, 'choice'>>, index: number): string {
  const group = groupOf(candidateGroups(run), index);
  const count = run.candidates.length;
  if (!group || group.members.length === 1) return `candidate ${index + 1} of ${count}`;
  return `${groupName(group).toLowerCase()} (${group.members.length} of ${count} agree)`;
}

/** What chose the answer (core/contracts/checks SelectedBy), as "chosen by …" ends: "the hybrid score", "the higher prior". */
export function chooserWords(selectedBy: SelectedBy): string {
  switch (selectedBy) {
    case 'checks':
      return 'the checks';
    case 'derived':
      return 'their behaviour on inputs derived from the examples';
    case 'tests':
      return 'the tie-breaking tests (model-written)';
    case 'prior':
      return 'the higher prior';
    case 'agreement':
      return "the models' final answers";
    case 'score':
      return 'the hybrid score';
  }
}

/** "a", "a and b", "a, b and c". */
function listed(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

/** What put a referencer's own reply first in the checks' ranking (`because: checks`): "the checks", or what broke their tie. */
export function referenceChooser(selectedBy: SelectedBy | undefined): string {
  return chooserWords(selectedBy === undefined || selectedBy === 'score' ? 'checks' : selectedBy);
}

/**
 * "tied on the checks (3/3 each) with r2's reply; chosen by the higher prior" — when the checks ran on the run's answer
 * and favour no reply (`bestByChecks` null): other replies pass as many, and what broke the tie (`selectedBy`) chose.
 * Undefined when the checks chose, or the score chose and no other reply passes as many.
 */
export function checksTie(run: Pick<AnswerSource, 'answer' | 'selectedBy' | 'bestByChecks' | 'checkSet' | 'candidates' | 'referencers'>, name: (model: string) => string = (m) => m): string | undefined {
  const reply = run.answer?.reply;
  if (reply === undefined || run.checkSet === undefined || run.selectedBy === undefined || run.selectedBy === 'checks' || (run.bestByChecks ?? null) !== null) return undefined;
  const own = reply.kind === 'referencer' ? run.referencers.find((r) => r.model === reply.model) : run.candidates.find((c) => c.index === reply.index);
  const checks = own?.checks;
  if (own === undefined || checks === undefined) return undefined;
  // A reply of the same text (an aggregation that copied it) is the answer again, no other reply.
  const tied = (r: { status: string; text: string; checks?: CheckSummary }): boolean => r.status === 'done' && comparedText(r.text) !== comparedText(own.text) && r.checks?.passed === checks.passed && r.checks.total === checks.total;
  const names = [...run.referencers.filter(tied).map((r) => `${name(r.model)}'s reply`), ...candidateGroups(run).filter((g) => tied(g.lead)).map((g) => groupName(g).toLowerCase())];
  // What broke a tie chose even where the other replies' counts differ (model-written tests weigh unequally).
  if (names.length === 0 && (run.selectedBy === 'score' || run.selectedBy === 'agreement')) return undefined;
  const others = names.length > 0 ? ` with ${listed(names)}` : '';
  return `tied on the checks (${checks.passed}/${checks.total} each)${others}; chosen by ${chooserWords(run.selectedBy)}`;
}

/**
 * The checks' tie as a sentence of its own (the panel's note on the checks, `smcs ask`'s checks line): "Tied on the
 * checks (3/3 each) with r2's reply; chosen by the higher prior", with what set the answer apart where it was measured
 * ("— on 12 derived inputs 2 models behave as r1's reply does", "— the aggregator wrote 3 tests, …"); undefined when the
 * checks did not tie the answer.
 */
export function checksTieSentence(run: AnswerSource, name: (model: string) => string = (m) => m): string | undefined {
  const tie = checksTie(run, name);
  const set = run.checkSet;
  if (tie === undefined || set === undefined) return undefined;
  const reply = run.answer?.reply;
  const done = { referencers: run.referencers.filter((r) => r.status === 'done'), candidates: run.candidates.filter((c) => c.status === 'done'), winner: run.winner ?? -1 };
  const trusted = set.tieBreak !== undefined && set.tieBreak.error === undefined && set.tieBreak.trusted.length > 0;
  const winner = done.candidates.find((c) => c.index === done.winner);
  const evidence = reply?.kind === 'referencer' ? tieEvidence(reply.model, done, set, name) : run.selectedBy === 'tests' && trusted ? tieBreakCounts(set, winner) : undefined;
  return `${tie.charAt(0).toUpperCase()}${tie.slice(1)}${evidence !== undefined ? ` — ${evidence}` : ''}`;
}

/** "3 of 4 replies answer (B)": how many of the replies whose final answers were read state the chosen one. */
function voteCount(agreement: AgreementSummary): string | undefined {
  const chosen = agreement.split?.[0]?.answer ?? agreement.answer;
  const answers = agreement.answers;
  if (chosen === undefined || answers === undefined) return undefined;
  return `${answers.filter((a) => a.answer === chosen).length} of ${answers.length} replies answer ${answerLabel(chosen, agreement)}`;
}

/**
 * Why a candidate's card stands where its total would not put it, in the words every front end shows on it: the top
 * candidate's, when another candidate has a higher total ("chosen by the models' final answers: 3 of 4 replies answer
 * (B)", "chosen by the checks: the higher totals pass fewer of them", "tied on the checks (3/3 each) with …; chosen by
 * …"), and such a candidate's ("higher total, passed over: it answers (C); the final answers chose (B)", "higher
 * total, passed over: passes 1/3 examples; candidate 2: 3/3"). Undefined when the totals tell the order as it is, or
 * before the run is done.
 */
export function candidateNote(run: AnswerSource, index: number, name: (model: string) => string = (m) => m): string | undefined {
  if (run.answer === undefined || run.winner === undefined || run.winner < 0) return undefined;
  const groups = candidateGroups(run);
  const top = groupOf(groups, run.winner)?.lead;
  const own = groupOf(groups, index)?.lead;
  if (top?.total === undefined || own?.status !== 'done' || own.total === undefined) return undefined;
  const topTotal = top.total;
  const above = groups.filter((g) => g.lead !== top && g.lead.status === 'done' && (g.lead.total ?? -Infinity) > topTotal);
  if (own === top) {
    if (above.length === 0) return undefined;
    if (run.selectedBy === 'agreement' && run.agreement) return `chosen by ${chooserWords('agreement')}${withDetail(voteCount(run.agreement))}`;
    if (run.selectedBy === 'checks') return 'chosen by the checks: the higher totals pass fewer of them';
    return checksTie(run, name);
  }
  if (!above.some((g) => g.lead === own)) return undefined;
  const topGroup = groupOf(groups, run.winner);
  const topName = topGroup === undefined ? `candidate ${top.index + 1}` : groupName(topGroup).toLowerCase();
  const states = topGroup !== undefined && topGroup.members.length > 1 ? 'state' : 'states';
  if (own.checks && top.checks && own.checks.passed < top.checks.passed) return `higher total, passed over: ${checkLine(own.checks, run.checkSet).split(' · ')[0] ?? ''}; ${topName}: ${top.checks.passed}/${top.checks.total}`;
  if (run.selectedBy === 'agreement' && run.agreement) {
    const chosen = run.agreement.split?.[0]?.answer ?? run.agreement.answer;
    const stated = replyAnswerLabel(run.agreement, { kind: 'candidate', index: own.index });
    const label = chosen === undefined ? undefined : answerLabel(chosen, run.agreement);
    if (stated !== undefined && stated === label) return `higher total, passed over: it answers ${stated} too; ${topName} ${states} it more plainly`;
    return `higher total, passed over: ${stated !== undefined ? `it answers ${stated}` : 'it states no final answer'}; the final answers chose ${label ?? 'another'}`;
  }
  if (run.selectedBy !== undefined && run.selectedBy !== 'score' && run.selectedBy !== 'checks') return `higher total, passed over: tied on the checks; ${chooserWords(run.selectedBy)} chose ${topName}`;
  return undefined;
}

const withDetail = (detail: string | undefined): string => (detail === undefined ? '' : `: ${detail}`);

/** Why `shown` is the answer, worded from how it was chosen (core/contracts/answer Because). */
function reasonOf(run: AnswerSource, shown: Answer, name: (model: string) => string): string {
  const { reply } = shown;
  const who = reply.kind === 'referencer' ? `${name(reply.model)}'s reply` : candidatePhrase(run, reply.index);
  const own = reply.kind === 'referencer' ? run.referencers.find((r) => r.model === reply.model) : run.candidates.find((c) => c.index === reply.index);
  const checks = own?.checks ? ` · ${checkLine(own.checks, run.checkSet)}` : '';
  const tie = checksTie(run, name);
  switch (shown.because) {
    case 'user':
      return `${who}, your choice${checks}`;
    case 'score':
      return tie !== undefined ? `${who}: ${tie}` : `${who}, the highest score${checks}`;
    case 'checks':
      if (tie !== undefined) return `${who}: ${tie}`;
      return reply.kind === 'referencer' ? `${who}: the checks rank it above every candidate${checks}` : `${who}: the checks chose it${checks}`;
    case 'fallback': {
      if (tie !== undefined) return `${who}: every aggregation failed; ${tie}`;
      const favoured = run.bestByChecks?.kind === 'referencer' && reply.kind === 'referencer' && run.bestByChecks.model === reply.model;
      return `${who}: every aggregation failed, and it is ${favoured ? 'the one the checks favour' : 'the highest prior'}${checks}`;
    }
    case 'agreement':
      return run.selectedBy === 'agreement' ? `${who}: the models' final answers chose it${checks}` : `${who}: the referencers agreed, so no aggregation ran${savedWords(run.savedCalls)}${checks}`;
    case 'routed':
      return `${who}: to stay within your cost limit, no aggregation ran${checks}`;
  }
}

/** What the agreement shortcut saved, after "no aggregation ran": " (4 aggregation calls saved)". */
function savedWords(saved: number | undefined): string {
  return saved === undefined || saved === 0 ? '' : ` (${saved} aggregation call${saved === 1 ? '' : 's'} saved)`;
}
