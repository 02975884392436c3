import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileItem } from '../contextItem';
import { fitContext } from '../../promptBudget/fitContext';
import { fuzzyFiles, hashMentionsIn, keywordsStarting, resolveFileMention } from '../../retrieval/hashMentions';
import { filesWithProblems, MAX_PROBLEM_FILES, MAX_PROBLEMS, problemsItem, problemText, type ProblemSeverity } from '../problems';
import { mayGather } from '../trust';

const source = ['def parse(s):', '    x = int(s)', '    return y', '', 'def total(xs):', '    return sum(xs)'].join('\n');

test('a problem reads as its line, severity, source and message, then its lines numbered with the problem line marked', () => {
  const text = problemText({ line: 3, severity: 'error', message: ' "y" is not defined ', source: 'Pylance' }, source.split('\n'));
  assert.equal(text, ['line 3, error (Pylance): "y" is not defined', '  1 | def parse(s):', '  2 |     x = int(s)', '> 3 |     return y', '  4 | ', '  5 | def total(xs):'].join('\n'));
});

test('problems at the first and last lines keep only the lines that exist', () => {
  const lines = source.split('\n');
  assert.match(problemText({ line: 1, severity: 'hint', message: 'm' }, lines), /^line 1, hint: m\n> 1 \| def parse\(s\):\n {2}2 \|/);
  assert.ok(problemText({ line: 6, severity: 'warning', message: 'm' }, lines).endsWith('> 6 |     return sum(xs)'));
});

test('the problems item puts errors first, counts them all in its reason and names how many it left out', () => {
  assert.equal(problemsItem('a.py', source, []), undefined);
  const item = problemsItem('a.py', source, [{ line: 5, severity: 'warning', message: 'unused' }, { line: 3, severity: 'error', message: 'undefined y' }]);
  assert.ok(item);
  assert.equal(item.source, 'problems');
  assert.equal(item.reason, '2 problems');
  assert.ok(item.text.indexOf('undefined y') < item.text.indexOf('unused'));
  assert.deepEqual([item.startLine, item.endLine], [3, 5]);
  const many = Array.from({ length: MAX_PROBLEMS + 3 }, (_, i) => ({ line: 1 + (i % 6), severity: 'information' as const, message: `p${i}` }));
  const cut = problemsItem('a.py', source, many);
  assert.equal(cut?.reason, `${MAX_PROBLEMS + 3} problems`);
  assert.match(cut?.text ?? '', /\(3 more not shown\)$/);
});

test('#problems takes the other files with errors or warnings, most errors first, at most ten, and names each file', () => {
  const file = (path: string, ...severities: ProblemSeverity[]) => ({ path, problems: severities.map((severity, i) => ({ line: i + 1, severity, message: `m${i}` })) });
  const files = [file('src/a.ts', 'warning'), file('src/b.ts', 'error', 'error'), file('src/current.ts', 'error'), file('src/hints.ts', 'hint', 'information'), file('src/c.ts', 'error', 'warning', 'warning')];
  assert.deepEqual(filesWithProblems(files, 'src/current.ts').map((f) => f.path), ['src/b.ts', 'src/c.ts', 'src/a.ts']);
  const crowd = Array.from({ length: MAX_PROBLEM_FILES + 4 }, (_, i) => file(`f${String(i).padStart(2, '0')}.ts`, 'error'));
  assert.equal(filesWithProblems(crowd, undefined).length, MAX_PROBLEM_FILES);
  assert.equal(problemsItem('src/b.ts', source, [{ line: 3, severity: 'error', message: 'undefined y' }], true)?.reason, '1 problem in b.ts');
});

test('# mentions: files by #file: or a name with an extension or a path, and the three keywords; other #words are not mentions', () => {
  const m = hashMentionsIn('why does #file:src/parse.ts fail with #cells.py, see #problems and #terminal; #codebase. issue #12 #todo a#b.py');
  assert.deepEqual(m.files, ['src/parse.ts', 'cells.py']);
  assert.deepEqual([m.problems, m.terminal, m.codebase], [true, true, true]);
  assert.deepEqual(hashMentionsIn('what does #file:Makefile do').files, ['Makefile']);
  assert.deepEqual(hashMentionsIn('plain question').files, []);
});

test('# in pasted JavaScript is no mention: private fields (`this.#res.headers.entries()`, `#var in this`), nor any # in quoted code', () => {
  // As a user pasted it: a class with private fields, below the question, not fenced.
  const pasted = [
    'Why are the headers empty after the retry? #file:src/fetcher.ts',
    '',
    'class CachedResponse {',
    '  #res;',
    '  #var = new Map();',
    '  constructor(res) {',
    '    this.#res = res;',
    '  }',
    '  headers() {',
    '    return Object.fromEntries(this.#res.headers.entries());',
    '  }',
    '  has(name) {',
    '    return #var in this && this.#var.has(name.toLowerCase());',
    '  }',
    '}',
  ].join('\n');
  assert.deepEqual(hashMentionsIn(pasted).files, ['src/fetcher.ts'], 'the mention the user wrote, and nothing of the code');
  // Fenced, with a Python comment naming a file and a private field of another object; and in an inline code span.
  const fenced = ['Compare these:', '```js', 'const entries = other.#res.headers.entries(); // see #helpers.js', '```', 'and `#cache.keys()` in #cells.py'].join('\n');
  assert.deepEqual(hashMentionsIn(fenced).files, ['cells.py']);
  assert.deepEqual(hashMentionsIn('```\nx = self.#v.y  # then #util.py\n').files, [], 'a block left open runs to the end');
});

test('# completion offers the keywords a query starts, every keyword for `#` alone, none for a file\'s name; each keyword is one the question parses', () => {
  assert.deepEqual(keywordsStarting('co').map((k) => k.name), ['codebase']);
  assert.deepEqual(keywordsStarting('').map((k) => k.name), ['codebase', 'problems', 'terminal']);
  assert.deepEqual(keywordsStarting('T').map((k) => k.name), ['terminal']);
  assert.deepEqual(keywordsStarting('scor'), []);
  for (const k of keywordsStarting('')) assert.equal(hashMentionsIn(`see #${k.name}`)[k.name], true, k.name);
});

test('a file mention resolves to the exact path, else the shortest path ending with it; nothing when no file matches', () => {
  const files = ['lib/cells.py', 'src/cells.py', 'src/parse.ts', 'tests/src/parse.ts', 'README.md'];
  assert.equal(resolveFileMention('src/parse.ts', files), 'src/parse.ts');
  assert.equal(resolveFileMention('./README.md', files), 'README.md');
  assert.equal(resolveFileMention('parse.ts', files), 'src/parse.ts');
  assert.equal(resolveFileMention('cells.py', files), 'lib/cells.py');
  assert.equal(resolveFileMention('ells.py', files), undefined);
  assert.equal(resolveFileMention('missing.go', files), undefined);
});

test('fuzzy file matching: subsequences only, file-name and word-start matches first, at most the limit', () => {
  const files = ['src/core/promptBudget/fitContext.ts', 'src/cells.py', 'docs/cli.md', 'test/cells_test.py', 'src/calc.py'];
  assert.deepEqual(fuzzyFiles('cells', files), ['src/cells.py', 'test/cells_test.py']);
  assert.equal(fuzzyFiles('fc', files)[0], 'src/core/promptBudget/fitContext.ts');
  assert.equal(fuzzyFiles('CLI', files)[0], 'docs/cli.md');
  assert.deepEqual(fuzzyFiles('zzz', files), []);
  assert.equal(fuzzyFiles('', files, 2).length, 2);
});

test('an untrusted workspace gives only what the user attached: files, selection, #problems, #terminal; not the current file or the index', () => {
  for (const g of ['file', 'selection', 'problems', 'terminal'] as const) assert.equal(mayGather(g, false), true, g);
  for (const g of ['currentFile', 'codebase'] as const) assert.equal(mayGather(g, false), false, g);
  for (const g of ['file', 'selection', 'problems', 'terminal', 'currentFile', 'codebase'] as const) assert.equal(mayGather(g, true), true, g);
});

test('the budget keeps the lines around the cursor of a current file too long for it, and says what it left out', () => {
  const long = Array.from({ length: 400 }, (_, i) => `line_${i + 1} = ${'x'.repeat(40)}`).join('\n');
  const fitted = fitContext([fileItemAt(long, 300)], 1_000);
  const file = fitted.items.find((i) => i.source === 'currentFile');
  assert.ok(file && file.startLine <= 300 && file.endLine >= 300 && file.endLine - file.startLine < 399);
  assert.ok(fitted.notes.some((n) => /^big\.py lines 1–\d+ left out: context window$/.test(n)), fitted.notes.join('; '));
});

function fileItemAt(text: string, focusLine: number): ReturnType<typeof fileItem> {
  return fileItem('currentFile', 'big.py', text, 'current file', { focusLine });
}

test('a file\'s problems are kept beside the whole file: they are not lines the file already carries', () => {
  const problems = problemsItem('a.py', source, [{ line: 3, severity: 'error', message: 'undefined y' }]);
  assert.ok(problems);
  const fitted = fitContext([fileItem('file', 'a.py', source, 'attached'), problems], 10_000);
  assert.deepEqual(fitted.items.map((i) => i.source), ['file', 'problems']);
});
