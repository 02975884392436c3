import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckRun } from '../../contracts/checks';
import { checkWeights, replyKey, rankByChecks, summarize, withoutUnusable, type ReplyChecks } from '../decision';
import type { CheckSet, ReplyRef } from '../../contracts/checks';

/** Results from pass/fail strings: "PPF" = checks 0 and 1 passed, 2 failed; "T" timed out, "E" errored, "U" unusable. */
function results(entries: [ReplyRef, string][], source: 'question' | 'model' = 'question'): Map<string, ReplyChecks> {
  const status = { P: 'passed', F: 'failed', T: 'timedOut', E: 'errored', U: 'unusable' } as const;
  return new Map(
    entries.map(([ref, marks]) => {
      const runs: CheckRun[] = [...marks].map((m, i) => ({ check: i, status: status[m as keyof typeof status], durationMs: 1 }));
      return [replyKey(ref), { summary: summarize(runs, source), runs }];
    }),
  );
}

const cand = (index: number): ReplyRef => ({ kind: 'candidate', index });
const ref = (model: string): ReplyRef => ({ kind: 'referencer', model });
const three = [1, 1, 1];

test('the candidate passing most examples wins; among those the highest hybrid total, then the lowest index', () => {
  const r = results([[cand(0), 'PFF'], [cand(1), 'PPF'], [cand(2), 'PPF'], [cand(3), 'PPP']]);
  const candidates = [{ index: 0, total: 0.9 }, { index: 1, total: 0.5 }, { index: 2, total: 0.7 }, { index: 3, total: 0.1 }];
  assert.deepEqual(rankByChecks({ candidates, referencers: [], results: r, weights: three, checkCount: 3 }), {
    order: [cand(3), cand(2), cand(1), cand(0)],
    winner: 3,
    selectedBy: 'checks',
    bestByChecks: { kind: 'candidate', index: 3, passed: 3, total: 3 },
  });
  const tied = results([[cand(0), 'PFF'], [cand(1), 'PPF'], [cand(2), 'PPF']]);
  const sameTotal = [{ index: 0, total: 0.9 }, { index: 1, total: 0.5 }, { index: 2, total: 0.5 }];
  assert.equal(rankByChecks({ candidates: sameTotal, referencers: [], results: tied, weights: three, checkCount: 3 }).winner, 1);
});

test('timeouts and errors count as not passed, never as passed', () => {
  const r = results([[cand(0), 'PTT'], [cand(1), 'PPE']]);
  const selection = rankByChecks({ candidates: [{ index: 0, total: 1 }, { index: 1, total: 0 }], referencers: [], results: r, weights: three, checkCount: 3 });
  assert.equal(selection.winner, 1);
});

test('a referencer answers only when it beats every candidate; equal to the best candidate, the candidate does', () => {
  const candidates = [{ index: 0, total: 1 }, { index: 1, total: 0.5 }];
  const beats = results([[cand(0), 'PFF'], [cand(1), 'PFF'], [ref('a'), 'PPP'], [ref('b'), 'PPF']]);
  const beaten = rankByChecks({ candidates, referencers: ['b', 'a'], results: beats, weights: three, checkCount: 3 });
  assert.deepEqual(beaten.bestByChecks, { kind: 'referencer', model: 'a', passed: 3, total: 3 });
  assert.deepEqual(beaten.order[0], ref('a'));
  assert.equal(beaten.winner, 0, 'the best candidate stays the winner card');
  // Candidate 1 copied a's program: one program passing 3/3 against candidate 0's 1/3, so the checks chose it.
  const equals = results([[cand(0), 'PFF'], [cand(1), 'PPP'], [ref('a'), 'PPP']]);
  const copied = new Map([[replyKey(cand(0)), 'other'], [replyKey(cand(1)), 'same'], [replyKey(ref('a')), 'same']]);
  const equal = rankByChecks({ candidates, referencers: ['a'], results: equals, weights: three, checkCount: 3, programs: copied });
  assert.deepEqual(equal.bestByChecks, { kind: 'candidate', index: 1, passed: 3, total: 3 });
  assert.equal(equal.selectedBy, 'checks');
  assert.deepEqual(equal.order[0], cand(1));
  // Candidate 1 a program of its own: it and a's reply tie on the checks, and the score chose among them.
  const tied = rankByChecks({ candidates, referencers: ['a'], results: equals, weights: three, checkCount: 3 });
  assert.deepEqual(tied.order[0], cand(1));
  assert.equal(tied.bestByChecks, null);
  assert.equal(tied.selectedBy, 'score');
});

test('when the checks cannot tell any replies apart it is a tie: the score winner stands and nothing is favoured', () => {
  const r = results([[cand(0), 'PFP'], [cand(1), 'FPP'], [ref('a'), 'PPF']]);
  assert.deepEqual(rankByChecks({ candidates: [{ index: 0, total: 0.2 }, { index: 1, total: 0.9 }], referencers: ['a'], results: r, weights: three, checkCount: 3 }), {
    order: [cand(1), cand(0), ref('a')],
    winner: 1,
    selectedBy: 'score',
    bestByChecks: null,
  });
});

test('a candidate without code scores nothing: a candidate with passing code wins over it', () => {
  const r = results([[cand(1), 'PP']]);
  const selection = rankByChecks({ candidates: [{ index: 0, total: 0.9 }, { index: 1, total: 0.1 }], referencers: [], results: r, weights: [1, 1], checkCount: 2 });
  assert.equal(selection.winner, 1);
  assert.equal(selection.selectedBy, 'checks');
});

test('model-written tests weigh by the share of replies that pass them, so a test most replies fail counts little', () => {
  const set: CheckSet = { source: 'model', checks: [0, 1, 2].map((i) => ({ kind: 'stdio', source: 'model', label: `t${i}`, input: '', expected: '' })), rules: {} };
  const r = results([[cand(0), 'PPF'], [cand(1), 'PPF'], [cand(2), 'PFP'], [ref('a'), 'PPF']], 'model');
  const weights = checkWeights(set, [...r.values()]);
  assert.deepEqual(weights, [1, 0.75, 0.25]);
  // cand 2 passes as many tests as cand 0 and 1, but its second pass is on the test only it passes.
  // Candidates 0 and 1 copied a's program; candidate 2 wrote another.
  const programs = new Map([[replyKey(cand(0)), 'p'], [replyKey(cand(1)), 'p'], [replyKey(ref('a')), 'p'], [replyKey(cand(2)), 'q']]);
  const selection = rankByChecks({ candidates: [{ index: 0, total: 0.1 }, { index: 1, total: 0.2 }, { index: 2, total: 0.9 }], referencers: ['a'], results: r, weights, checkCount: 3, programs });
  assert.equal(selection.winner, 1);
  assert.equal(selection.selectedBy, 'checks');
});

test('referencers that pass the same checks, more than every candidate: a tie the prior breaks (then the first), nothing favoured', () => {
  const candidates = [{ index: 0, total: 1 }, { index: 1, total: 0.5 }];
  const tied = results([[cand(0), 'PFF'], [cand(1), 'FFF'], [ref('a'), 'PPP'], [ref('b'), 'PPP']]);
  assert.deepEqual(rankByChecks({ candidates, referencers: ['b', 'a'], results: tied, weights: three, checkCount: 3 }), {
    order: [ref('b'), ref('a'), cand(0), cand(1)],
    winner: 0,
    selectedBy: 'prior',
    bestByChecks: null,
  });
  const priors = new Map([['a', 0.9], ['b', 0.4]]);
  const byPrior = rankByChecks({ candidates, referencers: ['b', 'a'], results: tied, weights: three, checkCount: 3, priors });
  assert.deepEqual(byPrior.order[0], ref('a'));
  assert.equal(byPrior.bestByChecks, null, 'the checks favour neither of the two: the prior chose');
  assert.equal(byPrior.selectedBy, 'prior');
  // The same program twice (two models wrote it alike) is no tie: the checks chose it over every candidate.
  const alike = rankByChecks({ candidates, referencers: ['b', 'a'], results: tied, weights: three, checkCount: 3, priors, programs: new Map([[replyKey(ref('a')), 'p'], [replyKey(ref('b')), 'p']]) });
  assert.deepEqual(alike.bestByChecks, { kind: 'referencer', model: 'a', passed: 3, total: 3 });
  assert.equal(alike.selectedBy, 'checks');
  // No candidate at all (every aggregation failed) and referencers the checks cannot tell apart: a tie, the first answers.
  const alone = results([[ref('a'), 'PFP'], [ref('b'), 'PPF']]);
  const fallback = rankByChecks({ candidates: [], referencers: ['a', 'b'], results: alone, weights: three, checkCount: 3 });
  assert.equal(fallback.bestByChecks, null);
  assert.deepEqual(fallback.order[0], ref('a'));
});

test('a check that could not run on some reply through no fault of it counts for no reply', () => {
  // check 1 is a problem of the check on candidate 1 (say a name only the question's text had); candidate 0 passed it
  const r = results([[cand(0), 'PPF'], [cand(1), 'PUP']]);
  assert.deepEqual(r.get(replyKey(cand(1)))?.summary, { total: 2, passed: 2, failed: 0, errored: 0, timedOut: 0, unusable: 1, source: 'question' });
  const weights = withoutUnusable(three, r.values());
  assert.deepEqual(weights, [1, 0, 1]);
  const candidates = [{ index: 0, total: 0.9 }, { index: 1, total: 0.1 }];
  assert.equal(rankByChecks({ candidates, referencers: [], results: r, weights, checkCount: 3 }).winner, 1);
  // counted as it was, the unusable check would have tied them and the score would have kept candidate 0
  assert.equal(rankByChecks({ candidates, referencers: [], results: r, weights: three, checkCount: 3 }).winner, 0);
});

test('among replies the examples tie: fewer crashes on derived inputs first, then the behaviour more independent models share', () => {
  const r = results([[cand(0), 'PP'], [cand(1), 'PP'], [ref('a'), 'PP'], [ref('b'), 'PP'], [ref('c'), 'PP']]);
  const candidates = [{ index: 0, total: 1.4 }, { index: 1, total: 0.6 }];
  const behaviour = new Map([
    [replyKey(cand(0)), { crashes: 0, group: 0, support: 0 }],
    [replyKey(ref('a')), { crashes: 0, group: 1, support: 0.7 }],
    [replyKey(ref('b')), { crashes: 0, group: 1, support: 0.7 }],
    [replyKey(cand(1)), { crashes: 0, group: 1, support: 0.7 }],
    [replyKey(ref('c')), { crashes: 1, group: 2, support: 0.3 }],
  ]);
  const agreed = rankByChecks({ candidates, referencers: ['a', 'b', 'c'], results: r, weights: [1, 1], checkCount: 2, behaviour });
  assert.equal(agreed.winner, 1, 'the candidate behaving as two models do, over a higher hybrid total alone');
  assert.deepEqual(agreed.order[0], cand(1), 'a candidate tied with the references answers');
  assert.equal(agreed.selectedBy, 'derived', 'the examples tie: the derived inputs chose, not the checks');
  assert.equal(agreed.bestByChecks, null);
  // A crash on a derived input ranks below returning, however popular the crashing behaviour.
  const crashing = new Map([...behaviour, [replyKey(cand(1)), { crashes: 2, group: 3, support: 0.7 }]]);
  const crashed = rankByChecks({ candidates, referencers: ['a', 'b', 'c'], results: r, weights: [1, 1], checkCount: 2, behaviour: crashing });
  assert.equal(crashed.winner, 0);
  assert.deepEqual([crashed.selectedBy, crashed.bestByChecks], ['derived', null]);
  // Agreement never outranks an example: a popular behaviour failing one loses to a lone one passing all.
  const failing = results([[cand(0), 'PF'], [cand(1), 'PF'], [ref('a'), 'PF'], [ref('b'), 'PF'], [ref('c'), 'PP']]);
  const lone = rankByChecks({ candidates, referencers: ['a', 'b', 'c'], results: failing, weights: [1, 1], checkCount: 2, behaviour });
  assert.deepEqual(lone.order[0], ref('c'));
  assert.deepEqual(lone.bestByChecks, { kind: 'referencer', model: 'c', passed: 2, total: 2 });
});
