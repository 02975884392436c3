import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContextReport } from '../../presentation/runState';
import { contextCostText, contextCount, contextLine, contextParts, contextTokensSent } from '../contextLine';
import { mentionAtCaret } from '../fileCompletion';

const report: ContextReport[] = [
  { source: 'currentFile', path: 'src/cells.py', startLine: 1, endLine: 120, tokens: 900, reason: 'current file' },
  { source: 'retrieved', path: 'tests/test_cells.py', startLine: 40, endLine: 80, tokens: 300, reason: 'defines split_graphemes' },
  { source: 'problems', path: 'src/cells.py', startLine: 3, endLine: 9, tokens: 80, reason: '2 problems' },
  { source: 'selection', path: 'src/cells.py', startLine: 7, endLine: 7, tokens: 20, reason: 'selected' },
];

test('a turn\'s context line names each item by file and lines, found chunks and problems as such', () => {
  assert.equal(contextLine(report), 'Context: cells.py 1–120 · test_cells.py 40–80 (found) · 2 problems · cells.py 7 (selected)');
  assert.equal(contextLine([]), undefined);
  assert.equal(contextLine(undefined), undefined);
});

test('the chunks found in one file read as one part, where its first one was; other files keep their place', () => {
  const found = (path: string, startLine: number, endLine: number): ContextReport => ({ source: 'retrieved', path, startLine, endLine, tokens: 50, reason: 'shares words with the question' });
  const many: ContextReport[] = [report[0] as ContextReport, found('src/thresholds.ts', 145, 150), found('src/report.ts', 1, 1), found('src/thresholds.ts', 1, 8), found('src/thresholds.ts', 121, 128)];
  assert.equal(contextLine(many), 'Context: cells.py 1–120 · thresholds.ts 1–150 (found, 3 parts) · report.ts 1 (found)');
});

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

test('# completion finds the mention being typed at the caret, with or without file:, not inside a word or after a space', () => {
  assert.deepEqual(mentionAtCaret('why #cel', 8), { start: 4, query: 'cel', filesOnly: false });
  assert.deepEqual(mentionAtCaret('#file:src/pa', 12), { start: 0, query: 'src/pa', filesOnly: true });
  assert.deepEqual(mentionAtCaret('see (#', 6), { start: 5, query: '', filesOnly: false });
  assert.equal(mentionAtCaret('issue a#b', 9), undefined);
  assert.equal(mentionAtCaret('#cells.py and', 13), undefined);
});

test('the collapsed context line is a count of its parts', () => {
  assert.equal(contextCount(contextParts(report)), '4 context items');
  assert.equal(contextCount(contextParts(report.slice(0, 1))), '1 context item');
});
