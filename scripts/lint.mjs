// `npm run lint`: eslint's type-aware rules (scripts/lint-typed.mjs: the code's part and the tests' part, each in a
// process of its own; with `--types`, as `npm test` runs it, each also type-checks on the programs it lints with),
// dependency-cruiser's layer rules, and the checks of
// names, of every path named in comments and docs and every link of the markdown files, and of the folder maps
// (docs/how-it-works.md's "What each folder holds", the core README's rows, the design notes' layer table), all at once;
// each line prefixed by its part, failing if any part fails.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot } from './scriptArgs.mjs';

const types = process.argv.slice(2).includes('--types') ? ['--types'] : [];
if (process.argv.length > 2 + types.length) throw new Error(`lint: unknown arguments ${process.argv.slice(2).join(' ')} (expected --types or none)`);
const PARTS = [
  ['eslint: code', process.execPath, ['scripts/lint-typed.mjs', '--part', 'code', ...types]],
  ['eslint: tests', process.execPath, ['scripts/lint-typed.mjs', '--part', 'tests', ...types]],
  // dependency-cruiser's own bin, started as npx would (npx itself costs ~0.7 CPU-seconds).
  ['layers', process.execPath, ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', 'src', '--config', '.dependency-cruiser.cjs']],
  ['names', process.execPath, ['scripts/check-names.mjs']],
  ['references', process.execPath, ['scripts/check-references.mjs']],
  ['folders', process.execPath, ['scripts/check-folder-map.mjs']],
];

function run([name, command, args]) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => line.trim() && console.log(`[${name}] ${line}`));
    }
    child.on('error', (err) => resolve({ name, ok: false, why: err.message }));
    child.on('close', (code) => resolve({ name, ok: code === 0, why: `exit code ${code}` }));
  });
}

const results = await Promise.all(PARTS.map(run));
const failed = results.filter((r) => !r.ok);
for (const r of failed) console.error(`lint: ${r.name} failed (${r.why})`);
process.exit(failed.length > 0 ? 1 : 0);
