import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { modelsWithoutLabels, profileResults } from '../profileSummary';

const run = (model: string, labelled: number, correct: number, failed = 0, truncated = 0) => ({ model, labelled, correct, failed, truncated });

test('each model\'s result says what its share is of: the questions graded in the run', () => {
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
