/**
 * The code a question brings with it, told apart from its prose: fenced blocks, indented blocks and unfenced source
 * such as a HumanEval prompt (`def f(paren_string: str) -> List[str]:` with its docstring and doctests). A question
 * that brings code is about that code; what the code names says nothing of which workspace it concerns.
 */

export interface QuestionParts {
  /** The question with the lines of its code blanked. */
  prose: string;
  /** The lines of code the question brings, joined; empty when it brings none. */
  code: string;
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
  return {
    prose: brings ? lines.map((l, i) => (isCode[i] ? '' : l)).join('\n') : question,
    code: brings ? code.join('\n') : '',
  };
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
