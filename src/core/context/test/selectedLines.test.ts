import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectedLines } from '../selectedLines';

test('a selection names its lines 1-based, as the editor shows them', () => {
  // VS Code's 0-based lines 665–678 are the lines 666–679 the gutter shows.
  assert.deepEqual(selectedLines({ line: 665, character: 4 }, { line: 678, character: 12 }), { startLine: 666, endLine: 679 });
  assert.deepEqual(selectedLines({ line: 9, character: 2 }, { line: 9, character: 8 }), { startLine: 10, endLine: 10 });
});

test('a selection ending at column 0 of a line ends on the line before', () => {
  assert.deepEqual(selectedLines({ line: 665, character: 0 }, { line: 679, character: 0 }), { startLine: 666, endLine: 679 });
  // One whole line selected ends at column 0 of the next: it is that one line.
  assert.deepEqual(selectedLines({ line: 9, character: 0 }, { line: 10, character: 0 }), { startLine: 10, endLine: 10 });
});
