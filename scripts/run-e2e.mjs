// Runs the UI suite (test/e2e/*.test.ts, node's test runner + playwright-core) against code-server in Debian's
// Chromium, with the extension loaded from this folder. Both code-server releases (VS Code 1.104 and 1.139) serve one
// invocation: each test names the VS Code it runs in (test/e2e/workbench.ts). Installs code-server / Chromium on first
// use. Options: --no-build (dist/ is already fresh), --concurrency N (test files, each with its own workbenches, run at
// once; default 1: two keep a 2-core machine busier — a clean clone's `npm ci && npm test` took 1,188 s with two — but
// beside the unit tests they load it to ~12, and four of five such runs failed somewhere), and any test file paths.
// Screenshots of the main states go to .test-results/screenshots/, failure artefacts to .test-results/e2e/.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ensureChromium, ensureCodeServers } from './codeServer.mjs';
import { buildExtension, repoRoot, resultsRoot } from './testHarness.mjs';

// A guard against a hung file, not a timing goal: generous, since a loaded 2-core machine runs a workbench slowly.
const perTestTimeoutMs = Number(process.env.SMCS_E2E_TEST_TIMEOUT_MS ?? 420000);

function parseArgs(argv) {
  const options = { build: true, files: [], concurrency: 1 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--no-build') options.build = false;
    else if (arg === '--concurrency') {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 1) throw new Error(`--concurrency takes how many test files run at once (a whole number from 1), not ${argv[i] ?? 'nothing'}`);
      options.concurrency = value;
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg} (expected --no-build, --concurrency N or test file paths)`);
    else options.files.push(path.resolve(arg));
  }
  return options;
}

/** Runs node's test runner on `files`, `concurrency` files at a time, echoing its output and counting results. */
function runNodeTests(files, concurrency) {
  return new Promise((resolve, reject) => {
    const args = [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      `--test-timeout=${perTestTimeoutMs}`,
      '--test-reporter=spec',
      ...files,
    ];
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    const counts = {};
    child.stdout.on('data', (chunk) => process.stdout.write(chunk));
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      const m = /^ℹ (tests|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(line.trim());
      if (m) counts[m[1]] = Number(m[2]);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, counts }));
  });
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
  const { code, counts } = await runNodeTests(files, options.concurrency);
  const passed = counts.pass ?? 0;
  const failed = (counts.fail ?? 0) + (counts.cancelled ?? 0);
  const skipped = (counts.skipped ?? 0) + (counts.todo ?? 0);
  console.log(`e2e: ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${path.relative(repoRoot, path.join(resultsRoot, 'screenshots'))}/`);
  if (failed > 0 || code !== 0) console.log(`e2e: failure artefacts (screenshot, extension log) in ${path.relative(repoRoot, path.join(resultsRoot, 'e2e'))}/`);
  console.log(`${passed} passed, ${failed} failed`);
  if (code !== 0 || failed > 0) throw new Error(`UI suite failed (test runner exit code ${code})`);
  if (skipped > 0) throw new Error(`${skipped} UI test(s) were skipped; a skipped UI test never counts as a pass`);
  if (passed === 0) throw new Error('no UI test ran');
}

main().catch((err) => {
  console.error(`e2e: FAILED — ${err.message}`);
  process.exit(1);
});
