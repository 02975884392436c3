// Shared pieces of the integration and UI runners: building the extension and the test bundle,
// opening a code-server workbench in Chromium, and keeping artefacts of a failed run.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, headlessShellPath } from './codeServer.mjs';
import { repoRoot } from './scriptArgs.mjs';

export { repoRoot };

/** Where failed-run artefacts and screenshots go (gitignored). */
export const resultsRoot = path.join(repoRoot, '.test-results');

/** Runs a command with inherited output; rejects naming the command when it fails. */
export function runInherited(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd: repoRoot, ...options });
    child.on('error', (err) => reject(new Error(`${command} ${args.join(' ')}: ${err.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/** Builds dist/ with the project's esbuild script, so the suites never run a stale extension. */
export async function buildExtension() {
  await runInherited(process.execPath, [path.join(repoRoot, 'esbuild.mjs')]);
  if (!existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
    throw new Error('the build did not produce dist/extension.js');
  }
}

/**
 * Builds a URL that opens `folder` in the code-server workbench with the extension loaded from
 * its folder (extensionDevelopmentPath) and, optionally, a test module (extensionTestsPath).
 * `extensionDevelopmentPath: null` loads no development extension (only installed ones).
 */
export function workbenchUrl(serverUrl, { folder, extensionDevelopmentPath = repoRoot, extensionTestsPath }) {
  const authority = new URL(serverUrl).host;
  const remote = (p) => `vscode-remote://${authority}${p}`;
  if (extensionDevelopmentPath === null) return `${serverUrl}/?folder=${encodeURIComponent(folder)}`;
  const payload = [['extensionDevelopmentPath', remote(extensionDevelopmentPath)]];
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  return `${serverUrl}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * Options of every page the suites open: the browser asks code-server for uncompressed files. code-server compresses
 * each file with brotli on every request (nothing is cached between workbenches), which cost about half a CPU-second
 * per workbench loaded, over a loopback connection where compression saves nothing. And the page prefers reduced
 * motion, as a user may set it: VS Code (`workbench.reduceMotion` "auto") and the panel's stage spinner stop animating,
 * which a headless Chromium otherwise draws frame after frame on the CPU (two UI files: 31 → 28.5 CPU-s, with the
 * editor's cursor not blinking, QUIET_SETTINGS).
 */
export const PAGE_OPTIONS = { extraHTTPHeaders: { 'Accept-Encoding': 'identity' }, reducedMotion: 'reduce' };

/** Launches Chromium's headless shell (scripts/codeServer.mjs ensureChromium) through playwright-core. */
export async function launchChromium() {
  return chromium.launch({ executablePath: headlessShellPath(), headless: true, args: CHROMIUM_ARGS });
}

/** What a window stores in the browser of its own: VS Code's global state and secrets (IndexedDB), its webviews' service workers. */
const WINDOW_STORAGE = 'cookies,file_systems,indexeddb,local_storage,service_workers,cache_storage,shader_cache,websql';

/**
 * Chromium's headless shell with one browser profile for the windows of one code-server, one after another: they share
 * its HTTP cache, so every window after the first loads the workbench's scripts from it with the code V8 compiled for
 * them (a window 4.0–4.4 CPU-seconds on two cores where a new browser context took 4.9–5.4). `clearWindow` then forgets
 * what a window stored (`WINDOW_STORAGE`) once it has left, so the next starts as a new browser context would.
 */
export async function launchWindowProfile({ viewport }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smcs-e2e-chromium-'));
  const context = await chromium
    .launchPersistentContext(dir, { executablePath: headlessShellPath(), headless: true, args: CHROMIUM_ARGS, ...PAGE_OPTIONS, viewport })
    .catch((err) => {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    });
  return {
    context,
    async clearWindow(page, origin) {
      const cdp = await context.newCDPSession(page);
      try {
        await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: WINDOW_STORAGE });
      } finally {
        await cdp.detach();
      }
      await context.clearPermissions();
    },
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Copies what explains a failure into `.test-results/<name>/`: a screenshot of the page (if any),
 * code-server's log folder (extension host and output-channel logs), its console output, and
 * the browser console. Returns the folder.
 */
export async function keepFailureArtefacts(name, { page, server, consoleLines = [] }) {
  const dir = path.join(resultsRoot, name);
  mkdirSync(dir, { recursive: true });
  if (page && !page.isClosed()) {
    await page.screenshot({ path: path.join(dir, 'failure.png'), fullPage: true }).catch(() => undefined);
  }
  if (server) {
    const logs = path.join(server.userDataDir, 'logs');
    if (existsSync(logs)) cpSync(logs, path.join(dir, 'vscode-logs'), { recursive: true });
    writeFileSync(path.join(dir, 'code-server.log'), server.logs());
  }
  writeFileSync(path.join(dir, 'browser-console.log'), consoleLines.join('\n'));
  return dir;
}
