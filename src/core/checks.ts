/**
 * What a code reply is judged by when it is run: the examples a question publishes (or tests an aggregator wrote when
 * it has none), how outputs are compared, and what running one reply on them gave. Pure data; src/grading runs them.
 */

/** Where a check came from: the question's own examples, or tests a model wrote (which weigh less and never label). */
export type CheckSource = 'question' | 'model';

export type CheckLanguage = 'python' | 'javascript' | 'typescript';

interface CheckBase {
  source: CheckSource;
  /** What the user sees it called: "Sample Input 2", "Example 1", "assert on line 3", "model-written test 4". */
  label: string;
}

/** A whole program reads `input` on standard input and must print `expected` (AtCoder, Codeforces). */
export interface StdioCheck extends CheckBase {
  kind: 'stdio';
  input: string;
  expected: string;
}

/**
 * A call must return `expected` (LeetCode's `Solution().twoSum(…)`, "f(3) should return 6", a doctest).
 * Values are literals as the question writes them (JSON-like: `[2,7,11,15]`, `true`, `"ab"`, `9`, `null`). The
 * extraction turns Python's `True`/`None`/`'ab'`/tuples into that JSON form and keeps numbers exactly as written
 * (`3.00000`, a 19-digit integer), so `JSON.parse` / `json.loads` reads every value it produces.
 */
export interface CallCheck extends CheckBase {
  kind: 'call';
  /** The function's name, or the method's on `class Solution` when `method` is true. */
  name: string;
  method: boolean;
  /** Argument literals in order, with the parameter names the question gives (`nums = [2,7,11,15]`). */
  args: { name?: string; value: string }[];
  expected: string;
}

/** Lines the user pasted that must run without failing after the reply's code (`assert f(3) == 6`). */
export interface AssertCheck extends CheckBase {
  kind: 'assert';
  language: CheckLanguage;
  code: string;
}

export type Check = StdioCheck | CallCheck | AssertCheck;

/**
 * How an actual output is compared with the expected one (tokens; whitespace and line ends never matter; numbers
 * compare as numbers, `3` = `3.0`, as LiveCodeBench's own runner does).
 */
export interface OutputRules {
  /** Absolute or relative error allowed for real numbers, from the statement ("… at most 10^{-6}"). */
  tolerance?: number;
  /**
   * The order of a returned list does not matter ("You may return the answer in any order"); for a program, the
   * order of its output lines.
   */
  anyOrder?: boolean;
  /** Letters may differ in case ("You can output the answer in any case": `yes` for `YES`). */
  caseInsensitive?: boolean;
}

/** The checks one question offers. */
export interface QuestionChecks {
  checks: Check[];
  rules: OutputRules;
  /**
   * Why the question's examples cannot judge a reply (e.g. "print any valid answer": a right reply may print another
   * answer than the sample's). Set together with an empty `checks`: nothing is run, nothing is favoured.
   */
  unverifiable?: string;
}

export type CheckStatus = 'passed' | 'failed' | 'errored' | 'timedOut';

/** One check run on one reply. */
export interface CheckRun {
  /** Position of the check in `QuestionChecks.checks`. */
  check: number;
  status: CheckStatus;
  /** What the reply printed or returned (its first few KB), for "expected … got …". */
  actual?: string;
  /** The end of the error output, when it errored or timed out. */
  error?: string;
  durationMs: number;
}

/** The `checks` of one reply in `smcs ask --json`: the runs of one source, counted. */
export interface CheckSummary {
  total: number;
  passed: number;
  failed: number;
  errored: number;
  timedOut: number;
  source: CheckSource;
}

/** Port (implemented in src/grading): runs a reply's code on checks in the sandbox; null when the reply has no code that can run them. */
export interface CheckRunner {
  run(reply: string, checks: QuestionChecks, signal: AbortSignal): Promise<CheckRun[] | null>;
}
