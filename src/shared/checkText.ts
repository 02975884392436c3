/**
 * How the checks read to a user, the same in the panel and the CLI: a reply's check line ("passes 3/3 examples",
 * "passes 4/5 model-written tests"), and the offer of a referencer's reply that passes more than every candidate
 * ("Candidate 2 fails 2 of 3 examples; DeepSeek-Coder's reply passes all 3").
 */
import type { CheckSummary } from '../core/contracts/checks';
import type { BestByChecks, CheckSet } from '../core/contracts/checks';

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
 * "passes 3/3 examples", with the tie-breaking tests it passes when the examples tied, what went wrong besides failing
 * ("· 1 timed out", "· 2 errors"), checks that could not run through no fault of the reply, and the question's
 * examples that could not be checked.
 */
export function checkLine(summary: CheckSummary, checkSet: Pick<CheckSet, 'source' | 'checks' | 'unchecked'> | undefined): string {
  const unchecked = uncheckedNote(checkSet);
  const tieBreak = summary.tieBreak;
  const extra = [
    // The examples tied and model-written tests broke the tie: what this reply made of those the others agreed on.
    ...(tieBreak !== undefined && tieBreak.trusted > 0 ? [`passes ${tieBreak.passed}/${tieBreak.trusted} tie-breaking tests (model-written)`] : []),
    ...(summary.errored > 0 ? [`${summary.errored} ${summary.errored === 1 ? 'error' : 'errors'}`] : []),
    ...(summary.timedOut > 0 ? [`${summary.timedOut} timed out`] : []),
    ...((summary.unusable ?? 0) > 0 ? [`${summary.unusable ?? 0} could not run (a problem of the check, not of the reply)`] : []),
    ...(unchecked !== undefined ? [unchecked] : []),
  ];
  return [`passes ${summary.passed}/${summary.total} ${checkNoun(checkSet, summary.total)}`, ...extra].join(' · ');
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

/** What Apply's diff says of the code it applies: "passes 3/3 of the question's examples", "passes 4/5 model-written tests". */
export function applyChecksNote(summary: CheckSummary | undefined, checkSet: Pick<CheckSet, 'source' | 'checks'> | undefined): string | undefined {
  if (summary === undefined || summary.total === 0) return undefined;
  const noun = checkNoun(checkSet, summary.total);
  return `passes ${summary.passed}/${summary.total} ${checkSet?.source === 'model' ? noun : `of the question's ${noun}`}`;
}
