/** The UI suite's scheduler: one test file at a time, two once the file that allows it appears; results summed. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as RunE2e from '../run-e2e.mjs' with { 'resolution-mode': 'import' };

/** Test files that each record when they ran, in `dir`, and take `ms`; the last one fails when `failLast`. */
function testFiles(dir: string, n: number, ms: number, failLast = false): string[] {
  return Array.from({ length: n }, (_, i) => {
    const file = path.join(dir, `f${i}.test.mjs`);
    const fails = failLast && i === n - 1;
    writeFileSync(file, `import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
test('file ${i}', async () => {
  const start = Date.now();
  await new Promise((r) => setTimeout(r, ${ms}));
  writeFileSync(${JSON.stringify(path.join(dir, `ran-${i}.json`))}, JSON.stringify({ start, end: Date.now() }));
  if (${fails}) throw new Error('planted failure');
});
`);
    return file;
  });
}

/** The most files that ran at the same moment. */
function mostAtOnce(dir: string): number {
  const spans = readdirSync(dir).filter((f) => f.startsWith('ran-')).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { start: number; end: number });
  return Math.max(...spans.map((a) => spans.filter((b) => b.start < a.end && a.start < b.end).length));
}

test('one file at a time, then two at once from the moment the widening file exists; passes summed', async () => {
  const { runNodeTests }: typeof RunE2e = await import('../run-e2e.mjs');
  const narrow = mkdtempSync(path.join(os.tmpdir(), 'smcs-run-e2e-'));
  const printed: string[] = [];
  const one = await runNodeTests(testFiles(narrow, 3, 600), 1, { to: 2, when: path.join(narrow, 'never') }, (t) => printed.push(t));
  assert.deepEqual([one.ok, one.counts.pass, mostAtOnce(narrow)], [true, 3, 1]);
  assert.equal(printed.length, 3, 'each file printed once, whole');

  const wide = mkdtempSync(path.join(os.tmpdir(), 'smcs-run-e2e-'));
  const flag = path.join(wide, 'others-done');
  writeFileSync(flag, '');
  const two = await runNodeTests(testFiles(wide, 4, 600), 1, { to: 2, when: flag }, () => undefined);
  assert.deepEqual([two.ok, two.counts.pass, mostAtOnce(wide)], [true, 4, 2]);
});

test('a failing file makes the run fail and is counted', async () => {
  const { runNodeTests }: typeof RunE2e = await import('../run-e2e.mjs');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smcs-run-e2e-'));
  const result = await runNodeTests(testFiles(dir, 2, 10, true), 1, undefined, () => undefined);
  assert.deepEqual([result.ok, result.counts.pass, result.counts.fail], [false, 1, 1]);
});
