// Runs the unit tests (every `test/*.test.ts` beside the code in src/, scripts/, .eslintplugin/ and test/fixtures/) on node's test runner.
// Arguments narrow the run to test files whose path contains one of them: `npm run test:unit -- core/ rps`;
// `--concurrency N` runs N test files at once (default 2). A file that fails is run once more, alone, after the rest (when
// no more than three failed): one that passes then is named as flaky and the run passes; one that fails again fails it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { filesAtOnce, flakyLine, repoRoot, RETRY_AT_MOST } from './scriptArgs.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--concurrency');
let concurrency = 2;
try {
  if (at !== -1) concurrency = filesAtOnce('--concurrency', args[at + 1]);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
const filters = at === -1 ? args : args.filter((_, i) => i !== at && i !== at + 1);
const files = ['src', 'scripts', '.eslintplugin', 'test/fixtures']
  .flatMap((dir) => readdirSync(path.join(repoRoot, dir), { recursive: true }).map((f) => path.join(dir, String(f))))
  .filter((f) => /(^|\/)test\/[^/]+\.test\.ts$/.test(f.split(path.sep).join('/')))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no unit test file matches ${filters.join(', ')}`);
  process.exit(1);
}

const listDir = path.join(repoRoot, '.test-results', 'unit');
mkdirSync(listDir, { recursive: true });

/** Runs node's test runner on `testFiles`, `atOnce` at a time, printing as it would alone; returns the files that failed. */
function run(testFiles, atOnce, listName) {
  const list = path.join(listDir, listName);
  const reporter = process.stdout.isTTY ? 'spec' : 'tap';
  // tsx's CommonJS hook alone (the sources compile to CommonJS): `--import tsx` also starts Node 20's loader-hooks
  // thread in every test file's process, ~0.2 CPU-s each (the whole suite: ~535 CPU-seconds against ~600).
  const child = spawnSync(
    process.execPath,
    ['--require', 'tsx/cjs', '--test', `--test-concurrency=${atOnce}`, `--test-reporter=${reporter}`, '--test-reporter-destination=stdout',
      `--test-reporter=${path.join(repoRoot, 'scripts', 'failedFilesReporter.mjs')}`, `--test-reporter-destination=${list}`, ...testFiles],
    { cwd: repoRoot, stdio: 'inherit' },
  );
  const failed = readFileSync(list, 'utf8').split('\n').filter(Boolean).map((f) => path.relative(repoRoot, f));
  return { ok: child.status === 0, failed };
}

const first = run(files, concurrency, 'failed-files.txt');
if (first.ok) process.exit(0);
if (first.failed.length === 0 || first.failed.length > RETRY_AT_MOST) process.exit(1);
console.log(`\nunit: ${first.failed.length} file(s) failed; running each once more, alone: ${first.failed.join(', ')}`);
const again = run(first.failed, 1, 'failed-again.txt');
const flaky = first.failed.filter((f) => !again.failed.includes(f));
if (flaky.length > 0) console.log(flakyLine('unit', flaky));
if (!again.ok) console.log(`unit: failed: ${again.failed.join(', ') || 'the second run (no file named)'}`);
process.exit(again.ok ? 0 : 1);
