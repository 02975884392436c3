/**
 * The code a question brings with it, told apart from its prose: fenced blocks, indented blocks and unfenced source
 * such as a HumanEval prompt (`def f(paren_string: str) -> List[str]:` with its docstring and doctests). A question
 * that brings code is about that code; what the code names says nothing of which workspace it concerns.
 */
import { mentionsIn, type Mentions } from './mentions';

export interface QuestionParts {
  /** The question with the lines of its code and of its template (templateLines) blanked. */
  prose: string;
  /** The lines of code the question brings, joined; empty when it brings none. */
  code: string;
  /** The question with the lines of its template blanked: its prose and its code. */
  said: string;
}

const FENCE = /^\s*(```|~~~)/;
/** A line that is source by its shape: a definition, an import, a statement, a doctest, a closing bracket, or a line ending as statements do. */
const CODE_LINE = new RegExp(
  [
    '^\\s*(def|class|async def|import|function|func|fn|pub fn|pub struct|impl|struct|enum|interface|const|let|var|return|package|public|private|protected|static|#include|using|assert|print|println!|console\\.log)[\\s(]',
    '^\\s*from\\s+[\\w.]+\\s+import\\s',
    '^\\s*(if|elif|else|for|while|try|except|with|switch|case)\\b.*[:{]\\s*$',
    '^\\s*(>>>|\\.\\.\\.)\\s',
    '^\\s*[}\\])][;,)]*\\s*$',
    '[{;]\\s*$',
    '^\\s*[\\w.[\\]]+\\s*(=|\\+=|:=)\\s*\\S.*$',
    '^\\s*(\'\'\'|""")',
    '^\\s*(//|#!)',
  ].join('|'),
);
const INDENTED = /^( {4}|\t)\s*\S/;
const TRIPLE_QUOTES = /"""|'''/g;

/** The question's prose and the code it brings. A question brings code with a fenced block or two lines of source. */
export function questionParts(question: string): QuestionParts {
  const lines = question.split(/\r?\n/);
  const isCode = new Array<boolean>(lines.length).fill(false);
  let fenced = false;
  let docstring = false;
  let fences = 0;
  let previous: 'code' | 'prose' | 'blank' = 'blank';
  lines.forEach((line, i) => {
    if (FENCE.test(line)) {
      fenced = !fenced;
      fences++;
      isCode[i] = true;
    } else if (fenced || docstring) isCode[i] = true;
    else if (line.trim() === '') isCode[i] = false;
    else isCode[i] = CODE_LINE.test(line) || (INDENTED.test(line) && previous !== 'prose');
    // A docstring opened and not closed on a line of code runs until its closing quotes.
    if (isCode[i] && !fenced && (line.match(TRIPLE_QUOTES)?.length ?? 0) % 2 === 1) docstring = !docstring;
    previous = line.trim() === '' ? (previous === 'code' ? 'code' : 'blank') : isCode[i] ? 'code' : 'prose';
  });
  const code = lines.filter((_, i) => isCode[i] && !FENCE.test(lines[i] as string));
  const brings = fences > 0 || code.filter((l) => l.trim() !== '').length >= 2;
  const template = templateLines(lines, isCode);
  return {
    prose: lines.map((l, i) => ((brings && isCode[i]) || template[i] ? '' : l)).join('\n'),
    code: brings ? code.join('\n') : '',
    said: lines.map((l, i) => (template[i] ? '' : l)).join('\n'),
  };
}

/**
 * A template's label: a heading, or a line in bold alone, of a few plain words (`### Steps to reproduce`, `**Describe
 * the bug**`); a heading that names code or says more (`## Router.match drops the trailing slash`) is the report's.
 */
const LABEL = /^\s*(?:#{1,6}\s+|\*\*(?=[^*]+\*\*:?\s*$)|__(?=[^_]+__:?\s*$))[A-Za-z][A-Za-z/'-]*(?:[ \t]+[A-Za-z/][A-Za-z/'-]*){0,4}[ \t]*(?:\*\*|__)?:?\s*$/;
/** A form's field: a list item of a short label and a short value (`- OS: Mac`, `- Python version: 3.8.2`). */
const FIELD = /^\s*[-*]\s+[\w ./()-]{1,30}:\s*(?:\S+\s*){1,3}$/;
/** An answer of a form: at most three words under a label (`Linux`, `3.5.1`, `_No response_`). */
const ANSWER = /^\s*(?:\S+\s*){1,3}$/;
/**
 * A line of an environment's listing, in prose or pasted as code: a package or program and its version (`NumPy 1.13.3`,
 * `numpy: 1.16.2`, `pluggy==0.13.1`, `Python 3.10.4 (main, Apr 26 2022) [Clang 13.1.6]`) — no statement of any language.
 */
const VERSION_LINE = /^\s*[A-Za-z][\w-]+(?:\.[\w-]+)*(?: [A-Za-z][\w.-]*)?\s*(?::|==|\s)\s*v?\d+\.\d+[\w.+-]*\s*(?:[([].*[)\]](?: on \w+)?)?\s*$/;

/**
 * The lines of a pasted issue's template, which say nothing of what it reports: its labels, its fields, the short
 * answers under a label (an issue form's "### Operating system" and "Ubuntu"), its HTML comments (the template's
 * instructions) and the listing of the reporter's environment (VERSION_LINE, in prose or in a block: a `pip list`
 * of a hundred packages would crowd out every telling word of the report). Other lines of code are never the template's.
 */
function templateLines(lines: readonly string[], isCode: readonly boolean[]): boolean[] {
  const template = lines.map((line) => VERSION_LINE.test(line));
  let comment = false;
  lines.forEach((line, i) => {
    if (isCode[i] || template[i]) return;
    const opens = line.lastIndexOf('<!--');
    const closes = line.lastIndexOf('-->');
    template[i] = comment || opens >= 0 || LABEL.test(line) || FIELD.test(line);
    if (opens >= 0 || closes >= 0) comment = opens > closes;
  });
  const filled = lines.map((_, i) => i).filter((i) => (lines[i] as string).trim() !== '');
  const isLabel = (i: number | undefined): boolean => i !== undefined && !isCode[i] && LABEL.test(lines[i] as string);
  filled.forEach((i, k) => {
    if (!isCode[i] && ANSWER.test(lines[i] as string) && isLabel(filled[k - 1]) && (k + 1 === filled.length || isLabel(filled[k + 1]))) template[i] = true;
  });
  return template;
}

/**
 * What the question names (core/retrieval/mentions): every identifier, and the files its prose names or its code names
 * by a path with a folder (`rich/cells.py`, a traceback's `File "/usr/lib/python3/site-packages/rich/cells.py"`); a
 * bare `conf.py` in a snippet's comment is the user's own file.
 */
export function questionMentions(question: string): Mentions {
  const all = mentionsIn(question);
  const { prose, code } = questionParts(question);
  if (code === '') return all;
  const inProse = new Set(mentionsIn(prose).files);
  return { identifiers: all.identifiers, files: [...new Set([...all.files.filter((f) => f.includes('/') || inProse.has(f)), ...tracebackPaths(code)])] };
}

/** The files a traceback names, however long their path (`File "/usr/lib/python3/site-packages/sympy/core/basic.py"`). */
export function tracebackPaths(code: string): string[] {
  return [...code.matchAll(/File "([^"]+)", line \d+/g), ...code.matchAll(/\(?((?:[A-Za-z]:)?[\\/][^\s():]+\.\w+):\d+(?::\d+)?\)?/g)].map((m) => (m[1] as string).replace(/\\/g, '/'));
}

/** Every name the code defines or uses, as written (`paren_string`, `List`, `strings.Split` and its parts). */
export function namesIn(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/g)) {
    names.add(m[0]);
    for (const part of m[0].split('.')) names.add(part);
  }
  return names;
}

/**
 * The modules a question's code imports, each as its path's parts: Python's `import a.b` and `from a.b import c`
 * (a relative `from . import` names nothing), JavaScript's `import … from 'x'`, `require('x')` and `import('x')`, Go's
 * quoted import paths, Rust's `use a::b` and `extern crate a`, Java's and Kotlin's `import a.b.C`, PHP's `use A\B`,
 * Ruby's `require 'x'`, C's `#include "x.h"`. `from sympy.core import Symbol` gives ['sympy', 'core'].
 */
export function importsIn(code: string): string[][] {
  const modules: string[][] = [];
  const add = (path: string, separator: RegExp): void => {
    const parts = path
      .replace(/^(?:node:|\.\.?\/)+/, '')
      .replace(/\.(?:[cm]?[jt]sx?|h|hpp|rb|php)$/, '')
      .split(separator)
      .filter((p) => p !== '' && p !== '*' && !p.startsWith('{'));
    if (parts.length > 0 && !modules.some((m) => m.join('/') === parts.join('/'))) modules.push(parts);
  };
  for (const line of code.split('\n')) {
    // A session's prompts go: Python's `>>> ` and `... `, IPython's `In [3]: ` and `   ...: `.
    const text = line.replace(/^\s*(?:>>>|\.\.\.|In \[\d+\]:|\.\.\.:)\s?/, '').trim();
    let m: RegExpExecArray | null;
    if ((m = /^from\s+([A-Za-z_][\w.]*)\s+import\s/.exec(text))) add(m[1] as string, /\./);
    else if ((m = /^import\s+((?:static\s+)?[A-Za-z_][\w.]*(?:\s+as\s+\w+)?(?:\s*,\s*[A-Za-z_][\w.]*(?:\s+as\s+\w+)?)*)\s*;?$/.exec(text))) {
      for (const name of (m[1] as string).replace(/^static\s+/, '').split(/\s*,\s*/)) add(name.split(/\s+/)[0] as string, /\./);
    }
    else if ((m = /^(?:pub\s+)?use\s+([A-Za-z_][\w:\\]*)/.exec(text))) add(m[1] as string, /::|\\/);
    else if ((m = /^extern\s+crate\s+(\w+)/.exec(text))) add(m[1] as string, /::/);
    else if ((m = /^#\s*include\s+["<]([^">]+)[">]/.exec(text))) add(m[1] as string, /\//);
    else if ((m = /^require(?:_relative)?\s*\(?\s*['"]([^'"]+)['"]/.exec(text))) add(m[1] as string, /\//);
    for (const q of text.matchAll(/(?:\bfrom\s+|\brequire\s*\(\s*|\bimport\s*\(\s*|^import\s+)['"]([^'"]+)['"]/g)) add(q[1] as string, /\//);
    if ((m = /^(?:import\s+(?:\w+\s+)?)?"([\w.-]+(?:\/[\w.-]+)+)"$/.exec(text))) add(m[1] as string, /\//);
  }
  return modules;
}

/** The names a question's code defines itself: its functions, classes and the names it assigns. */
export function definedIn(code: string): Set<string> {
  const defined = new Set<string>();
  const patterns = [
    /\b(?:def|class|function|func|fn|struct|enum|interface|trait|type|module)\s+(?:\([^)]*\)\s*)?([A-Za-z_$][\w$]*)/g,
    /\b(?:const|let|var|val)\s+(?:mut\s+)?([A-Za-z_$][\w$]*)/g,
    /^\s*(?:>>>\s*)?([A-Za-z_$][\w$]*)\s*(?::[^=\n]+)?=(?!=)/gm,
  ];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) defined.add(m[1] as string);
  return defined;
}
