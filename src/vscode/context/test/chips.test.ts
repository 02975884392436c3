import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { editorChips } from '../chips';
import { editor, workbench } from './fakeWorkbench';

const text = 'a = 1\nb = 2\nc = 3\n';

test('the chips show the current file with its lines and the first selection with its lines', () => {
  const selected = editor('pkg/mod.py', text, { selected: [[{ line: 1, character: 0 }, { line: 3, character: 0 }]] });
  assert.deepEqual(editorChips(workbench({ editor: selected })), {
    type: 'editor-context',
    currentFile: { path: 'pkg/mod.py', startLine: 1, endLine: 4 },
    selection: { path: 'pkg/mod.py', startLine: 2, endLine: 3 },
  });
});

test('no file chip with the setting off or in an untitled editor; no selection chip for a bare cursor', () => {
  const untitled = editor('Untitled-1', text, { isFile: false, selected: [[{ line: 0, character: 0 }, { line: 0, character: 5 }]] });
  assert.deepEqual(editorChips(workbench({ editor: untitled })), { type: 'editor-context', currentFile: null, selection: { path: 'Untitled-1', startLine: 1, endLine: 1 } });
  assert.deepEqual(editorChips(workbench({ editor: editor('m.py', text), currentFile: false })), { type: 'editor-context', currentFile: null, selection: null });
  assert.deepEqual(editorChips(workbench({})), { type: 'editor-context', currentFile: null, selection: null });
});
