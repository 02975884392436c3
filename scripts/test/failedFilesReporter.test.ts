/** The reporter the unit runner reads to know which test files to run again: each failing file once, passing ones never. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

test('names each file with a failing test, or whose process fails on its own, once; not the passing file', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smcs-failed-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, body: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, `import { test } from 'node:test';\n${body}\n`);
    return file;
  };
  const passing = write('passing.test.mjs', "test('passes', () => {});");
  const twoFailures = write('two.test.mjs', "test('a', () => { throw new Error('a'); });\ntest('b', async (t) => { await t.test('inner', () => { throw new Error('b'); }); });");
  const exits = write('exits.test.mjs', "test('passes', () => {});\nprocess.exit(3);");
  const list = path.join(dir, 'failed.txt');
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const run = spawnSync(process.execPath, ['--test', `--test-reporter=${path.join(__dirname, '..', 'failedFilesReporter.mjs')}`, `--test-reporter-destination=${list}`, passing, twoFailures, exits], { env });
  assert.notEqual(run.status, 0);
  assert.deepEqual(readFileSync(list, 'utf8').split('\n').filter(Boolean).sort(), [exits, twoFailures].sort());
});
