/**
 * The checks a question offers (design-notes "Checks: extraction"): its judge's samples (AtCoder, Codeforces,
 * LiveCodeBench's renderings) or its LeetCode-style examples, else calls stated in prose, plus the doctests and asserts
 * pasted or selected with it; the output rules its statement sets; and why it cannot be checked when it accepts any
 * valid answer. Pure.
 */
import type { CallCheck, Check, OutputRules, QuestionChecks } from '../../contracts/checks';
import { definedFunctions, runnableBlocks, type DefinedFunction } from '../replyCode';
import { callExamples, type CallTarget } from './callExamples';
import { outputRules, unverifiableReason } from './outputRules';
import { commentDoctests, pastedTests } from './pastedTests';
import { docText, scriptComments } from './docText';
import { forExamples, proseCalls, type QuestionFunctions } from './proseCalls';
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

/** A question that asks for an explanation ("why does…", "what is…", "how does…", "explain…"). */
const EXPLANATION = /^\s*(?:why|what|explain|describe|when|where|which|who|how\s+(?:does|do|did|is|are|was|were)\b(?!\s+(?:i|we)\b))/i;
/** Words that ask for code to be written or changed. */
const WRITE_OR_FIX = /\b(?:write|implement|complete|fix|rewrite|refactor|correct)\b/i;

/**
 * Whether a question asks for code to be written or fixed (what model-written tests are for): not an explanation
 * question unless it also asks for that, and `asked` (the question with what the user selected) looks like a code task.
 */
export function asksForCode(question: string, asked: string = question): boolean {
  const text = plainStatement(question);
  if (EXPLANATION.test(text) && !WRITE_OR_FIX.test(text)) return false;
  return looksLikeCodeTask(asked);
}

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

/** The function a question asks for (its stub without a body) and the helpers it already defines. */
function questionFunctions(functions: readonly DefinedFunction[]): QuestionFunctions {
  const stubs = functions.filter((f) => f.stub);
  const asked = stubs[0] ?? (functions.length === 1 ? functions[0] : undefined);
  const helpers = new Set(stubs.length > 0 ? functions.filter((f) => !f.stub).map((f) => f.name) : []);
  return { ...(asked ? { asked: { name: asked.name, params: asked.params, method: asked.method } } : {}), helpers };
}

/** `var candidate = largest_divisor;` in test code: the name tests call the function by. */
function aliases(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of text.matchAll(/\b(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*([A-Za-z_$][\w$]*)\s*;?\s*$/gm)) found.set(m[1] ?? '', m[2] ?? '');
  return found;
}

/**
 * The function LeetCode-style examples call: of the starter's functions (its stubs when some have no body), the
 * `class Solution` method whose parameters match them, or its function.
 */
function callTarget(declared: readonly DefinedFunction[], argNames: readonly string[]): CallTarget {
  const stubs = declared.filter((f) => f.stub);
  const functions = stubs.length > 0 ? stubs : declared;
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

/** Whether a prose call is one of the pasted assert lines (`assert f(2) == False` is read as both). */
function restates(call: CallCheck, pasted: readonly Check[]): boolean {
  const same = (c: CallCheck): boolean => c.name === call.name && c.expected === call.expected && JSON.stringify(c.args) === JSON.stringify(call.args);
  return pasted.some((p) => p.kind === 'assert' && proseCalls(p.code.replace(/^\s*assert\s+/gm, '').replace(/\bconsole\.assert\s*\(/g, '')).some(same));
}

/**
 * A call of a function the question never declares, when it asks for exactly one (`list_sort(…)` in the docstring
 * of `sorted_list_sum`) and the arguments fit it, is that function's example.
 */
function named(call: CallCheck, functions: QuestionFunctions, declared: readonly DefinedFunction[]): CallCheck {
  const asked = functions.asked;
  if (!asked || call.name === '' || declared.some((f) => f.name === call.name) || declared.filter((f) => f.stub).length !== 1) return call;
  return asked.params.length === call.args.length ? { ...call, name: asked.name, method: asked.method } : call;
}

/**
 * The checks of a question and the code the user selected with it (`context`: the selection counts as part of the
 * question, files attached beside it do not). A question that is not a code task yields no checks and no `unverifiable`.
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
  const pasted = [...pastedTests(plainCode(question)), ...(context ? pastedTests(plainCode(context)) : []), ...commentDoctests(scriptComments(plainCode(asked)))];
  const functions = { ...questionFunctions(starter), aliases: aliases(asked) };
  const docs = docText(statement);
  const skipped = new Map<string, number>();
  const skip = (reason: string): void => void skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  const prose = fromSite.length > 0 ? [] : [...proseCalls(docs, functions, skip), ...forExamples(docs, functions)];
  const stated = [...pasted, ...prose.filter((c) => !restates(c, pasted))].map((c) => (c.kind === 'call' ? named(c, functions, starter) : c));
  const checks = dedupe([...fromSite, ...stated].filter(small)).slice(0, MAX_CHECKS);
  const setup = checks.some((c) => c.kind !== 'stdio') ? helperSetup(asked, functions) : undefined;
  const unchecked = [...skipped].map(([reason, count]) => ({ reason, count }));
  return { checks, rules: checks.length > 0 ? outputRules(statement, checks) : {}, ...(setup ? { setup } : {}), ...(unchecked.length > 0 ? { unchecked } : {}) };
}

/**
 * The code the question defines beside the function it asks for — its helpers with a body (and, in Python, its
 * imports) — as the setup of the checks (HumanEval's `poly` beside `find_zero`, a JavaScript `isPalindrome` beside
 * `makePalindrome`): a reply that calls them as given still runs.
 */
function helperSetup(text: string, functions: QuestionFunctions): QuestionChecks['setup'] {
  if (functions.asked === undefined || functions.helpers.size === 0) return undefined;
  const blocks = runnableBlocks(text);
  const python = blocks.filter((b) => b.language === 'python');
  if (python.length > 0 || (blocks.length === 0 && /^\s*def\s/m.test(text))) return pythonHelpers(python.length > 0 ? python.map((b) => b.code).join('\n') : text, functions.helpers);
  const script = blocks.filter((b) => b.language !== 'python');
  const language = script.some((b) => b.language === 'typescript') ? 'typescript' : 'javascript';
  const code = script.length > 0 ? script.map((b) => b.code).join('\n') : /^\s*(?:export\s+)?(?:async\s+)?function\s/m.test(text) ? text : '';
  return scriptHelpers(code, functions.helpers, language);
}

function pythonHelpers(code: string, helpers: ReadonlySet<string>): QuestionChecks['setup'] {
  const kept: string[] = [];
  let keep = false;
  for (const line of code.split('\n')) {
    if (/^\S/.test(line)) {
      const def = /^(?:async\s+)?def\s+(\w+)/.exec(line);
      keep = def ? helpers.has(def[1] ?? '') : /^(?:import\s|from\s+\S+\s+import\s)/.test(line);
    }
    if (keep) kept.push(line);
  }
  const setup = kept.join('\n').trim();
  return setup === '' ? undefined : { language: 'python', code: `${setup}\n` };
}

/** The end of a top-level JavaScript definition starting at `from`: its braces closed, else the end of its line. */
function definitionEnd(code: string, from: number): number {
  const lineEnd = code.indexOf('\n', from) < 0 ? code.length : code.indexOf('\n', from);
  const open = code.indexOf('{', from);
  if (open < 0 || open > lineEnd) return lineEnd;
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const c = code[i];
    if (c === '"' || c === "'" || c === '`') {
      const close = code.indexOf(c, i + 1);
      if (close < 0) return code.length;
      i = close;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return code.length;
}

/**
 * JavaScript/TypeScript helpers run in a scope of their own and put on `globalThis`: a reply that uses them finds
 * them, and one that defines them again (`const isPalindrome = …`) declares its own without a clash.
 */
function scriptHelpers(code: string, helpers: ReadonlySet<string>, language: 'javascript' | 'typescript'): QuestionChecks['setup'] {
  const kept: string[] = [];
  const names: string[] = [];
  for (const m of code.matchAll(/^(?:export\s+)?(?:(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)|(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=)/gm)) {
    const name = m[1] ?? m[2] ?? '';
    if (!helpers.has(name) || names.includes(name)) continue;
    const start = (m.index ?? 0) + (m[0].startsWith('export') ? m[0].indexOf(m[0].replace(/^export\s+/, '')) : 0);
    kept.push(code.slice(start, definitionEnd(code, start)));
    names.push(name);
  }
  if (names.length === 0) return undefined;
  return { language, code: `(() => {\n${kept.join('\n')}\nObject.assign(globalThis, { ${names.join(', ')} });\n})();\n` };
}

/** The output rules a question's statement sets for checks from elsewhere (tests a model wrote for it). */
export function rulesFor(question: string, checks: readonly Check[]): OutputRules {
  return outputRules(plainStatement(question), checks);
}
