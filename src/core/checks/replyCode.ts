/**
 * The one reader of code in a reply or a question: its fenced blocks (tagged, or untagged and recognised by their
 * content; a block left open at the end — a reply cut off — runs to the end), the language each is written in, the
 * functions and `class Solution` methods a piece of code defines, whether it reads standard input, and of a reply's
 * blocks the one the checks run — the one defining what the checks call, reading standard input for a program, else
 * the last one that defines something (not the usage example after it). Pure; running the code is src/sandbox's.
 */
import { at } from '../util/arrays';
import type { CheckLanguage } from '../contracts/checks';
import { stripReasoning } from '../util/reasoning';

export interface CodeBlock {
  /** The info string's first word, lower-cased ('' for none). */
  tag: string;
  /** The block's lines, ending with a line break. */
  code: string;
  /** Null for a language the checks cannot run, data, or a REPL transcript (`>>>`, `$ `). */
  language: CheckLanguage | null;
}

const TAGS: Readonly<Record<string, CheckLanguage>> = {
  python: 'python', py: 'python', python3: 'python', py3: 'python',
  javascript: 'javascript', js: 'javascript', node: 'javascript', nodejs: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript',
  typescript: 'typescript', ts: 'typescript', tsx: 'typescript',
};

/** Signs of each language in code, with their weight (a `def …:` line is Python's alone, `;` ends lines in many). */
const SIGNS: Record<CheckLanguage, [RegExp, number][]> = {
  python: [
    [/^\s*def \w+\s*\(.*\)\s*(->.*)?:\s*$/m, 2],
    [/^\s*class \w+(\(.*\))?:\s*$/m, 2],
    [/^\s*(from [\w.]+ import |import [\w.]+(\s+as \w+)?\s*$)/m, 1],
    [/\bprint\(/, 1],
    [/\bself\b/, 1],
    [/^\s*(if|for|while|elif|else|try|except)\b.*:\s*$/m, 1],
    [/\b(None|True|False)\b/, 1],
    [/\binput\(\)/, 1],
  ],
  javascript: [[/\bfunction\b/, 1], [/\b(const|let|var)\s+\w+\s*=/, 1], [/=>/, 1], [/console\.log/, 1], [/;\s*$/m, 1], [/\brequire\(/, 1], [/^\s*}\s*$/m, 1]],
  typescript: [
    [/\b\w+\s*:\s*(number|string|boolean|any|void|unknown|never)(\[\])*\b/, 1],
    [/\binterface\s+\w+/, 1],
    [/\btype\s+\w+\s*=/, 1],
    [/\bfunction\s+\w+\s*(<[^>]*>)?\([^)]*:\s*\w/, 1],
  ],
};

const score = (code: string, language: CheckLanguage) => SIGNS[language].reduce((sum, [sign, weight]) => sum + (sign.test(code) ? weight : 0), 0);

/** The language code is written in, from its content (for untagged fences), or null when nothing says. */
export function guessLanguage(code: string): CheckLanguage | null {
  const python = score(code, 'python');
  const script = score(code, 'javascript');
  const types = score(code, 'typescript');
  if (python >= 2 && python > script) return 'python';
  if (script >= 2 || (script >= 1 && types >= 1)) return types >= 1 ? 'typescript' : 'javascript';
  return null;
}

/** Every fenced block of a markdown text, in order (``` or ~~~, any length; a block left open runs to the end). */
export function codeBlocks(text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let open: { fence: string; tag: string; lines: string[] } | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (open === null) {
      const start = /^\s*(`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
      if (start) open = { fence: at(start, 1), tag: at(start, 2).toLowerCase(), lines: [] };
      continue;
    }
    const close = new RegExp(`^\\s*${open.fence[0] === '`' ? '`' : '~'}{${open.fence.length},}\\s*$`);
    if (close.test(line)) {
      blocks.push(toBlock(open.tag, open.lines.join('\n')));
      open = null;
    } else open.lines.push(line);
  }
  if (open !== null) blocks.push(toBlock(open.tag, open.lines.join('\n')));
  return blocks;
}

function toBlock(tag: string, code: string): CodeBlock {
  const transcript = /^\s*(>>>|\$ )/.test(code.split('\n').find((l) => l.trim() !== '') ?? '');
  const language = transcript ? null : tag === '' ? guessLanguage(code) : (TAGS[tag] ?? null);
  return { tag, code: code.endsWith('\n') ? code : `${code}\n`, language };
}

/** The blocks of a text that the checks could run, with their language. */
export function runnableBlocks(text: string): { language: CheckLanguage; code: string }[] {
  return codeBlocks(text).flatMap((b) => (b.language !== null && b.code.trim() !== '' ? [{ language: b.language, code: b.code }] : []));
}

const READS_STDIN: Readonly<Record<CheckLanguage, RegExp>> = {
  python: /\binput\s*\(|\bstdin\b|\bopen\s*\(\s*0\b|\/dev\/stdin|\bfileinput\b/,
  javascript: /readFileSync\s*\(\s*(?:0|['"]\/dev\/stdin['"])|process\.stdin|\breadline\b/,
  typescript: /readFileSync\s*\(\s*(?:0|['"]\/dev\/stdin['"])|process\.stdin|\breadline\b/,
};

/** Whether code reads standard input (a whole program, not a function): `input()`, `sys.stdin`, `fileinput`, `process.stdin`, `readline`. */
export function readsStdin(code: string, language: CheckLanguage): boolean {
  return READS_STDIN[language].test(code);
}

/** A function a piece of code defines: a top-level function, or a method of `class Solution`. */
export interface DefinedFunction {
  name: string;
  params: string[];
  /** A method of `class Solution` (called as `Solution().name(…)`). */
  method: boolean;
  /** Declared without a body (a docstring, comments, `pass` or `...` alone): the function a stub asks for. */
  stub: boolean;
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

/** Whether the lines after a `def` header (at `indent`) hold code, not only a docstring, comments, `pass` or `...`. */
function pythonBody(after: string, indent: number): boolean {
  const lines = after.split('\n');
  const first = (lines[0] ?? '').replace(/^[^:]*:/, '');
  const body: string[] = [first];
  for (const line of lines.slice(1)) {
    if (line.trim() !== '' && (/^[ \t]*/.exec(line)?.[0].length ?? 0) <= indent) break;
    body.push(line);
  }
  const code = body
    .join('\n')
    .replace(/[rRuU]?("""|''')[\s\S]*?(?:\1|$)/g, '')
    .replace(/#[^\n]*/g, '')
    .replace(/^\s*(?:pass|\.\.\.)\s*$/gm, '');
  return code.trim() !== '';
}

/** Whether a JavaScript function's text after its parameter list has a body (an empty or unclosed `{` has none). */
function scriptBody(after: string): boolean {
  const rest = after.replace(/^\s*(?::[^{=;\n]+)?\s*(?:=>)?\s*/, '');
  if (!rest.startsWith('{')) return rest.trim() !== '' && !/^[;}]/.test(rest);
  let depth = 0;
  let end = rest.length;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '{') depth++;
    else if (rest[i] === '}' && --depth === 0) {
      end = i;
      break;
    }
  }
  return rest.slice(1, end).replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '').trim() !== '';
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
    const stub = !pythonBody(code.slice((m.index ?? 0) + m[0].length), indent);
    if (inSolution && indent > solutionIndent) found.push({ name, params: paramNames(m[5] ?? ''), method: true, stub });
    else if (indent === 0) found.push({ name, params: paramNames(m[5] ?? ''), method: false, stub });
  }
  return found;
}

/** The functions JavaScript/TypeScript code defines (`function f(…)`, `const f = (…) =>`, `var f = function(…)`) and `class Solution` methods. */
function scriptFunctions(code: string): DefinedFunction[] {
  const found: DefinedFunction[] = [];
  for (const m of code.matchAll(/^(?:export\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\(([^)]*)\)/gm)) {
    found.push({ name: m[1] ?? '', params: paramNames(m[2] ?? ''), method: false, stub: !scriptBody(code.slice((m.index ?? 0) + m[0].length)) });
  }
  for (const m of code.matchAll(/^(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b[^(]*\(([^)]*)\)|(?:<[^>]*>\s*)?\(([^)]*)\)\s*(?::[^=]+)?=>|([A-Za-z_$][\w$]*)\s*=>)/gm)) {
    found.push({ name: m[1] ?? '', params: paramNames(m[2] ?? m[3] ?? m[4] ?? ''), method: false, stub: !scriptBody(code.slice((m.index ?? 0) + m[0].length)) });
  }
  const solution = /class\s+Solution\b[^{]*\{([\s\S]*)\}/.exec(code)?.[1];
  if (solution !== undefined) {
    for (const m of solution.matchAll(/^[ \t]+(?:public\s+|static\s+|async\s+)*([A-Za-z_$][\w$]*)\s*\(([^)]*)\)\s*(?::[^{]+)?\{/gm)) {
      if (m[1] !== 'constructor' && m[1] !== 'if' && m[1] !== 'for' && m[1] !== 'while') found.push({ name: m[1] ?? '', params: paramNames(m[2] ?? ''), method: true, stub: !scriptBody(solution.slice((m.index ?? 0) + m[0].length - 1)) });
    }
  }
  return found;
}

/** The functions and `class Solution` methods `code` defines, in order of appearance by kind. */
export function definedFunctions(code: string, language: CheckLanguage): DefinedFunction[] {
  return language === 'python' ? pythonFunctions(code) : scriptFunctions(code);
}

const CODE_START = /^\s*(def |class |import |from [\w.]+ import |function |const |let |var |#|\/\/|'use strict'|"use strict"|async function |export )/;

const normalName = (name: string) => name.replace(/_/g, '').toLowerCase();

/** Names a block defines: functions, classes, methods, `var f = function`. */
function definedNames(code: string, language: CheckLanguage): string[] {
  const patterns =
    language === 'python'
      ? [/^\s*(?:async\s+)?def\s+(\w+)/gm, /^\s*class\s+(\w+)/gm]
      : [/\bfunction\s*\*?\s*(\w+)/g, /\bclass\s+(\w+)/g, /\b(\w+)\s*=\s*(?:async\s*)?(?:function\b|\([^)]*\)\s*(?::[^=]*)?=>|\w+\s*=>)/g, /^\s*(?:public\s+|private\s+|static\s+|async\s+)*(\w+)\s*(?:<[^>]*>)?\([^)]*\)\s*(?::[^{]*)?\{/gm];
  return patterns.flatMap((re) => [...code.matchAll(re)].map((m) => at(m, 1)));
}

/** What the checks need from the code, to choose among several blocks. */
export interface CodeNeeds {
  /** Only these languages can run the checks (assert lines are written in one). */
  languages?: CheckLanguage[];
  /** Names the checks call (a LeetCode method, the functions an assert line calls). */
  names?: string[];
  /** The checks feed standard input to a whole program. */
  stdin?: boolean;
}

export interface ReplyCode {
  language: CheckLanguage;
  code: string;
}

/**
 * The code of a reply that the checks should run, or null when it has none in a language that can run them. A reply
 * without fences counts as code only when it starts like code.
 */
export function extractCode(reply: string, needs: CodeNeeds = {}): ReplyCode | null {
  const answer = stripReasoning(reply);
  const allowed = (l: CheckLanguage | null): l is CheckLanguage => l !== null && (needs.languages === undefined || needs.languages.includes(l));
  let blocks = codeBlocks(answer).filter((b) => allowed(b.language) && b.code.trim() !== '');
  if (blocks.length === 0 && !/(^|\n)\s*(```|~~~)/.test(answer)) {
    const language = guessLanguage(answer);
    const first = answer.split('\n').find((l) => l.trim() !== '') ?? '';
    if (allowed(language) && CODE_START.test(first)) blocks = [{ tag: '', code: answer, language }];
  }
  if (blocks.length === 0) return null;
  const size = (l: CheckLanguage) => blocks.filter((b) => b.language === l).reduce((n, b) => n + b.code.length, 0);
  const language = (['python', 'javascript', 'typescript'] as const).filter((l) => size(l) > 0).sort((a, b) => size(b) - size(a))[0] ?? 'python';
  const mine = blocks.filter((b) => b.language === language);
  const wanted = new Set((needs.names ?? []).map(normalName));
  const defines = (b: CodeBlock) => definedNames(b.code, language);
  const chosen =
    (wanted.size > 0 ? mine.filter((b) => defines(b).some((n) => wanted.has(normalName(n)))).at(-1) : undefined) ??
    (needs.stdin ? mine.filter((b) => readsStdin(b.code, language)).at(-1) : undefined) ??
    mine.filter((b) => defines(b).length > 0).at(-1) ??
    at(mine, mine.length - 1);
  return { language, code: chosen.code };
}

/**
 * The code of a reply for the `code` grader: the last Python block (tagged, or untagged), else the whole reply when it
 * has no fence at all; null when that is empty.
 */
export function extractPythonCode(reply: string): string | null {
  const blocks = codeBlocks(reply);
  const tagged = blocks.filter((b) => TAGS[b.tag] === 'python');
  const chosen = tagged.at(-1) ?? blocks.filter((b) => b.tag === '').at(-1) ?? null;
  const code = chosen ? chosen.code : blocks.length > 0 ? '' : reply;
  return code.trim() === '' ? null : code;
}
