// `npm test`: every check, in two overlapping phases so a fresh clone's run stays short on a small machine.
//   1. build ‖ the test workbench's install (code-server, Chromium: downloads, mostly waiting)
//   2. the UI suite ‖ (lint with the type-check, then the unit tests, then the integration suite): the UI suite is the longest,
//      so it starts as soon as there is something to test; on two cores it runs one test file at a time while the
//      others run and two at once after them (it waits on its workbenches a third of the time, so one file alone leaves
//      a core idle); a machine with more cores runs more of each (scripts/suiteWidths.mjs). Lint (with `--types` it
//      type-checks on the programs its ESLint uses: scripts/lint-typed.mjs) failing stops the unit and integration
//      suites, not the UI suite already running.
//      The unit tests' `smcs` children run the bundle phase 1 built (SMCS_TEST_CLI=bundle, test/fixtures/cliRun.ts).
// Each suite's output is streamed with its name in front of every line and kept whole in .test-results/logs/; a
// failing phase stops the run after every suite in it has finished, and the summary names what failed, how long each
// part took and any test file that failed once and passed when run again (flaky). The suites themselves are the same
// `npm run …` scripts a developer runs one by one.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { ensureChromium, ensureCodeServer } from './codeServer.mjs';
import { FLAKY_MARK } from './scriptArgs.mjs';
import { suiteWidths } from './suiteWidths.mjs';
import { repoRoot, resultsRoot } from './testHarness.mjs';

const logsDir = path.join(resultsRoot, 'logs');
/** Written when the unit and integration suites have ended: from then on the UI suite runs two files at once. */
const othersDone = path.join(resultsRoot, 'other-suites-done');
/** The suites' lines naming test files that failed once and passed when run again, repeated in the summary. */
const flakyLines = [];

/** Runs `npm run <script> [-- args]`, streaming its lines under `[name]` and keeping them in logs/<name>.log. */
function npmRun(name, script, args = [], env = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const log = createWriteStream(path.join(logsDir, `${name}.log`));
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const child = spawn(npm, ['run', script, ...(args.length ? ['--', ...args] : [])], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', ...env },
    });
    const prefix = `[${name}] `;
    for (const [stream, target] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
      stream.on('data', (chunk) => log.write(chunk));
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        target.write(prefix + line + '\n');
        if (line.includes(FLAKY_MARK)) flakyLines.push(prefix + line);
      });
    }
    const finish = (code) => {
      log.end();
      resolve({ name, ok: code === 0, seconds: (Date.now() - started) / 1000 });
    };
    child.on('error', (err) => {
      process.stderr.write(`${prefix}could not start npm: ${err.message}\n`);
      finish(1);
    });
    child.on('close', finish);
  });
}

/** Installs the test workbench (code-server and Chromium) once, before the two suites that use it start together. */
async function prepareWorkbench() {
  const started = Date.now();
  try {
    await Promise.all([ensureCodeServer(), ensureChromium()]);
    return { name: 'workbench install', ok: true, seconds: (Date.now() - started) / 1000 };
  } catch (err) {
    process.stderr.write(`[workbench install] ${err instanceof Error ? err.message : String(err)}\n`);
    return { name: 'workbench install', ok: false, seconds: (Date.now() - started) / 1000 };
  }
}

/** Runs the steps one after another, stopping at the first that fails. */
async function inSequence(...steps) {
  const results = [];
  for (const step of steps) {
    const result = await step();
    results.push(result);
    if (!result.ok) break;
  }
  return results;
}

async function main() {
  mkdirSync(logsDir, { recursive: true });
  rmSync(othersDone, { force: true });
  const started = Date.now();
  const widths = suiteWidths(availableParallelism());
  console.log(`npm test: ${availableParallelism()} cores: unit tests ${widths.unit} files at once; UI tests ${widths.uiBeside} beside them, ${widths.uiAfter} after`);
  const results = [];
  const phase = async (...parts) => {
    const done = (await Promise.all(parts.map((part) => part()))).flat();
    results.push(...done);
    return done.every((r) => r.ok);
  };
  const passed =
    (await phase(() => npmRun('build', 'build'), prepareWorkbench)) &&
    (await phase(
      () => npmRun('e2e', 'test:e2e', ['--no-build', '--concurrency', String(widths.uiBeside), '--widen', String(widths.uiAfter), '--when', othersDone]),
      async () => {
        const done = await inSequence(
          () => npmRun('lint', 'lint', ['--types']),
          () => npmRun('unit', 'test:unit', ['--concurrency', String(widths.unit)], { SMCS_TEST_CLI: 'bundle' }),
          () => npmRun('integration', 'test:integration', ['--no-build']),
        );
        writeFileSync(othersDone, '');
        return done;
      },
    ));
  console.log(`\nnpm test: ${((Date.now() - started) / 1000).toFixed(0)} s in all; logs in ${path.relative(repoRoot, logsDir)}/`);
  for (const r of results) console.log(`  ${r.ok ? 'ok    ' : 'FAILED'} ${r.name.padEnd(18)} ${r.seconds.toFixed(0).padStart(5)} s`);
  for (const line of flakyLines) console.log(line);
  if (!passed) {
    console.log(`failed: ${results.filter((r) => !r.ok).map((r) => r.name).join(', ')}`);
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
