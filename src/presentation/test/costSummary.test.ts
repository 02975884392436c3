import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContextReport } from '../runState';
import { contextCostText, contextPerCall, contextTokensSent } from '../costSummary';

const report: ContextReport[] = [
  { source: 'currentFile', path: 'src/cells.py', startLine: 1, endLine: 120, tokens: 900, reason: 'current file' },
  { source: 'retrieved', path: 'tests/test_cells.py', startLine: 40, endLine: 80, tokens: 300, reason: 'defines split_graphemes' },
  { source: 'problems', path: 'src/cells.py', startLine: 3, endLine: 9, tokens: 80, reason: '2 problems' },
  { source: 'selection', path: 'src/cells.py', startLine: 7, endLine: 7, tokens: 20, reason: 'selected' },
];

/** Chat calls with these prompt tokens, each with the context's share of it when given. */
const calls = (prompts: readonly number[], context?: readonly number[]) =>
  prompts.map((prompt, i) => ({ stage: 'referencer' as const, tokens: { prompt, completion: 10 }, ...(context ? { context: context[i] ?? 0 } : {}) }));

test("each call's context is counted in its prompt's unit: never above the prompt, and the embeddings carry none", () => {
  // The estimate from characters (1,300) is above every prompt the servers counted: the calls count the context apart.
  const counted = contextTokensSent(report, [...calls([1000, 1100, 1200], [800, 880, 800]), { stage: 'embedding', tokens: { prompt: 9, completion: 0 } }]);
  assert.deepEqual(counted, { tokens: 880, least: 800, calls: 3, total: 2480, capped: false, estimate: 1300, largestPrompt: 1200 });
  assert.ok(counted !== undefined && counted.tokens <= counted.largestPrompt);
  assert.equal(contextCostText(counted), 'Context: up to 880 tokens in each of 3 calls = 2,480 tokens across all models');
  const even = contextTokensSent(report, calls([2000, 2000], [1250, 1250]));
  assert.equal(even && contextPerCall(even), '1,250 tokens');
});

test('a run kept from before calls counted their context: the estimate, each call held to its prompt', () => {
  const plain = contextTokensSent(report, calls([2000, 2000, 2000, 2000, 2000]));
  assert.deepEqual(plain, { tokens: 1300, least: 1300, calls: 5, total: 6500, capped: false, estimate: 1300, largestPrompt: 2000 });
  assert.equal(contextCostText(plain), 'Context: 1,300 tokens in each of 5 calls = 6,500 tokens across all models');
  assert.equal(contextTokensSent(undefined, calls([2000])), undefined);
  // The estimate (characters / 3) is above what the server counted for a call: that call carried at most its prompt.
  const sent = contextTokensSent(report, calls([1000, 1100, 3000]));
  assert.deepEqual(sent, { tokens: 1300, least: 1000, calls: 3, total: 1000 + 1100 + 1300, capped: true, estimate: 1300, largestPrompt: 3000 });
  const capped = contextTokensSent(report, calls([900, 1000]));
  assert.deepEqual(capped, { tokens: 1000, least: 900, calls: 2, total: 1900, capped: true, estimate: 1300, largestPrompt: 1000 });
  // The whole prompt's count is named as the prompt's, and the context's own size is given.
  assert.equal(contextCostText(capped), "Context: ≈1,300 tokens (estimated from its characters), sent with 2 calls; each call's whole prompt, context included, was at most 1,000 tokens");
});
