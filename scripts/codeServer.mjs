// Test-environment helpers for running the extension inside a real VS Code:
// code-server (the browser VS Code, in two releases, installed offline into a cache folder outside the repo, each with
// the Node it needs taken from the npm registry), Chromium's headless shell (from the registry too, into the same
// cache; Debian's Chromium beside it for the libraries and fonts it loads), and a code-server process bound to 127.0.0.1.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync, readFileSync, symlinkSync, lstatSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureRipgrep } from './codeServerRipgrep.mjs';

/**
 * The code-server releases the UI tests run in, by VS Code version. 1.104 is the oldest VS Code the language model
 * provider supports (the panel's tests run there); 1.139 is today's, with the Chat view usable without sign-in and a
 * caller's cancellation passed on to a provider (the provider's and the chat's tests run there). Each needs its own
 * Node, taken from the npm registry: the machine's Node 20 keeps running the build and the other tests. The registry
 * ships Node releases as `node-<platform>-<arch>` packages, whose `bin/node` is the binary and `include/node` the
 * headers native modules are rebuilt against. The releases differ in three install details: the watchdog module's
 * package name, whether node-pty must be rebuilt (1.139 ships a prebuilt binary), and two CLI helper scripts that
 * 1.104's package leaves as links to make (1.139 ships them as files); and 1.139 needs a server flag to load the
 * extension under development.
 */
export const WORKBENCHES = {
  '1.104': {
    codeServer: '4.104.0',
    node: '22.23.3',
    nativeModules: ['@vscode/spdlog', 'node-pty', 'native-watchdog', '@vscode/deviceid'],
    helperLinks: true,
    serverArgs: [],
  },
  '1.139': {
    codeServer: '4.139.1',
    node: '24.21.0',
    nativeModules: ['@vscode/spdlog', '@vscode/native-watchdog', '@vscode/deviceid'],
    helperLinks: false,
    // A built workbench reads the URL's payload (the extension under development, the test module) only with the smoke
    // test driver on, from 1.10x on; code-server passes the flag through to VS Code's server.
    serverArgs: ['--vscode-option', 'enable-smoke-test-driver'],
  },
};
/** The workbench a test gets unless it asks for another. */
export const DEFAULT_WORKBENCH = '1.104';
/** The workbench of the language model provider's and the chat's tests: today's VS Code. */
export const CHAT_WORKBENCH = '1.139';
const NODE_PACKAGE = `node-${process.platform}-${process.arch}`;
/** Where Debian installs Chromium. */
const CHROMIUM_PATH = '/usr/bin/chromium';
/**
 * The browser the suites drive: Chromium's headless shell, the `headless_shell` build Playwright itself prefers for
 * headless runs, from the npm registry's @sparticuz/chromium (its `bin/chromium.br` is the shell, brotli-compressed).
 * It runs a UI test on about a fifth less CPU than Debian's full Chromium in its headless mode (panel-smoke 17.2–20.2
 * CPU-seconds against 23.1–24.7; panel-layout and chat-participant together 101 against 121) and renders the same
 * workbench with the same fonts. It loads NSS and fontconfig's fonts from the system, which Debian's Chromium brings.
 */
const HEADLESS_SHELL = { package: '@sparticuz/chromium', version: '153.0.0' };

const MARKER = '.smcs-install-complete';

/** The variable naming the folder of Node's compile cache for the workbenches started (scripts/run-e2e.mjs sets it). */
export const COMPILE_CACHE_ENV = 'SMCS_TEST_COMPILE_CACHE';

/** Root of the test cache: $SMCS_TEST_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/smcs-test. */
export function testCacheRoot() {
  if (process.env.SMCS_TEST_CACHE) return path.resolve(process.env.SMCS_TEST_CACHE);
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'smcs-test');
}

function log(message) {
  process.stderr.write(`[test-env] ${message}\n`);
}

/**
 * Runs a command, capturing its output; rejects with the command, exit code and output tail
 * so a failed install step names itself.
 */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk.toString()).slice(-20000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => reject(new Error(`${command} ${args.join(' ')}: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else {
        const where = options.cwd ? ` (in ${options.cwd})` : '';
        reject(new Error(`${command} ${args.join(' ')}${where} exited with ${code}:\n${output.slice(-4000)}`));
      }
    });
  });
}

const npmQuiet = ['--no-audit', '--no-fund', '--loglevel=error'];

/** Replaces whatever is at `dest` by a symlink to `target` (relative targets stay relative). */
function forceSymlink(target, dest) {
  try {
    lstatSync(dest);
    rmSync(dest, { recursive: true, force: true });
  } catch {
    // nothing at dest yet
  }
  symlinkSync(target, dest);
}

/** The workbench release named by `vscode` (a key of WORKBENCHES), or an error listing the known ones. */
function workbenchRelease(vscode) {
  const release = WORKBENCHES[vscode];
  if (!release) throw new Error(`no test workbench for VS Code ${vscode} (known: ${Object.keys(WORKBENCHES).join(', ')})`);
  return release;
}

/**
 * Installs the code-server of VS Code `vscode` into the cache (reused between runs) without any install script that
 * reaches GitHub: its Node from the registry first, then, with that Node first on PATH and its headers as
 * `npm_config_nodedir`, the package with scripts disabled, the native modules rebuilt from the registry's sources,
 * and the links its postinstall would make, and ripgrep (scripts/codeServerRipgrep.mjs). A marker file is written only
 * when every step succeeded, so an interrupted install is redone from scratch. Once cached, nothing here touches the network.
 * @returns {Promise<{vscode: string, dir: string, entry: string, node: string, installedNow: boolean, ms: number}>}
 */
export async function ensureCodeServer(vscode = DEFAULT_WORKBENCH) {
  const started = Date.now();
  const { codeServer, node: nodeVersion, nativeModules, helperLinks } = workbenchRelease(vscode);
  const release = `${codeServer} on node ${nodeVersion}`;
  const root = path.join(testCacheRoot(), `code-server-${codeServer}-node-${nodeVersion}`);
  const pkg = path.join(root, 'node_modules', 'code-server');
  const entry = path.join(pkg, 'out', 'node', 'entry.js');
  const nodeDir = path.join(root, 'node', 'node_modules', NODE_PACKAGE);
  const node = path.join(nodeDir, 'bin', 'node');
  const marker = path.join(root, MARKER);
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === release && existsSync(entry) && existsSync(node)) {
    // A cache installed before ripgrep was part of the install gets it now.
    placeRipgrep(path.join(pkg, 'lib', 'vscode'));
    return { vscode, dir: pkg, entry, node, installedNow: false, ms: Date.now() - started };
  }
  log(`installing code-server ${release} (VS Code ${vscode}) into ${root} (one time; 3–4 minutes on two cores, most of it building the native modules; each step says how long it took)`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(path.join(root, 'node'), { recursive: true });
  const privatePackage = (name) => JSON.stringify({ name, private: true });
  writeFileSync(path.join(root, 'package.json'), privatePackage('smcs-test-code-server'));
  writeFileSync(path.join(root, 'node', 'package.json'), privatePackage('smcs-test-code-server-node'));
  const baseEnv = { ...process.env, npm_config_update_notifier: 'false' };
  const step = async (label, command, args, cwd, env) => {
    const t = Date.now();
    await run(command, args, { cwd, env });
    log(`  ${vscode} ${label}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };
  await step('node package', 'npm', ['i', `${NODE_PACKAGE}@${nodeVersion}`, '--ignore-scripts', ...npmQuiet], path.join(root, 'node'), baseEnv);
  const version = (await run(node, ['--version'])).trim();
  if (version !== `v${nodeVersion}`) throw new Error(`${node} reports ${version}, expected v${nodeVersion}`);
  const env = {
    ...baseEnv,
    // npm, node-gyp and every install script run on this Node and build against its headers (node-gyp cannot download them).
    PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodeDir,
    // node-pty's post-install runs `npx node-gyp`, which otherwise cancels without a TTY.
    npm_config_yes: 'true',
  };
  await step('code-server package', 'npm', ['i', `code-server@${codeServer}`, '--ignore-scripts', ...npmQuiet], root, env);
  await step('argon2 rebuild', 'npm', ['rebuild', 'argon2', ...npmQuiet], root, env);
  const vscodeDir = path.join(pkg, 'lib', 'vscode');
  await step('VS Code dependencies', 'npm', ['i', '--omit=dev', '--ignore-scripts', ...npmQuiet], vscodeDir, env);
  await step('VS Code native modules', 'npm', ['rebuild', ...nativeModules, ...npmQuiet], vscodeDir, env);
  await step('built-in extensions', 'npm', ['i', '--omit=dev', '--ignore-scripts', ...npmQuiet], path.join(vscodeDir, 'extensions'), env);
  forceSymlink('node_modules', path.join(vscodeDir, 'node_modules.asar'));
  if (helperLinks) {
    forceSymlink('code-linux.sh', path.join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
    forceSymlink('browser-linux.sh', path.join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
  }
  placeRipgrep(vscodeDir);
  writeFileSync(marker, release);
  const ms = Date.now() - started;
  log(`code-server for VS Code ${vscode} installed in ${(ms / 1000).toFixed(1)} s`);
  return { vscode, dir: pkg, entry, node, installedNow: true, ms };
}

/** Installs (or finds cached) every test workbench at once: the installs are mostly network and disk, so they overlap well. */
export function ensureCodeServers(versions = Object.keys(WORKBENCHES)) {
  return Promise.all(versions.map((vscode) => ensureCodeServer(vscode)));
}

/** Gives code-server's Quick Open and Search their ripgrep, saying where it came from or that it is missing. */
function placeRipgrep(vscodeDir) {
  const placed = ensureRipgrep(vscodeDir);
  if (placed.source === 'package') log(`  ripgrep: copied from @vscode/ripgrep-universal to ${placed.path}`);
  else if (placed.source === 'system') log(`  ripgrep: copied the system's rg to ${placed.path}`);
  else if (placed.source === 'missing') {
    log('  ripgrep: not found (run `npm ci` here, or install ripgrep); Quick Open (Ctrl+P) and Search will find nothing');
  }
}

/** Where the headless shell is kept, in the test cache. */
export function headlessShellPath() {
  return path.join(testCacheRoot(), `headless-shell-${HEADLESS_SHELL.version}`, 'headless_shell');
}

/**
 * Makes sure the browser the suites drive is there: Debian's Chromium (installed with apt-get when /usr/bin/chromium is
 * missing), for the libraries and fonts, and the headless shell in the cache (taken from the registry and unpacked once;
 * a marker is written only when it runs, so an interrupted install is redone).
 * @returns {Promise<{path: string, installedNow: boolean, ms: number}>} the headless shell
 */
export async function ensureChromium() {
  const started = Date.now();
  const debian = await ensureDebianChromium();
  const shell = headlessShellPath();
  const dir = path.dirname(shell);
  const marker = path.join(dir, MARKER);
  if (existsSync(marker) && existsSync(shell)) return { path: shell, installedNow: debian, ms: Date.now() - started };
  log(`installing Chromium's headless shell (${HEADLESS_SHELL.package}@${HEADLESS_SHELL.version}) into ${dir} (one time)`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, npm_config_update_notifier: 'false' };
  await run('npm', ['pack', `${HEADLESS_SHELL.package}@${HEADLESS_SHELL.version}`, ...npmQuiet], { cwd: dir, env });
  const tarball = `sparticuz-chromium-${HEADLESS_SHELL.version}.tgz`;
  await run('tar', ['xzf', tarball, 'package/bin/chromium.br'], { cwd: dir });
  await pipeline(createReadStream(path.join(dir, 'package', 'bin', 'chromium.br')), createBrotliDecompress(), createWriteStream(shell, { mode: 0o755 }));
  rmSync(path.join(dir, tarball));
  rmSync(path.join(dir, 'package'), { recursive: true });
  const version = (await run(shell, ['--version'])).trim();
  if (!/^Chromium \d+\./.test(version)) throw new Error(`${shell} --version printed "${version.slice(0, 200)}", not a Chromium version`);
  writeFileSync(marker, version);
  const ms = Date.now() - started;
  log(`${version} headless shell installed in ${(ms / 1000).toFixed(1)} s`);
  return { path: shell, installedNow: true, ms };
}

/** Makes sure /usr/bin/chromium exists, installing Debian's package with apt-get when it does not; true when it did. */
async function ensureDebianChromium() {
  if (existsSync(CHROMIUM_PATH)) return false;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(
      `${CHROMIUM_PATH} is missing and installing it needs root: run \`sudo apt-get install -y chromium\` and retry.`,
    );
  }
  const started = Date.now();
  log('installing chromium with apt-get (its libraries and fonts serve the headless shell)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env });
  } catch {
    log('apt-get install failed; running apt-get update first');
    await run('apt-get', ['update'], { env });
    await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env });
  }
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is still missing`);
  log(`chromium installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Polls `probe` until it resolves truthy, or rejects with `message` after `timeoutMs` (a function gives a message read
 * then, such as what a file holds by the deadline). `fatal` (optional) is checked first on every round; an Error it
 * returns ends the wait at once.
 */
export async function waitFor(probe, { timeoutMs, intervalMs = 100, message, fatal }) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    const stopWith = fatal?.();
    if (stopWith) throw stopWith;
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const cause = lastError ? ` (last error: ${lastError.message})` : '';
  throw new Error(`${typeof message === 'function' ? message() : message} after ${timeoutMs} ms${cause}`);
}

/** Settings that keep a test workbench quiet and deterministic. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'window.restoreWindows': 'none',
  // VS Code 1.104 opens the secondary side bar (Chat's home) in a workspace; here it would be empty and squeeze the editor.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // TypeScript's syntax server only: the full one type-checks every open .ts file (~5–7 CPU-s a test that opens one);
  // a test that needs its diagnostics (squiggles) sets 'auto'.
  'typescript.tsserver.useSyntaxServer': 'always',
  // A blinking cursor is a frame drawn twice a second in every window (scripts/testHarness.mjs's PAGE_OPTIONS).
  'editor.cursorBlinking': 'solid',
};

/** Writes (replaces) the user settings.json of a code-server user-data folder. */
export function writeUserSettings(userDataDir, settings = {}) {
  const dir = path.join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
}

/**
 * Starts code-server on 127.0.0.1 with authentication off and every per-user folder (HOME, XDG_*)
 * inside a fresh temp folder (removed by `stop()`), and resolves once its health endpoint answers.
 * `settings` are written to the user settings.json on top of quiet defaults (no startup editor,
 * no update checks); `env` is added to the server's (and so the extension host's) environment.
 * Telemetry is off unless `telemetryUrl` is given: then VS Code telemetry is on (level `all`) and code-server's
 * own telemetry goes to that (loopback) URL instead of the internet. `installExtensions` (VSIX files) are installed
 * into the extensions folder first, as `code-server --install-extension` does for a user (a folder copied there
 * instead would be marked obsolete). `vscode` picks the release (a key of WORKBENCHES; default DEFAULT_WORKBENCH).
 * One server serves window after window: `extensionHostsExited()` resolves once the extension host of every window that
 * left has ended (code-server ends one when its window disconnects), and `resetUserData(settings)` then forgets what
 * those windows left in the user-data folder.
 * @param {{vscode?: string, userDataDir?: string, extensionsDir?: string, port?: number, env?: Record<string,string>, settings?: Record<string, unknown>, telemetryUrl?: string, installExtensions?: string[]}} options
 * @returns {Promise<{url: string, port: number, home: string, userDataDir: string, extensionsDir: string, logs: () => string, extensionHostsExited: (timeoutMs: number) => Promise<void>, resetUserData: (settings?: Record<string, unknown>) => void, stop: () => Promise<void>}>}
 */
export async function startCodeServer(options = {}) {
  const { entry, node } = await ensureCodeServer(options.vscode);
  const { serverArgs } = workbenchRelease(options.vscode ?? DEFAULT_WORKBENCH);
  const home = await mkdtemp(path.join(os.tmpdir(), 'smcs-cs-home-'));
  const userDataDir = options.userDataDir ?? path.join(home, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(home, 'extensions');
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const userSettings = (settings) => writeUserSettings(userDataDir, { ...(options.telemetryUrl ? { 'telemetry.telemetryLevel': 'all' } : {}), ...settings });
  userSettings(options.settings);
  const port = options.port ?? (await freePort());
  const env = {
    ...process.env,
    ...options.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    XDG_RUNTIME_DIR: path.join(home, '.run'),
    // An empty gallery turns the marketplace off, so the workbench never reaches the internet.
    EXTENSIONS_GALLERY: '{}',
    // Node's compile cache (Node 22.1+, which both releases bring) where the UI suite's runner gives one: code-server
    // and its extension host take ~0.3 CPU-s less each per workbench (panel-smoke: server 2.9–3.3 against 3.4–3.5
    // CPU-s, extension host 2.5 against 2.8–2.9).
    ...(process.env[COMPILE_CACHE_ENV] ? { NODE_COMPILE_CACHE: process.env[COMPILE_CACHE_ENV] } : {}),
    ...(options.telemetryUrl ? { CS_TELEMETRY_URL: options.telemetryUrl } : {}),
  };
  delete env.VSCODE_IPC_HOOK_CLI;
  // VS Code 1.139's extension host and agent host listen on sockets there: a folder that is missing fails with EACCES.
  mkdirSync(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
  const folders = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  for (const vsix of options.installExtensions ?? []) {
    await run(node, [entry, ...folders, '--install-extension', vsix], { env });
  }
  const args = [
    entry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    ...(options.telemetryUrl ? [] : ['--disable-telemetry']),
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...serverArgs,
    ...folders,
  ];
  const child = spawn(node, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  // The extension hosts running, from the server's log: it says when it launches one and when one exits.
  let extensionHosts = 0;
  let partLine = '';
  const allExited = new Set();
  const keep = (chunk) => {
    const text = chunk.toString();
    output = (output + text).slice(-200000);
    const lines = (partLine + text).split('\n');
    partLine = lines.pop() ?? '';
    for (const line of lines) {
      if (line.includes('Launched Extension Host Process.')) extensionHosts++;
      else if (line.includes('Extension Host Process exited')) extensionHosts--;
    }
    if (extensionHosts === 0) for (const resolve of allExited) resolve();
  };
  const extensionHostsExited = async (timeoutMs) => {
    if (extensionHosts === 0) return;
    let resolve = () => {};
    const exited = new Promise((r) => (resolve = r));
    allExited.add(resolve);
    let timer;
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${extensionHosts} extension host(s) of ${url} still running after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([exited, late]);
    } finally {
      clearTimeout(timer);
      allExited.delete(resolve);
    }
  };
  // What windows leave in the user-data folder: the extensions' global and workspace storage (an extension's files, a
  // test extension's port), the editors' local history, and the logs of their extension hosts and windows (the server's
  // own log stays). Settings, browser-side state (global state, secrets) and the extensions installed are not here.
  const resetUserData = (settings) => {
    const user = path.join(userDataDir, 'User');
    for (const dir of ['globalStorage', 'workspaceStorage', 'History']) rmSync(path.join(user, dir), { recursive: true, force: true });
    const logs = path.join(userDataDir, 'logs');
    for (const session of existsSync(logs) ? readdirSync(logs) : []) {
      for (const entry of readdirSync(path.join(logs, session))) {
        if (/^(exthost|window)\d+$/.test(entry)) rmSync(path.join(logs, session, entry), { recursive: true, force: true });
      }
    }
    userSettings(settings);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitPromise;
      clearTimeout(timer);
    }
    // Its HOME holds the user data, the extensions and the logs of this run only (~1 MB a start): gone with it.
    await rm(home, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    await waitFor(
      async () => (await fetch(`${url}/healthz`)).ok,
      {
        timeoutMs: 60000,
        intervalMs: 100,
        message: `code-server did not answer on ${url}/healthz`,
        fatal: () =>
          exited && new Error(`code-server exited (${exited.code ?? exited.signal}) before it was ready:\n${output.slice(-3000)}`),
      },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, home, userDataDir, extensionsDir, logs: () => output, extensionHostsExited, resetUserData, stop };
}

/** Chromium flags for a headless run in a container. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
