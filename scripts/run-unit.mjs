// Runs the unit tests (every `test/*.test.ts` beside the code in src/, scripts/, .eslintplugin/ and test/fixtures/) on node's test runner.
// Arguments narrow the run to test files whose path contains one of them: `npm run test:unit -- core/ rps`;
// `--concurrency N` runs N test files at once (default 2).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { filesAtOnce, repoRoot } from './scriptArgs.mjs';

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
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], { cwd: repoRoot, stdio: 'inherit' });
process.exit(run.status ?? 1);
