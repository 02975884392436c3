// Runs the UI suite (test/e2e/*.test.ts, node's test runner + playwright-core) against code-server in Chromium's
// headless shell, with the extension loaded from this folder. Both code-server releases (VS Code 1.104 and 1.139)
// serve one invocation: each test names the VS Code it runs in (test/e2e/workbench.ts). Installs code-server / Chromium
// on first use. The test files run in worker processes (scripts/testWorker.mjs), one file at a time in each, taking the
// next file from one queue when done, so the tests of every file a worker runs share its code-servers and Chromiums
// (each test still has a window, a workspace and user data of its own); each file's output is printed whole when it
// ends. A worker in which a file failed runs no more files (the next starts a new one). A file that fails is run once
// more, alone in a new worker, after the rest, and named as flaky if it passes then (as failed if not). Options:
// --no-build (dist/ is already fresh); --concurrency N (test files, each in its own worker, run at once; default
// 1); --widen N --when FILE (up to N at once from the moment FILE exists: `npm test` creates it when the unit and
// integration suites are done, so the UI suite takes the second core they leave — beside the unit tests two UI files at
// once loaded a 2-core machine to ~12 and four of five such runs failed somewhere); and any test file paths.
// Screenshots of the main states go to .test-results/screenshots/, failure artefacts to .test-results/e2e/.
import { existsSync, mkdtempSync, readdirSync, rmSync, watch } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { COMPILE_CACHE_ENV, ensureChromium, ensureCodeServers } from './codeServer.mjs';
import { filesAtOnce, flakyLine, RETRY_AT_MOST } from './scriptArgs.mjs';
import { buildExtension, repoRoot, resultsRoot } from './testHarness.mjs';

// A guard against a hung file, not a timing goal: generous, since a loaded 2-core machine runs a workbench slowly.
const perFileTimeoutMs = Number(process.env.SMCS_E2E_TEST_TIMEOUT_MS ?? 420000);
const workerScript = path.join(repoRoot, 'scripts', 'testWorker.mjs');
const workerReporter = path.join(repoRoot, 'scripts', 'testWorkerReporter.mjs');

function parseArgs(argv) {
  const options = { build: true, files: [], concurrency: 1, widen: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--no-build') options.build = false;
    else if (arg === '--concurrency') options.concurrency = filesAtOnce(arg, argv[++i]);
    else if (arg === '--widen') {
      const to = filesAtOnce(arg, argv[++i]);
      if (argv[i + 1] !== '--when' || !argv[i + 2]) throw new Error('--widen N needs --when FILE: the file whose appearance lets N test files run at once');
      options.widen = { to, when: path.resolve(argv[i + 2]) };
      i += 2;
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg} (expected --no-build, --concurrency N, --widen N --when FILE or test file paths)`);
    else options.files.push(path.resolve(arg));
  }
  return options;
}

/**
 * Starts a worker (scripts/testWorker.mjs). `run(file)` hands it a file and resolves with the file's result
 * ({ code, counts, output }: code 0 when its suite passed; output what the worker printed meanwhile, then the file's
 * spec output), or with a failure when the worker ends first. `stop()` disconnects it and resolves when it has ended.
 */
function startWorker() {
  // tsx's CommonJS hook alone, as the unit tests run (scripts/run-unit.mjs says why).
  const args = ['--require', 'tsx/cjs', `--test-reporter=${workerReporter}`, '--test-reporter-destination=stdout', workerScript, '--file-timeout', String(perFileTimeoutMs)];
  // A runner started from inside a test file (the scheduler's own test) would otherwise skip its files.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let printed = '';
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (printed += chunk));
  const takePrinted = () => {
    const text = printed;
    printed = '';
    return text;
  };
  /** The file running: resolves its result. */
  let running;
  child.on('message', ({ ok, counts, output }) => {
    const done = running;
    running = undefined;
    done?.({ code: ok ? 0 : 1, counts, output: takePrinted() + output });
  });
  const ended = new Promise((resolve) => {
    const end = (why) => {
      running?.({ code: 1, counts: {}, output: `${takePrinted()}\nthe test process ${why} before the file's tests ended\n` });
      running = undefined;
      resolve();
    };
    child.on('error', (err) => end(`failed (${err.message})`));
    // Not 'close': it never comes after the runner disconnected (Node 20); the exit and the ends of both pipes do.
    const pipesEnded = Promise.all([child.stdout, child.stderr].map((stream) => new Promise((r) => stream.on('close', r))));
    child.on('exit', (code, signal) => void pipesEnded.then(() => end(`ended (${signal ?? `exit code ${code}`})`)));
  });
  return {
    run: (file) =>
      new Promise((resolve) => {
        running = resolve;
        child.send({ file });
      }),
    stop: async () => {
      if (child.connected) child.disconnect();
      await ended;
      return takePrinted();
    },
  };
}

/** Adds up the counts of every file's run. */
function sumCounts(results) {
  const totals = {};
  for (const { counts } of results) for (const [key, value] of Object.entries(counts)) totals[key] = (totals[key] ?? 0) + value;
  return totals;
}

/** Whether one file's run passed: its runner exited 0 and no test of it failed or was cancelled. */
const filePassed = ({ code, counts }) => code === 0 && !counts.fail && !counts.cancelled;

/**
 * Runs the files, `concurrency` at a time — `widen.to` at a time once `widen.when` exists — each in a worker that
 * runs the next file when it is done (or, with `reuse` false, in a new worker each), handing each file's output to
 * `print` when it ends; resolves with each file's result ({ code, counts }) by file, in the order given, once every
 * worker has ended.
 */
async function runEach(files, concurrency, widen, print, { reuse = true } = {}) {
  const queue = [...files];
  const results = new Map();
  const idle = [];
  const stopping = [];
  const stop = (worker) => stopping.push(worker.stop().then((rest) => rest && print(rest)));
  let running = 0;
  const limit = () => (widen && existsSync(widen.when) ? widen.to : concurrency);
  // The widening file is noticed as it appears (its folder watched), not only when a file ends.
  const watcher = widen && !existsSync(widen.when) ? watch(path.dirname(widen.when)) : undefined;
  try {
    await new Promise((resolve, reject) => {
      const startMore = () => {
        while (queue.length > 0 && running < limit()) {
          const file = queue.shift();
          const worker = (reuse && idle.pop()) || startWorker();
          running++;
          worker.run(file).then(({ code, counts, output }) => {
            running--;
            print(`${output}\n`);
            results.set(file, { code, counts });
            // A worker whose file failed may hold what that file left behind (a test that timed out still running).
            if (reuse && code === 0) idle.push(worker);
            else stop(worker);
            if (queue.length === 0 && running === 0) resolve();
            else startMore();
          }, reject);
        }
      };
      watcher?.on('change', startMore);
      startMore();
    });
  } finally {
    watcher?.close();
    for (const worker of idle.splice(0)) stop(worker);
    await Promise.all(stopping);
  }
  return new Map(files.map((file) => [file, results.get(file)]));
}

/**
 * Runs the files as `runEach` does. A file that fails is run once more, alone, when the rest have ended — if no more
 * than `retryAtMost` failed (more is a broken build, not a flake): one that passes then is reported as flaky by name,
 * and its second run's counts stand in for its first's. Resolves with the summed counts, whether every file passed in
 * the end, the files that failed (`failed`) and those that failed once and then passed (`flaky`).
 */
export async function runNodeTests(files, concurrency, widen, print = (text) => process.stdout.write(text), retryAtMost = RETRY_AT_MOST) {
  const results = await runEach(files, concurrency, widen, print);
  const failedFirst = files.filter((file) => !filePassed(results.get(file)));
  const flaky = [];
  if (failedFirst.length > 0 && failedFirst.length <= retryAtMost) {
    print(`${failedFirst.length} file(s) failed; running each once more, alone: ${failedFirst.map((f) => path.relative(repoRoot, f)).join(', ')}\n`);
    const again = await runEach(failedFirst, 1, undefined, print, { reuse: false });
    for (const [file, result] of again) {
      if (filePassed(result)) flaky.push(file);
      results.set(file, result);
    }
  }
  const failed = files.filter((file) => !filePassed(results.get(file)));
  return { ok: failed.length === 0, counts: sumCounts(results.values()), failed, flaky };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const e2eDir = path.join(repoRoot, 'test', 'e2e');
  const files = options.files.length
    ? options.files
    : readdirSync(e2eDir)
        .filter((name) => name.endsWith('.test.ts'))
        .sort()
        .map((name) => path.join(e2eDir, name));
  if (files.length === 0) throw new Error(`no UI tests found in ${e2eDir}`);
  for (const file of files) if (!existsSync(file)) throw new Error(`no such test file: ${file}`);
  if (options.build) await buildExtension();
  await Promise.all([ensureCodeServers(), ensureChromium()]);
  rmSync(path.join(resultsRoot, 'e2e'), { recursive: true, force: true });
  rmSync(path.join(resultsRoot, 'screenshots'), { recursive: true, force: true });
  const started = Date.now();
  // One compile cache for the run's workbenches (scripts/codeServer.mjs), gone with it: entries are kept per file path,
  // and the workbenches' installed copies of SMCS live in new temporary folders each run. Node writes its cache as a
  // process exits, and a stopped code-server's children (extension host, language servers) exit a moment after it:
  // the folder is removed with retries (ENOTEMPTY while the last of them write), over up to ~5 s, and one still held
  // after that is named, not counted against the tests.
  const compileCache = mkdtempSync(path.join(os.tmpdir(), 'smcs-e2e-compile-cache-'));
  process.env[COMPILE_CACHE_ENV] = compileCache;
  const { ok, counts, failed: failedFiles, flaky } = await runNodeTests(files, options.concurrency, options.widen).finally(() => {
    try {
      rmSync(compileCache, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch (err) {
      console.log(`e2e: could not remove the workbenches' compile cache ${compileCache}: ${err.message}`);
    }
  });
  const passed = counts.pass ?? 0;
  const failed = (counts.fail ?? 0) + (counts.cancelled ?? 0);
  const skipped = (counts.skipped ?? 0) + (counts.todo ?? 0);
  console.log(`e2e: ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${path.relative(repoRoot, path.join(resultsRoot, 'screenshots'))}/`);
  if (failed > 0 || !ok) console.log(`e2e: failure artefacts (screenshot, extension log) in ${path.relative(repoRoot, path.join(resultsRoot, 'e2e'))}/`);
  console.log(`${passed} passed, ${failed} failed`);
  const named = (list) => list.map((f) => path.relative(repoRoot, f)).join(', ');
  if (flaky.length > 0) console.log(flakyLine('e2e', flaky.map((f) => path.relative(repoRoot, f))));
  if (failedFiles.length > 0) console.log(`e2e: failed: ${named(failedFiles)}`);
  if (!ok || failed > 0) throw new Error('UI suite failed (a test runner exited with an error)');
  if (skipped > 0) throw new Error(`${skipped} UI test(s) were skipped; a skipped UI test never counts as a pass`);
  if (passed === 0) throw new Error('no UI test ran');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`e2e: FAILED — ${err.message}`);
    process.exit(1);
  });
}
