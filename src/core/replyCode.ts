/**
 * The code in a reply or a question, read as text: fenced blocks with their language, which of them the checks can
 * run (Python, JavaScript, TypeScript), and the functions and `class Solution` methods a piece of code defines.
 * Pure; running the code is src/grading's.
 */
import type { CheckLanguage } from './checks';

export interface CodeBlock {
  /** The fence's language tag, lower-cased ('' when untagged). */
  tag: string;
  code: string;
}

const FENCE = /^([ \t]*)(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*\n([\s\S]*?)\n?[ \t]*\2[ \t]*$/gm;

/** Every fenced code block of a markdown text, in order. */
export function codeBlocks(text: string): CodeBlock[] {
  return [...text.replace(/\r\n?/g, '\n').matchAll(FENCE)].map((m) => ({ tag: (m[3] ?? '').toLowerCase(), code: m[4] ?? '' }));
}

const TAGS: Readonly<Record<string, CheckLanguage>> = {
  python: 'python', py: 'python', python3: 'python', py3: 'python',
  javascript: 'javascript', js: 'javascript', node: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
  typescript: 'typescript', ts: 'typescript', tsx: 'typescript',
};

/** The language a block is written in: its tag, or for an untagged block what its first lines look like. */
export function blockLanguage(block: CodeBlock): CheckLanguage | null {
  const tagged = TAGS[block.tag];
  if (tagged !== undefined || block.tag !== '') return tagged ?? null;
  const code = block.code;
  if (/^\s*(?:def |class \w+.*:\s*$|import \w+|from \w+ import|print\()/m.test(code)) return 'python';
  if (/^\s*(?:function\b|const |let |var |console\.log\(|export )/m.test(code)) return /:\s*(?:number|string|boolean)\b/.test(code) ? 'typescript' : 'javascript';
  return null;
}

/** The blocks of a reply that the checks could run, with their language. */
export function runnableBlocks(text: string): { language: CheckLanguage; code: string }[] {
  return codeBlocks(text).flatMap((b) => {
    const language = blockLanguage(b);
    return language !== null && b.code.trim() !== '' ? [{ language, code: b.code }] : [];
  });
}

/** A function a piece of code defines: a top-level function, or a method of `class Solution`. */
export interface DefinedFunction {
  name: string;
  params: string[];
  /** A method of `class Solution` (called as `Solution().name(…)`). */
  method: boolean;
}

/** Parameter names of a parameter list (`self` and `*args`-style catch-alls left out, types and defaults removed). */
function paramNames(list: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of list) {
    if ('([{<'.includes(c)) depth++;
    else if (')]}>'.includes(c)) depth--;
    if (c === ',' && depth === 0) {
      names.push(current);
      current = '';
    } else current += c;
  }
  names.push(current);
  return names
    .map((p) => /^\s*(?:\.\.\.)?([A-Za-z_$][\w$]*)/.exec(p.replace(/^\s*(?:public|private|readonly)\s+/, ''))?.[1] ?? '')
    .filter((n) => n !== '' && n !== 'self' && n !== 'cls' && !/^\s*\*/.test(n));
}

/** The functions Python code defines at top level and the methods of its `class Solution`. */
function pythonFunctions(code: string): DefinedFunction[] {
  const found: DefinedFunction[] = [];
  let inSolution = false;
  let solutionIndent = 0;
  for (const m of code.matchAll(/^([ \t]*)(?:(class)\s+(\w+)|(?:async\s+)?def\s+(\w+)\s*\(([^)]*)\))/gm)) {
    const indent = (m[1] ?? '').length;
    if (m[2] !== undefined) {
      inSolution = m[3] === 'Solution';
      solutionIndent = indent;
      continue;
    }
    if (inSolution && indent <= solutionIndent) inSolution = false;
    const name = m[4] ?? '';
    if (name.startsWith('_')) continue;
    if (inSolution && indent > solutionIndent) found.push({ name, params: paramNames(m[5] ?? ''), method: true });
    else if (indent === 0) found.push({ name, params: paramNames(m[5] ?? ''), method: false });
  }
  return found;
}

/** The functions JavaScript/TypeScript code defines (`function f(…)`, `const f = (…) =>`, `var f = function(…)`) and `class Solution` methods. */
function scriptFunctions(code: string): DefinedFunction[] {
  const found: DefinedFunction[] = [];
  for (const m of code.matchAll(/^(?:export\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\(([^)]*)\)/gm)) {
    found.push({ name: m[1] ?? '', params: paramNames(m[2] ?? ''), method: false });
  }
  for (const m of code.matchAll(/^(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b[^(]*\(([^)]*)\)|\(([^)]*)\)\s*(?::[^=]+)?=>|([A-Za-z_$][\w$]*)\s*=>)/gm)) {
    found.push({ name: m[1] ?? '', params: paramNames(m[2] ?? m[3] ?? m[4] ?? ''), method: false });
  }
  const solution = /class\s+Solution\b[^{]*\{([\s\S]*)\}/.exec(code)?.[1];
  if (solution !== undefined) {
    for (const m of solution.matchAll(/^[ \t]+(?:public\s+|static\s+|async\s+)*([A-Za-z_$][\w$]*)\s*\(([^)]*)\)\s*(?::[^{]+)?\{/gm)) {
      if (m[1] !== 'constructor' && m[1] !== 'if' && m[1] !== 'for' && m[1] !== 'while') found.push({ name: m[1] ?? '', params: paramNames(m[2] ?? ''), method: true });
    }
  }
  return found;
}

/** The functions and `class Solution` methods `code` defines, in order of appearance by kind. */
export function definedFunctions(code: string, language: CheckLanguage): DefinedFunction[] {
  return language === 'python' ? pythonFunctions(code) : scriptFunctions(code);
}
