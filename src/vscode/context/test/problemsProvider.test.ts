import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Problem } from '../../../core/context/problems';
import { ProblemsProvider } from '../problemsProvider';
import { editor, request, workbench } from './fakeWorkbench';

const source = 'def f(x):\n    return x +\n\nf(1)\n';
const broken: Problem[] = [{ line: 2, severity: 'error', message: 'invalid syntax', source: 'Pylance' }];

test('the current file brings its own problems, each with the lines around it', async () => {
  const provider = new ProblemsProvider(workbench({ editor: editor('app.py', source, { problems: broken }) }));
  const { items, notes } = await provider.gather(request('why does this fail?'));
  assert.deepEqual(notes, []);
  assert.equal(items.length, 1);
  assert.equal(items[0]?.source, 'problems');
  assert.equal(items[0]?.path, 'app.py');
  assert.match(items[0]?.text ?? '', /invalid syntax/);
  assert.match(items[0]?.text ?? '', /return x \+/);
});

test('#problems adds the other workspace files with errors or warnings (not the current one twice, not secret files, not hints)', async () => {
  const provider = new ProblemsProvider(
    workbench({
      editor: editor('app.py', source, { problems: broken }),
      files: { 'lib/util.py': 'import sys\nsys.exit(\n', '.env': 'TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345\n', 'docs/x.py': 'y = 1\n' },
      problems: {
        'app.py': broken,
        'lib/util.py': [{ line: 2, severity: 'warning', message: 'unclosed call' }],
        '.env': [{ line: 1, severity: 'error', message: 'bad line' }],
        'docs/x.py': [{ line: 1, severity: 'hint', message: 'unused' }],
      },
    }),
  );
  const { items } = await provider.gather(request('fix #problems'));
  assert.deepEqual(items.map((i) => i.path), ['app.py', 'lib/util.py']);
});

test('nothing without the current file or #problems; a workspace without errors says so when asked', async () => {
  const clean = editor('app.py', 'x = 1\n');
  assert.deepEqual(await new ProblemsProvider(workbench({ editor: editor('app.py', source, { problems: broken }) })).gather(request('q', { withoutCurrentFile: true })), { items: [], notes: [] });
  assert.deepEqual(await new ProblemsProvider(workbench({ editor: editor('app.py', source, { problems: broken }), currentFile: false })).gather(request('q')), { items: [], notes: [] });
  assert.deepEqual(await new ProblemsProvider(workbench({ editor: clean })).gather(request('q')), { items: [], notes: [] });
  assert.deepEqual(await new ProblemsProvider(workbench({ editor: clean })).gather(request('#problems?')), { items: [], notes: ['#problems: the workspace has no errors or warnings'] });
});

test('#problems on a file no installed extension checks says it was not checked, and asks for the language extension; a checked one says nothing', async () => {
  const clean = editor('app.py', 'x = 1\n', { languageId: 'python' });
  const unchecked = await new ProblemsProvider(workbench({ editor: clean, checkedLanguages: ['typescript'] })).gather(request('#problems?'));
  assert.deepEqual(unchecked, { items: [], notes: ["#problems: no problems reported for app.py. Is the extension for python installed? Problems come from a language's extension"] });
  const checked = await new ProblemsProvider(workbench({ editor: clean, checkedLanguages: ['python'] })).gather(request('#problems?'));
  assert.deepEqual(checked.notes, ['#problems: the workspace has no errors or warnings']);
  // A file with problems was checked, whatever the extensions say.
  const broken = await new ProblemsProvider(workbench({ editor: editor('app.py', source, { problems: [{ line: 2, severity: 'error', message: 'invalid syntax' }] }), checkedLanguages: [] })).gather(request('#problems?'));
  assert.deepEqual(broken.notes, []);
});
