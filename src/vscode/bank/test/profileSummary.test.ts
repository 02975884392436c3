import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { modelsWithoutLabels, profileEstimateMessage, profileResults, profileSummaryMessage } from '../profileSummary';

const run = (model: string, labelled: number, correct: number, failed = 0, truncated = 0) => ({ model, labelled, correct, failed, truncated });

test('each model\'s result says what its share is of: the questions graded in the run', () => {
  assert.equal(profileResults([run('Meta-Llama-3-8B', 12018, 4), run('x', 1, 1)]), 'Right on: Meta-Llama-3-8B 0 % of 12,018 questions, x 100 % of 1 question.');
  assert.equal(profileResults([run('Meta-Llama-3-8B', 380, 4), run('Qwen2.5-7B', 380, 206)]), 'Right on: Meta-Llama-3-8B 1 % of 380 questions, Qwen2.5-7B 54 % of 380 questions.');
  assert.equal(profileResults([run('one', 1, 1)]), 'Right on: one 100 % of 1 question.');
  assert.equal(profileResults([run('down', 0, 0, 3), run('long', 0, 0, 0, 2)]), 'Right on: down no answer graded (3 failed), long no answer graded (2 cut).');
  assert.equal(profileResults([]), '');
});

test('the models with no labels are the configured ones the bank has no label for, in configured order', () => {
  const stats = [
    { model: 'beta', labelled: 321 },
    { model: 'gone', labelled: 5 },
    { model: 'zero', labelled: 0 },
  ];
  assert.deepEqual(modelsWithoutLabels(['alpha', 'beta', 'zero', 'delta'], stats), ['alpha', 'zero', 'delta']);
  assert.deepEqual(modelsWithoutLabels(['beta'], stats), []);
});

test('the profiling dialog writes its counts with separators and its money with the one money format', () => {
  const estimate = { requests: 11780, promptTokens: 1619781, completionTokens: 23560, costUsd: 0.00188, maxCostUsd: 0.0123 };
  assert.equal(profileEstimateMessage(estimate), 'SMCS: profiling makes 11,780 requests (~1,619,781 prompt and ~23,560 completion tokens), about $0.00188 (at most $0.0123). Start?');
  assert.equal(profileEstimateMessage({ ...estimate, requests: 1, costUsd: undefined }), 'SMCS: profiling makes 1 request (~1,619,781 prompt and ~23,560 completion tokens), cost unknown (no pricing published). Start?');
  assert.equal(
    profileSummaryMessage({ cancelled: false, labelled: 11779, failed: 1, models: [run('alpha', 11779, 6000)] }),
    'SMCS: profiling finished: 11,779 labels stored, 1 request failed (retried next run). Right on: alpha 51 % of 11,779 questions.',
  );
});
