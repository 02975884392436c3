/**
 * The definitions a selection uses: the functions and classes it calls that no attached item defines — what a model
 * needs besides the selected lines to answer about them ("Ask About Selection sent the code without … the
 * definitions it uses"). The workspace index is then searched for where they are defined (retrieval by name).
 */
import { definitionsOf } from './chunking';
import type { ParsedSource } from './parsedSource';

/** Names called in most languages that no workspace defines, and keywords followed by a parenthesis. */
const NOT_DEFINITIONS = new Set([
  'if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'typeof', 'sizeof', 'await', 'new', 'super', 'this', 'elif', 'and', 'or', 'not', 'in', 'is', 'with', 'assert', 'lambda', 'yield', 'del', 'except', 'print', 'len', 'range', 'str', 'int', 'float', 'bool', 'list', 'dict', 'set', 'tuple', 'sorted', 'reversed', 'enumerate', 'zip', 'map', 'filter', 'sum', 'min', 'max', 'abs', 'round', 'open', 'isinstance', 'hasattr', 'getattr', 'setattr', 'repr', 'ord', 'chr', 'any', 'all', 'iter', 'next', 'type', 'object', 'format', 'require', 'import', 'parseInt', 'parseFloat', 'String', 'Number', 'Boolean', 'Array', 'Object', 'Promise', 'Error', 'Math', 'JSON', 'console', 'log', 'push', 'pop', 'slice', 'splice', 'join', 'split', 'forEach', 'reduce', 'then', 'append', 'extend', 'get', 'keys', 'values', 'items', 'strip', 'replace', 'make', 'fmt', 'Println', 'Printf', 'Sprintf', 'Errorf', 'func', 'defer', 'go', 'main',
]);

/** At most this many names are looked up: a selection that calls thirty things is about something else. */
export const MAX_LOOKED_UP = 8;

/**
 * Comments and string literals, blanked so that prose in them ("the width (in cells)") is not read as a call. A `#`
 * after a dot is a private member (`this.#size()`), not a comment; template literals keep their text, since
 * `${size(x)}` in one is a call.
 */
const COMMENTS_AND_STRINGS = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|(?<!\.)#[^\n]*|"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g;

/**
 * A method declared in a class body (`size(): number {`, `async group(items) {`, `get width() {`): the selection
 * defines it, so its name is no call to look up.
 */
const METHOD_DECLARATION = /^[ \t]*(?:(?:public|private|protected|static|async|override|readonly|abstract|get|set)\s+)*\*?([A-Za-z_$][\w$]*)\s*(?:<[^>\n]*>)?\s*\([^)]*\)\s*(?::[^{;=\n]*)?\{/gm;

/**
 * The names `code` calls (`name(`, `obj.name(`, `new Name(`), first appearance first, without language builtins.
 * A name only read (`x.size`), assigned (`self.width = width`) or taken as a parameter (`def f(size)`) is no call.
 */
export function calledNames(code: string): string[] {
  const names: string[] = [];
  const bare = code.replace(COMMENTS_AND_STRINGS, (m) => m.replace(/[^\n]/g, ' '));
  for (const m of bare.matchAll(/(?<![\w$])([A-Za-z_$][\w$]*)\s*\(/g)) {
    const name = m[1] as string;
    if (name.length < 3 || NOT_DEFINITIONS.has(name) || names.includes(name)) continue;
    names.push(name);
  }
  return names;
}

/**
 * The names `selection` calls that none of `attached` (path, text, and what a parser read of it where one did: the one
 * reader of definitions, core/retrieval/chunking definitionsOf) defines, at most MAX_LOOKED_UP.
 */
export function definitionsToFind(selection: string, attached: readonly { path: string; text: string; parsed?: ParsedSource }[]): string[] {
  const called = calledNames(selection);
  if (called.length === 0) return [];
  const defined = new Set(attached.flatMap((a) => definitionsOf(a.path, a.text, a.parsed).map((d) => d.name)));
  // What the selection itself defines is there already.
  for (const m of selection.matchAll(/\b(?:def|function|class|func|fn)\s+([A-Za-z_$][\w$]*)/g)) defined.add(m[1] as string);
  for (const m of selection.matchAll(METHOD_DECLARATION)) defined.add(m[1] as string);
  return called.filter((n) => !defined.has(n)).slice(0, MAX_LOOKED_UP);
}
