/**
 * The prose inside code: a pasted stub's docstrings and comments, where people write their examples
 * (`strange_sort_list([1, 2, 3, 4]) == [1, 4, 2, 3]` in a docstring, `chunk([1,2,3,4,5], 2) // [[1,2],[3,4],[5]]`,
 * `// ➞ 5` under a call in a JSDoc).
 * Code itself is left out: `if f(3) == 5:` in a body is logic, not an example.
 */
import type { CheckLanguage } from '../../contracts/checks';
import { codeBlocks } from '../replyCode';

/** Lines that start Python code at the left margin. */
const PYTHON_START = /^(?:(?:async\s+)?def\s+\w+\s*\(|class\s+\w+|from\s+[\w.]+\s+import\b|import\s+[\w.]|@\w)/;
/** Lines that start JavaScript/TypeScript code at the left margin. */
const SCRIPT_START = /^(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:function\b|const\s|let\s|var\s|class\s|import\s|interface\s|type\s+\w+\s*=)/;

/** Python: docstring lines and comment text kept, code dropped, lines outside code kept as they are. */
function pythonDocs(code: string): string[] {
  const out: string[] = [];
  let inCode = false;
  let docQuote = '';
  for (const line of code.split('\n')) {
    if (docQuote !== '') {
      const end = line.indexOf(docQuote);
      out.push(end < 0 ? line : line.slice(0, end));
      if (end >= 0) docQuote = '';
      continue;
    }
    if (PYTHON_START.test(line)) inCode = true;
    else if (inCode && line.trim() !== '' && !/^\s/.test(line) && !/^["')\]}]/.test(line.trim())) inCode = false;
    if (!inCode) {
      out.push(line);
      continue;
    }
    const open = /^\s*[rRuU]?("""|''')(.*)$/.exec(line);
    if (open) {
      const [, quote = '', rest = ''] = open;
      const end = rest.indexOf(quote);
      out.push(end < 0 ? rest : rest.slice(0, end));
      if (end < 0) docQuote = quote;
      continue;
    }
    const comment = /^\s*#\s?(.*)$/.exec(line) ?? /\s#\s?(.*)$/.exec(line);
    // a call with its value in a trailing comment (`print(f(3))  # 6`) is an example line as a whole
    if (comment && /^\s*#/.test(line)) out.push(comment[1] ?? '');
    else if (comment && /^\s*(?:print\s*\()?[A-Za-z_][\w.]*\s*\(/.test(line) && !/^\s*(?:def|class|return|if|elif|while|for)\b/.test(line)) out.push(line);
    else out.push('');
  }
  return out;
}

/** Test functions and blocks, whose lines are examples to read, not code to leave out. */
const SCRIPT_TEST = /^\s*(?:export\s+)?(?:async\s+)?function\s+test\w*\s*\(|^\s*(?:const|let|var)\s+test\w*\s*=/i;

/** JavaScript/TypeScript: comment text kept (`//`, `/* … *\/`, JSDoc's `*`), declarations other than tests dropped. */
function scriptDocs(code: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let declaration = -1;
  let inComment = false;
  for (const line of code.split('\n')) {
    if (inComment) {
      const end = line.indexOf('*/');
      out.push((end < 0 ? line : line.slice(0, end)).replace(/^\s*\*(?!\/)\s?/, ''));
      if (end >= 0) inComment = false;
      continue;
    }
    const block = /^\s*\/\*+\s?(.*)$/.exec(line);
    if (block) {
      const rest = block[1] ?? '';
      const end = rest.indexOf('*/');
      out.push(end < 0 ? rest : rest.slice(0, end));
      if (end < 0) inComment = true;
      continue;
    }
    const comment = /^\s*\/\/\s?(.*)$/.exec(line);
    if (comment) {
      out.push(comment[1] ?? '');
      continue;
    }
    if (declaration < 0 && SCRIPT_START.test(line.trim()) && !SCRIPT_TEST.test(line)) declaration = depth;
    const inDeclaration = declaration >= 0;
    depth = Math.max(0, depth + (line.match(/[{([]/g)?.length ?? 0) - (line.match(/[})\]]/g)?.length ?? 0));
    out.push(inDeclaration ? '' : line);
    if (inDeclaration && depth <= declaration) declaration = -1;
  }
  return out;
}

/**
 * The documentation text of a question: its prose, each fenced block's docstrings and comments (a block of plain
 * text, like edabit's examples, counts as prose), and, when the question is unfenced code, the same of that code.
 */
export function docText(text: string): string {
  return codeParts(text)
    .map((p) => readCode(p.code, p.language))
    .join('\n\n');
}

/** The comments of the question's JavaScript/TypeScript code only (where `// >>> f(15)` doctests are written). */
export function scriptComments(text: string): string {
  return codeParts(text)
    .flatMap((p) => (p.language === 'javascript' || p.language === 'typescript' ? [readCode(p.code, p.language)] : []))
    .join('\n\n');
}

/** The text outside fences (in the language it looks like, or prose) and each fenced block. */
function codeParts(text: string): { code: string; language: CheckLanguage | null }[] {
  const outside = text.replace(/^[ \t]*(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^[ \t]*\1[ \t]*$|(?![\s\S]))/gm, '\n');
  return [{ code: outside, language: guessUnfenced(outside) }, ...codeBlocks(text).map((b) => ({ code: b.code, language: b.language }))];
}

function guessUnfenced(text: string): CheckLanguage | null {
  if (/^(?:(?:async\s+)?def\s+\w+\s*\(|class\s+\w+)/m.test(text)) return 'python';
  if (/^(?:export\s+)?(?:async\s+)?function\s+\w+|^(?:export\s+)?const\s+\w+\s*=\s*(?:async\s*)?(?:<[^>]*>\s*)?\(/m.test(text)) return 'javascript';
  return null;
}

function readCode(code: string, language: CheckLanguage | null): string {
  if (language === null) return code;
  return (language === 'python' ? pythonDocs(code) : scriptDocs(code)).join('\n');
}
