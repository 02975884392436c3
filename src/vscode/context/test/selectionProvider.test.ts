import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { SelectionProvider } from '../selectionProvider';
import { editor, request, workbench } from './fakeWorkbench';

const text = 'import os\n\ndef main():\n    print(os.getcwd())\n    return 0\n';

test('each non-empty selection is an item with its lines, its file and its language; whole lines end before the next line', async () => {
  const selected = editor('tools/run.py', text, {
    selected: [
      [{ line: 2, character: 0 }, { line: 4, character: 0 }],
      [{ line: 0, character: 7 }, { line: 0, character: 9 }],
    ],
  });
  const { items } = await new SelectionProvider(workbench({ editor: selected })).gather(request('what does this do?'));
  assert.deepEqual(
    items.map((i) => [i.source, i.path, i.startLine, i.endLine, i.text, i.reason, i.language]),
    [
      ['selection', 'tools/run.py', 3, 4, 'def main():\n    print(os.getcwd())\n', 'selected', 'python'],
      ['selection', 'tools/run.py', 1, 1, 'os', 'selected', 'python'],
    ],
  );
});

test('no selection item: a bare cursor, the chip dropped, Ask About Selection bringing its own, or no editor', async () => {
  const selected = editor('run.py', text, { selected: [[{ line: 0, character: 0 }, { line: 0, character: 6 }]] });
  const gather = async (state: Parameters<typeof workbench>[0], overrides = {}) => (await new SelectionProvider(workbench(state)).gather(request('q', overrides))).items;
  assert.deepEqual(await gather({ editor: editor('run.py', text, { cursor: { line: 2, character: 3 } }) }), []);
  assert.deepEqual(await gather({ editor: selected }, { withoutSelection: true }), []);
  assert.deepEqual(await gather({ editor: selected }, { selectionGiven: true }), []);
  assert.deepEqual(await gather({}), []);
  assert.equal((await gather({ editor: selected }, { trusted: false })).length, 1, 'a selection is what the user chose: sent in an untrusted workspace too');
});
