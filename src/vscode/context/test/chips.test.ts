import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { currentFileShare, editorChips } from '../chips';
import { editor, workbench } from './fakeWorkbench';
import type { ParseFile } from '../../../core/retrieval/parsedSource';
import { parseFile } from '../../../workspace/parsedFile';

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

/** A Python module of 120 small functions (~3,000 tokens), the cursor in `step_60`. */
const MODULE = Array.from({ length: 120 }, (_, i) => `def step_${i}(values):\n    return [v * ${i} + len(values) for v in values]\n`).join('\n');

/** The engine's reader of definitions (tree-sitter), as the extension hands it to the chip. */
const parse: ParseFile = (path, text) => parseFile(path, text, () => undefined);

test('the current file\'s chip says what part the question sends, and what a click sends', async () => {
  const bench = workbench({ editor: editor('pkg/steps.py', MODULE, { cursor: { line: 181, character: 4 } }) });
  const unrelated = await currentFileShare(bench, 'What is the capital of Australia?', {}, parse);
  assert.deepEqual(unrelated && { ...unrelated, whole: '' }, { type: 'current-file-share', question: 'What is the capital of Australia?', path: 'pkg/steps.py', share: 'not sent: the question does not refer to it', whole: '' });
  assert.match(unrelated?.whole ?? '', /^whole file · [\d,]+ tokens$/);
  assert.match((await currentFileShare(bench, 'Why does this function add the length?', {}, parse))?.share ?? '', /^lines 181–182 \+ outline · [\d,]+ tokens$/);
  assert.match((await currentFileShare(bench, 'Compare step_3() with step_60()', {}, parse))?.share ?? '', /^lines 181–182, 10–11 \+ outline · /, 'the definitions named go too');
  assert.equal((await currentFileShare(workbench({ editor: editor('.env', 'API_KEY=sk-live-0123456789abcdef0123456789abcdef\n') }), 'what is here?', {}, parse))?.share.startsWith('not sent: '), true);
  assert.equal(await currentFileShare(workbench({}), 'anything', {}, parse), undefined);
});
