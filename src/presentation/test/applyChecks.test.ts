import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyChecksNote } from '../checkText';
import { createRun, type RunState } from '../runState';
import { answerView } from '../answerView';
import { isWebviewToHost } from '../protocol';

const summary = (passed: number, total: number, source: 'question' | 'model' = 'question') => ({ total, passed, failed: total - passed, errored: 0, timedOut: 0, source });

test('Apply says what the kept reply passes: the question’s examples, or model-written tests; nothing without checks', () => {
  const examples = { source: 'question' as const, checks: [], unchecked: [] };
  assert.equal(applyChecksNote(summary(3, 3), examples), "passes 3/3 of the question's examples");
  assert.equal(applyChecksNote(summary(4, 5, 'model'), { source: 'model', checks: [] }), 'passes 4/5 model-written tests');
  assert.equal(applyChecksNote(undefined, examples), undefined);
  assert.equal(applyChecksNote(summary(0, 0), examples), undefined);
});

test('the kept reply’s checks: the winner’s, the chosen candidate’s, or the referencer’s reply taken', () => {
  const run: RunState = {
    ...createRun('r', 'q', 0),
    referencers: [{ model: 'ref', status: 'done', text: 'x', reasoning: '', checks: summary(3, 3) }],
    candidates: [
      { index: 0, subset: [], status: 'done', text: 'a', checks: summary(1, 3) },
      { index: 1, subset: [], status: 'done', text: 'b', checks: summary(2, 3) },
    ],
    winner: 0,
    answer: { reply: { kind: 'candidate', index: 0 }, because: 'score' },
  };
  assert.equal(answerView(run).checks?.passed, 1);
  assert.equal(answerView({ ...run, choice: { kind: 'candidate', index: 1 } }).checks?.passed, 2);
  assert.equal(answerView({ ...run, choice: { kind: 'referencer', model: 'ref' } }).checks?.passed, 3);
});

test('the panel’s apply message needs a run and the code', () => {
  assert.equal(isWebviewToHost({ type: 'apply', runId: 'r', code: 'x = 1' }), true);
  assert.equal(isWebviewToHost({ type: 'apply', runId: '', code: 'x' }), false);
  assert.equal(isWebviewToHost({ type: 'apply', runId: 'r' }), false);
  assert.equal(isWebviewToHost({ type: 'apply', runId: 'r', code: 3 }), false);
  assert.equal(isWebviewToHost({ type: 'apply', runId: 'r', code: 'x = 1', language: 'python' }), true);
  assert.equal(isWebviewToHost({ type: 'apply', runId: 'r', code: 'x = 1', language: 3 }), false);
});
