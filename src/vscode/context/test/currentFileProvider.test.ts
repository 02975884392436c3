import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CurrentFileProvider, currentFile } from '../currentFileProvider';
import { editor, request, workbench } from './fakeWorkbench';

const code = 'def parse(s):\n    return s.split(",")\n\nprint(parse("a,b"))\n';

test('a click on the chip sends the current file whole, with the cursor line the budget keeps when it must cut, and its language', async () => {
  const provider = new CurrentFileProvider(workbench({ editor: editor('src/cells.py', code, { cursor: { line: 3, character: 2 } }) }));
  const { items, notes } = await provider.gather(request('why does this fail?', { wholeCurrentFile: true }));
  assert.deepEqual(notes, []);
  assert.equal(items.length, 1);
  assert.deepEqual({ ...items[0], tokens: 0 }, { source: 'currentFile', path: 'src/cells.py', startLine: 1, endLine: 4, text: code.trimEnd(), tokens: 0, reason: 'current file, whole as chosen', focusLine: 4, language: 'python' });
  assert.deepEqual((await provider.gather(request('why does this fail?'))).items, [], 'without the click the engine decides what part goes');
});

test('no current file: the chip dropped, the setting off, an untitled editor, an untrusted workspace, or the file attached anyway', async () => {
  const file = editor('cells.py', code);
  const none = async (state: Parameters<typeof workbench>[0], question = 'q', overrides = {}) => (await new CurrentFileProvider(workbench(state)).gather(request(question, { wholeCurrentFile: true, ...overrides }))).items;
  assert.deepEqual(await none({ editor: file }, 'q', { withoutCurrentFile: true }), []);
  assert.deepEqual(await none({ editor: file, currentFile: false }), []);
  assert.deepEqual(await none({ editor: editor('Untitled-1', code, { isFile: false }) }), []);
  assert.deepEqual(await none({ editor: file, trusted: false }, 'q', { trusted: false }), []);
  assert.deepEqual(await none({ editor: file }, 'q', { addedFiles: ['cells.py'] }), [], 'an added file is sent as an attachment, not twice');
  assert.deepEqual(await none({ editor: file }, 'look at #file:cells.py'), [], 'a mentioned file is sent as an attachment, not twice');
  assert.deepEqual(await none({}), []);
});

test('a secret current file stays home, and the note says how to send it', async () => {
  const provider = new CurrentFileProvider(workbench({ editor: editor('.env', 'API_KEY=sk-live-0123456789abcdef0123456789abcdef\n') }));
  const { items, notes } = await provider.gather(request('why?', { wholeCurrentFile: true }));
  assert.deepEqual(items, []);
  assert.equal(notes.length, 1);
  assert.match(notes[0] ?? '', /^the current file was not sent: .*\(attach it with #file:\.env to send it\)$/);
});

test('currentFile is the question editor when it is a file on disk and the setting attaches it', () => {
  const file = editor('a.py', 'x = 1\n');
  assert.equal(currentFile(workbench({ editor: file })), file);
  assert.equal(currentFile(workbench({ editor: file, currentFile: false })), undefined);
  assert.equal(currentFile(workbench({ editor: editor('a.py', '', { isFile: false }) })), undefined);
});
