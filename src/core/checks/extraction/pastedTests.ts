/**
 * Tests the user pasted or selected with the question: Python doctests (`>>> f(3)` / `6`), Python `assert` lines
 * (top level, under `if __name__ == "__main__":`, in `test_…` functions and `Test…` classes, unittest's
 * `self.assertEqual` too) and JavaScript/TypeScript `assert…(…)` / `console.assert(…)` statements. Asserts inside
 * other functions are the code's own preconditions and are left alone.
 */
import type { AssertCheck, CallCheck, Check, CheckLanguage } from '../../contracts/checks';
import { codeBlocks } from '../replyCode';
import { readArguments } from './callExamples';
import { closingBracket, splitTopLevel, toJsonLiteral, unquoted } from '../literal';

/** Modules a test line may use that every Python has (an import of the module under test would fail). */
const STDLIB = new Set([
  'math', 'cmath', 'collections', 'itertools', 'functools', 'heapq', 'bisect', 'typing', 're', 'string', 'random', 'sys',
  'json', 'fractions', 'decimal', 'statistics', 'operator', 'copy', 'datetime',
]);

/** A piece of code and where it came from, so a check can say "assert on line 3". */
interface Snippet {
  code: string;
  language: CheckLanguage;
}

/** `name(args)` covering the whole expression, or `Solution().name(args)`; null for anything else. */
function simpleCall(expression: string): { name: string; method: boolean; inside: string } | null {
  const m = /^(Solution\(\)\.)?([A-Za-z_]\w*)\s*\(/.exec(expression);
  if (!m) return null;
  const open = m[0].length - 1;
  const close = closingBracket(expression, open);
  if (close !== expression.length - 1) return null;
  return { name: m[2] ?? '', method: m[1] !== undefined, inside: expression.slice(open + 1, close) };
}

/** A call check when the expression is a call of literals and the expected value a literal. */
function callCheck(expression: string, expected: string, label: string): CallCheck | null {
  const call = simpleCall(expression.trim());
  const value = toJsonLiteral(expected);
  if (!call || value === null) return null;
  const args = call.inside.trim() === '' ? [] : readArguments(call.inside);
  // Keyword arguments cannot be passed in order without the signature: those stay Python asserts.
  if (args === null || args.some((a) => a.name !== undefined)) return null;
  return { kind: 'call', source: 'question', label, name: call.name, method: call.method, args, expected: value };
}

function pythonAssert(code: string, imports: readonly string[], label: string): AssertCheck {
  return { kind: 'assert', source: 'question', label, language: 'python', code: [...imports, code].join('\n') };
}

/** Stdlib imports of a snippet, to put before its test lines. */
function stdlibImports(code: string): string[] {
  return [...code.matchAll(/^(?:import\s+([\w.]+)(?:\s+as\s+\w+)?|from\s+([\w.]+)\s+import\s+[^\n]+)\s*$/gm)]
    .filter((m) => STDLIB.has((m[1] ?? m[2] ?? '').split('.')[0] ?? ''))
    .map((m) => m[0].trim());
}

/** A Python line without its trailing `# comment` (a `#` inside a string stays). */
function withoutComment(line: string): string {
  for (const { index, char } of unquoted(line)) if (char === '#') return line.slice(0, index).trimEnd();
  return line;
}

/** A doctest statement that prepares later ones (`x = [1, 2]`, `s.push(1)`, `import math`): kept as their setup. */
const SETUP = /^(?:[A-Za-z_][\w.]*(?:\[[^\]]*\])?\s*[-+*/]?=(?!=)|[A-Za-z_][\w.]*\s*\([^]*\)$)/;

/**
 * `>>> expr` lines with the value printed under them (a result over several lines is one value when it reads as
 * one). The trailing comment of a prompt line is no part of its code. A call of literals with nothing printed under
 * it and a blank line after returns None, as Python's doctest reads it.
 */
function doctests(snippet: Snippet, imports: readonly string[]): Check[] {
  const lines = snippet.code.split('\n');
  const checks: Check[] = [];
  const setup: string[] = [];
  const closesDocstring = (line: string): boolean => /^\s*(?:"""|''')/.test(line);
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)>>>\s?(.*)$/.exec(lines[i] ?? '');
    if (!m) continue;
    const indent = m[1] ?? '';
    const source = [withoutComment(m[2] ?? '')];
    while (/^\s*\.\.\.\s?/.test(lines[i + 1] ?? '') && (lines[i + 1] ?? '').startsWith(`${indent}...`)) source.push(withoutComment((lines[++i] ?? '').replace(/^\s*\.\.\.\s?/, '')));
    const expected: string[] = [];
    // The expected output ends at a blank line, the next prompt or the docstring's closing quotes.
    while (i + 1 < lines.length && (lines[i + 1] ?? '').trim() !== '' && !/^\s*>>>/.test(lines[i + 1] ?? '') && !closesDocstring(lines[i + 1] ?? '')) expected.push((lines[++i] ?? '').trim());
    const expression = source.join('\n').trim();
    const label = `doctest on line ${i + 1 - expected.length}`;
    if (expected.length === 0) {
      const blankAfter = i + 1 >= lines.length || (lines[i + 1] ?? '').trim() === '' || closesDocstring(lines[i + 1] ?? '');
      const returnsNone = setup.length === 0 && blankAfter ? callCheck(expression, 'None', label) : null;
      // a call of literals printing nothing is an example of a None result, not setup for the next ones
      if (returnsNone) checks.push(returnsNone);
      else if (SETUP.test(expression)) setup.push(expression);
      continue;
    }
    // Printed output or an exception cannot be compared as a value.
    if (/^print\s*\(/.test(expression) || /^Traceback/.test(expected[0] ?? '')) continue;
    const value = expected.length === 1 ? (expected[0] ?? '') : expected.join(' ');
    if (expected.length > 1 && toJsonLiteral(value) === null) continue;
    const asCall = setup.length === 0 ? callCheck(expression, value, label) : null;
    if (asCall) checks.push(asCall);
    else if (toJsonLiteral(value) !== null || /^[\w.'"[\](){}, -]+$/.test(value)) checks.push(pythonAssert([...setup, `assert (${expression}) == (${value})`].join('\n'), imports, label));
  }
  return checks;
}

/** The doctests written in comments of JavaScript/TypeScript (`// >>> f(15)` / `// 5`): call checks only. */
export function commentDoctests(text: string): CallCheck[] {
  return doctests({ code: text, language: 'python' }, []).filter((c): c is CallCheck => c.kind === 'call');
}

/** unittest's assertion methods as plain asserts. */
function unittestAssert(line: string): string | null {
  const m = /^self\.(assertEqual|assertEquals|assertTrue|assertFalse|assertIs|assertIsNone)\s*\(/.exec(line);
  if (!m) return null;
  const open = m[0].length - 1;
  const close = closingBracket(line, open);
  if (close < 0) return null;
  const inside = line.slice(open + 1, close);
  switch (m[1]) {
    case 'assertTrue':
      return `assert ${inside}`;
    case 'assertFalse':
      return `assert not (${inside})`;
    case 'assertIsNone':
      return `assert (${inside}) is None`;
    default: {
      const parts = splitTopLevel(inside);
      if (parts.length !== 2) return null;
      return `assert (${parts[0] ?? ''}) ${m[1] === 'assertIs' ? 'is' : '=='} (${parts[1] ?? ''})`;
    }
  }
}

/** Whether a line at `indent` sits where tests live (see the file comment), given the blocks opened above it. */
function inTestPlace(stack: readonly { indent: number; test: boolean }[], indent: number): boolean {
  const enclosing = stack.filter((b) => b.indent < indent);
  return enclosing.every((b) => b.test);
}

/** Python `assert` statements (and unittest assertions) in test places. */
function pythonAsserts(snippet: Snippet, imports: readonly string[]): Check[] {
  const lines = snippet.code.split('\n');
  const checks: Check[] = [];
  const stack: { indent: number; test: boolean }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '' || /^\s*#/.test(line)) continue;
    const indent = /^\s*/.exec(line)?.[0].length ?? 0;
    while (stack.length > 0 && (stack.at(-1)?.indent ?? 0) >= indent) stack.pop();
    const block = /^\s*(?:(?:async\s+)?def\s+(\w+)|class\s+(\w+)|if\s+__name__\s*==|(if|for|while|with|try|else|elif|except|finally)\b)[^\n]*:\s*(?:#.*)?$/.exec(line);
    if (block) {
      const test = block[1] !== undefined ? /^test/i.test(block[1]) : block[2] !== undefined ? /^Test|Test$/.test(block[2]) : true;
      stack.push({ indent, test });
      continue;
    }
    const statement = line.trim();
    const converted = /^assert\b/.test(statement) ? statement : unittestAssert(statement);
    if (converted === null || !inTestPlace(stack, indent)) continue;
    // An assert may continue over the next lines while its brackets are open.
    let code = converted;
    while (!balanced(code) && i + 1 < lines.length) code += `\n${(lines[++i] ?? '').trim()}`;
    if (!balanced(code)) continue;
    checks.push(pythonAssert(code, imports, `assert on line ${i + 1 - (code.split('\n').length - 1)}`));
  }
  return checks;
}

function balanced(code: string): boolean {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < code.length; i++) {
    const c = code.charAt(i);
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
  }
  return depth === 0 && quote === '';
}

/** JavaScript/TypeScript assertion statements at the top level of a snippet. */
function scriptAsserts(snippet: Snippet): Check[] {
  const checks: Check[] = [];
  const lines = snippet.code.split('\n');
  lines.forEach((line, i) => {
    const m = /^(console\.assert|assert(?:\.(?:strictEqual|deepStrictEqual|equal|deepEqual|ok|notStrictEqual))?)\s*\(/.exec(line);
    if (!m) return;
    const open = m[0].length - 1;
    const close = closingBracket(line, open);
    if (close < 0) return;
    const inside = line.slice(open + 1, close);
    // console.assert only logs; a check must throw.
    const code =
      m[1] === 'console.assert'
        ? `if (!(${splitTopLevel(inside)[0] ?? inside})) throw new Error(${JSON.stringify(`assertion failed: ${inside}`)});`
        : `${/\bassert\s*=\s*require|import\s+\w*\s*(?:\*\s+as\s+)?assert\b/.test(snippet.code) ? '' : 'const assert = require("node:assert");\n'}${line.slice(0, close + 1)};`;
    checks.push({ kind: 'assert', source: 'question', label: `assert on line ${i + 1}`, language: snippet.language, code });
  });
  return checks;
}

/** The code snippets of a text: its fenced blocks in Python/JS/TS, or the whole text when it has none and reads as code. */
function snippets(text: string): Snippet[] {
  const blocks = codeBlocks(text);
  if (blocks.length > 0) {
    return blocks.flatMap((b) => {
      const language = b.language ?? (/^\s*(?:>>>|assert\b)/m.test(b.code) && (b.tag === '' || /^py/.test(b.tag)) ? 'python' : null);
      return language === null ? [] : [{ code: b.code, language }];
    });
  }
  return /^\s*(?:>>>|assert\b)/m.test(text) ? [{ code: text, language: 'python' }] : [];
}

/** The doctests and assert lines in a question or a selection (code as pasted, see `plainCode`). */
export function pastedTests(text: string): Check[] {
  return snippets(text).flatMap((s) => {
    if (s.language !== 'python') return scriptAsserts(s);
    const imports = stdlibImports(s.code);
    return [...doctests(s, imports), ...pythonAsserts(s, imports)];
  });
}
