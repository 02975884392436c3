// Runs the mocha integration suite (test/integration/*.test.ts) inside a real VS Code extension host.
//   VSCODE_EXECUTABLE=/path/to/code  → @vscode/test-electron (desktop VS Code, what contributors' CI uses)
//   otherwise                        → code-server + Chromium (browser VS Code 1.104 on Node 22), installed on demand
// Options: --no-build (dist/ is already fresh), --grep <pattern>, --bundle-only (write out/test/integration and stop:
// the pre-launch task of the "Extension Tests" launch configuration). Env: SMCS_IT_DEADLINE_MS (whole run,
// default 300000). The verdict is the host's exit code; mocha's results come from the suite's report file.
import * as esbuild from 'esbuild';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureChromium, ensureCodeServer, startCodeServer } from './codeServer.mjs';
import { buildExtension, keepFailureArtefacts, launchChromium, PAGE_OPTIONS, repoRoot, workbenchUrl } from './testHarness.mjs';

const outDir = path.join(repoRoot, 'out', 'test', 'integration');
const testsPath = path.join(outDir, 'index.js');
const deadlineMs = Number(process.env.SMCS_IT_DEADLINE_MS ?? 300000);

function parseArgs(argv) {
  const options = { build: true, grep: undefined, bundleOnly: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--no-build') options.build = false;
    else if (argv[i] === '--grep') options.grep = argv[++i];
    else if (argv[i] === '--bundle-only') options.bundleOnly = true;
    else throw new Error(`unknown option ${argv[i]} (expected --no-build, --grep <pattern> or --bundle-only)`);
  }
  return options;
}

/** Bundles index.ts and every *.test.ts separately, so mocha can add the test files one by one. */
async function bundleSuite() {
  const srcDir = path.join(repoRoot, 'test', 'integration');
  const entryPoints = readdirSync(srcDir)
    .filter((name) => name === 'index.ts' || name.endsWith('.test.ts'))
    .map((name) => path.join(srcDir, name));
  rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    // jsdom from node_modules as it is (panelDocument.ts runs the panel's script in it).
    external: ['vscode', 'mocha', 'jsdom'],
    logLevel: 'warning',
  });
}

function readReport(file) {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8'));
}

function printReport(report) {
  for (const test of report.tests) {
    if (test.state === 'passed') console.log(`  ✓ ${test.title} (${test.durationMs} ms)`);
    else console.log(`  ✗ ${test.title}\n${test.error.replace(/^/gm, '      ')}`);
  }
}

/** Desktop VS Code through @vscode/test-electron; resolves to the exit code. */
async function runInElectron(workspace, env) {
  const { runTests } = await import('@vscode/test-electron');
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'smcs-it-electron-'));
  try {
    return await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: testsPath,
      extensionTestsEnv: env,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', userDataDir],
    });
  } catch (err) {
    return typeof err === 'number' ? err : 1;
  }
}

/** Browser VS Code (code-server) driven by Chromium; resolves to the exit code from codeAutomationExit. */
async function runInCodeServer(workspace, env) {
  await Promise.all([ensureCodeServer(), ensureChromium()]);
  const server = await startCodeServer({ env });
  const consoleLines = [];
  const browser = await launchChromium();
  let page;
  try {
    page = await browser.newPage(PAGE_OPTIONS);
    page.on('console', (msg) => consoleLines.push(`[${msg.type()}] ${msg.text()}`));
    page.on('pageerror', (err) => consoleLines.push(`[pageerror] ${err.message}`));
    let timer;
    const exitCode = await new Promise((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the integration suite did not finish within ${deadlineMs} ms (SMCS_IT_DEADLINE_MS)`)),
        deadlineMs,
      );
      page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code))).then(
        () => page.goto(workbenchUrl(server.url, { folder: workspace, extensionTestsPath: testsPath })),
      ).catch(reject);
    }).finally(() => clearTimeout(timer));
    if (exitCode !== 0) {
      const dir = await keepFailureArtefacts('integration', { page, server, consoleLines });
      console.error(`integration: failure artefacts kept in ${path.relative(repoRoot, dir)}/`);
    }
    return exitCode;
  } catch (err) {
    const dir = await keepFailureArtefacts('integration', { page, server, consoleLines });
    console.error(`integration: failure artefacts kept in ${path.relative(repoRoot, dir)}/`);
    throw err;
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.build) await buildExtension();
  await bundleSuite();
  if (options.bundleOnly) return;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'smcs-it-'));
  const workspace = path.join(scratch, 'workspace');
  mkdirSync(workspace);
  const reportFile = path.join(scratch, 'report.json');
  const env = { SMCS_IT_REPORT: reportFile, SMCS_IT_SCRATCH: scratch };
  if (options.grep) env.SMCS_IT_GREP = options.grep;
  const host = process.env.VSCODE_EXECUTABLE ? 'desktop VS Code (@vscode/test-electron)' : 'code-server + Chromium';
  console.log(`integration: running the suite in ${host}`);
  const started = Date.now();
  let exitCode;
  let hostError;
  try {
    exitCode = process.env.VSCODE_EXECUTABLE ? await runInElectron(workspace, env) : await runInCodeServer(workspace, env);
  } catch (err) {
    hostError = err;
  }
  const report = readReport(reportFile);
  if (report) {
    printReport(report);
    console.log(`integration: ${((Date.now() - started) / 1000).toFixed(1)} s in ${host}`);
    console.log(`${report.passed} passed, ${report.failed} failed`);
  }
  if (hostError) throw hostError;
  if (!report) throw new Error(`the suite never started inside the extension host (no report at ${reportFile}); exit code ${exitCode}`);
  if (!report.done) throw new Error('the suite stopped before mocha finished (see the failure artefacts)');
  if (report.passed + report.failed === 0) throw new Error('no integration test ran');
  if (exitCode !== 0 || report.failed > 0) {
    throw new Error(`integration suite failed (host exit code ${exitCode}, ${report.failed} failed)`);
  }
  rmSync(scratch, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(`integration: FAILED — ${err.message}`);
  process.exit(1);
});
