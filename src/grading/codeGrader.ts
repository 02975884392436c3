/**
 * The `code` grader: runs a reply's Python code together with the question's tests in a
 * separate process. Off unless the caller passes `enabled: true` — it executes model-written code.
 *
 * Bank convention: for grader `code`, the record's `answer` field holds the Python test code
 * (e.g. `assert add(2, 3) == 5`). The reply's code is the last ```python (or ```py / bare ```)
 * fenced block, or the whole reply when it has no fence. The program run is: a network guard,
 * then the reply's code, then the tests. The reply is correct when the program exits with
 * status 0 before the timeout.
 *
 * What is guaranteed (POSIX only; Windows is refused):
 * - a separate process (`python3 -I`: isolated mode, no user site-packages, PYTHON* variables
 *   ignored) in a fresh temporary directory that is deleted afterwards, with an environment that
 *   holds only PATH, HOME (the temp dir), LANG and PYTHONDONTWRITEBYTECODE — API keys and other
 *   variables of this process are not passed on;
 * - a wall-clock timeout after which the whole process group is killed (SIGKILL);
 * - an address-space cap (`ulimit -v`, default 512 MB) and a CPU-time cap (`ulimit -t`) set by
 *   `bash` before it execs Python; when the shell cannot set them the run is refused;
 * - network: on Linux, when `unshare` can create a network namespace (root, or unprivileged user
 *   namespaces enabled), the process has no network at all, loopback included
 *   (`network: 'namespace'`). Otherwise only a best-effort guard applies (`network: 'guarded'`):
 *   the program first replaces `socket.socket`, `socket.create_connection`, `socket.getaddrinfo`
 *   and the `_socket` constructors with functions that raise — plain Python code is stopped, but
 *   a determined program (ctypes, a subprocess running curl) is not.
 * Nothing else is sandboxed: the code can read files the user can read.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { grade, isPureGrader, type GradeResult, type NumberTolerance } from '../core/graders';
import type { GraderKind } from '../core/types';
import { extractPythonCode } from './replyCode';

/** Options of the code grader. */
export interface CodeGraderOptions {
  /** Must be true: running model-written code is opt-in. */
  enabled: boolean;
  /** Wall-clock limit in ms (default 10 000). */
  timeoutMs?: number;
  /** Address-space cap in MB (default 512). */
  memoryMb?: number;
  /** Python interpreter (default `python3`). */
  python?: string;
  /** Use a network namespace when available (default true); false leaves only the socket guard. */
  isolateNetwork?: boolean;
  signal?: AbortSignal;
}

/** The result of the `code` grader, with what happened in the process. */
export interface CodeGradeResult extends GradeResult {
  kind: 'code';
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** How network access was blocked: a namespace (none at all) or the in-process guard only. */
  network: 'namespace' | 'guarded';
  /** Last 4 KB of stdout and stderr, for diagnosis. */
  stdout: string;
  stderr: string;
}

/** Thrown when the code grader is called without `enabled: true`. */
export class CodeGraderDisabledError extends Error {
  constructor() {
    super(
      "grader 'code' is disabled: it runs model-written Python on this machine. Enable it explicitly (setting/flag) only if you accept that risk.",
    );
    this.name = 'CodeGraderDisabledError';
  }
}

/** Thrown when this machine cannot run the code grader safely (no bash, Windows, limits not settable, no Python). */
export class CodeGraderUnavailableError extends Error {
  constructor(detail: string) {
    super(`grader 'code' cannot run here: ${detail}`);
    this.name = 'CodeGraderUnavailableError';
  }
}

const OUTPUT_TAIL = 4096;

/** Prepended to every program: blocks socket creation and name lookups from Python code. */
const NETWORK_GUARD = `
def __smcs_block_network():
    import socket as _s, _socket as _c
    def _blocked(*args, **kwargs):
        raise OSError("network access is disabled by the SMCS code grader")
    for _m in (_s, _c):
        for _n in ("socket", "socketpair", "create_connection", "getaddrinfo", "gethostbyname", "fromfd", "create_server"):
            if hasattr(_m, _n):
                setattr(_m, _n, _blocked)
__smcs_block_network()
del __smcs_block_network
`;

const execFileAsync = promisify(execFile);

let namespaceArgs: Promise<string[] | null> | undefined;

/**
 * `unshare` arguments that give a private network namespace here, or null; probed once, without blocking the event
 * loop (the extension host shares it with the editor).
 */
function networkNamespaceArgs(): Promise<string[] | null> {
  namespaceArgs ??= (async () => {
    if (process.platform !== 'linux') return null;
    for (const args of [['-n'], ['-r', '-n']]) {
      try {
        await execFileAsync('unshare', [...args, 'true'], { timeout: 5000 });
        return args;
      } catch {
        // this form of unshare is not allowed here; try the next
      }
    }
    return null;
  })();
  return namespaceArgs;
}

const resolvedPython = new Map<string, string>();

/** The real interpreter path behind a launcher such as a pyenv shim (one probe per name that started). */
async function resolvePython(python: string): Promise<string> {
  const known = resolvedPython.get(python);
  if (known) return known;
  let path = '';
  let problem = '';
  try {
    path = (await execFileAsync(python, ['-I', '-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', timeout: 15000 })).stdout.trim();
  } catch (err) {
    const failed = err as { stderr?: string; message?: string };
    problem = failed.stderr?.trim() || (failed.message ?? String(err));
  }
  if (path === '') throw new CodeGraderUnavailableError(`'${python}' did not start (${problem})`);
  resolvedPython.set(python, path);
  return path;
}

function tail(text: string): string {
  return text.length > OUTPUT_TAIL ? text.slice(text.length - OUTPUT_TAIL) : text;
}

/**
 * Runs the reply's Python code followed by `tests` (the bank answer) in a separate, limited
 * process and grades it correct when the program exits 0 within the timeout. A reply with no
 * code is unparseable. Throws `CodeGraderDisabledError` unless `options.enabled` is true.
 */
export async function gradeCode(reply: string, tests: string, options: CodeGraderOptions): Promise<CodeGradeResult> {
  if (options.enabled !== true) throw new CodeGraderDisabledError();
  if (process.platform === 'win32') throw new CodeGraderUnavailableError('Windows is not supported (no POSIX resource limits)');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const memoryMb = options.memoryMb ?? 512;
  const code = extractPythonCode(reply);
  const base = { kind: 'code' as const, gradable: true };
  const unshareArgs = options.isolateNetwork !== false ? await networkNamespaceArgs() : null;
  const network = unshareArgs !== null ? 'namespace' : 'guarded';
  if (code === null) {
    return { ...base, correct: false, extracted: null, unparseable: true, exitCode: null, timedOut: false, durationMs: 0, network, stdout: '', stderr: '' };
  }
  const python = await resolvePython(options.python ?? 'python3');
  const dir = await mkdtemp(join(tmpdir(), 'smcs-code-'));
  try {
    const program = `${NETWORK_GUARD}\n${code}\n\n${tests}\n`;
    await writeFile(join(dir, 'main.py'), program, 'utf8');
    const cpuSeconds = Math.max(1, Math.ceil(timeoutMs / 1000) + 1);
    const script = `ulimit -v ${memoryMb * 1024} && ulimit -t ${cpuSeconds} || { echo "smcs: cannot set resource limits" >&2; exit 97; }; exec "$0" -I main.py`;
    const bashArgs = ['-c', script, python];
    const [command, args] = unshareArgs !== null ? ['unshare', [...unshareArgs, 'bash', ...bashArgs]] : ['bash', bashArgs];
    const run = await runLimited(command, args, dir, timeoutMs, options.signal);
    if (run.exitCode === 97 && /cannot set resource limits/.test(run.stderr)) {
      throw new CodeGraderUnavailableError('the shell could not set the memory/CPU limits (ulimit -v / -t)');
    }
    const correct = run.exitCode === 0 && !run.timedOut;
    return { ...base, correct, extracted: code, unparseable: false, ...run, network };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface RunOutcome {
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
}

function runLimited(command: string, args: string[], cwd: string, timeoutMs: number, signal?: AbortSignal): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const started = Date.now();
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' };
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const killGroup = (): void => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    const onAbort = (): void => killGroup();
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => (stdout = tail(stdout + d.toString('utf8'))));
    child.stderr.on('data', (d: Buffer) => (stderr = tail(stderr + d.toString('utf8'))));
    child.on('error', (err) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(new CodeGraderUnavailableError(`could not start ${command}: ${err.message}`));
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) {
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        return;
      }
      resolve({ exitCode, timedOut, durationMs: Date.now() - started, stdout, stderr });
    });
  });
}

/**
 * Grades a reply with any grader: the pure ones from `src/core/graders`, and `code` through
 * `gradeCode` (which needs `code.enabled: true`, else throws `CodeGraderDisabledError`).
 */
export async function gradeReply(
  kind: GraderKind,
  reply: string,
  answer: string,
  options: { code?: CodeGraderOptions; tolerance?: NumberTolerance } = {},
): Promise<GradeResult> {
  if (isPureGrader(kind)) return grade(kind, reply, answer, options.tolerance);
  return gradeCode(reply, answer, options.code ?? { enabled: false });
}
