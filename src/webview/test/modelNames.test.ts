import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createRun, type RunState } from '../../presentation/runState';
import { leftOutReferences, shortModelNames, withoutPhrase } from '../modelNames';

test('short names drop the organisation only when that still tells the models apart', () => {
  const names = shortModelNames(['meta-llama/Meta-Llama-3.1-8B-Instruct', 'meta-llama/Meta-Llama-3.1-70B-Instruct', 'gemini-1.5-pro-002', 'a/same', 'b/same']);
  assert.deepEqual([...names.values()], ['Meta-Llama-3.1-8B-Instruct', 'Meta-Llama-3.1-70B-Instruct', 'gemini-1.5-pro-002', 'a/same', 'b/same']);
  assert.equal(shortModelNames(['org/']).get('org/'), 'org/');
});

test('the references a subset left out are those that answered and are not in it; failed ones never count', () => {
  const run: RunState = {
    ...createRun('r', 'q', 0),
    referencers: [
      { model: 'a', status: 'done', text: 'x', reasoning: '' },
      { model: 'b', status: 'failed', text: '', reasoning: '', error: 'timed out' },
      { model: 'c', status: 'done', text: 'y', reasoning: '' },
      { model: 'd', status: 'done', text: 'z', reasoning: '' },
    ],
  };
  assert.deepEqual(leftOutReferences({ index: 0, subset: ['c', 'a'], status: 'done', text: '' }, run), ['d']);
  assert.deepEqual(leftOutReferences({ index: 1, subset: ['a'], status: 'done', text: '' }, run), ['c', 'd']);
  assert.deepEqual(leftOutReferences({ index: 2, subset: ['a', 'c', 'd'], status: 'done', text: '' }, run), []);
});

test('"without" reads as a sentence', () => {
  assert.equal(withoutPhrase(['A']), 'without A');
  assert.equal(withoutPhrase(['A', 'B']), 'without A and B');
  assert.equal(withoutPhrase(['A', 'B', 'C']), 'without A, B and C');
});
