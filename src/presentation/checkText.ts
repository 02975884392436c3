/**
 * How the checks read to a user, the same in the panel and the CLI: a reply's check line ("passes 3/3 examples",
 * "passes 4/5 model-written tests"), why the checks answered with a referencer's own reply ("Answer: qwen-32b's reply
 * — passes 5/5 examples; the aggregations pass at most 3"), the offer of a referencer's reply that passes more than
 * every candidate ("Candidate 2 fails 2 of 3 examples; DeepSeek-Coder's reply passes all 3"), and a reply's line in the
 * order the checks ranked the replies ("passes 5/5 examples · shares its behaviour with 3 models").
 */
import type { Behaviour, CheckSummary } from '../core/contracts/checks';
import type { BestByChecks, CheckSet } from '../core/contracts/checks';
import { formatCount, formatQuantity } from './format';

/** What the checks are called: the question's examples, its tests (asserts, doctests), or model-written tests. */
export function checkNoun(checkSet: Pick<CheckSet, 'source' | 'checks'> | undefined, count: number): string {
  const one = count === 1;
  if (checkSet?.source === 'model') return one ? 'model-written test' : 'model-written tests';
  if (checkSet !== undefined && checkSet.checks.length > 0 && checkSet.checks.every((c) => c.kind === 'assert')) return one ? 'test' : 'tests';
  return one ? 'example' : 'examples';
}

/** "2 examples could not be checked: prose results" — examples the question shows that did not become checks. */
export function uncheckedNote(checkSet: Pick<CheckSet, 'unchecked'> | undefined): string | undefined {
  const unchecked = checkSet?.unchecked ?? [];
  const count = unchecked.reduce((n, u) => n + u.count, 0);
  if (count === 0) return undefined;
  return `${count} ${count === 1 ? 'example' : 'examples'} could not be checked: ${unchecked.map((u) => u.reason).join(', ')}`;
}

/**
 * "passes 3/3 examples", with the tie-breaking tests it passes when the examples tied, the derived inputs it crashed on
 * ("· crashed on 2 of 12 derived inputs"), what went wrong besides failing ("· 1 timed out", "· 2 errors"), checks
 * that could not run through no fault of the reply, and the question's examples that could not be checked.
 */
export function checkLine(summary: CheckSummary, checkSet: Pick<CheckSet, 'source' | 'checks' | 'unchecked' | 'derived'> | undefined, behaviour?: Behaviour): string {
  const unchecked = uncheckedNote(checkSet);
  const extra = [
    ...decidingClauses(summary, checkSet, behaviour),
    ...(summary.errored > 0 ? [`${summary.errored} ${summary.errored === 1 ? 'error' : 'errors'}`] : []),
    ...(summary.timedOut > 0 ? [`${summary.timedOut} timed out`] : []),
    ...((summary.unusable ?? 0) > 0 ? [`${summary.unusable ?? 0} could not run (a problem of the check, not of the reply)`] : []),
    ...(unchecked !== undefined ? [unchecked] : []),
  ];
  return [passesText(summary, checkSet), ...extra].join(' · ');
}

/** "passes 3/3 examples". */
function passesText(summary: CheckSummary, checkSet: Pick<CheckSet, 'source' | 'checks'> | undefined): string {
  return `passes ${summary.passed}/${summary.total} ${checkNoun(checkSet, summary.total)}`;
}

/** Besides the checks passed, what the ranking weighs: the tie-breaking tests passed, the derived inputs crashed on. */
function decidingClauses(summary: CheckSummary | undefined, checkSet: Pick<CheckSet, 'derived'> | undefined, behaviour: Behaviour | undefined): string[] {
  const tieBreak = summary?.tieBreak;
  const derived = checkSet?.derived?.length ?? 0;
  return [
    // The examples tied and model-written tests broke the tie: what this reply made of those the others agreed on.
    ...(tieBreak !== undefined && tieBreak.trusted > 0 ? [`passes ${tieBreak.passed}/${tieBreak.trusted} tie-breaking tests (model-written)`] : []),
    // The examples tied between different programs: where this one crashed on inputs another reply handled.
    ...(behaviour !== undefined && behaviour.crashes > 0 && derived > 0 ? [`crashed on ${behaviour.crashes} of ${formatQuantity(derived, 'derived input')}`] : []),
  ];
}

/**
 * The offer of the referencer's reply the checks favour over every candidate:
 * "Candidate 2 fails 2 of 3 examples; DeepSeek-Coder's reply passes all 3". Undefined when the checks favour a candidate or none.
 */
export function referenceOffer(
  bestByChecks: BestByChecks | null | undefined,
  winner: { index: number; checks?: CheckSummary } | undefined,
  checkSet: Pick<CheckSet, 'source' | 'checks'> | undefined,
  name: (model: string) => string,
): string | undefined {
  if (bestByChecks?.kind !== 'referencer') return undefined;
  const total = bestByChecks.total;
  const passes = bestByChecks.passed === total ? `passes all ${total}` : `passes ${bestByChecks.passed} of ${total}`;
  const noun = checkNoun(checkSet, total);
  if (!winner) return `${name(bestByChecks.model)}'s reply ${passes} ${noun}`;
  const failing = total - (winner.checks?.passed ?? 0);
  const candidate = `Candidate ${winner.index + 1} ${winner.checks ? `fails ${failing} of ${total} ${noun}` : 'has no code the checks could run'}`;
  return `${candidate}; ${name(bestByChecks.model)}'s reply ${passes}`;
}

/** A reply as far as the checks' choice goes: what it passes, and what it did on the derived inputs. */
export interface ReplyOnChecks {
  checks?: CheckSummary;
  behaviour?: Behaviour;
}

/** The replies of an ask that arrived, as the checks saw them, and the best candidate's index. */
export interface CheckedReplies {
  referencers: readonly (ReplyOnChecks & { model: string })[];
  candidates: readonly (ReplyOnChecks & { index: number })[];
  winner: number;
}

/**
 * What happened on the derived inputs, from the answering reference's side: "3 models behave as qwen-32b's reply does,
 * candidate 2 crashed on 2" — how many models share its behaviour, the replies that crashed, and how many models
 * behave as the best candidate does when it neither crashed nor behaves as the reference.
 */
function derivedClauses(reference: ReplyOnChecks & { model: string }, behaviour: Behaviour, replies: CheckedReplies, name: (model: string) => string): string[] {
  const own = `${name(reference.model)}'s reply`;
  const alike = (group: number): number => replies.referencers.filter((r) => r.behaviour?.group === group).length;
  const agreeing = alike(behaviour.group);
  const crashed = replies.candidates.filter((c) => (c.behaviour?.crashes ?? 0) > 0);
  const winner = replies.candidates.find((c) => c.index === replies.winner)?.behaviour;
  const behaveAs = (n: number, whose: string): string => `${n === 0 ? 'no model' : formatQuantity(n, 'model')} ${n === 1 || n === 0 ? 'behaves' : 'behave'} as ${whose} does`;
  return [
    agreeing > 1 ? behaveAs(agreeing, own) : `no other model behaves as ${own} does`,
    ...(behaviour.crashes > 0 ? [`${own} crashed on ${behaviour.crashes}`] : []),
    ...crashed.map((c) => `candidate ${c.index + 1} crashed on ${c.behaviour?.crashes ?? 0}`),
    ...(winner !== undefined && winner.crashes === 0 && winner.group !== behaviour.group ? [behaveAs(alike(winner.group), `candidate ${replies.winner + 1}`)] : []),
  ];
}

/**
 * Why the checks answered with `model`'s own reply rather than the best candidate, from what decided it: it passes more
 * ("Answer: qwen-32b's reply — passes 5/5 examples; the aggregations pass at most 3"); the examples tied and the
 * derived inputs told the replies apart ("The examples tied; on 12 derived inputs 3 models behave as qwen-32b's reply
 * does, candidate 2 crashed on 2"); or the tie-breaking tests did. `replies`: those that arrived.
 */
export function checksReferenceText(model: string, replies: CheckedReplies, checkSet: Pick<CheckSet, 'source' | 'checks' | 'derived'> | undefined, name: (model: string) => string): string {
  const reference = replies.referencers.find((r) => r.model === model) ?? { model };
  const own = `${name(model)}'s reply`;
  const passed = reference.checks?.passed ?? 0;
  const total = reference.checks?.total ?? checkSet?.checks.length ?? 0;
  const passes = `passes ${passed}/${total} ${checkNoun(checkSet, total)}`;
  const best = Math.max(0, ...replies.candidates.map((c) => c.checks?.passed ?? 0));
  if (passed > best) {
    const aggregations = replies.candidates.some((c) => c.checks !== undefined) ? `the aggregations pass at most ${best}` : 'the aggregations have no code the checks could run';
    return `Answer: ${own} — ${passes}; ${aggregations}`;
  }
  const evidence = tieEvidence(model, replies, checkSet, name);
  if (evidence !== undefined) return `The ${checkNoun(checkSet, 2)} tied; ${evidence}`;
  // Model-written tests weigh by how many replies pass each: a reply may rank first without passing more of them.
  return `Answer: ${own} — ${passes}; the checks rank it above every candidate`;
}

/**
 * What set `model`'s reply above replies passing as many checks: "on 12 derived inputs 3 models behave as qwen-32b's
 * reply does, candidate 2 crashed on 2", or "qwen-32b's reply passes 2/3 tie-breaking tests (model-written), candidate
 * 1 passes 1"; undefined when neither ran. `replies`: those that arrived.
 */
export function tieEvidence(model: string, replies: CheckedReplies, checkSet: Pick<CheckSet, 'derived'> | undefined, name: (model: string) => string): string | undefined {
  const reference = replies.referencers.find((r) => r.model === model) ?? { model };
  const derived = checkSet?.derived?.length ?? 0;
  if (derived > 0 && reference.behaviour !== undefined) return `on ${formatQuantity(derived, 'derived input')} ${derivedClauses(reference, reference.behaviour, replies, name).join(', ')}`;
  const tieBreak = reference.checks?.tieBreak;
  if (tieBreak === undefined || tieBreak.trusted === 0) return undefined;
  const winner = replies.candidates.find((c) => c.index === replies.winner)?.checks?.tieBreak;
  return `${name(model)}'s reply passes ${tieBreak.passed}/${tieBreak.trusted} tie-breaking tests (model-written)${winner ? `, candidate ${replies.winner + 1} passes ${winner.passed}` : ''}`;
}

/**
 * A reply's line in the order the checks ranked the replies, with what the ranking weighs and nothing else: "passes 5/5
 * examples · crashed on 2 of 12 derived inputs · shares its behaviour with 3 models" (the referencer models whose
 * replies did the same on the derived inputs; a referencer's own model is not counted: "with 2 other models").
 * `referencers`: those that arrived.
 */
export function rankedReplyLine(reply: ReplyOnChecks & { model?: string }, referencers: CheckedReplies['referencers'], checkSet: Pick<CheckSet, 'source' | 'checks' | 'derived'> | undefined): string {
  const behaviour = reply.behaviour;
  const derived = checkSet?.derived?.length ?? 0;
  const sharing = behaviour === undefined || derived === 0 ? [] : [shareText(referencers.filter((r) => r.model !== reply.model && r.behaviour?.group === behaviour.group).length, reply.model !== undefined)];
  const passes = reply.checks ? passesText(reply.checks, checkSet) : 'has no code the checks could run';
  return [passes, ...decidingClauses(reply.checks, checkSet, behaviour), ...sharing].join(' · ');
}

/** "shares its behaviour with 3 models", "with 2 other models" (a referencer's), "with no model". */
function shareText(models: number, others: boolean): string {
  const other = others ? 'other ' : '';
  return `shares its behaviour with ${models === 0 ? `no ${other}model` : `${formatCount(models)} ${other}${models === 1 ? 'model' : 'models'}`}`;
}

/** "the aggregator wrote 6 tests, dual agreement trusted 4, candidate 1 passes 4": the tie-breaking tests and what the winner made of them. */
export function tieBreakCounts(checkSet: Pick<CheckSet, 'tieBreak'>, winner: { index: number; checks?: CheckSummary } | undefined): string {
  const breaker = checkSet.tieBreak;
  const passes = winner?.checks?.tieBreak ? `, candidate ${winner.index + 1} passes ${winner.checks.tieBreak.passed}` : '';
  return `the aggregator wrote ${breaker?.checks.length ?? 0} tests, dual agreement trusted ${breaker?.trusted.length ?? 0}${passes}`;
}

/** What Apply's diff says of the code it applies: "passes 3/3 of the question's examples", "passes 4/5 model-written tests". */
export function applyChecksNote(summary: CheckSummary | undefined, checkSet: Pick<CheckSet, 'source' | 'checks'> | undefined): string | undefined {
  if (summary === undefined || summary.total === 0) return undefined;
  const noun = checkNoun(checkSet, summary.total);
  return `passes ${summary.passed}/${summary.total} ${checkSet?.source === 'model' ? noun : `of the question's ${noun}`}`;
}
