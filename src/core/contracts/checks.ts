/**
 * What a code reply is judged by when it is run: the examples a question publishes (or tests an aggregator wrote when
 * it has none), how outputs are compared, and what running one reply on them gave. Pure data; src/sandbox runs them.
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

/** Examples of one kind that could not become checks: how many, and why ("prose results"). */
export interface UncheckedExamples {
  reason: string;
  count: number;
}

/** The checks one question offers. */
export interface QuestionChecks {
  checks: Check[];
  rules: OutputRules;
  /**
   * Code the question itself defines for the function it asks for (helpers with a body such as `poly` beside the stub
   * `find_zero`, and their imports): run before a reply's code, which may define them again, so a reply that uses them
   * as the question gave them runs as it would in the user's file.
   */
  setup?: { language: CheckLanguage; code: string };
  /** Examples the question shows that could not become checks, counted by why ("prose results"). */
  unchecked?: UncheckedExamples[];
  /**
   * Why the question's examples cannot judge a reply (e.g. "print any valid answer": a right reply may print another
   * answer than the sample's). Set together with an empty `checks`: nothing is run, nothing is favoured.
   */
  unverifiable?: string;
}

/**
 * `unusable`: the check itself could not run (a syntax error in what was extracted, a name only the question's text
 * knows): a problem of the check, not of the reply; it counts for no reply.
 */
export type CheckStatus = 'passed' | 'failed' | 'errored' | 'timedOut' | 'unusable';

/** One check run on one reply. */
export interface CheckRun {
  /** Position of the check in `QuestionChecks.checks`. */
  check: number;
  status: CheckStatus;
  /** What the reply printed or returned (its first few KB), for "expected … got …". */
  actual?: string;
  /** The end of the error output, when it errored or timed out. */
  error?: string;
  /** Why it did not pass, in words, when the output alone does not say it ("printed nothing: `solve` is defined but never called"). */
  reason?: string;
  durationMs: number;
}

/** The `checks` of one reply in `smcs ask --json`: the runs of one source, counted. */
export interface CheckSummary {
  total: number;
  passed: number;
  failed: number;
  errored: number;
  timedOut: number;
  /** Checks that could not run on this reply through no fault of it (see `CheckStatus`); absent when none. */
  unusable?: number;
  source: CheckSource;
  /** When model-written tests broke a tie (see `TieBreak`): how many of the trusted ones this reply passes. */
  tieBreak?: { passed: number; trusted: number };
}

/** Port (implemented in src/sandbox): runs a reply's code on checks in the sandbox; null when the reply has no code that can run them. */
export interface CheckRunner {
  run(reply: string, checks: QuestionChecks, signal: AbortSignal): Promise<CheckRun[] | null>;
}

/**
 * Where a reply stands on inputs derived from the question's examples (run when the examples tie): how often it
 * crashed where another reply returned, which behaviour it shares, and how much independent support that behaviour has.
 */
export interface Behaviour {
  /** Derived inputs it crashed or timed out on where some other reply returned. */
  crashes: number;
  /** Its behaviour's position among the distinct behaviours seen (replies with one number return the same everywhere). */
  group: number;
  /** Weight of the distinct referencer models that show this behaviour (aggregations add none). */
  support: number;
}

/** One reply of an ask: a referencer's, or an aggregated candidate. */
export type ReplyRef = { kind: 'referencer'; model: string } | { kind: 'candidate'; index: number };

/** The checks of an ask as the result reports them. */
export interface CheckSet {
  /** The question's own examples, or tests the aggregator wrote. */
  source: CheckSource;
  checks: Check[];
  rules: OutputRules;
  /** Why the examples cannot judge a reply (nothing is run then). */
  unverifiable?: string;
  /** The question's own helpers, run before each reply's code (see QuestionChecks). */
  setup?: QuestionChecks['setup'];
  /** Examples the question shows that could not become checks (see QuestionChecks). */
  unchecked?: UncheckedExamples[];
  /** Model-written tests: the weight of each, the share of code-bearing replies passing it. */
  weights?: number[];
  /** Tests a model wrote because these checks passed and failed every code reply alike (absent when they did not). */
  tieBreak?: TieBreak;
  /**
   * Calls derived from the examples (one argument changed to an edge value), run when the replies the checks rank
   * first are different programs: no expected value, the replies' outputs are compared with each other.
   */
  derived?: CallCheck[];
  /** Why checks could not run or be written, when they could not (a reply without a result is not checked). */
  error?: string;
}

/**
 * Model-written tests asked for when the question's checks cannot tell distinct code replies apart. Every reply is
 * run on them; CodeT's dual agreement picks the ones to trust; passing all of them adds `weight` to a reply's hybrid
 * total (a share of them, that share of it). The question's checks still rank first, so they never outrank an example.
 */
export interface TieBreak {
  checks: Check[];
  /** Positions in `checks` of the tests the best consensus set passes. */
  trusted: number[];
  /** What passing every trusted test adds to a reply's hybrid total. */
  weight: number;
  /** Why no tests could be written or run, when they could not. */
  error?: string;
}

/**
 * The reply the checks favour: the answer, when it passes more checks than some reply and no other program passes as
 * many (a referencer's only when it beats every candidate); never one of replies the checks tie.
 */
export type BestByChecks = ({ kind: 'candidate'; index: number } | { kind: 'referencer'; model: string }) & { passed: number; total: number };

/**
 * What chose the answer: the checks (code) when they set it apart from every other program; else what broke their tie
 * or chose without them — the replies' behaviour on inputs derived from the examples (`derived`), the tie-breaking tests
 * (`tests`), the referencers' priors (`prior`), the models' final answers (`agreement`), or the hybrid score.
 */
export type SelectedBy = 'checks' | 'derived' | 'tests' | 'prior' | 'agreement' | 'score';
