// Runs the unit tests (every `test/*.test.ts` beside the code in src/, scripts/, .eslintplugin/ and test/fixtures/) on node's test runner.
// Arguments narrow the run to test files whose path contains one of them: `npm run test:unit -- core/ rps`;
// `--concurrency N` runs N test files at once (default 2).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './scriptArgs.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--concurrency');
const concurrency = at === -1 ? 2 : Number(args[at + 1]);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(`--concurrency takes how many test files run at once (a whole number from 1), not ${args[at + 1] ?? 'nothing'}`);
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
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], { cwd: repoRoot, stdio: 'inherit' });
process.exit(run.status ?? 1);
