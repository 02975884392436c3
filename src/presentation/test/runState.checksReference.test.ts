/** A run whose answer is a referencer's own reply because the checks ranked it above every candidate (issue 32), or the final answers chose it (issue 44). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ReplyRef } from '../../core/contracts/checks';
import type { AskResult, PipelineEvent } from '../../core/contracts/events';
import { createRun, reduceRun, type RunAction, type RunState } from '../runState';
import { answerReferences, answerView } from '../answerView';
import { answeringModel } from '../answerNames';
import { resultFromRun } from '../runResult';
import { answerText } from '../../core/contracts/answer';

const usage = { promptTokens: 10, completionTokens: 5 };
const summary = (passed: number) => ({ total: 3, passed, failed: 3 - passed, errored: 0, timedOut: 0, source: 'question' as const });

/** Reference `right` passes 3/3, `wrong` 1/3; both candidates copy `wrong` (1/3): the checks answer with `right`'s reply. */
function result(): AskResult {
  return {
    question: 'q',
    support: { count: 4 },
    priors: [{ model: 'right', prior: 1, unprofiled: false }, { model: 'wrong', prior: 2, unprofiled: false }],
    referencers: [
      { model: 'right', ok: true, latencyMs: 100, usage, text: 'right reply', reasoning: 'why right', checks: summary(3), behaviour: { crashes: 0, group: 0, support: 0.5 } },
      { model: 'wrong', ok: true, latencyMs: 100, usage, text: 'wrong reply', reasoning: '', checks: summary(1) },
    ],
    aggregator: 'wrong',
    candidates: [
      { index: 0, subset: ['wrong'], draws: 1, ok: true, text: 'cand 0', reasoning: '', similarity: 0.9, perplexity: 1.2, total: 0.7, checks: summary(1), behaviour: { crashes: 2, group: 1, support: 0 } },
      { index: 1, subset: ['right', 'wrong'], draws: 1, ok: true, text: 'cand 1', reasoning: '', similarity: 0.8, perplexity: 1.1, total: 0.6, checks: summary(1) },
    ],
    winner: 0,
    selectedBy: 'checks',
    bestByChecks: { kind: 'referencer', model: 'right', passed: 3, total: 3 },
    answer: { reply: { kind: 'referencer', model: 'right' }, because: 'checks' },
    logprobsUsed: true,
    trimmedReferences: [],
    timings: { embedMs: 1, retrieveMs: 2, referencersMs: 3, aggregateMs: 4, scoreMs: 5, totalMs: 15 },
    usage,
    calls: [],
    costUsd: null,
    tokens: { prompt: 0, completion: 0 },
    conversation: { turns: 0, dropped: [] },
    cappedOutput: [],
  };
}

function doneRun(r: AskResult = result()): RunState {
  const events: PipelineEvent[] = [
    { type: 'retrieve', ms: 2, supportCount: 4, priors: r.priors, referencers: ['right', 'wrong'] },
    ...r.referencers.map((reference): PipelineEvent => ({ type: 'referencer-done', reference })),
    { type: 'subsets', aggregator: 'wrong', subsets: [['wrong'], ['right', 'wrong']], draws: [1, 1] },
    ...r.candidates.map((c): PipelineEvent => ({ type: 'aggregation-done', index: c.index, latencyMs: 10, usage, text: c.text, reasoning: '' })),
    { type: 'scored', candidates: r.candidates, winner: 0, logprobsUsed: true, selectedBy: 'checks', bestByChecks: r.bestByChecks },
    { type: 'done', result: r },
  ];
  return events.map((event, i): RunAction => ({ type: 'event', event, at: 1000 + i })).reduce(reduceRun, createRun('r1', 'q', 1000));
}

test('a run the checks answered with a reference: no candidate is the answer, the reference is shown, kept and its checks are the kept ones', () => {
  const run = doneRun();
  assert.deepEqual(run.answer, { reply: { kind: 'referencer', model: 'right' }, because: 'checks' });
  assert.equal(run.winner, 0, 'the winner stays the best candidate');
  const view = answerView(run);
  assert.equal(view.candidate, -1);
  assert.equal(view.text, 'right reply');
  assert.equal(view.reference, 'right');
  assert.equal(answeringModel(run.answer), 'right');
  assert.equal(view.checks?.passed, 3, 'Apply says what the reference passes, not the best candidate');
  assert.equal(view.topLabel, 'best candidate');
  assert.deepEqual(run.referencers[0]?.behaviour, { crashes: 0, group: 0, support: 0.5 });
  assert.deepEqual(run.candidates[0]?.behaviour, { crashes: 2, group: 1, support: 0 }, 'the scored event carries each reply’s behaviour');
});

test('choosing the best candidate makes it the answer (it is no revert); reverting goes back to the reference', () => {
  const run = doneRun();
  const chosen = reduceRun(run, { type: 'choose', index: 0 });
  assert.deepEqual(chosen.choice, { kind: 'candidate', index: 0 });
  const view = answerView(chosen);
  assert.deepEqual(view.shown, { reply: { kind: 'candidate', index: 0 }, because: 'user' });
  assert.equal(view.candidate, 0);
  assert.equal(view.text, 'cand 0');
  assert.equal(view.reference, undefined);
  assert.equal(view.checks?.passed, 1);
  const reverted = reduceRun(chosen, { type: 'choose', index: null });
  assert.equal(reverted.choice, undefined);
  assert.equal(answerView(reverted).text, 'right reply');
  assert.equal(answerView(reverted).reference, 'right');
  const other = reduceRun(run, { type: 'use-reference', model: 'wrong' });
  assert.equal(answerView(other).reference, 'wrong');
  assert.equal(answerView(reduceRun(other, { type: 'choose', index: null })).reference, 'right');
});

test('without a reference answering, the winner is the answer and choosing it reverts, as before', () => {
  const run: RunState = { ...doneRun(), answer: { reply: { kind: 'candidate', index: 0 }, because: 'checks' } };
  assert.equal(answerView(run).candidate, 0);
  assert.equal(answerView(run).topLabel, 'winner');
  assert.equal(reduceRun(reduceRun(run, { type: 'choose', index: 1 }), { type: 'choose', index: 0 }).choice, undefined);
  assert.equal(answerView(run).reference, undefined);
});

test('a run restored from history gives back the same result: the reference that answered and each reply’s behaviour', () => {
  const restored = resultFromRun(doneRun());
  assert.deepEqual(restored?.answer, { reply: { kind: 'referencer', model: 'right' }, because: 'checks' });
  assert.equal(restored && answerText(restored), 'right reply');
  assert.deepEqual(restored?.referencers[0]?.behaviour, { crashes: 0, group: 0, support: 0.5 });
  assert.deepEqual(restored?.candidates[0]?.behaviour, { crashes: 2, group: 1, support: 0 });
});

test('the order the checks ranked the replies in reaches the run and comes back with its result; runs stored before have none', () => {
  const order: ReplyRef[] = [{ kind: 'referencer', model: 'right' }, { kind: 'candidate', index: 0 }, { kind: 'candidate', index: 1 }, { kind: 'referencer', model: 'wrong' }];
  const run = doneRun({ ...result(), answerOrder: order });
  assert.deepEqual(run.answerOrder, order);
  assert.deepEqual(resultFromRun(run)?.answerOrder, order);
  const { answerOrder: _none, ...stored } = run;
  assert.equal(resultFromRun(stored)?.answerOrder, undefined);
  assert.equal(doneRun().answerOrder, undefined, 'a result without an order (not a code question) leaves none');
});

test('a run the final answers answered with a reference: the same, kept through the history with its agreement', () => {
  const agreement = { basis: 'answer' as const, answer: 'B', agreeing: 1, of: 2, support: 1.4, split: [{ answer: 'B', models: ['right'] }, { answer: 'C', models: ['wrong', 'wrong'] }] };
  const answer = { reply: { kind: 'referencer' as const, model: 'right' }, because: 'agreement' as const };
  const run = doneRun({ ...result(), selectedBy: 'agreement', bestByChecks: null, answer, agreement });
  assert.deepEqual(run.answer, answer);
  assert.equal(run.selectedBy, 'agreement');
  assert.deepEqual(answerReferences(run), { agreementReference: 'right' }, 'named agreementReference, not directReference: aggregations ran');
  const view = answerView(run);
  assert.equal(view.candidate, -1, 'no candidate is the answer');
  assert.equal(answeringModel(run.answer), 'right');
  assert.equal(view.topLabel, 'best candidate');
  assert.equal(view.text, 'right reply');
  const stored = resultFromRun(run);
  assert.deepEqual(stored?.answer, answer);
  assert.equal(stored?.selectedBy, 'agreement');
  assert.deepEqual(stored?.agreement, agreement);
  const direct = doneRun({ ...result(), selectedBy: 'score', bestByChecks: null, answer, agreement: { basis: 'answer', answer: 'B', agreeing: 2, of: 2 } });
  assert.deepEqual(answerReferences(direct), { directReference: 'right' }, 'the referencers agreed and no aggregation ran');
});
