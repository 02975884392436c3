import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../../test/fixtures/bankData';
import { walkWorkspace } from '../walk';

function tree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
}

test('the walk respects nested .gitignore files and exclude globs, and leaves out vendored, lock, binary, large and secret files', async () => {
  const temp = tempDir('smcs-walk-');
  try {
    const root = temp.dir;
    tree(root, {
      '.gitignore': 'logs/\n*.tmp\n!keep.tmp\n',
      'src/app.py': 'print(1)\n',
      'src/.gitignore': 'generated_*.py\n',
      'src/generated_api.py': 'x = 1\n',
      'src/keep.tmp': 'kept by the negation\n',
      'src/scratch.tmp': 'ignored\n',
      'logs/run.txt': 'ignored folder\n',
      'node_modules/left/index.js': 'vendored\n',
      'web/dist/bundle.js': 'built\n',
      'web/app.min.js': 'minified\n',
      'package-lock.json': '{}\n',
      'poetry.lock': '\n',
      'docs/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      'data/big.csv': 'x'.repeat(1024 * 1024 + 1),
      '.env': 'KEY=1\n',
      'config/.env.local': 'KEY=2\n',
      'certs/server.pem': '-----BEGIN CERTIFICATE-----\n',
      'tmp_out/notes.md': 'excluded by the user\n',
      'README.md': '# app\n',
    });
    const walk = await walkWorkspace(root, { exclude: ['tmp_out', '**/*.bak'] });
    assert.deepEqual(walk.files.map((f) => f.path), ['.gitignore', 'README.md', 'src/.gitignore', 'src/app.py', 'src/keep.tmp']);
    assert.deepEqual(walk.skipped, { ignored: 3, 'vendored or generated': 2, 'lock or generated file': 3, binary: 1, 'too large': 1, secret: 3, excluded: 1 });
  } finally {
    temp.cleanup();
  }
});

test('an .npmrc is a credential only when it holds one: without a token it is read as any configuration', async () => {
  const temp = tempDir('smcs-walk-');
  try {
    tree(temp.dir, {
      '.npmrc': 'package-lock=false\n',
      'web/.npmrc': '//registry.npmjs.org/:_authToken=npm_abc123\n',
      'tools/.pypirc': '[pypi]\nusername = me\n',
    });
    const walk = await walkWorkspace(temp.dir);
    assert.deepEqual(walk.files.map((f) => f.path), ['.npmrc', 'tools/.pypirc']);
    assert.deepEqual(walk.secrets, [{ path: 'web/.npmrc', kind: 'package-manager config with a token' }]);
  } finally {
    temp.cleanup();
  }
});
