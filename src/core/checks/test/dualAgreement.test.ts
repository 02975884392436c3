/**
 * CodeT's dual agreement and the tie-breaking tests built on it: consensus sets by the tests passed, their scores,
 * ties between sets, a majority of wrong tests, when the question's checks count as a tie, and what the trusted tests
 * add to a reply's hybrid total — never as much as one of the question's examples.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dualAgreement } from '../dualAgreement';
import { checksTie, TIE_BREAK_WEIGHT, tieBreakBonus, tieBreakSummary, trustedTests } from '../tieBreak';
import { replyKey, rankByChecks, summarize, type ReplyChecks } from '../decision';
import type { CheckRun, ReplyRef, TieBreak } from '../../contracts/checks';

/** Runs from marks: "PPF" = checks 0 and 1 passed, 2 failed; "E" errored. */
const runs = (marks: string): CheckRun[] => [...marks].map((m, i) => ({ check: i, status: m === 'P' ? 'passed' : m === 'E' ? 'errored' : 'failed', durationMs: 1 }));
const code = (body: string): string => `\`\`\`python\n${body}\n\`\`\``;

test('programs are grouped by the exact set of tests they pass; a set scores programs × tests', () => {
  const { sets, trusted } = dualAgreement([[0, 1, 2], [0, 1], [0, 1, 2], [2, 1, 0], [3]]);
  assert.deepEqual(sets, [
    { programs: [0, 2, 3], tests: [0, 1, 2], score: 9 },
    { programs: [1], tests: [0, 1], score: 2 },
    { programs: [4], tests: [3], score: 1 },
  ]);
  assert.deepEqual(trusted, [0, 1, 2]);
});

test('a wrong majority of tests loses to programs that agree: one wrong program passing four wrong tests scores less than three passing two right ones', () => {
  // tests 0–1 right, 2–5 wrong (they expect what program 3 returns); programs 0–2 are right, program 3 is wrong
  const { trusted, sets } = dualAgreement([[0, 1], [0, 1], [0, 1], [2, 3, 4, 5]]);
  assert.equal(sets[0]?.score, 6);
  assert.equal(sets[1]?.score, 4);
  assert.deepEqual(trusted, [0, 1]);
  // with only one right program the wrong tests win — the limit of agreement, which is why the weight is measured
  assert.deepEqual(dualAgreement([[0, 1], [2, 3, 4, 5]]).trusted, [2, 3, 4, 5]);
});

test('sets tied on the best score trust only the tests they all pass; nothing to trust when no set passes any', () => {
  assert.deepEqual(dualAgreement([[0, 1], [1, 2]]).trusted, [1]);
  assert.deepEqual(dualAgreement([[0, 1, 2, 3], [4, 5], [4, 5]]).trusted, [], 'two sets of score 4 share no test');
  assert.deepEqual(dualAgreement([[], [], null]).trusted, []);
  assert.deepEqual(dualAgreement([null, [0]]).sets, [{ programs: [1], tests: [0], score: 1 }], 'a program that could not run joins no set');
});

test('a tie: every program that ran passes the same checks, and two of them are different programs', () => {
  const a = code('def f(x):\n    return x + 1');
  const b = code('def f(x):\n    return 1 + x');
  assert.equal(checksTie([{ text: a, runs: runs('PPF') }, { text: b, runs: runs('PPF') }]), true);
  assert.equal(checksTie([{ text: a, runs: runs('PPP') }, { text: b, runs: runs('PPF') }]), false, 'the checks tell them apart');
  assert.equal(checksTie([{ text: a, runs: runs('PP') }, { text: `Same code, other words.\n\n${code('def f(x):\n    return   x + 1')}`, runs: runs('PP') }]), false, 'one program, twice');
  assert.equal(checksTie([{ text: a, runs: runs('PP') }, { text: b, runs: runs('EE') }, { text: 'no code', runs: undefined }]), false, 'a program that only errored did not run');
  assert.equal(checksTie([{ text: a, runs: runs('FF') }, { text: b, runs: runs('FF') }]), true, 'failing all alike is a tie too');
});

test('the trusted tests come from the runs; a reply counts the trusted ones it passes', () => {
  const trusted = trustedTests([runs('PPF'), runs('PPF'), runs('FFP'), undefined, runs('EEE')]);
  assert.deepEqual(trusted, [0, 1]);
  assert.deepEqual(tieBreakSummary(runs('PFP'), trusted), { passed: 1, trusted: 2 });
  assert.equal(tieBreakBonus({ total: 2, passed: 2, failed: 0, errored: 0, timedOut: 0, source: 'question', tieBreak: { passed: 1, trusted: 2 } }, { weight: 0.8 }), 0.4);
  assert.equal(tieBreakBonus({ total: 2, passed: 2, failed: 0, errored: 0, timedOut: 0, source: 'question' }, { weight: 0.8 }), 0);
});

/** Results with the question's checks from marks and the trusted tie-breaking tests passed. */
function results(entries: [ReplyRef, string, number][], trusted: number): Map<string, ReplyChecks> {
  return new Map(entries.map(([ref, marks, passed]) => [replyKey(ref), { summary: { ...summarize(runs(marks), 'question'), tieBreak: { passed, trusted } }, runs: runs(marks) }]));
}
const cand = (index: number): ReplyRef => ({ kind: 'candidate', index });
const tieBreak: TieBreak = { checks: [], trusted: [0, 1, 2, 3], weight: TIE_BREAK_WEIGHT };

test('trusted tests add to the hybrid total: they choose between candidates the examples tie on', () => {
  const r = results([[cand(0), 'PP', 0], [cand(1), 'PP', 4]], 4);
  const selection = rankByChecks({ candidates: [{ index: 0, total: 1.2 }, { index: 1, total: 1.0 }], referencers: [], results: r, weights: [1, 1], checkCount: 2, tieBreak });
  assert.equal(selection.winner, 1);
  assert.equal(selection.selectedBy, 'tests', 'the examples tie: the tie-breaking tests chose');
  assert.equal(selection.bestByChecks, null);
  // a hybrid lead larger than what one trusted test adds keeps its candidate
  const close = results([[cand(0), 'PP', 3], [cand(1), 'PP', 4]], 4);
  const kept = rankByChecks({ candidates: [{ index: 0, total: 1.5 }, { index: 1, total: 1.0 }], referencers: [], results: close, weights: [1, 1], checkCount: 2, tieBreak });
  assert.equal(kept.winner, 0);
  assert.equal(kept.selectedBy, 'score');
});

test('model-written tests never outrank one of the question’s examples, whatever the hybrid totals', () => {
  assert.ok(TIE_BREAK_WEIGHT < 1);
  const r = results([[cand(0), 'PPF', 0], [cand(1), 'PFF', 4], [cand(2), 'PPF', 0]], 4);
  const selection = rankByChecks({ candidates: [{ index: 0, total: 0.1 }, { index: 1, total: 2 }, { index: 2, total: 0.2 }], referencers: [], results: r, weights: [1, 1, 1], checkCount: 3, tieBreak: { ...tieBreak, weight: TIE_BREAK_WEIGHT } });
  assert.equal(selection.winner, 2, 'the two passing more examples rank first; the hybrid total decides between them');
  assert.deepEqual([selection.selectedBy, selection.bestByChecks], ['score', null], 'candidates 0 and 2 tie on the examples');
  // a referencer passing every trusted test but one example fewer is not offered over the candidates
  const withRef = new Map([...r, ...results([[{ kind: 'referencer', model: 'a' }, 'PFF', 4]], 4)]);
  const ranked = rankByChecks({ candidates: [{ index: 0, total: 0.1 }, { index: 2, total: 0.2 }], referencers: ['a'], results: withRef, weights: [1, 1, 1], checkCount: 3, tieBreak });
  assert.deepEqual(ranked.order[0], cand(2));
  assert.notEqual(ranked.bestByChecks?.kind, 'referencer');
});
