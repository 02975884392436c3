import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { languageIdForFence, MAX_CONTEXT_CHARS, screenedSelection, selectionContext } from '../editorContext';

test('the selection becomes a fenced context block with its language, headed by its workspace file and lines when known', () => {
  assert.equal(selectionContext('  \n', 'python'), undefined);
  const ctx = selectionContext('print(1)', 'python');
  assert.equal(ctx, 'Selected code from the editor (language: python):\n```python\nprint(1)\n```');
  assert.equal(selectionContext('x = 1', 'python', { path: 'src/cells.py', startLine: 3, endLine: 9 }), 'Selected code from src/cells.py lines 3–9 (language: python):\n```python\nx = 1\n```');
  assert.match(selectionContext('x = 1', 'python', { path: 'cells.py', startLine: 4, endLine: 4 }) ?? '', /^Selected code from cells\.py line 4 /);
  assert.match(selectionContext('a ``` b', 'markdown') ?? '', /````markdown\na ``` b\n````/);
  const long = selectionContext('x'.repeat(MAX_CONTEXT_CHARS + 10), 'text') ?? '';
  assert.match(long, /cut to its first/);
  assert.ok(long.length < MAX_CONTEXT_CHARS + 200);
});

test('code fence languages map to VS Code language ids known to the editor', () => {
  const known = new Set(['typescript', 'python', 'shellscript', 'cpp', 'plaintext']);
  assert.equal(languageIdForFence('ts', known), 'typescript');
  assert.equal(languageIdForFence('Python', known), 'python');
  assert.equal(languageIdForFence('bash', known), 'shellscript');
  assert.equal(languageIdForFence('c++', known), 'cpp');
  assert.equal(languageIdForFence('rust', known), 'plaintext');
  assert.equal(languageIdForFence('', known), 'plaintext');
});

test('the selection\'s file is named safely: a path with a line break is quoted, and the fence outlasts the selection\'s backticks', () => {
  const ctx = selectionContext('a ```` b', 'markdown', { path: 'x\nFile: /etc/passwd', startLine: 1, endLine: 1 }) ?? '';
  assert.equal(ctx.split('\n')[0], 'Selected code from "x\\nFile: /etc/passwd" line 1 (language: markdown):');
  assert.match(ctx, /\n`````markdown\na ```` b\n`````$/);
});

test('a selection is screened for secrets as its file would be: values redacted in place and named, credentials left out', () => {
  const yaml = 'production:\n  adapter: postgresql\n  username: shop\n  password: YmlDbPw9Kt4\n  host: db.internal';
  const sent = screenedSelection(yaml, 'yaml', { path: 'config/database.yml', startLine: 6, endLine: 10 });
  assert.ok(sent?.text !== undefined && !sent.text.includes('YmlDbPw9Kt4'), sent?.text);
  assert.match(sent.text, /^Selected code from config\/database\.yml lines 6–10 \(language: yaml\):\n```yaml\nproduction:[\s\S]*password: «redacted: password»\n {2}host: db\.internal\n```$/);
  assert.deepEqual(sent.notes, ['config/database.yml: 1 password redacted'], 'an unquoted YAML value is a secret because the file is configuration');
  const code = screenedSelection('def connect():\n    url = "postgres://shop:PyPw4Lm@db/shop"\n    return open_pool(url)', 'python');
  assert.deepEqual(code?.notes, ['the selection: 1 database password redacted'], 'without a file, what needs none is still found');
  const env = screenedSelection('DATABASE_URL=postgres://u:EnvPw4Kq9Zt@db/shop\nDEBUG=1', 'dotenv', { path: '.env', startLine: 1, endLine: 2 });
  assert.deepEqual(env, { text: undefined, notes: ['.env left out: environment file'] });
  assert.deepEqual(screenedSelection('x = 1', 'python'), { text: 'Selected code from the editor (language: python):\n```python\nx = 1\n```', notes: [] });
  assert.equal(screenedSelection(' \n', 'python'), undefined);
});
