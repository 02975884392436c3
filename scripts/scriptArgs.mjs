// Shared by the command-line scripts: the repository root, `--name value` option lookup, and how the test runners
// retry and name flaky files.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the extension's folder). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The value after `name` on the command line (`--port 8080` → "8080"), or undefined when absent. */
export function argValue(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** `option`'s value as how many test files run at once: a whole number from 1, else an error naming the option. */
export function filesAtOnce(option, value) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${option} takes how many test files run at once (a whole number from 1), not ${value ?? 'nothing'}`);
  return n;
}

/** How many failed test files the runners run once more (more is a broken build, not a flake). */
export const RETRY_AT_MOST = 3;

/** The line naming test files that failed, then passed when run again; `npm test`'s summary repeats lines holding FLAKY_MARK. */
export const FLAKY_MARK = 'FLAKY —';
export const flakyLine = (suite, files) => `${suite}: ${FLAKY_MARK} failed, then passed when run again alone: ${files.join(', ')}`;
