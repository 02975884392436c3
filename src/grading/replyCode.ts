/**
 * The code to run from a model's reply: its fenced blocks (tagged, or untagged and recognised by their content), the
 * language it is written in, and of several blocks the one that is the answer — the one defining what the checks call,
 * reading standard input for a program, else the last one that defines something (not the usage example after it).
 */
import { at } from '../core/arrays';
import type { CheckLanguage } from '../core/checks';
import { stripReasoning } from '../core/graders';

interface Block {
  /** The info string's first word, lower-cased ('' for none). */
  tag: string;
  code: string;
  language: CheckLanguage | null;
}

const TAGS: Record<string, CheckLanguage> = {
  python: 'python',
  py: 'python',
  python3: 'python',
  py3: 'python',
  javascript: 'javascript',
  js: 'javascript',
  node: 'javascript',
  nodejs: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  typescript: 'typescript',
  ts: 'typescript',
  tsx: 'typescript',
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

/** The fenced blocks of a reply (``` or ~~~, any length; a block left open at the end runs to the end). */
function fencedBlocks(reply: string): Block[] {
  const blocks: Block[] = [];
  let open: { fence: string; tag: string; lines: string[] } | null = null;
  for (const line of reply.split(/\r?\n/)) {
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

function toBlock(tag: string, code: string): Block {
  const transcript = /^\s*(>>>|\$ )/.test(code.split('\n').find((l) => l.trim() !== '') ?? '');
  const language = transcript ? null : tag === '' ? guessLanguage(code) : (TAGS[tag] ?? null);
  return { tag, code: code.endsWith('\n') ? code : `${code}\n`, language };
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

const READS_STDIN: Record<CheckLanguage, RegExp> = {
  python: /\binput\s*\(|\bsys\.stdin\b|\bopen\s*\(\s*0\b|\bstdin\b|\/dev\/stdin/,
  javascript: /readFileSync\s*\(\s*(0|['"]\/dev\/stdin['"])|process\.stdin|\breadline\b/,
  typescript: /readFileSync\s*\(\s*(0|['"]\/dev\/stdin['"])|process\.stdin|\breadline\b/,
};

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
  let blocks = fencedBlocks(answer).filter((b) => allowed(b.language) && b.code.trim() !== '');
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
  const defines = (b: Block) => definedNames(b.code, language);
  const chosen =
    (wanted.size > 0 ? mine.filter((b) => defines(b).some((n) => wanted.has(normalName(n)))).at(-1) : undefined) ??
    (needs.stdin ? mine.filter((b) => READS_STDIN[language].test(b.code)).at(-1) : undefined) ??
    mine.filter((b) => defines(b).length > 0).at(-1) ??
    at(mine, mine.length - 1);
  return { language, code: chosen.code };
}

/**
 * The code of a reply for the `code` grader: the last Python block (tagged, or untagged), else the whole reply when it
 * has no fence at all; null when that is empty.
 */
export function extractPythonCode(reply: string): string | null {
  const blocks = fencedBlocks(reply);
  const tagged = blocks.filter((b) => TAGS[b.tag] === 'python');
  const chosen = tagged.at(-1) ?? blocks.filter((b) => b.tag === '').at(-1) ?? null;
  const code = chosen ? chosen.code : blocks.length > 0 ? '' : reply;
  return code.trim() === '' ? null : code;
}
