// The scheduler the unit and UI suites share (scripts/run-unit.mjs, scripts/run-e2e.mjs): test files run in worker
// processes (scripts/testWorker.mjs), one file at a time in each, every worker taking the next file from one queue when
// its file is done, so the files a worker runs share what the process keeps — the modules it has loaded (a unit test
// file started in a process of its own spent ~0.3 CPU-s starting node, tsx and the modules it imports: 363 CPU-s for
// the unit suite's 347 files against 254 in two workers), the UI suite's code-servers and Chromiums. A worker in which a
// file failed runs no more files (the next starts a new one), and a file that asks for a process of its own
// (OWN_PROCESS_MARK, when what it checks is the process's own state) gets a new worker that ends with it. A file that
// fails is run once more, alone in a new worker, after the rest, and named as flaky if it passes then (as failed if not).
import { existsSync, watch } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { RETRY_AT_MOST, repoRoot } from './scriptArgs.mjs';

const workerScript = path.join(repoRoot, 'scripts', 'testWorker.mjs');
const workerReporter = path.join(repoRoot, 'scripts', 'testWorkerReporter.mjs');

/** How long a worker may take to end once told to (the UI suite's closes its code-servers and Chromiums: a few seconds). */
const WORKER_EXIT_MS = 30000;

/**
 * The words by which a test file, in its text, asks for a test process of its own: what it checks is the process's own
 * state (which modules it has loaded, a module's load failing), which files run before it in a shared one would change.
 */
export const OWN_PROCESS_MARK = 'runs in a test process of its own';

/**
 * Starts a worker (scripts/testWorker.mjs). `run(file)` hands it a file and resolves with the file's result
 * ({ code, counts, output }: code 0 when its suite passed; output what the worker printed meanwhile, then the file's
 * spec output), or with a failure when the worker ends first. `stop()` disconnects it and resolves when it has ended.
 */
function startWorker(fileTimeoutMs, exitMs) {
  // tsx's CommonJS hook alone (the sources compile to CommonJS): `--import tsx` also starts Node 20's loader-hooks
  // thread in every process, ~0.2 CPU-s each.
  const args = ['--require', 'tsx/cjs', `--test-reporter=${workerReporter}`, '--test-reporter-destination=stdout', workerScript, '--file-timeout', String(fileTimeoutMs)];
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
    // A worker that has not ended `exitMs` after its runner left (a file that failed left a timer or a server running)
    // is killed.
    stop: async () => {
      if (child.connected) child.disconnect();
      const kill = setTimeout(() => {
        printed += `\nthe test process had not ended ${exitMs} ms after its last file: killed\n`;
        child.kill('SIGKILL');
      }, exitMs);
      await ended;
      clearTimeout(kill);
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
 * runs the next file when it is done (or, with `reuse` false, in a new worker each; and a file `alone` names, in a new
 * worker that ends with it), handing each file's output to `print` when it ends; resolves with each file's result
 * ({ code, counts }) by file, in the order given, once every worker has ended.
 */
async function runEach(files, { concurrency, widen, print, fileTimeoutMs, workerExitMs, alone }, { reuse = true } = {}) {
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
          const shared = reuse && !alone(file);
          const worker = (shared && idle.pop()) || startWorker(fileTimeoutMs, workerExitMs);
          running++;
          worker.run(file).then(({ code, counts, output }) => {
            running--;
            print(`${output}\n`);
            results.set(file, { code, counts });
            // A worker whose file failed may hold what that file left behind (a test that timed out still running).
            if (shared && code === 0) idle.push(worker);
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
 * Options: `concurrency` (default 1); `widen` ({ to, when }); `print` (default: to stdout); `retryAtMost` (default
 * RETRY_AT_MOST); `fileTimeoutMs` (a file whose tests have not ended by then fails; default none); `workerExitMs` (a
 * worker still running this long after it was told to end is killed; default WORKER_EXIT_MS); `alone` (file → whether it
 * runs in a process of its own; default none does).
 */
export async function runNodeTests(files, options = {}) {
  const settings = {
    concurrency: options.concurrency ?? 1,
    widen: options.widen,
    print: options.print ?? ((text) => process.stdout.write(text)),
    fileTimeoutMs: options.fileTimeoutMs ?? Infinity,
    workerExitMs: options.workerExitMs ?? WORKER_EXIT_MS,
    alone: options.alone ?? (() => false),
  };
  const retryAtMost = options.retryAtMost ?? RETRY_AT_MOST;
  const results = await runEach(files, settings);
  const failedFirst = files.filter((file) => !filePassed(results.get(file)));
  const flaky = [];
  if (failedFirst.length > 0 && failedFirst.length <= retryAtMost) {
    settings.print(`${failedFirst.length} file(s) failed; running each once more, alone: ${failedFirst.map((f) => path.relative(repoRoot, f)).join(', ')}\n`);
    const again = await runEach(failedFirst, { ...settings, concurrency: 1, widen: undefined }, { reuse: false });
    for (const [file, result] of again) {
      if (filePassed(result)) flaky.push(file);
      results.set(file, result);
    }
  }
  const failed = files.filter((file) => !filePassed(results.get(file)));
  return { ok: failed.length === 0, counts: sumCounts(results.values()), failed, flaky };
}
