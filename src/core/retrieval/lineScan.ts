/**
 * What a chunker needs to know of each line of source code without a parser: whether it holds code (not only blanks
 * or a comment), and how deeply it is nested where it starts — by brackets for C-like languages (TypeScript,
 * JavaScript, Go, Java…) and by indentation inside brackets for Python. Strings, template literals, comments and
 * regular-expression literals are skipped so their brackets do not count.
 */

export interface LineInfo {
  /** The line has something besides whitespace and comments. */
  code: boolean;
  /** Brackets open (`(`, `[`, `{`) where the line starts. */
  depth: number;
  /** Leading whitespace width (tabs count 4). */
  indent: number;
  /** The line starts inside a string (a Python triple-quoted string, a template literal, a Java text block). */
  inString: boolean;
}

const indentOf = (line: string): number => {
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width++;
    else if (ch === '\t') width += 4;
    else break;
  }
  return width;
};

/** Characters after which a `/` starts a regular expression rather than dividing. */
const REGEX_AFTER = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);

/** Line facts for a C-like language (brace depth; `//` and block comments; '…', "…", `…${…}…`, """…"""). */
export function scanBraceLines(lines: readonly string[]): LineInfo[] {
  const out: LineInfo[] = [];
  let depth = 0;
  let block = false;
  /** Open template literals; each entry is the brace depth at which its `${` was opened (−1: in the literal's text). */
  const templates: number[] = [];
  let textBlock = false;
  for (const line of lines) {
    const inString = textBlock || (templates.length > 0 && templates.at(-1) === -1);
    const info: LineInfo = { code: false, depth, indent: indentOf(line), inString };
    let last = '';
    let i = 0;
    while (i < line.length) {
      const ch = line[i] as string;
      const next = line[i + 1] ?? '';
      if (block) {
        if (ch === '*' && next === '/') { block = false; i += 2; } else i++;
        continue;
      }
      if (textBlock) {
        info.code = true;
        if (line.startsWith('"""', i)) { textBlock = false; i += 3; } else i++;
        continue;
      }
      if (templates.at(-1) === -1) {
        info.code = true;
        if (ch === '\\') i += 2;
        else if (ch === '`') { templates.pop(); i++; last = '`'; }
        else if (ch === '$' && next === '{') { templates[templates.length - 1] = depth; depth++; i += 2; }
        else i++;
        continue;
      }
      if (ch === ' ' || ch === '\t' || ch === '\r') { i++; continue; }
      if (ch === '/' && next === '/') break;
      if (ch === '/' && next === '*') { block = true; i += 2; continue; }
      info.code = true;
      if (ch === '"' && line.startsWith('"""', i)) { textBlock = true; i += 3; continue; }
      if (ch === '"' || ch === '\'') {
        i = skipQuoted(line, i, ch);
        last = ch;
        continue;
      }
      if (ch === '`') { templates.push(-1); i++; continue; }
      if (ch === '/' && REGEX_AFTER.has(last)) {
        const end = regexEnd(line, i);
        if (end > 0) { i = end; last = '/'; continue; }
      }
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') {
        depth = Math.max(0, depth - 1);
        // A `}` that closes a template literal's `${` returns to the literal's text.
        if (ch === '}' && templates.length > 0 && templates.at(-1) === depth) templates[templates.length - 1] = -1;
      }
      last = /[\w$]/.test(ch) ? 'w' : ch;
      i++;
    }
    out.push(info);
  }
  return out;
}

/** The index after a quoted string that starts at `start` (it ends at the line's end when unclosed). */
function skipQuoted(line: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < line.length) {
    const ch = line[i];
    if (ch === '\\') i += 2;
    else if (ch === quote) return i + 1;
    else i++;
  }
  return i;
}

/** The index after a regular-expression literal starting at `start`, or −1 when the line has no closing `/`. */
function regexEnd(line: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < line.length) {
    const ch = line[i];
    if (ch === '\\') i += 2;
    else if (ch === '[') { inClass = true; i++; }
    else if (ch === ']') { inClass = false; i++; }
    else if (ch === '/' && !inClass) return i === start + 1 ? -1 : i + 1;
    else i++;
  }
  return -1;
}

/** Line facts for Python (`#` comments, '…', "…", triple-quoted strings, bracket depth for continuation lines). */
export function scanPythonLines(lines: readonly string[]): LineInfo[] {
  const out: LineInfo[] = [];
  let depth = 0;
  let triple: string | null = null;
  for (const line of lines) {
    const info: LineInfo = { code: triple !== null, depth, indent: indentOf(line), inString: triple !== null };
    let i = 0;
    while (i < line.length) {
      const ch = line[i] as string;
      if (triple !== null) {
        if (ch === '\\') i += 2;
        else if (line.startsWith(triple, i)) { i += 3; triple = null; }
        else i++;
        continue;
      }
      if (ch === ' ' || ch === '\t' || ch === '\r') { i++; continue; }
      if (ch === '#') break;
      info.code = true;
      if ((ch === '"' || ch === '\'') && line.startsWith(ch.repeat(3), i)) { triple = ch.repeat(3); i += 3; continue; }
      if (ch === '"' || ch === '\'') { i = skipQuoted(line, i, ch); continue; }
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
      i++;
    }
    out.push(info);
  }
  return out;
}
