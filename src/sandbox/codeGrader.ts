/**
 * The `code` grader: runs a reply's Python code followed by the question's tests in the sandbox of
 * src/sandbox/sandbox.ts (its module comment says exactly what is guaranteed, by mode). Off unless the caller passes
 * `enabled: true` — it executes model-written code.
 *
 * Bank convention: for grader `code`, the record's `answer` field holds the Python test code
 * (e.g. `assert add(2, 3) == 5`). The reply's code is the last ```python (or ```py / bare ```)
 * fenced block, or the whole reply when it has no fence. The tests run as assert lines after the code (loaded as a
 * module, with LiveCodeBench's imports, as every Python check runs); the reply is correct when they run without
 * failing before the timeout.
 */
import type { CheckStatus } from '../core/contracts/checks';
import { grade, isPureGrader, type GradeResult, type NumberTolerance } from '../core/grading/graders';
import type { GraderKind } from '../core/contracts/types';
import { runCode } from './checkRunner';
import { extractPythonCode } from '../core/checks/replyCode';
import { sandboxProblem, sandboxReport } from './sandbox';

/** Options of the code grader. */
export interface CodeGraderOptions {
  /** Must be true: running model-written code is opt-in. */
  enabled: boolean;
  /** Wall-clock limit in ms (default 10 000). */
  timeoutMs?: number;
  /** Memory cap in MB (default 512). */
  memoryMb?: number;
  /** Python interpreter (default `python3`). */
  python?: string;
  signal?: AbortSignal;
}

/** The result of the `code` grader, with what happened in the sandbox. */
export interface CodeGradeResult extends GradeResult {
  kind: 'code';
  /** How the tests ended (null when the reply had no code). */
  status: CheckStatus | null;
  timedOut: boolean;
  durationMs: number;
  /** How network access was blocked: a namespace (none at all) or the in-process guard only. */
  network: 'namespace' | 'guarded';
  /** The end of the error output (a traceback, the failed assertion), for diagnosis. */
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

/** Thrown when this machine cannot run the code grader safely (Windows, no Python, root without namespaces). */
export class CodeGraderUnavailableError extends Error {
  constructor(detail: string) {
    super(`grader 'code' cannot run here: ${detail}`);
    this.name = 'CodeGraderUnavailableError';
  }
}

/**
 * Runs the reply's Python code followed by `tests` (the bank answer) in the sandbox and grades it correct when the
 * tests pass within the timeout. A reply with no code is unparseable. Throws `CodeGraderDisabledError` unless
 * `options.enabled` is true, `CodeGraderUnavailableError` when the sandbox cannot run Python here.
 */
export async function gradeCode(reply: string, tests: string, options: CodeGraderOptions): Promise<CodeGradeResult> {
  if (options.enabled !== true) throw new CodeGraderDisabledError();
  const python = options.python ?? 'python3';
  const problem = await sandboxProblem('python', { python });
  if (problem !== null) throw new CodeGraderUnavailableError(problem);
  const { network } = await sandboxReport({ python });
  const code = extractPythonCode(reply);
  const base = { kind: 'code' as const, gradable: true, network };
  if (code === null) return { ...base, correct: false, extracted: null, unparseable: true, status: null, timedOut: false, durationMs: 0, stderr: '' };
  const checks = { checks: [{ kind: 'assert' as const, source: 'question' as const, label: 'the tests', language: 'python' as const, code: tests }], rules: {} };
  const limits = { timeoutMs: options.timeoutMs ?? 10_000, memoryMb: options.memoryMb ?? 512, python };
  const [run] = await runCode({ language: 'python', code }, checks, options.signal ?? new AbortController().signal, limits);
  const status = run?.status ?? 'errored';
  return { ...base, correct: status === 'passed', extracted: code, unparseable: false, status, timedOut: status === 'timedOut', durationMs: run?.durationMs ?? 0, stderr: run?.error ?? '' };
}

/**
 * Grades a reply with any grader: the pure ones from `src/core/grading/graders`, and `code` through
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
