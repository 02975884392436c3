/**
 * `#problems`: a file's diagnostics as one context item, each with its message, severity, line and the lines around
 * it; with `#problems`, the current file's and the workspace's other files with errors or warnings.
 */
import { contextItem, type ContextItem } from './contextItem';

export type ProblemSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface Problem {
  /** 1-based line the diagnostic starts on. */
  line: number;
  severity: ProblemSeverity;
  message: string;
  /** The tool that reported it (`ts`, `Pylance`), when known. */
  source?: string;
}

/** Lines shown either side of a problem's line. */
export const PROBLEM_LINES_AROUND = 2;
/** At most this many problems go into one item (errors first): a file with hundreds is a different question. */
export const MAX_PROBLEMS = 20;

const RANK: Readonly<Record<ProblemSeverity, number>> = { error: 0, warning: 1, information: 2, hint: 3 };

/** One problem as the models read it: "line 12, error (ts): message", then its lines, numbered, the problem's marked `>`. */
export function problemText(problem: Problem, lines: readonly string[], around = PROBLEM_LINES_AROUND): string {
  const from = Math.max(1, problem.line - around);
  const to = Math.min(lines.length, problem.line + around);
  const width = String(to).length;
  const excerpt: string[] = [];
  for (let n = from; n <= to; n++) excerpt.push(`${n === problem.line ? '>' : ' '} ${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`);
  const by = problem.source ? ` (${problem.source})` : '';
  return [`line ${problem.line}, ${problem.severity}${by}: ${problem.message.trim()}`, ...excerpt].join('\n');
}

/** "2 problems" / "1 problem": how a turn's context line names the item. */
export const problemsCount = (n: number): string => `${n} problem${n === 1 ? '' : 's'}`;

/** At most this many other files' problems go with `#problems` (those with the most errors first). */
export const MAX_PROBLEM_FILES = 10;

/**
 * The other files whose problems `#problems` sends beside the current file's: those with an error or a warning,
 * most errors first (then most warnings, then by path), at most MAX_PROBLEM_FILES; information and hints alone
 * are not a reason to send a file.
 */
export function filesWithProblems<F extends { path: string; problems: readonly Problem[] }>(files: readonly F[], current: string | undefined): F[] {
  const count = (f: F, severity: ProblemSeverity) => f.problems.filter((p) => p.severity === severity).length;
  return files
    .filter((f) => f.path !== current && f.problems.some((p) => p.severity === 'error' || p.severity === 'warning'))
    .sort((a, b) => count(b, 'error') - count(a, 'error') || count(b, 'warning') - count(a, 'warning') || a.path.localeCompare(b.path))
    .slice(0, MAX_PROBLEM_FILES);
}

/**
 * The problems of the file at `path` (whose text is `text`) as one item, most severe first; undefined when it has
 * none. `named`: the turn's context line names the file ("2 problems in parse.ts"), as for a file other than the
 * current one.
 */
export function problemsItem(path: string, text: string, problems: readonly Problem[], named = false): ContextItem | undefined {
  if (problems.length === 0) return undefined;
  const lines = text.split(/\r?\n/);
  const chosen = [...problems].sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.line - b.line).slice(0, MAX_PROBLEMS);
  const more = problems.length - chosen.length;
  const body = chosen.map((p) => problemText(p, lines)).join('\n\n') + (more > 0 ? `\n\n(${more} more not shown)` : '');
  const first = Math.min(...chosen.map((p) => p.line));
  const last = Math.max(...chosen.map((p) => p.line));
  const reason = named ? `${problemsCount(problems.length)} in ${path.split('/').at(-1) ?? path}` : problemsCount(problems.length);
  return contextItem({ source: 'problems', path, startLine: first, endLine: last, text: body, reason });
}
