import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import path from 'node:path';
import { insideWorkspace, listFiles, type FolderEntry } from '../fileListing';

/** A folder reader over a list of file paths. */
function reader(files: readonly string[]): (folder: string) => Promise<FolderEntry[]> {
  return async (folder) => {
    const prefix = folder === '' ? '' : `${folder}/`;
    const names = new Map<string, boolean>();
    for (const f of files.filter((f) => f.startsWith(prefix))) {
      const [name = '', ...rest] = f.slice(prefix.length).split('/');
      names.set(name, rest.length > 0 || names.get(name) === true);
    }
    return [...names].map(([name, folder]) => ({ name, folder, file: !folder }));
  };
}

test('the listing leaves out dependencies, build output and what the exclude globs name, and is sorted', async () => {
  const files = ['src/b.ts', 'src/a.ts', 'node_modules/x/index.js', 'dist/out.js', '.git/HEAD', 'logs/run.log', 'src/gen/x.ts', 'README.md'];
  assert.deepEqual(await listFiles(reader(files), ['**/*.log', 'src/gen']), ['README.md', 'src/a.ts', 'src/b.ts']);
});

test('a huge workspace is cut after the most files, the shallow ones kept', async () => {
  const files = ['top.txt', 'deep/a/b/c.txt', 'deep/a/d.txt'];
  assert.deepEqual(await listFiles(reader(files), [], 2), ['deep/a/d.txt', 'top.txt']);
});

test('the changed files inside the workspace, by their workspace-relative paths; others left out', () => {
  const root = path.join(path.sep, 'home', 'me', 'proj');
  const changed = [
    { scheme: 'file', fsPath: path.join(root, 'src', 'a.py') },
    { scheme: 'file', fsPath: path.join(path.sep, 'home', 'me', 'other', 'b.py') },
    { scheme: 'untitled', fsPath: 'Untitled-1' },
    { scheme: 'file', fsPath: root },
  ];
  assert.deepEqual(insideWorkspace(root, changed), ['src/a.py']);
});
