/**
 * What a reply's code offers the checks: the function each call check should call in it (LeetCode's method name is
 * each reply's own when the question gives no starter; a JavaScript reply to a LeetCode question writes a plain
 * function), and whether it is a program reading standard input or a function — the shape of the tests a model is
 * asked to write.
 */
import type { CallCheck, QuestionChecks } from '../contracts/checks';
import { definedFunctions, readsStdin, runnableBlocks, type DefinedFunction } from './replyCode';

/** The tests to ask a model for: input/output of a program, or calls of one function. */
export type TestShape = { kind: 'stdio' } | { kind: 'call'; name: string; method: boolean; params: string[] };

/** The reply's functions, last block first (a reply ends with its final version). */
function replyFunctions(reply: string): DefinedFunction[] {
  return runnableBlocks(reply)
    .reverse()
    .flatMap((b) => definedFunctions(b.code, b.language));
}

/** The reply's function a call check means: its own name when defined, else one that takes the same arguments. */
function resolve(check: CallCheck, functions: readonly DefinedFunction[]): CallCheck | null {
  if (check.name !== '') {
    const named = functions.find((f) => f.name === check.name);
    if (named) return { ...check, method: named.method };
  }
  const names = check.args.map((a) => a.name);
  const fits = functions.filter((f) => f.params.length === check.args.length);
  const chosen =
    fits.find((f) => names.every((n, i) => n === undefined || f.params[i] === n) && f.method) ??
    fits.find((f) => names.every((n, i) => n === undefined || f.params[i] === n)) ??
    fits.find((f) => f.method) ??
    (fits.length === 1 ? fits[0] : undefined);
  return chosen ? { ...check, name: chosen.name, method: chosen.method } : null;
}

/**
 * The checks as they apply to one reply: call checks name the reply's function. Null when the checks are all
 * calls and the reply defines no function they could call (no code to run).
 */
export function checksForReply(checks: QuestionChecks, reply: string): QuestionChecks | null {
  if (!checks.checks.some((c) => c.kind === 'call')) return checks;
  const functions = replyFunctions(reply);
  let resolved = 0;
  const own = checks.checks.map((c) => {
    if (c.kind !== 'call') return c;
    const target = resolve(c, functions);
    if (target) resolved++;
    return target ?? c;
  });
  if (resolved === 0 && own.every((c) => c.kind === 'call')) return null;
  return { ...checks, checks: own };
}

/**
 * The shape of the tests that would check this reply, or null when it carries no code the checks could run: a program
 * when it reads standard input, else the function the question names (`factorial(n)`), else its `class Solution`
 * method, else its first function.
 */
export function testShapeOf(reply: string, question: string): TestShape | null {
  const blocks = runnableBlocks(reply);
  if (blocks.length === 0) return null;
  if (blocks.some((b) => readsStdin(b.code, b.language))) return { kind: 'stdio' };
  const functions = replyFunctions(reply);
  const named = functions.find((f) => new RegExp(`(?<![\\w$])${f.name.replace(/\$/g, '\\$')}\\s*\\(`).test(question));
  const chosen = named ?? functions.find((f) => f.method) ?? functions[0];
  return chosen ? { kind: 'call', name: chosen.name, method: chosen.method, params: chosen.params } : null;
}
