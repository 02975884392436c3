/** The one answer view (presentation/answerView): the reply shown, why it is the answer, what the top candidate is called. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Answer } from '../../core/contracts/answer';
import type { SelectedBy } from '../../core/contracts/checks';
import type { AgreementSummary, AskResult } from '../../core/contracts/events';
import { answerView, candidateNote, resultSource, type AnswerSource } from '../answerView';
import { createRun, reduceRun, type RunState } from '../runState';
import { quietAskFields } from '../../../test/fixtures/askResults';

const summary = (passed: number) => ({ total: 3, passed, failed: 3 - passed, errored: 0, timedOut: 0, source: 'question' as const });
const checkSet = { source: 'question' as const, rules: {}, checks: [] };
const short = (model: string): string => model.split('/').at(-1) ?? model;

/** Candidates 1 and 3 wrote one reply, candidate 2 another; referencer `org/r1` passes every check, `org/r2` has none. */
function source(answer: Answer, extra: Partial<AnswerSource> = {}): AnswerSource {
  return {
    answer,
    selectedBy: 'score',
    winner: 0,
    bestByChecks: null,
    checkSet,
    referencers: [
      { model: 'org/r1', status: 'done', text: 'R1', reasoning: '', checks: summary(3) },
      { model: 'org/r2', status: 'done', text: 'R2', reasoning: '' },
    ],
    candidates: [
      { index: 0, subset: ['org/r1'], status: 'done', text: 'A', checks: summary(1) },
      { index: 1, subset: ['org/r2'], status: 'done', text: 'B', checks: summary(2) },
      { index: 2, subset: ['org/r1', 'org/r2'], status: 'done', text: 'A\n' },
    ],
    ...extra,
  };
}

const candidate = (index: number) => ({ kind: 'candidate' as const, index });
const referencer = (model: string) => ({ kind: 'referencer' as const, model });
const voted: AgreementSummary = {
  basis: 'answer',
  answer: 'B',
  agreeing: 2,
  of: 2,
  split: [{ answer: 'B', models: ['org/r1', 'org/r2'] }],
  answers: [
    { reply: referencer('org/r1'), answer: 'B' },
    { reply: referencer('org/r2'), answer: 'B' },
  ],
};
const shortcut: AgreementSummary = { basis: 'answer', answer: 'B', agreeing: 2, of: 2 };

test('the score chose: the reply and its group named, the top candidate is the winner', () => {
  const view = answerView(source({ reply: candidate(0), because: 'score' }), short);
  assert.equal(view.reason, 'candidates 1 and 3 (2 of 3 agree), the highest score · passes 1/3 examples');
  assert.equal(view.topLabel, 'winner');
  assert.equal(view.text, 'A');
  assert.equal(view.candidate, 0);
  assert.equal(view.reference, undefined);
  assert.equal(view.checks?.passed, 1);
  assert.equal(view.agreement, undefined, 'no final answers read, no line');
});

test('the checks chose a candidate: it is the winner; the checks chose a referencer: the top candidate is only the best candidate', () => {
  const onCandidate = answerView(source({ reply: candidate(1), because: 'checks' }, { winner: 1, selectedBy: 'checks' }), short);
  assert.equal(onCandidate.reason, 'candidate 2 of 3: the checks chose it · passes 2/3 examples');
  assert.equal(onCandidate.topLabel, 'winner');
  const onReferencer = answerView(source({ reply: referencer('org/r1'), because: 'checks' }, { selectedBy: 'checks' }), short);
  assert.equal(onReferencer.reason, "r1's reply: the checks rank it above every candidate · passes 3/3 examples");
  assert.equal(onReferencer.topLabel, 'best candidate');
  assert.deepEqual([onReferencer.text, onReferencer.candidate, onReferencer.reference, onReferencer.checks?.passed], ['R1', -1, 'org/r1', 3]);
});

test('every aggregation failed: the reference the checks favour, or the highest prior', () => {
  const favoured = answerView(source({ reply: referencer('org/r1'), because: 'fallback' }, { winner: -1, bestByChecks: { kind: 'referencer', model: 'org/r1', passed: 3, total: 3 } }), short);
  assert.equal(favoured.reason, "r1's reply: every aggregation failed, and it is the one the checks favour · passes 3/3 examples");
  assert.equal(favoured.topLabel, 'best candidate');
  const byPrior = answerView(source({ reply: referencer('org/r2'), because: 'fallback' }, { winner: -1 }), short);
  assert.equal(byPrior.reason, "r2's reply: every aggregation failed, and it is the highest prior");
  assert.equal(byPrior.topLabel, 'best candidate');
  assert.equal(byPrior.checks, undefined, 'a reply without checks says nothing of them');
});

test('a tie on the checks reads as a tie, with the replies it ties and what broke it; the checks are not named as choosing', () => {
  // r1 and r2 pass 3/3 each (different programs); candidate 2 copied r1's reply and passes 3/3 as it does.
  const tied = (answer: Answer, selectedBy: SelectedBy): AnswerSource =>
    source(answer, {
      selectedBy,
      winner: 1,
      referencers: [
        { model: 'org/r1', status: 'done', text: 'R1', reasoning: '', checks: summary(3) },
        { model: 'org/r2', status: 'done', text: 'R2', reasoning: '', checks: summary(3) },
      ],
      candidates: [
        { index: 0, subset: ['org/r1'], status: 'done', text: 'A', checks: summary(1) },
        { index: 1, subset: ['org/r1', 'org/r2'], status: 'done', text: 'R1', checks: summary(3) },
      ],
    });
  const byPrior = answerView(tied({ reply: referencer('org/r1'), because: 'checks' }, 'prior'), short);
  assert.equal(byPrior.reason, "r1's reply: tied on the checks (3/3 each) with r2's reply; chosen by the higher prior");
  const byScore = answerView(tied({ reply: candidate(1), because: 'score' }, 'score'), short);
  assert.equal(byScore.reason, "candidate 2 of 2: tied on the checks (3/3 each) with r2's reply; chosen by the hybrid score", 'r1 wrote the same reply: no other reply');
  const byDerived = answerView(tied({ reply: candidate(1), because: 'checks' }, 'derived'), short);
  assert.equal(byDerived.reason, "candidate 2 of 2: tied on the checks (3/3 each) with r2's reply; chosen by their behaviour on inputs derived from the examples");
  const byTests = answerView(tied({ reply: referencer('org/r2'), because: 'checks' }, 'tests'), short);
  assert.equal(byTests.reason, "r2's reply: tied on the checks (3/3 each) with r1's reply and candidate 2; chosen by the tie-breaking tests (model-written)");
  const fallback = answerView({ ...tied({ reply: referencer('org/r1'), because: 'fallback' }, 'prior'), candidates: [], winner: -1 }, short);
  assert.equal(fallback.reason, "r1's reply: every aggregation failed; tied on the checks (3/3 each) with r2's reply; chosen by the higher prior");
  // Where the checks set the answer apart, they chose it.
  const apart = answerView({ ...tied({ reply: referencer('org/r1'), because: 'checks' }, 'checks'), bestByChecks: { kind: 'referencer', model: 'org/r1', passed: 3, total: 3 } }, short);
  assert.equal(apart.reason, "r1's reply: the checks rank it above every candidate · passes 3/3 examples");
});

test("agreement: the models' final answers chose (a vote), or the referencers agreed and no aggregation ran (the shortcut)", () => {
  const byVote = answerView(source({ reply: referencer('org/r2'), because: 'agreement' }, { selectedBy: 'agreement', agreement: voted }), short);
  assert.equal(byVote.reason, "r2's reply: the models' final answers chose it");
  assert.equal(byVote.topLabel, 'best candidate', 'the vote chose a referencer: the top candidate is not the answer');
  assert.equal(byVote.agreement, '2 of 2 models answer B');
  const voteOnCandidate = answerView(source({ reply: candidate(0), because: 'agreement' }, { selectedBy: 'agreement', agreement: voted }), short);
  assert.equal(voteOnCandidate.reason, "candidates 1 and 3 (2 of 3 agree): the models' final answers chose it · passes 1/3 examples");
  assert.equal(voteOnCandidate.topLabel, 'winner');
  const byShortcut = answerView(source({ reply: referencer('org/r2'), because: 'agreement' }, { candidates: [], winner: -1, agreement: shortcut }), short);
  assert.equal(byShortcut.reason, "r2's reply: the referencers agreed, so no aggregation ran");
  assert.equal(byShortcut.topLabel, 'best candidate');
  assert.equal(byShortcut.agreement, '2 of 2 models answer B');
  const saving = answerView(source({ reply: referencer('org/r2'), because: 'agreement' }, { candidates: [], winner: -1, agreement: shortcut, savedCalls: 4 }), short);
  assert.equal(saving.reason, "r2's reply: the referencers agreed, so no aggregation ran (4 aggregation calls saved)", 'what the shortcut saved, in the chat and the server as in the panel');
});

test('cards say why the top candidate stands above a higher total, and why a higher total was passed over', () => {
  // The final answers chose (B): candidate 2 (total 0.537) states it; candidate 1 (0.624) answers (C); candidate 3 (0.7) answers (B) too.
  const byVote: AgreementSummary = {
    basis: 'answer',
    answer: 'B',
    agreeing: 3,
    of: 4,
    options: true,
    split: [{ answer: 'B', models: ['org/r1', 'org/r2'] }, { answer: 'C', models: ['org/r3'] }],
    answers: [
      { reply: referencer('org/r1'), answer: 'B' },
      { reply: referencer('org/r2'), answer: 'B' },
      { reply: referencer('org/r3'), answer: 'C' },
      { reply: candidate(1), answer: 'B' },
    ],
  };
  const voted = source({ reply: candidate(1), because: 'agreement' }, {
    selectedBy: 'agreement',
    winner: 1,
    agreement: { ...byVote, answers: [...(byVote.answers ?? []), { reply: candidate(0), answer: 'C' }, { reply: candidate(2), answer: 'B' }] },
    checkSet: undefined,
    candidates: [
      { index: 0, subset: [], status: 'done', text: 'C, because…', total: 0.624 },
      { index: 1, subset: [], status: 'done', text: 'The answer is (B).', total: 0.537 },
      { index: 2, subset: [], status: 'done', text: 'Maybe (A), but (B).', total: 0.7 },
      { index: 3, subset: [], status: 'done', text: 'D', total: 0.2 },
    ],
  });
  assert.equal(candidateNote(voted, 1), "chosen by the models' final answers: 4 of 6 replies answer (B)");
  assert.equal(candidateNote(voted, 0), 'higher total, passed over: it answers (C); the final answers chose (B)');
  assert.equal(candidateNote(voted, 2), 'higher total, passed over: it answers (B) too; candidate 2 states it more plainly');
  assert.equal(candidateNote(voted, 3), undefined, 'a lower total needs no word');
  // The checks chose candidate 2 (2/3) over candidate 1's higher total (1/3).
  const checked = source({ reply: candidate(1), because: 'checks' }, {
    selectedBy: 'checks',
    winner: 1,
    bestByChecks: { kind: 'candidate', index: 1, passed: 2, total: 3 },
    candidates: [
      { index: 0, subset: [], status: 'done', text: 'A', total: 0.9, checks: summary(1) },
      { index: 1, subset: [], status: 'done', text: 'B', total: 0.4, checks: summary(2) },
    ],
  });
  assert.equal(candidateNote(checked, 1), 'chosen by the checks: the higher totals pass fewer of them');
  assert.equal(candidateNote(checked, 0), 'higher total, passed over: passes 1/3 examples; candidate 2: 2/3');
  // The score chose, and the top total is the winner's: nothing to explain.
  assert.equal(candidateNote({ ...checked, selectedBy: 'score', winner: 0, answer: { reply: candidate(0), because: 'score' } }, 1), undefined);
  assert.equal(candidateNote({ ...checked, selectedBy: 'score', winner: 0, answer: { reply: candidate(0), because: 'score' } }, 0), undefined);
});

test('routed: the cost limit left no aggregation', () => {
  const view = answerView(source({ reply: referencer('org/r2'), because: 'routed' }, { candidates: [], winner: -1 }), short);
  assert.equal(view.reason, "r2's reply: to stay within your cost limit, no aggregation ran");
  assert.equal(view.topLabel, 'best candidate');
  assert.equal(view.text, 'R2');
});

test("the user's choice: shown with its text and checks, the top candidate's label unchanged; a revert goes back to the run's answer", () => {
  const run = source({ reply: candidate(0), because: 'score' });
  const chosen = answerView({ ...run, choice: candidate(1) }, short);
  assert.deepEqual(chosen.shown, { reply: candidate(1), because: 'user' });
  assert.equal(chosen.reason, 'candidate 2 of 3, your choice · passes 2/3 examples');
  assert.deepEqual([chosen.text, chosen.candidate, chosen.reference, chosen.checks?.passed, chosen.topLabel], ['B', 1, undefined, 2, 'winner']);
  const taken = answerView({ ...run, choice: referencer('org/r1') }, short);
  assert.equal(taken.reason, "r1's reply, your choice · passes 3/3 examples");
  assert.deepEqual([taken.text, taken.candidate, taken.reference, taken.checks?.passed, taken.topLabel], ['R1', -1, 'org/r1', 3, 'winner']);
  const fromReference = answerView({ ...source({ reply: referencer('org/r1'), because: 'checks' }, { selectedBy: 'checks' }), choice: candidate(0) }, short);
  assert.equal(fromReference.topLabel, 'best candidate', 'the label is the run’s: taking the best candidate does not make it the winner');
});

test('through the reducer: choose, revert, use a reference, revert', () => {
  const done: RunState = { ...createRun('r', 'q', 0), ...source({ reply: candidate(0), because: 'score' }), status: 'done' };
  const chosen = reduceRun(done, { type: 'choose', index: 1 });
  assert.deepEqual([answerView(chosen).text, answerView(chosen).candidate, answerView(chosen).checks?.passed], ['B', 1, 2]);
  const reverted = reduceRun(chosen, { type: 'choose', index: null });
  assert.deepEqual(answerView(reverted), answerView(done), 'a revert shows the run’s own answer again');
  assert.equal(answerView(reverted).reason, 'candidates 1 and 3 (2 of 3 agree), the highest score · passes 1/3 examples');
  const taken = reduceRun(done, { type: 'use-reference', model: 'org/r1' });
  assert.deepEqual([answerView(taken).text, answerView(taken).reference, answerView(taken).candidate], ['R1', 'org/r1', -1]);
  assert.equal(answerView(reduceRun(taken, { type: 'choose', index: null })).reference, undefined);
});

test('before the run is done: nothing shown, no reason; the candidate is the winner so far', () => {
  const running: RunState = { ...createRun('r', 'q', 0), ...source({ reply: candidate(0), because: 'score' }), winner: 2 };
  delete running.answer;
  const view = answerView(running);
  assert.deepEqual([view.shown, view.text, view.reason, view.candidate, view.topLabel], [undefined, undefined, undefined, 2, 'winner']);
});

test('a finished result read through resultSource gives the view the run gives: the CLI and the panel say the same', () => {
  const usage = { promptTokens: 1, completionTokens: 1 };
  const result: AskResult = {
    question: 'q',
    support: { count: 0 },
    priors: [],
    referencers: [
      { model: 'org/r1', ok: true, latencyMs: 1, usage, text: 'R1', reasoning: '', checks: summary(3) },
      { model: 'org/r2', ok: false, latencyMs: 1, usage, text: '', reasoning: '', error: 'down' },
    ],
    aggregator: 'org/r1',
    candidates: [
      { index: 0, subset: ['org/r1'], draws: 1, ok: true, text: 'A', reasoning: '', similarity: 1, perplexity: null, total: 1, checks: summary(1) },
      { index: 1, subset: ['org/r1'], draws: 1, ok: false, text: '', reasoning: '', similarity: 0, perplexity: null, total: 0, error: 'timeout' },
    ],
    winner: 0,
    selectedBy: 'agreement',
    bestByChecks: null,
    checkSet,
    answer: { reply: referencer('org/r1'), because: 'agreement' },
    agreement: voted,
    ...quietAskFields(usage),
  };
  const fromResult = resultSource(result);
  assert.deepEqual(fromResult.candidates.map((c) => c.status), ['done', 'failed']);
  assert.deepEqual(fromResult.referencers.map((r) => r.status), ['done', 'failed']);
  const run: RunState = { ...createRun('r', 'q', 0), ...fromResult, status: 'done' };
  assert.deepEqual(answerView(fromResult, short), answerView(run, short));
  assert.equal(answerView(fromResult).topLabel, 'best candidate');
  assert.equal(answerView(fromResult, short).reason, "r1's reply: the models' final answers chose it · passes 3/3 examples");
});
