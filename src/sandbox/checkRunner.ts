/**
 * The CheckRunner (src/core/contracts/checks.ts) that runs replies' code on a question's checks: the code is taken from the
 * reply, run once per reply in the sandbox (src/sandbox/sandbox.ts) by a supervisor that starts each check from a
 * warm interpreter, and what it printed or returned is compared with the expected output (src/core/checks/outputMatch.ts).
 * Replies run in parallel, as many at once as the machine has cores (shared by every runner of this process).
 */
import os from 'node:os';
import type { Check, CheckLanguage, CheckRun, CheckRunner, CheckStatus, OutputRules, QuestionChecks } from '../core/contracts/checks';
import { errorMessage } from '../core/contracts/errors';
import { hasNonFinite, parseLiteral, toJson, type Value } from '../core/checks/literal';
import { stdoutMatches, valueMatches } from '../core/checks/outputMatch';
import { Semaphore } from '../core/util/semaphore';
import { LCB_IMPORTS } from './pythonHarness';
import { failureReason } from '../core/checks/failureReason';
import { extractCode, type ReplyCode } from '../core/checks/replyCode';
import { runSandboxed, SandboxUnavailableError, type SandboxLimits } from './sandbox';
import { runnableJavaScript } from './typeStrip';

export interface CheckRunnerOptions {
  /** Wall clock per check, ms (default 6000, LiveCodeBench's per-test timeout). */
  timeoutMs?: number;
  /** Memory per process, MB (default 1024: room for the `threading.stack_size(2**27)` idiom). */
  memoryMb?: number;
  /** Processes the code may run at once (default 64). */
  processes?: number;
  /** Largest file, and the work folder, MB (default 64). */
  fileMb?: number;
  /** Python interpreter (default python3). */
  python?: string;
  /** False: never use namespaces, only the limited sandbox (for tests of that mode; refused as root). Default true. */
  namespaces?: boolean;
}

/** Bytes of output kept from a check: enough to compare any sample, bounded against a program that prints forever. */
const OUTPUT_BYTES = 1 << 20;
/** What a run shows of the output (CheckRun.actual) and of its error. */
const SHOWN = 4096;

const slots = new Semaphore(Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length));

const show = (text: string): string => (text.length > SHOWN ? `${text.slice(0, SHOWN)}…` : text);
const showTail = (text: string): string => (text.length > SHOWN ? `…${text.slice(text.length - SHOWN)}` : text);

/** Names the checks call, so that the block defining them is the one run. */
function calledNames(checks: readonly Check[]): string[] {
  return checks.flatMap((c) => (c.kind === 'call' ? [c.name] : c.kind === 'assert' ? [...c.code.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1] ?? '') : []));
}

function codeFor(reply: string, checks: readonly Check[]): ReplyCode | null {
  const asserts = checks.filter((c) => c.kind === 'assert');
  const languages = asserts.length > 0 && asserts.length === checks.length ? scriptFamily(asserts[0]?.language ?? 'python') : undefined;
  return extractCode(reply, { ...(languages ? { languages } : {}), names: calledNames(checks), stdin: checks.some((c) => c.kind === 'stdio') });
}

/** Languages whose code can run assert lines written in `language` (TypeScript lines run after JavaScript code too). */
const scriptFamily = (language: CheckLanguage): CheckLanguage[] => (language === 'python' ? ['python'] : ['javascript', 'typescript']);

const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Which parameters of a function take a ListNode or TreeNode, and whether it returns one. */
export interface NodeTypes {
  params: (string | null)[];
  returnsNode: boolean;
}

/**
 * The ListNode/TreeNode types of `name` in JavaScript/TypeScript code, from its JSDoc (`@param {ListNode} head`,
 * LeetCode's starter) or its TypeScript signature; none when the code uses neither type, null when it does but names
 * no types for `name`.
 */
export function nodeTypes(code: string, name: string): NodeTypes | null {
  if (!/\b(ListNode|TreeNode)\b/.test(code)) return { params: [], returnsNode: false };
  const kind = (type: string) => (/\bListNode\b/.test(type) ? 'ListNode' : /\bTreeNode\b/.test(type) ? 'TreeNode' : null);
  for (const n of new Set([name, camel(name)].map((x) => x.replace(/\W/g, '\\$&')))) {
    const doc = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*(?:(?:var|let|const)\\s+${n}\\s*=|(?:async\\s+)?function\\s+${n}\\b|${n}\\s*\\()`).exec(code);
    const comment = doc?.[1] ?? '';
    const params = [...comment.matchAll(/@param\s*\{([^}]*)\}/g)].map((m) => kind(m[1] ?? ''));
    if (params.length > 0) return { params, returnsNode: kind(/@returns?\s*\{([^}]*)\}/.exec(comment)?.[1] ?? '') !== null };
    const signature = new RegExp(`\\b${n}\\s*(?:=\\s*(?:async\\s*)?(?:function\\s*)?)?\\(([^)]*)\\)\\s*(?::([^{=]*))?`).exec(code);
    const list = signature?.[1] ?? '';
    if (list.includes(':')) return { params: splitTopLevel(list).map((p) => kind(p.slice(p.indexOf(':') + 1))), returnsNode: kind(signature?.[2] ?? '') !== null };
  }
  return null;
}

function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of list) {
    if ('<([{'.includes(c)) depth++;
    if ('>)]}'.includes(c)) depth--;
    if (c === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  if (current.trim() !== '') parts.push(current);
  return parts;
}

/**
 * A check as the harness reads it, or the reason it cannot run: an errored run, or an unusable one when the problem
 * is the check's (a value no runner reads), not the reply's.
 */
type Prepared = { payload: Record<string, unknown> } | { error: string; unusable?: true };

function prepare(check: Check, code: ReplyCode): Prepared {
  switch (check.kind) {
    case 'stdio':
      return { payload: { kind: 'stdio', input: check.input } };
    case 'assert': {
      if (!scriptFamily(check.language).includes(code.language)) return { error: `the assert lines are ${check.language} and the reply's code is ${code.language}` };
      try {
        const lines = check.language === 'python' ? check.code : runnableJavaScript(check.code, check.language === 'typescript');
        return { payload: { kind: 'assert', code: lines } };
      } catch (err) {
        return { error: `the assert lines do not parse: ${errorMessage(err)}` };
      }
    }
    case 'call': {
      const args: string[] = [];
      for (const [i, arg] of check.args.entries()) {
        const value = parseLiteral(arg.value);
        if (value === null) return { error: `argument ${i + 1}${arg.name ? ` (${arg.name})` : ''} is not a literal this runner reads: ${show(arg.value)}`, unusable: true };
        if (code.language !== 'python' && hasNonFinite(value)) return { error: `argument ${i + 1} holds Infinity or NaN, which JSON cannot pass to JavaScript` };
        args.push(toJson(value));
      }
      if (parseLiteral(check.expected) === null) return { error: `the expected value is not a literal this runner reads: ${show(check.expected)}`, unusable: true };
      const types = code.language === 'python' ? undefined : nodeTypes(code.code, check.name);
      return { payload: { kind: 'call', name: check.name, method: check.method, args, ...(types !== undefined ? { argTypes: types?.params ?? null, returnsNode: types?.returnsNode ?? false } : {}) } };
    }
  }
}

/** A supervisor's line for one check, as the harnesses print it. */
interface CheckRecord {
  check: number;
  setupError?: string;
  ms?: number;
  timedOut?: boolean;
  exitCode?: number;
  signal?: number | string;
  stdout?: string;
  stdoutTruncated?: boolean;
  stderr?: string;
  result?: { value?: string; firstArgument?: string; assertion?: string; unsupported?: string } | null;
}

const SIGNAL_NAMES: Record<string, string> = { '9': 'SIGKILL', '24': 'SIGXCPU', '25': 'SIGXFSZ', '11': 'SIGSEGV', '6': 'SIGABRT', '5': 'SIGTRAP' };

function signalReason(signal: number | string): string {
  const name = SIGNAL_NAMES[String(signal)] ?? String(signal);
  if (name === 'SIGXCPU') return 'killed by SIGXCPU: over its CPU time limit';
  if (name === 'SIGXFSZ') return 'killed by SIGXFSZ: wrote a file over the size limit';
  if (name === 'SIGKILL') return 'killed by SIGKILL (out of memory or CPU time)';
  return `killed by ${name}`;
}

/**
 * Whether an assert check's error is the check's own, not the reply's: Python's error arose in the check's lines
 * themselves (not in the reply's code they call) and is a syntax error, or a NameError on a name the check does not
 * call (a value's class, a variable only the question's text had). A name the check calls and the reply lacks is the
 * reply's: it misses the function asked for.
 */
function checkProblem(check: Extract<Check, { kind: 'assert' }>, stderr: string): boolean {
  if (check.language !== 'python') return false;
  const frames = [...stderr.matchAll(/File "([^"]+)", line \d+/g)].map((m) => m[1]);
  if (frames.at(-1) !== 'checks.py') return false;
  if (/^\s*(?:SyntaxError|IndentationError)\b/m.test(stderr)) return true;
  const missing = /NameError: name '(\w+)' is not defined/.exec(stderr)?.[1];
  return missing !== undefined && !new RegExp(`(?<![\\w.])${missing}\\s*\\(`).test(check.code);
}

/** A run with the reason it did not pass, when its output alone does not say it. */
function explained(check: Check, run: CheckRun, code: ReplyCode): CheckRun {
  const reason = failureReason(check, run, code);
  return reason === undefined ? run : { ...run, reason };
}

/** What one record means for its check. */
function judge(check: Check, record: CheckRecord, rules: OutputRules): CheckRun {
  const base = { check: record.check, durationMs: record.ms ?? 0 };
  const run = (status: CheckStatus, extra: { actual?: string; error?: string } = {}): CheckRun => ({ ...base, status, ...extra });
  if (record.setupError !== undefined) return run('errored', { error: showTail(record.setupError) });
  const stderr = record.stderr ?? '';
  if (record.timedOut) return run('timedOut', { error: showTail(stderr) || 'no result before the time limit' });
  const result = record.result ?? null;
  if (result?.unsupported !== undefined) return run('errored', { error: result.unsupported });
  if (record.signal !== undefined) return run('errored', { error: showTail(`${stderr}\n${signalReason(record.signal)}`.trim()) });
  if (check.kind === 'assert') {
    if (record.exitCode === 0) return run('passed');
    if (result?.assertion === undefined && checkProblem(check, stderr)) return run('unusable', { error: showTail(stderr) });
    return run(result?.assertion !== undefined ? 'failed' : 'errored', { error: showTail(stderr) || `exit code ${String(record.exitCode)}` });
  }
  if (record.exitCode !== 0) return run('errored', { error: showTail(stderr) || `exit code ${String(record.exitCode)}` });
  if (check.kind === 'stdio') {
    const stdout = record.stdout ?? '';
    if (record.stdoutTruncated) return run('failed', { actual: show(stdout), error: `printed more than ${OUTPUT_BYTES} bytes` });
    return run(stdoutMatches(stdout, check.expected, rules) ? 'passed' : 'failed', { actual: show(stdout) });
  }
  const expected = parseLiteral(check.expected);
  const returned = result?.value !== undefined ? parseLiteral(result.value) : null;
  if (expected === null || returned === null) return run('errored', { error: showTail(stderr) || 'the call returned nothing readable' });
  const mutated = result?.firstArgument !== undefined ? parseLiteral(result.firstArgument) : null;
  // LeetCode's "do not return anything, modify nums in-place": the judge reads the first argument after the call.
  const actual: Value = returned.kind === 'null' && expected.kind !== 'null' && mutated !== null ? mutated : returned;
  return run(valueMatches(actual, expected, rules) ? 'passed' : 'failed', { actual: show(toJson(actual)) });
}

/**
 * Runs `code` (already taken from a reply) on the checks in the sandbox: one run per check, errored with the reason
 * when a check cannot run (a literal it cannot read, assert lines in another language, no sandbox here). Rejects only
 * when `signal` fires.
 */
export async function runCode(code: ReplyCode, question: QuestionChecks, signal: AbortSignal, options: CheckRunnerOptions = {}): Promise<CheckRun[]> {
  const { checks, rules } = question;
  const limits: SandboxLimits = {
    memoryMb: options.memoryMb ?? 1024,
    processes: options.processes ?? 64,
    fileMb: options.fileMb ?? 64,
    checkTimeoutMs: options.timeoutMs ?? 6000,
  };
  const runs: (CheckRun | undefined)[] = checks.map(() => undefined);
  const errored = (error: string) => checks.forEach((_, i) => (runs[i] ??= { check: i, status: 'errored', error, durationMs: 0 }));
  // the question's own helpers first: the reply's definitions, run after them, win (JavaScript ones sit on globalThis)
  const setup = question.setup !== undefined && (question.setup.language === 'python') === (code.language === 'python') ? question.setup : undefined;
  let script = setup ? `${setup.code}\n\n${code.code}` : code.code;
  if (code.language !== 'python') {
    try {
      script = runnableJavaScript(script, code.language === 'typescript' || setup?.language === 'typescript');
    } catch (err) {
      errored(`the reply's ${code.language} does not parse: ${errorMessage(err)}`);
      return runs as CheckRun[];
    }
  }
  const payloads: Record<string, unknown>[] = [];
  const positions: number[] = [];
  checks.forEach((check, i) => {
    const prepared = prepare(check, code);
    if ('error' in prepared) runs[i] = { check: i, status: prepared.unusable ? 'unusable' : 'errored', error: prepared.error, durationMs: 0 };
    else {
      payloads.push(prepared.payload);
      positions.push(i);
    }
  });
  if (payloads.length === 0) return runs as CheckRun[];
  const release = await slots.acquire(signal, () => (signal.reason instanceof Error ? signal.reason : new Error('cancelled')));
  try {
    const outcome = await runSandboxed({
      language: code.language === 'python' ? 'python' : 'javascript',
      job: { code: script, header: LCB_IMPORTS, checks: payloads, timeoutMs: limits.checkTimeoutMs, outputBytes: OUTPUT_BYTES },
      limits,
      timeoutMs: payloads.length * (limits.checkTimeoutMs + 2000) + 15_000,
      signal,
      python: options.python ?? 'python3',
      namespaces: options.namespaces !== false,
      onRecord: (record) => {
        const r = record as unknown as CheckRecord;
        const position = positions[r.check];
        const check = position !== undefined ? checks[position] : undefined;
        if (position !== undefined && check !== undefined) runs[position] = explained(check, judge(check, { ...r, check: position }, rules), code);
      },
    });
    const why = outcome.timedOut ? 'the run went over its total time limit' : showTail(outcome.stderr.trim()) || `the supervisor ended with exit code ${String(outcome.exitCode)}`;
    positions.forEach((i) => (runs[i] ??= { check: i, status: outcome.timedOut ? 'timedOut' : 'errored', error: why, durationMs: 0 }));
  } catch (err) {
    if (!(err instanceof SandboxUnavailableError)) throw err;
    errored(err.message);
  } finally {
    release();
  }
  return runs as CheckRun[];
}

/** Creates the runner; options bound every check of every reply it runs. */
export function createCheckRunner(options: CheckRunnerOptions = {}): CheckRunner {
  return {
    async run(reply: string, question: QuestionChecks, signal: AbortSignal): Promise<CheckRun[] | null> {
      const code = codeFor(reply, question.checks);
      if (code === null) return null;
      return question.checks.length === 0 ? [] : runCode(code, question, signal, options);
    },
  };
}
