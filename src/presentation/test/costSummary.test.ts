import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContextReport } from '../runState';
import { contextCostText, contextTokensSent } from '../costSummary';

const report: ContextReport[] = [
  { source: 'currentFile', path: 'src/cells.py', startLine: 1, endLine: 120, tokens: 900, reason: 'current file' },
  { source: 'retrieved', path: 'tests/test_cells.py', startLine: 40, endLine: 80, tokens: 300, reason: 'defines split_graphemes' },
  { source: 'problems', path: 'src/cells.py', startLine: 3, endLine: 9, tokens: 80, reason: '2 problems' },
  { source: 'selection', path: 'src/cells.py', startLine: 7, endLine: 7, tokens: 20, reason: 'selected' },
];

test('the context\'s tokens across all models are its tokens once per call that carried it', () => {
  const plain = contextTokensSent(report, [2000, 2000, 2000, 2000, 2000]);
  assert.deepEqual(plain, { tokens: 1300, calls: 5, total: 6500, capped: false, estimate: 1300, largestPrompt: 2000 });
  assert.equal(contextCostText(plain), 'Context: 1,300 tokens in each of 5 calls = 6,500 tokens across all models');
  assert.equal(contextTokensSent(undefined, [2000]), undefined);
  // The estimate (characters / 3) is above what the server counted for a call: that call carried at most its prompt.
  const sent = contextTokensSent(report, [1000, 1100, 3000]);
  assert.deepEqual(sent, { tokens: 1300, calls: 3, total: 1000 + 1100 + 1300, capped: true, estimate: 1300, largestPrompt: 3000 });
  const capped = contextTokensSent(report, [900, 1000]);
  assert.deepEqual(capped, { tokens: 1000, calls: 2, total: 1900, capped: true, estimate: 1300, largestPrompt: 1000 });
  // The whole prompt's count is named as the prompt's, and the context's own size is given.
  assert.equal(contextCostText(capped), "Context: ≈1,300 tokens (estimated from its characters), sent with 2 calls; each call's whole prompt, context included, was at most 1,000 tokens");
});
