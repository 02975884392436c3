/**
 * The checks a question offers (design-notes "Checks: extraction"): its judge's samples (AtCoder, Codeforces,
 * LiveCodeBench's renderings) or its LeetCode-style examples, else calls stated in prose, plus the doctests and asserts
 * pasted or selected with it; the output rules its statement sets; and why it cannot be checked when it accepts any
 * valid answer. Pure.
 */
import type { CallCheck, Check, OutputRules, QuestionChecks } from '../checks';
import { definedFunctions, runnableBlocks, type DefinedFunction } from '../replyCode';
import { callExamples, type CallTarget } from './callExamples';
import { outputRules, unverifiableReason } from './outputRules';
import { pastedTests } from './pastedTests';
import { proseCalls } from './proseCalls';
import { plainCode, plainStatement } from './statementText';
import { stdioSamples } from './stdioSamples';

/** At most this many checks are run (a statement with more examples than that keeps its first ones). */
export const MAX_CHECKS = 16;
/** A sample larger than this (characters of input or expected output) is left out: it is data, not an example. */
const MAX_SAMPLE_CHARS = 200_000;

const CODE_TASK = [
  /\b(?:write|implement|create|complete|fix|code|define|give|make)\b[^.\n?]{0,80}\b(?:function|program|method|class|script|solution|code|algorithm)\b/i,
  /\bclass\s+Solution\b/,
  /^\s*(?:def|function)\s+\w+\s*\(/m,
  /\b(?:standard\s+input|stdin)\b/i,
  /^\s*(?:sample\s+)?input\s*:?\s*$[\s\S]*^\s*(?:sample\s+)?output\s*:?\s*$/im,
  /^\s*example\s*\d*\s*:\s*$[\s\S]*^\s*input\s*:/im,
];

/** Whether a question asks for code whose behaviour can be checked (a program or a function to write or fix). */
export function looksLikeCodeTask(question: string): boolean {
  const text = plainStatement(question);
  return CODE_TASK.some((p) => p.test(text));
}

/** Linked lists and trees: LeetCode gives them as arrays, but the function receives nodes these checks cannot build. */
const NODE_TYPES = /\b(?:ListNode|TreeNode|Definition for (?:a |singly-linked |doubly-linked )?(?:binary tree node|list|linked list|node))\b/;

/** The functions a starter (the code given with the question) defines. */
function starterFunctions(text: string): DefinedFunction[] {
  const blocks = runnableBlocks(text);
  const code = blocks.length > 0 ? blocks : /\bclass\s+Solution\b|^\s*def\s/m.test(text) ? [{ language: 'python' as const, code: text }] : [];
  return code.flatMap((b) => definedFunctions(b.code, b.language));
}

/** The function LeetCode-style examples call: the starter's `class Solution` method whose parameters match them, or its function. */
function callTarget(functions: readonly DefinedFunction[], argNames: readonly string[]): CallTarget {
  const methods = functions.filter((f) => f.method);
  const pool = methods.length > 0 ? methods : functions;
  const matching = pool.find((f) => argNames.length > 0 && argNames.every((n, i) => f.params[i] === n)) ?? pool.find((f) => f.params.length === argNames.length) ?? pool[0];
  // Without a starter the method name is each reply's own (LeetCode's statement text does not give it).
  return matching ? { name: matching.name, method: matching.method } : { name: '', method: true };
}

function dedupe(checks: readonly Check[]): Check[] {
  const seen = new Set<string>();
  return checks.filter((c) => {
    const { label: _label, ...identity } = c;
    const key = JSON.stringify(identity);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function small(check: Check): boolean {
  const size = check.kind === 'stdio' ? check.input.length + check.expected.length : check.kind === 'call' ? JSON.stringify(check.args).length + check.expected.length : check.code.length;
  return size <= MAX_SAMPLE_CHARS;
}

/** Prose with fenced code taken out (code is read by `pastedTests`). */
function withoutCode(statement: string): string {
  return statement.replace(/^[ \t]*(`{3,}|~{3,})[^\n]*\n[\s\S]*?^[ \t]*\1[ \t]*$/gm, '\n');
}

/**
 * The checks of a question and the editor context sent with it (a selection counts as part of the question). A
 * question that is not a code task yields no checks and no `unverifiable`.
 */
export function extractChecks(question: string, context?: string): QuestionChecks {
  const asked = context ? `${question}\n\n${context}` : question;
  const statement = plainStatement(asked);
  const samples = stdioSamples(statement);
  const starter = starterFunctions(asked);
  const firstExamples = samples.length > 0 ? [] : callExamples(statement, { name: '', method: true });
  const target = callTarget(starter, firstExamples[0]?.args.map((a) => a.name ?? '') ?? []);
  const examples: CallCheck[] = firstExamples.map((c) => ({ ...c, name: target.name, method: target.method }));
  const fromSite = samples.length > 0 ? samples : examples;
  const codeTask = fromSite.length > 0 || looksLikeCodeTask(asked);
  const reason = unverifiableReason(statement) ?? (examples.length > 0 && NODE_TYPES.test(asked) ? 'the examples are linked lists or trees, which the checks cannot build' : undefined);
  if (codeTask && reason !== undefined) return { checks: [], rules: {}, unverifiable: reason };
  const pasted = [...pastedTests(plainCode(question)), ...(context ? pastedTests(plainCode(context)) : [])];
  const prose = fromSite.length > 0 ? [] : proseCalls(withoutCode(statement));
  const checks = dedupe([...fromSite, ...pasted, ...prose].filter(small)).slice(0, MAX_CHECKS);
  return { checks, rules: checks.length > 0 ? outputRules(statement, checks) : {} };
}

/** The output rules a question's statement sets for checks from elsewhere (tests a model wrote for it). */
export function rulesFor(question: string, checks: readonly Check[]): OutputRules {
  return outputRules(plainStatement(question), checks);
}
