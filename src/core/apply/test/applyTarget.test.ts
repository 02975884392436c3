import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applied, applyTarget, isStale, targetPhrase } from '../applyTarget';

const at = (file: string, needle: string): number => {
  const i = file.indexOf(needle);
  assert.ok(i >= 0, `no ${needle}`);
  return i;
};

test('a selection is replaced, in place, with the block at its indentation', () => {
  const file = 'def main():\n    x = 1\n    y = x + 1\n    return y\n';
  const selected = '    x = 1\n    y = x + 1\n';
  const start = at(file, selected);
  const target = applyTarget('app.py', file, 'x = 2\ny = x * 3\n', { selection: { start, end: start + selected.length, text: selected }, cursor: 0 });
  assert.equal(target.kind, 'selection');
  assert.equal(applied(file, target), 'def main():\n    x = 2\n    y = x * 3\n    return y\n');
  assert.equal(targetPhrase(target), 'replaces the selection (lines 2–4)');
});

test('a selection that moved (lines typed above it) is found where it is now, when it is there once', () => {
  const file = '// a new first line\nconst a = 1;\nconst b = 2;\n';
  const target = applyTarget('x.ts', file, 'const b = 3;', { selection: { start: 13, end: 25, text: 'const b = 2;' }, cursor: 0 });
  assert.equal(target.kind, 'selection');
  assert.equal(applied(file, target), '// a new first line\nconst a = 1;\nconst b = 3;\n');
});

test('Python: the function the block redefines is replaced by name, the stub gone and its neighbours kept', () => {
  const file = ['import re', '', '', '# Parses the scores.', 'def parse_scores(text):', '    pass', '', '', 'def total(xs):', '    return sum(xs)', ''].join('\n');
  const code = 'def parse_scores(text):\n    return [int(x) for x in re.findall(r"\\d+", text)]\n';
  const target = applyTarget('scores.py', file, code, { cursor: 0 });
  assert.equal(target.kind, 'definition');
  assert.equal(target.name, 'parse_scores');
  const result = applied(file, target);
  assert.equal(result, ['import re', '', '', '# Parses the scores.', 'def parse_scores(text):', '    return [int(x) for x in re.findall(r"\\d+", text)]', '', '', 'def total(xs):', '    return sum(xs)', ''].join('\n'));
  assert.equal(result.match(/def parse_scores/g)?.length, 1);
  assert.equal(targetPhrase(target), 'replaces parse_scores (lines 5–6)');
});

test('Python: a method redefined by name keeps the class indentation', () => {
  const file = 'class Cells:\n    def width(self):\n        return 0\n\n    def height(self):\n        return 1\n';
  const target = applyTarget('cells.py', file, 'def width(self):\n    return len(self.text)\n', { cursor: 0 });
  assert.equal(target.name, 'Cells.width');
  assert.equal(applied(file, target), 'class Cells:\n    def width(self):\n        return len(self.text)\n\n    def height(self):\n        return 1\n');
});

test('TypeScript: an exported function stub is replaced, not duplicated', () => {
  const file = "import { x } from '../../context/test/x';\n\nexport function parseScores(text: string): number[] {\n  throw new Error('todo');\n}\n\nexport const other = 1;\n";
  const code = "export function parseScores(text: string): number[] {\n  return text.split(',').map(Number);\n}\n";
  const target = applyTarget('src/parse.ts', file, code, { cursor: 0 });
  assert.equal(target.kind, 'definition');
  assert.equal(applied(file, target), "import { x } from '../../context/test/x';\n\nexport function parseScores(text: string): number[] {\n  return text.split(',').map(Number);\n}\n\nexport const other = 1;\n");
});

test('TypeScript: a class method in the block (inside its class) replaces the whole class it names', () => {
  const file = 'export class Parser {\n  parse(s: string): number {\n    return 0;\n  }\n}\n';
  const code = 'export class Parser {\n  parse(s: string): number {\n    return Number(s);\n  }\n}\n';
  const target = applyTarget('p.ts', file, code, { cursor: 0 });
  assert.equal(target.name, 'Parser');
  assert.equal(applied(file, target), code);
});

test('Go: a func is matched by name, a method by its name after the receiver', () => {
  const file = 'package main\n\nfunc Sum(xs []int) int {\n\treturn 0\n}\n\nfunc (p *Parser) Parse(s string) int {\n\treturn 0\n}\n';
  const sum = applyTarget('main.go', file, 'func Sum(xs []int) int {\n\tt := 0\n\tfor _, x := range xs {\n\t\tt += x\n\t}\n\treturn t\n}\n', { cursor: 0 });
  assert.equal(sum.name, 'Sum');
  assert.equal(applied(file, sum), 'package main\n\nfunc Sum(xs []int) int {\n\tt := 0\n\tfor _, x := range xs {\n\t\tt += x\n\t}\n\treturn t\n}\n\nfunc (p *Parser) Parse(s string) int {\n\treturn 0\n}\n');
  const parse = applyTarget('main.go', file, 'func (p *Parser) Parse(s string) int {\n\treturn len(s)\n}', { cursor: 0 });
  assert.equal(parse.name, 'Parse');
  assert.match(applied(file, parse), /func Sum\(xs \[\]int\) int \{\n\treturn 0\n\}\n\nfunc \(p \*Parser\) Parse\(s string\) int \{\n\treturn len\(s\)\n\}\n$/);
});

test('Java: a method given alone replaces the method of that name inside its class, indented as it was', () => {
  const file = 'public class Scores {\n    @Override\n    public String toString() {\n        return "";\n    }\n\n    public int total(int[] xs) {\n        return 0;\n    }\n}\n';
  const code = 'public int total(int[] xs) {\n    int t = 0;\n    for (int x : xs) t += x;\n    return t;\n}\n';
  const target = applyTarget('Scores.java', file, code, { cursor: 0 });
  assert.equal(target.name, 'Scores.total');
  assert.equal(
    applied(file, target),
    'public class Scores {\n    @Override\n    public String toString() {\n        return "";\n    }\n\n    public int total(int[] xs) {\n        int t = 0;\n        for (int x : xs) t += x;\n        return t;\n    }\n}\n',
  );
});

test('without a selection or a definition of the same name, the block is inserted at the cursor', () => {
  const file = 'def a():\n    return 1\n\n\n';
  const cursor = file.length;
  const target = applyTarget('m.py', file, 'def b():\n    return 2\n', { cursor });
  assert.equal(target.kind, 'cursor');
  assert.equal(applied(file, target), 'def a():\n    return 1\n\n\ndef b():\n    return 2\n');
  assert.equal(targetPhrase(target), 'inserts at line 5');
});

test('stale: the change no longer applies once the text it replaces moved or changed; an edit elsewhere below leaves it', () => {
  const file = 'function f() {\n  return 1;\n}\n\nfunction g() {}\n';
  const target = applyTarget('f.js', file, 'function f() {\n  return 2;\n}', { cursor: 0 });
  assert.equal(isStale(file, target), false);
  assert.equal(isStale(`// typed above\n${file}`, target), true, 'the same text is no longer at the range');
  assert.equal(isStale(file.replace('return 1', 'return 11'), target), true, 'the replaced text changed');
  assert.equal(isStale(`${file}function h() {}\n`, target), false, 'an edit below it does not matter');
  const insertion = applyTarget('f.js', file, 'const z = 0;', { cursor: file.indexOf('function g') });
  assert.equal(isStale(file.replace('function g() {}', 'function g() { z(); }'), insertion), true, 'the cursor line changed');
});

test('an import the file already has is never added twice; one it lacks stays with the block', () => {
  const file = ['from typing import List, Optional', '', '', 'def first(xs: List[int]) -> Optional[int]:', '    pass', ''].join('\n');
  const code = 'from typing import List, Optional\n\ndef first(xs: List[int]) -> Optional[int]:\n    return xs[0] if xs else None\n';
  const result = applied(file, applyTarget('util.py', file, code, { cursor: 0 }));
  assert.equal(result.match(/from typing import List, Optional/g)?.length, 1, result);
  assert.match(result, /return xs\[0\] if xs else None/);
  const needsMore = 'from typing import List, Optional\nimport math\n\ndef first(xs: List[int]) -> Optional[int]:\n    return math.floor(xs[0]) if xs else None\n';
  const more = applied(file, applyTarget('util.py', file, needsMore, { cursor: 0 }));
  assert.equal(more.match(/from typing import List, Optional/g)?.length, 1, more);
  assert.match(more, /import math/);
  const ts = "import { readFile } from 'node:fs/promises';\n\nexport async function load(p: string) {\n  return null;\n}\n";
  const tsCode = "import { readFile } from 'node:fs/promises';\n\nexport async function load(p: string) {\n  return JSON.parse(await readFile(p, 'utf8'));\n}\n";
  assert.equal(applied(ts, applyTarget('load.ts', ts, tsCode, { cursor: 0 })).match(/import \{ readFile \}/g)?.length, 1);
});

test("a function redefined by name keeps its neighbour's doc comment, read by the line scanner too (no grammar)", () => {
  const file = [
    'function logerror(err) {',
    "  if (this.get('env') !== 'test') console.error(err);",
    '}',
    '',
    '/**',
    ' * Try rendering a view.',
    ' * @private',
    ' */',
    '',
    'function tryRender(view, options, callback) {',
    '  view.render(options, callback);',
    '}',
    '',
  ].join('\n');
  const target = applyTarget('lib/application.js', file, "function logerror(err) {\n  console.error(err.stack || err.toString());\n}\n", { cursor: 0 });
  assert.equal(target.kind, 'definition');
  assert.equal(targetPhrase(target), 'replaces logerror (lines 1–3)');
  const out = applied(file, target);
  assert.ok(out.includes('/**\n * Try rendering a view.\n * @private\n */\n\nfunction tryRender('), out);
  assert.ok(out.startsWith('function logerror(err) {\n  console.error(err.stack || err.toString());\n}\n'), out);
});
