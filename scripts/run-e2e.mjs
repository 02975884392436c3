// Runs the UI suite (test/e2e/*.test.ts, node's test runner + playwright-core) against code-server in Chromium's
// headless shell, with the extension loaded from this folder. Both code-server releases (VS Code 1.104 and 1.139)
// serve one invocation: each test names the VS Code it runs in (test/e2e/workbench.ts). Installs code-server / Chromium
// on first use. The test files run in worker processes, file after file, as scripts/testQueue.mjs schedules them, so the
// tests of every file a worker runs share its code-servers and Chromiums (each test still has a window, a workspace
// and user data of its own); each file's output is printed whole when it ends. Options:
// --no-build (dist/ is already fresh); --concurrency N (test files, each in its own worker, run at once; default
// 1); --widen N --when FILE (up to N at once from the moment FILE exists: `npm test` creates it when the unit and
// integration suites are done, so the UI suite takes the second core they leave — beside the unit tests two UI files at
// once loaded a 2-core machine to ~12 and four of five such runs failed somewhere); and any test file paths.
// Screenshots of the main states go to .test-results/screenshots/, failure artefacts to .test-results/e2e/.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPILE_CACHE_ENV, ensureChromium, ensureCodeServers } from './codeServer.mjs';
import { filesAtOnce, flakyLine } from './scriptArgs.mjs';
import { runNodeTests } from './testQueue.mjs';
import { buildExtension, repoRoot, resultsRoot } from './testHarness.mjs';

// A guard against a hung file, not a timing goal: generous, since a loaded 2-core machine runs a workbench slowly.
const perFileTimeoutMs = Number(process.env.SMCS_E2E_TEST_TIMEOUT_MS ?? 420000);

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
 * The files in their order, except that the files sharing a window (test/e2e/workbench.ts `sharedWorkbench('<group>',
 * …)`) run one after another from where the first of them is: a process keeps a file's shared window for the next file
 * only if that shares it too.
 */
export function windowGroupsTogether(files) {
  const groupOf = (file) => /sharedWorkbench\(\s*'([^']+)'/.exec(readFileSync(file, 'utf8'))?.[1];
  const groups = new Map();
  for (const file of files) {
    const group = groupOf(file) ?? file;
    groups.set(group, [...(groups.get(group) ?? []), file]);
  }
  return [...groups.values()].flat();
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const e2eDir = path.join(repoRoot, 'test', 'e2e');
  const files = options.files.length
    ? options.files
    : windowGroupsTogether(
        readdirSync(e2eDir)
          .filter((name) => name.endsWith('.test.ts'))
          .sort()
          .map((name) => path.join(e2eDir, name)),
      );
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
  const { ok, counts, failed: failedFiles, flaky } = await runNodeTests(files, { concurrency: options.concurrency, widen: options.widen, fileTimeoutMs: perFileTimeoutMs }).finally(() => {
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
