/**
 * The sandbox that model-written code runs in: one process tree per reply, confined before any of the reply's code
 * is loaded, killed as a whole when it ends, times out or is cancelled. Spawning is asynchronous and every probe is
 * cached, so the extension host's event loop never waits on it.
 *
 * What is guaranteed, by mode (the probe picks the strongest this machine allows; `sandboxReport()` says which):
 *
 * `isolated` (Linux with `unshare` and python3; as root, or as a user where unprivileged user namespaces are allowed):
 * - no network at all, loopback included (a new network namespace);
 * - nothing written outside its work folder: every mount is remounted read-only in a private mount namespace, and the
 *   work folder is a fresh 64 MB tmpfs at /tmp that vanishes with the namespace (nothing reaches the disk);
 * - /home, /root, /tmp, /var/tmp, /run, /dev/shm, /mnt, /media, /srv, $HOME and $XDG_RUNTIME_DIR are hidden behind
 *   empty tmpfs mounts (other programs' sockets — an ssh or docker socket, VS Code's IPC — and the user's files are
 *   out of reach), except the interpreter's own folder, which is mounted back read-only; world-readable files
 *   elsewhere (/usr, /etc, /opt, …) can be read;
 * - as root, the code runs as a user id of its own (one per concurrent run, no groups), so it has no privileges and its
 *   process cap (RLIMIT_NPROC) binds; as a user, it runs in a user namespace as that user, which is no more than the
 *   user outside it, with the process cap counted in that namespace alone. Either way every capability is dropped,
 *   no_new_privs is set (no setuid binary can raise it), and it cannot undo a mount;
 * - its own pid namespace: the supervisor is pid 1, kills every other process in it after each check, and the whole
 *   tree dies with it (`unshare --kill-child`), whatever the code does (setsid, double fork);
 * - limits per process: address space and data (memory), CPU seconds, file size, open files, no core dumps; a wall
 *   clock per check, and one for the whole run.
 *
 * `limited` (macOS; Linux where namespaces are not allowed, e.g. a container without user namespaces): never as root.
 * Resource limits (the process cap counted over all of the user's processes plus a margin), a fresh temporary
 * folder as its working directory (deleted afterwards), each check in its own process group, killed by group, and a
 * network namespace when `unshare -n` is allowed, else an in-process guard (`network: 'guarded'`) that stops plain
 * Python/JavaScript from opening sockets but not a determined program (ctypes, a child process). The code can read and
 * write whatever the user can, and a process that leaves its group survives until it ends on its own.
 *
 * Windows: not supported (no POSIX resource limits); every run errors with the reason.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { NODE_HARNESS } from './nodeHarness';
import { PYTHON_HARNESS } from './pythonHarness';

const execFileAsync = promisify(execFile);

export type SandboxLanguage = 'python' | 'javascript';

/** What the sandbox guarantees on this machine (see the module comment). */
export interface SandboxReport {
  mode: 'isolated' | 'limited' | 'unavailable';
  network: 'namespace' | 'guarded';
  /** Whether the code can write only its work folder, or wherever its user can. */
  files: 'read-only' | 'writable';
  /** Whether the code runs as a user of its own (root only) or as this user. */
  user: 'dropped' | 'own';
  /** Why the stronger mode is not used, when it is not. */
  reason?: string;
}

export interface SandboxLimits {
  /** Memory cap in MB (data segment and, for Python, address space). */
  memoryMb: number;
  /** Processes the code may run at once. */
  processes: number;
  /** Largest file the code may write, and the size of its work folder, in MB. */
  fileMb: number;
  /** Wall clock per check, ms (the CPU cap follows from it). */
  checkTimeoutMs: number;
}

/** One supervisor run: the job it reads, the line it prints per check. */
export interface SandboxJob {
  language: SandboxLanguage;
  /** The job (code, checks, …) the harness reads; the sandbox adds its own part. */
  job: Record<string, unknown>;
  limits: SandboxLimits;
  /** Wall clock for the whole run. */
  timeoutMs: number;
  signal: AbortSignal;
  onRecord: (record: Record<string, unknown>) => void;
  /** Python interpreter (default python3). */
  python?: string;
  /** False: never use namespaces (the limited mode; refused as root). Default true. */
  namespaces?: boolean;
}

export interface SandboxOutcome {
  exitCode: number | null;
  timedOut: boolean;
  /** The end of the supervisor's own error output (a sandbox that could not be set up says why there). */
  stderr: string;
}

/** The sandbox cannot run code here; the message says why and what would make it work. */
export class SandboxUnavailableError extends Error {
  readonly kind = 'internal';
  constructor(message: string) {
    super(message);
    this.name = 'SandboxUnavailableError';
  }
}

interface Interpreter {
  path: string;
  /** Folders it needs, mounted back when they lie under a hidden folder. */
  keep: string[];
  env: Record<string, string>;
  /** Whether it is Electron running as node (it reserves a huge address space: no address cap, only a data cap). */
  electron?: boolean;
}

interface Probe {
  report: SandboxReport;
  /** `unshare` flags of the isolated mode, or of the network namespace in the limited one. */
  unshare: string[] | null;
  python: Interpreter | string;
  node: Interpreter | string;
}

const ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
const HIDDEN = ['/home', '/root', '/tmp', '/var/tmp', '/run', '/dev/shm', '/mnt', '/media', '/srv'];
const STDERR_TAIL = 4096;
/** Above the uids and subordinate ranges distributions hand out; one id per concurrent run, per host process. */
const UID_BASE = 1_700_000_000 + (process.pid % 100_000) * 64;

const tail = (text: string, size = STDERR_TAIL): string => (text.length > size ? text.slice(text.length - size) : text);

function baseEnv(home: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: home, TMPDIR: home, LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' };
}

function problemOf(err: unknown): string {
  const failed = err as { stderr?: string; message?: string; code?: string };
  return failed.stderr?.trim() || failed.message || String(err);
}

async function findPython(name: string): Promise<Interpreter | string> {
  try {
    const script = 'import json, os, sys; print(json.dumps([os.path.realpath(sys.executable), sys.prefix, sys.base_prefix, sys.exec_prefix]))';
    const { stdout } = await execFileAsync(name, ['-I', '-c', script], { encoding: 'utf8', timeout: 15_000, env: baseEnv(os.tmpdir()) });
    const [exe = '', ...prefixes] = JSON.parse(stdout) as string[];
    const keep = [...new Set([...prefixes, path.dirname(path.dirname(exe))].filter((p) => p !== '' && p !== '/'))];
    return { path: exe, keep, env: {} };
  } catch (err) {
    return `'${name}' did not start (${problemOf(err)})`;
  }
}

/** `node` from PATH, else this process's own executable (Electron inside VS Code, run as node). */
async function findNode(): Promise<Interpreter | string> {
  const keepOf = (exe: string) => [path.dirname(path.dirname(exe))].filter((p) => p !== '/');
  try {
    const { stdout } = await execFileAsync('node', ['-p', 'process.execPath'], { encoding: 'utf8', timeout: 15_000, env: baseEnv(os.tmpdir()) });
    const exe = await realpath(stdout.trim());
    return { path: exe, keep: keepOf(exe), env: {} };
  } catch (err) {
    const onPath = problemOf(err);
    const electron = process.versions.electron !== undefined;
    try {
      const exe = await realpath(process.execPath);
      const env: Record<string, string> = electron ? { ELECTRON_RUN_AS_NODE: '1' } : {};
      await execFileAsync(exe, ['-e', '0'], { timeout: 15_000, env: { ...baseEnv(os.tmpdir()), ...env } });
      return { path: exe, keep: keepOf(exe), env, electron };
    } catch (second) {
      return `no node on PATH (${onPath}) and ${process.execPath}${electron ? ' with ELECTRON_RUN_AS_NODE=1' : ''} did not start (${problemOf(second)})`;
    }
  }
}

/** Runs the Python supervisor in probe mode under `flags`: it confines itself and reports what it can still do. */
async function probeIsolation(python: Interpreter, flags: string[]): Promise<string | null> {
  const sandbox = { mode: 'isolated', probe: true, keep: python.keep, hide: hiddenFolders(), uid: ROOT ? UID_BASE : null, workUid: ROOT ? UID_BASE : 0, workMb: 1, limits: { cpuSeconds: 5, dataBytes: 256 << 20, fileBytes: 1 << 20, processes: 16 } };
  const child = spawnSupervisor(['unshare', ...flags, python.path, '-I', '-c', PYTHON_HARNESS], '/', baseEnv('/tmp'));
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout.on('data', (d: Buffer) => stdout.push(d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => stderr.push(d.toString('utf8')));
  child.stdin.end(JSON.stringify({ sandbox }));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => killTree(child.pid, []), 15_000);
    child.on('error', () => resolve(null));
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  try {
    const seen = JSON.parse(stdout.join('')) as { uid: number; rootWritable: boolean; pid: number };
    if (code === 0 && !seen.rootWritable && seen.pid === 1 && (!ROOT || seen.uid === UID_BASE)) return null;
    return `the confined probe could still write to / or kept its privileges (${JSON.stringify(seen)})`;
  } catch {
    return `unshare ${flags.join(' ')} failed: ${tail(stderr.join('').trim(), 300) || `exit ${String(code)}`}`;
  }
}

function hiddenFolders(): string[] {
  // A home of "/" (some service accounts) would hide everything: only a real folder is hidden.
  const extra = [process.env.HOME, process.env.XDG_RUNTIME_DIR].filter((p): p is string => typeof p === 'string' && path.isAbsolute(p) && path.resolve(p) !== '/');
  return [...new Set([...HIDDEN, ...extra])];
}

async function networkOnlyFlags(): Promise<string[] | null> {
  for (const flags of ROOT ? [['-n']] : [['-n'], ['-r', '-n']]) {
    try {
      await execFileAsync('unshare', [...flags, 'true'], { timeout: 5000 });
      return flags;
    } catch {
      // not allowed here; try the next form
    }
  }
  return null;
}

const probes = new Map<string, Promise<Probe>>();

async function probe(pythonName: string, namespaces: boolean): Promise<Probe> {
  const [python, node] = await Promise.all([findPython(pythonName), findNode()]);
  if (process.platform === 'win32') {
    return { report: { mode: 'unavailable', network: 'guarded', files: 'writable', user: 'own', reason: 'Windows has no POSIX resource limits' }, unshare: null, python, node };
  }
  let reason: string;
  if (process.platform !== 'linux') reason = `${process.platform} has no namespaces`;
  else if (!namespaces) reason = 'namespaces are turned off';
  else if (typeof python === 'string') reason = `the isolated mode sets itself up with python3, and ${python}`;
  else {
    const flags = [...(ROOT ? [] : ['-r']), '-m', '-n', '-p', '-f', '--kill-child', '--mount-proc'];
    const problem = await probeIsolation(python, flags);
    if (problem === null) return { report: { mode: 'isolated', network: 'namespace', files: 'read-only', user: ROOT ? 'dropped' : 'own' }, unshare: flags, python, node };
    reason = problem;
  }
  if (ROOT) return { report: { mode: 'unavailable', network: 'guarded', files: 'writable', user: 'own', reason: `model code never runs as root without isolation, and ${reason}` }, unshare: null, python, node };
  const network = process.platform === 'linux' && namespaces ? await networkOnlyFlags() : null;
  return { report: { mode: 'limited', network: network ? 'namespace' : 'guarded', files: 'writable', user: 'own', reason }, unshare: network, python, node };
}

function probeFor(python: string, namespaces: boolean): Promise<Probe> {
  const key = `${python}\n${String(namespaces)}`;
  let found = probes.get(key);
  if (!found) {
    found = probe(python, namespaces);
    probes.set(key, found);
  }
  return found;
}

/** What the sandbox guarantees here (probed once per interpreter name). */
export async function sandboxReport(options: { python?: string; namespaces?: boolean } = {}): Promise<SandboxReport> {
  return (await probeFor(options.python ?? 'python3', options.namespaces !== false)).report;
}

function readiness(found: Probe, language: SandboxLanguage): string | null {
  const interpreter = language === 'python' ? found.python : found.node;
  if (found.report.mode === 'unavailable') return `code cannot run here: ${found.report.reason ?? 'no sandbox'}`;
  if (typeof interpreter === 'string') return `code cannot run: ${interpreter}`;
  if (typeof found.python === 'string' && found.report.mode === 'isolated') return `code cannot run: ${found.python}`;
  return null;
}

/** Why code in `language` cannot run here, or null when it can (probed once, like `sandboxReport`). */
export async function sandboxProblem(language: SandboxLanguage, options: { python?: string; namespaces?: boolean } = {}): Promise<string | null> {
  return readiness(await probeFor(options.python ?? 'python3', options.namespaces !== false), language);
}

const freeSlots: number[] = Array.from({ length: 64 }, (_, i) => 63 - i);

function spawnSupervisor(argv: string[], cwd: string, env: Record<string, string>) {
  const [command = '', ...args] = argv;
  return spawn(command, args, { cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** SIGKILL to a process group and to the groups the supervisor reported starting (limited mode). */
function killTree(pid: number | undefined, groups: number[]): void {
  for (const group of [...(pid !== undefined ? [pid] : []), ...groups]) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function limitsFor(language: SandboxLanguage, limits: SandboxLimits, interpreter: Interpreter) {
  const memory = limits.memoryMb * 1024 * 1024;
  // V8 reserves address space it never touches: node gets a data cap and a looser address cap; Electron none at all.
  const addressBytes = language === 'python' ? memory : interpreter.electron ? null : memory + 4 * 1024 ** 3;
  return { cpuSeconds: Math.ceil(limits.checkTimeoutMs / 1000) + 1, dataBytes: memory, addressBytes, fileBytes: limits.fileMb * 1024 * 1024, processes: limits.processes };
}

/**
 * Runs one supervisor (the Python harness, or node's through it) in the sandbox, passing each JSON line it prints to
 * `onRecord`. Resolves when it has ended and nothing of it is left (processes, temporary folder); rejects with the
 * signal's reason when cancelled (after the same clean-up), and with SandboxUnavailableError when it cannot run here.
 */
export async function runSandboxed(request: SandboxJob): Promise<SandboxOutcome> {
  const found = await probeFor(request.python ?? 'python3', request.namespaces !== false);
  const interpreter = request.language === 'python' ? found.python : found.node;
  const problem = readiness(found, request.language);
  if (problem !== null) throw new SandboxUnavailableError(problem);
  if (typeof interpreter === 'string') throw new SandboxUnavailableError(interpreter);
  request.signal.throwIfAborted();
  const slot = freeSlots.pop();
  if (slot === undefined) throw new SandboxUnavailableError('more than 64 sandboxes at once');
  const isolated = found.report.mode === 'isolated';
  const folder = isolated ? null : await mkdtemp(path.join(os.tmpdir(), 'smcs-checks-'));
  try {
    const home = folder ?? '/tmp';
    const env = { ...baseEnv(home), ...interpreter.env };
    const limits = limitsFor(request.language, request.limits, interpreter);
    const uid = isolated && ROOT ? UID_BASE + slot : null;
    const keep = [...new Set([...interpreter.keep, ...(typeof found.python === 'string' ? [] : found.python.keep)])];
    const sandbox = { mode: isolated ? 'isolated' : 'limited', keep, hide: hiddenFolders(), uid, workUid: uid ?? 0, workMb: request.limits.fileMb, limits };
    const nodeArgs = [`--max-old-space-size=${request.limits.memoryMb}`];
    const job = {
      ...request.job,
      sandbox,
      networkIsolated: found.report.network === 'namespace',
      nodeArgs,
      ...(request.language === 'javascript' ? { exec: [interpreter.path, '-e', NODE_HARNESS], env } : {}),
    };
    const python = typeof found.python === 'string' ? null : found.python.path;
    let argv: string[];
    if (python !== null) argv = [...(found.unshare ? ['unshare', ...found.unshare] : []), python, '-I', '-c', PYTHON_HARNESS];
    else {
      // No Python: node alone, limited by the shell (the limited mode only; the isolated one needs Python to set up).
      await writeFile(path.join(home, 'job.json'), JSON.stringify(job));
      const l = limits;
      const ulimits = `ulimit -c 0 -t ${l.cpuSeconds} -d ${l.dataBytes / 1024} -f ${l.fileBytes / 1024}${l.addressBytes !== null ? ` -v ${l.addressBytes / 1024}` : ''}`;
      argv = [...(found.unshare ? ['unshare', ...found.unshare] : []), 'bash', '-c', `${ulimits} || exit 125; exec "$@"`, 'bash', ...(job.exec ?? [])];
    }
    return await supervise(argv, home, env, JSON.stringify(job), request);
  } finally {
    if (folder !== null) await rm(folder, { recursive: true, force: true });
    freeSlots.push(slot);
  }
}

function supervise(argv: string[], cwd: string, env: Record<string, string>, input: string, request: SandboxJob): Promise<SandboxOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawnSupervisor(argv, cwd, env);
    const groups: number[] = [];
    let stderr = '';
    let pending = '';
    let timedOut = false;
    const kill = () => killTree(child.pid, groups);
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, request.timeoutMs);
    const onAbort = () => kill();
    request.signal.addEventListener('abort', onAbort, { once: true });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString('utf8');
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
        let record: unknown;
        try {
          record = JSON.parse(line);
        } catch {
          continue;
        }
        if (typeof record !== 'object' || record === null) continue;
        const started = (record as { started?: unknown }).started;
        if (typeof started === 'number') groups.push(started);
        else request.onRecord(record as Record<string, unknown>);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr = tail(stderr + d.toString('utf8'))));
    const finish = (exitCode: number | null) => {
      clearTimeout(timer);
      request.signal.removeEventListener('abort', onAbort);
      kill();
      if (request.signal.aborted) reject(request.signal.reason instanceof Error ? request.signal.reason : new Error('cancelled'));
      else resolve({ exitCode, timedOut, stderr });
    };
    child.on('error', (err) => {
      clearTimeout(timer);
      request.signal.removeEventListener('abort', onAbort);
      reject(new SandboxUnavailableError(`could not start ${argv[0] ?? ''}: ${err.message}`));
    });
    child.on('close', finish);
  });
}
