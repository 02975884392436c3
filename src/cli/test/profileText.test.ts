/** The text `smcs profile` prints: counts with thousands separators and money in the one format of src/presentation/format.ts. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatEstimate, formatSummary, progressLine } from '../commands/profile';

test('the estimate before profiling reads 11,780 requests and money as the panel writes it', () => {
  const text = formatEstimate({
    requests: 11780,
    promptTokens: 1619781,
    completionTokens: 23560,
    costUsd: 0.00188,
    maxCostUsd: 0.01,
    perModel: [{ model: 'alpha', requests: 11780, promptTokens: 1619781, costUsd: 0.00188 }],
    unpricedModels: [],
    skipped: { ungradable: 1200, code: 0, badAnswer: [] },
  });
  assert.match(text, /^profile: 11,780 requests, about 1,619,781 prompt \+ 23,560 completion tokens$/m);
  assert.match(text, /alpha +11,780 requests {2}~\$0\.00188/);
  assert.match(text, /estimated cost \$0\.00188 \(at most \$0\.01 /);
  assert.match(text, /skipped questions: 1,200 without a grader/);
});

test('the progress line and the summary count with separators', () => {
  assert.match(progressLine({ done: 1200, total: 11780, failed: 1500, truncated: 0, etaMs: undefined, model: 'alpha' }, 10), /\] 1,200\/11,780 {2}1,500 failed$/);
  const summary = formatSummary({ total: 11780, done: 11780, labelled: 11780, failed: 0, truncated: 0, maxTokens: 512, cancelled: false, elapsedMs: 1000, usage: { promptTokens: 0, completionTokens: 0 }, models: [], skipped: { ungradable: 0, code: 0, badAnswer: [] } }, []);
  assert.match(summary, /^done: 11,780 labels stored, 0 failed, in 1s$/);
});
