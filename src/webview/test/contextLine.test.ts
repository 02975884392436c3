import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContextReport } from '../../presentation/runState';
import { contextCount, contextLine, contextParts } from '../contextLine';
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

test('the chunks found in one file read as one part with exactly the lines that went, where its first one was; other files keep their place', () => {
  const found = (path: string, startLine: number, endLine: number): ContextReport => ({ source: 'retrieved', path, startLine, endLine, tokens: 50, reason: 'shares words with the question' });
  const many: ContextReport[] = [report[0] as ContextReport, found('src/thresholds.ts', 145, 150), found('src/report.ts', 1, 1), found('src/thresholds.ts', 1, 8), found('src/thresholds.ts', 121, 128)];
  assert.equal(contextLine(many), 'Context: cells.py 1–120 · thresholds.ts 1–8, 121–128, 145–150 (found) · report.ts 1 (found)');
  // A signature sent before a piece of its definition, and the piece, touch: one range.
  assert.equal(contextLine([found('lib/request.js', 444, 445), found('lib/request.js', 446, 467), found('lib/request.js', 1, 35)]), 'Context: request.js 1–35, 444–467 (found)');
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
