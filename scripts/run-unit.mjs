// Runs the unit tests (every `test/*.test.ts` beside the code in src/, scripts/, .eslintplugin/ and test/fixtures/) on
// node's test runner, in worker processes that each run file after file (scripts/testQueue.mjs): a file whose text says
// it runs in a test process of its own (OWN_PROCESS_MARK) gets one. Arguments narrow the run to test files whose path
// contains one of them: `npm run test:unit -- core/ rps`; `--concurrency N` runs N test files at once (default 2). A file
// that fails is run once more, alone, after the rest (when no more than three failed): one that passes then is named as
// flaky and the run passes; one that fails again fails it. To run one file as a developer does: `node --require tsx/cjs
// --test <file>`.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { filesAtOnce, flakyLine, repoRoot } from './scriptArgs.mjs';
import { OWN_PROCESS_MARK, runNodeTests } from './testQueue.mjs';

// A guard against a hung file, not a timing goal: the longest file (the team server's, on PostgreSQL) takes ~40 s.
const perFileTimeoutMs = 300000;

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
  .flatMap((dir) => readdirSync(path.join(repoRoot, dir), { recursive: true }).map((f) => path.join(repoRoot, dir, String(f))))
  .filter((f) => /(^|\/)test\/[^/]+\.test\.ts$/.test(f.split(path.sep).join('/')))
  .filter((f) => filters.length === 0 || filters.some((x) => path.relative(repoRoot, f).includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no unit test file matches ${filters.join(', ')}`);
  process.exit(1);
}

const started = Date.now();
const alone = (file) => readFileSync(file, 'utf8').includes(OWN_PROCESS_MARK);
const { ok, counts, failed, flaky } = await runNodeTests(files, { concurrency, fileTimeoutMs: perFileTimeoutMs, alone });
const named = (list) => list.map((f) => path.relative(repoRoot, f)).join(', ');
console.log(`unit: ${((Date.now() - started) / 1000).toFixed(1)} s, ${files.length} files`);
console.log(`# tests ${counts.tests ?? 0}\n# pass ${counts.pass ?? 0}\n# fail ${counts.fail ?? 0}\n# cancelled ${counts.cancelled ?? 0}\n# skipped ${counts.skipped ?? 0}\n# todo ${counts.todo ?? 0}`);
if (flaky.length > 0) console.log(flakyLine('unit', flaky.map((f) => path.relative(repoRoot, f))));
if (failed.length > 0) console.log(`unit: failed: ${named(failed)}`);
process.exit(ok ? 0 : 1);
