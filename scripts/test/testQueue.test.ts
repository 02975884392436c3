/**
 * The unit and UI suites' scheduler: one test file at a time, two once the file that allows it appears; file after file
 * in one worker process, a new one after a failure and for a file that asks for a process of its own; a file that
 * outlives its time fails; results summed.
 */
import { test, type TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as TestQueue from '../testQueue.mjs' with { 'resolution-mode': 'import' };

/**
 * Test files that record when they ran, in `dir`. With `pairs`, files 2k and 2k+1 each wait (up to 20 s) for the other
 * to have started, so two at once finish together and one at a time fails — no reliance on how fast a process starts.
 * The last file fails when `failLast`.
 */
function testFiles(dir: string, n: number, { pairs = false, failLast = false } = {}): string[] {
  return Array.from({ length: n }, (_, i) => {
    const file = path.join(dir, `f${i}.test.mjs`);
    const mark = (j: number) => JSON.stringify(path.join(dir, `started-${j}`));
    writeFileSync(file, `import { test } from 'node:test';
import { existsSync, writeFileSync } from 'node:fs';
test('file ${i}', async () => {
  const start = Date.now();
  writeFileSync(${mark(i)}, '');
  if (${pairs}) {
    while (!existsSync(${mark(i ^ 1)})) {
      if (Date.now() - start > 20000) throw new Error('file ${i ^ 1} never ran beside file ${i}');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  await new Promise((r) => setTimeout(r, 50));
  writeFileSync(${JSON.stringify(path.join(dir, `ran-${i}.json`))}, JSON.stringify({ start, end: Date.now() }));
  if (${failLast && i === n - 1}) throw new Error('planted failure');
});
`);
    return file;
  });
}

/** Test files that each write the id of the process they ran in (`pids()`, in order); file i fails when `fails[i]`. */
function pidFiles(dir: string, fails: boolean[]): { files: string[]; pids: () => string[] } {
  const pidOf = (i: number) => path.join(dir, `pid-${i}`);
  const files = fails.map((failing, i) => {
    const file = path.join(dir, `p${i}.test.mjs`);
    writeFileSync(file, `import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
test('process of file ${i}', () => {
  writeFileSync(${JSON.stringify(pidOf(i))}, String(process.pid));
  if (${failing}) throw new Error('planted failure');
});
`);
    return file;
  });
  return { files, pids: () => files.map((_, i) => readFileSync(pidOf(i), 'utf8')) };
}

/** A fresh folder for one test's files, removed when the test ends. */
function scratch(t: TestContext): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smcs-test-queue-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The most files running at one moment, from when each began and ended. */
function mostAtOnce(dir: string): number {
  const spans = readdirSync(dir).filter((f) => f.startsWith('ran-')).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { start: number; end: number });
  const events = spans.flatMap((s) => [[s.start, 1], [s.end, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, step] of events) most = Math.max(most, (now += step));
  return most;
}

test('one file at a time, then two at once from the moment the widening file exists; passes summed', async (t) => {
  const { runNodeTests }: typeof TestQueue = await import('../testQueue.mjs');
  const narrow = scratch(t);
  const printed: string[] = [];
  const one = await runNodeTests(testFiles(narrow, 3), { widen: { to: 2, when: path.join(narrow, 'never') }, print: (t) => printed.push(t) });
  assert.deepEqual([one.ok, one.counts.pass, mostAtOnce(narrow)], [true, 3, 1]);
  assert.equal(printed.length, 3, 'each file printed once, whole');

  const wide = scratch(t);
  const flag = path.join(wide, 'others-done');
  writeFileSync(flag, '');
  const two = await runNodeTests(testFiles(wide, 4, { pairs: true }), { widen: { to: 2, when: flag }, print: () => undefined });
  assert.deepEqual([two.ok, two.counts.pass, mostAtOnce(wide)], [true, 4, 2]);
});

test('a file that fails again when run alone makes the run fail, named and counted once', async (t) => {
  const { runNodeTests }: typeof TestQueue = await import('../testQueue.mjs');
  const dir = scratch(t);
  const files = testFiles(dir, 2, { failLast: true });
  const printed: string[] = [];
  const result = await runNodeTests(files, { print: (text) => printed.push(text) });
  assert.deepEqual([result.ok, result.counts.pass, result.counts.fail, result.failed, result.flaky], [false, 1, 1, [files[1]], []]);
  assert.equal(printed.filter((text) => text.includes('file 1')).length, 2, 'the failing file ran twice');
});

test('a file that fails once and passes when run again is flaky: the run passes, the file named, its second counts kept', async (t) => {
  const { runNodeTests }: typeof TestQueue = await import('../testQueue.mjs');
  const dir = scratch(t);
  const once = path.join(dir, 'once.test.mjs');
  const tried = JSON.stringify(path.join(dir, 'tried'));
  writeFileSync(once, `import { test } from 'node:test';
import { existsSync, writeFileSync } from 'node:fs';
test('fails the first time only', () => {
  if (!existsSync(${tried})) { writeFileSync(${tried}, ''); throw new Error('first run'); }
});
`);
  const files = [...testFiles(dir, 1), once];
  const result = await runNodeTests(files, { print: () => undefined });
  assert.deepEqual([result.ok, result.counts.pass, result.counts.fail, result.failed, result.flaky], [true, 2, 0, [], [once]]);
});

test('more failing files than it retries: none is run again', async (t) => {
  const { runNodeTests }: typeof TestQueue = await import('../testQueue.mjs');
  const dir = scratch(t);
  const files = testFiles(dir, 2, { failLast: true });
  const printed: string[] = [];
  const result = await runNodeTests(files, { print: (text) => printed.push(text), retryAtMost: 0 });
  assert.deepEqual([result.ok, result.failed, printed.length], [false, [files[1]], 2]);
});

test('a worker runs file after file in one process; after a file fails, the next file gets a new process', async (t) => {
  const { runNodeTests }: typeof TestQueue = await import('../testQueue.mjs');
  const { files, pids } = pidFiles(scratch(t), [false, true, false]);
  const result = await runNodeTests(files, { print: () => undefined, retryAtMost: 0 });
  const [first, second, third] = pids();
  assert.deepEqual([result.ok, result.counts.pass, result.failed], [false, 2, [files[1]]]);
  assert.equal(second, first, 'the second file ran in the process of the first');
  assert.notEqual(third, second, 'the file after a failure ran in a new process');
});

test("each file's tests counted as node's summary counts them; a file that throws as it loads fails, its tests cancelled", async (t) => {
  const { runNodeTests }: typeof TestQueue = await import('../testQueue.mjs');
  const dir = scratch(t);
  const mixed = path.join(dir, 'mixed.test.mjs');
  writeFileSync(mixed, `import { test } from 'node:test';
test('passes', () => {});
test.skip('skipped', () => {});
test.todo('to do');
`);
  const broken = path.join(dir, 'broken.test.mjs');
  writeFileSync(broken, "import { test } from 'node:test';\ntest('never registered', () => {});\nthrow new Error('planted load failure');\n");
  const result = await runNodeTests([mixed, broken], { print: () => undefined, retryAtMost: 0 });
  assert.deepEqual(result.counts, { tests: 4, pass: 1, fail: 0, cancelled: 1, skipped: 1, todo: 1 });
  assert.deepEqual([result.ok, result.failed], [false, [broken]]);
});

test('a file run alone gets a new process that ends with it; the files before and after it share one', async (t) => {
  const { runNodeTests }: typeof TestQueue = await import('../testQueue.mjs');
  const { files, pids } = pidFiles(scratch(t), [false, false, false]);
  const result = await runNodeTests(files, { print: () => undefined, alone: (file: string) => file === files[1] });
  const [first, second, third] = pids();
  assert.deepEqual([result.ok, result.counts.pass], [true, 3]);
  assert.notEqual(second, first, 'the file run alone had a process of its own');
  assert.equal(third, first, 'the file after it went back to the shared process');
});

test('a file whose tests outlive its time fails, its process (kept alive by a timer) is killed, and the next file runs', async (t) => {
  const { runNodeTests }: typeof TestQueue = await import('../testQueue.mjs');
  const dir = scratch(t);
  const hung = path.join(dir, 'hung.test.mjs');
  writeFileSync(hung, "import { test } from 'node:test';\ntest('never ends', () => new Promise(() => setInterval(() => undefined, 1000)));\n");
  const started = Date.now();
  const result = await runNodeTests([hung, ...testFiles(dir, 1)], { print: () => undefined, retryAtMost: 0, fileTimeoutMs: 500, workerExitMs: 500 });
  assert.deepEqual([result.ok, result.failed, result.counts.pass], [false, [hung], 1]);
  assert.ok(Date.now() - started < 15000, 'the hung file was given up on at its timeout');
});

test('the unit files that check their own process (which modules it loaded, a runtime that failed to load) carry the mark', async () => {
  const { OWN_PROCESS_MARK }: typeof TestQueue = await import('../testQueue.mjs');
  const marked = ['src/cli/test/loadedLibraries.test.ts', 'src/parse/test/grammarFailure.test.ts'];
  for (const file of marked) assert.ok(readFileSync(path.join(__dirname, '..', '..', file), 'utf8').includes(OWN_PROCESS_MARK), file);
});
