import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeFixture as fixture, richCells } from '../../../../test/fixtures/codeFiles';
import { chunkFile, definitionsOf, type CodeChunk } from '../chunking';

/** Chunks are in order, never overlap, cover every non-blank line, and carry exactly the file's lines. */
function assertCovers(text: string, chunks: readonly CodeChunk[]): void {
  const lines = text.split('\n');
  let next = 1;
  for (const c of chunks) {
    assert.ok(c.startLine >= next, `chunk ${c.startLine}–${c.endLine} overlaps the one before (next free line ${next})`);
    for (let l = next; l < c.startLine; l++) assert.equal((lines[l - 1] ?? '').trim(), '', `line ${l} is in no chunk: ${lines[l - 1]}`);
    assert.equal(c.text, lines.slice(c.startLine - 1, c.endLine).join('\n'));
    next = c.endLine + 1;
  }
  for (let l = next; l <= lines.length; l++) assert.equal((lines[l - 1] ?? '').trim(), '', `line ${l} is in no chunk`);
}

/** The chunk holding the line that starts with `prefix` (after indentation). */
function chunkWith(text: string, chunks: readonly CodeChunk[], prefix: string): { chunk: CodeChunk; line: number } {
  const line = text.split('\n').findIndex((l) => l.trimStart().startsWith(prefix)) + 1;
  assert.ok(line > 0, `no line starts with ${prefix}`);
  const chunk = chunks.find((c) => c.startLine <= line && c.endLine >= line);
  assert.ok(chunk, `no chunk holds line ${line}`);
  return { chunk, line };
}

const lineOf = (text: string, prefix: string): number => text.split('\n').findIndex((l) => l.trimStart().startsWith(prefix)) + 1;

test('Python (rich/cells.py): every function starts a chunk with its decorator; a long one is split into pieces of its own', () => {
  const text = richCells();
  const chunks = chunkFile('rich/cells.py', text, 300);
  assertCovers(text, chunks);
  for (const name of ['cell_len', '_cell_len', 'split_graphemes', 'split_text', 'set_cell_size', 'chop_cells']) {
    const { chunk, line } = chunkWith(text, chunks, `def ${name}(`);
    assert.equal(chunk.startLine, line, `${name} starts its chunk`);
    assert.ok(chunk.symbols.includes(name), `${name}'s chunk defines it: ${chunk.symbols.join(', ')}`);
  }
  const decorated = chunkWith(text, chunks, 'def cached_cell_len(');
  assert.equal(decorated.chunk.startLine, lineOf(text, '@lru_cache(4096)'), 'the decorator opens the chunk of the function it decorates');
  const pieces = chunks.filter((c) => c.symbols.includes('split_graphemes'));
  assert.ok(pieces.length > 1, 'split_graphemes (longer than 300 tokens) is split');
  const end = lineOf(text, 'def _split_text(');
  for (const p of pieces) assert.ok(p.endLine < end, 'no piece of split_graphemes runs into the next function');
  for (const c of chunks) assert.ok(c.tokens <= 300, `chunk ${c.startLine}–${c.endLine} has ${c.tokens} tokens`);
});

test('Go (cobra/args.go): each func is a chunk with its doc comment, small ones packed, none split', () => {
  const text = fixture('args.go');
  const chunks = chunkFile('args.go', text, 300);
  assertCovers(text, chunks);
  for (const name of ['legacyArgs', 'NoArgs', 'OnlyValidArgs', 'MinimumNArgs', 'RangeArgs', 'MatchAll', 'ExactValidArgs']) {
    const { chunk } = chunkWith(text, chunks, `func ${name}(`);
    assert.ok(chunk.symbols.includes(name), `${name} is named by its chunk`);
    const doc = text.split('\n').findIndex((l) => l.startsWith(`// ${name} `)) + 1;
    if (doc > 0) assert.ok(chunk.startLine <= doc, `${name}'s doc comment (line ${doc}) is in its chunk ${chunk.startLine}–${chunk.endLine}`);
    const closing = text.split('\n').findIndex((l, i) => i + 1 > lineOf(text, `func ${name}(`) && l === '}') + 1;
    assert.ok(chunk.endLine >= closing, `${name} ends in its own chunk`);
  }
});

test('Java (gson JsonParser): the class splits at its methods, each with its Javadoc and qualified name', () => {
  const text = fixture('JsonParser.java');
  const chunks = chunkFile('JsonParser.java', text, 300);
  assertCovers(text, chunks);
  assert.ok(chunks.some((c) => c.symbols.includes('JsonParser')), 'the class header is a chunk');
  const method = chunkWith(text, chunks, 'public static JsonElement parseString(');
  assert.ok(method.chunk.symbols.includes('JsonParser.parseString'));
  const javadoc = text.split('\n').lastIndexOf('  /**', method.line - 1) + 1;
  assert.ok(method.chunk.startLine <= javadoc, 'the method chunk opens with its Javadoc');
  const throwsClause = chunkWith(text, chunks, 'throws JsonIOException, JsonSyntaxException {');
  assert.ok(throwsClause.chunk.symbols.some((s) => s.startsWith('JsonParser.parse')), 'a `throws` line stays with its signature');
});

test('TypeScript (ky merge.ts): arrow-function constants are chunks, a multi-line ternary stays whole', () => {
  const text = fixture('merge.ts.txt');
  const chunks = chunkFile('source/utils/merge.ts', text, 300);
  assertCovers(text, chunks);
  const ternary = chunkWith(text, chunks, 'const getReplaceState =');
  const last = text.split('\n').findIndex((l, i) => i + 1 > ternary.line && l.trim() === '};') + 1;
  assert.ok(ternary.chunk.endLine >= last, 'the ternary branches stay in the chunk of the constant');
  for (const name of ['mergeHeaders', 'cloneShallow', 'mergeHooks', 'deepMerge']) assert.ok(chunkWith(text, chunks, `export const ${name} =`).chunk.symbols.includes(name), name);
  const big = chunks.filter((c) => c.symbols.includes('deepMergeInternal'));
  assert.ok(big.length > 1 && big.every((c) => c.tokens <= 300), 'the long deepMergeInternal is split, every piece within the limit');
});

test('strings, template literals, regular expressions and comments do not move brace depth', () => {
  const text = [
    'const a = "{ not a block";',
    'const b = `template ${x ? "}" : "{"} text {`;',
    'const c = /[{]+/g; // {',
    '/* { */',
    'export function after() {',
    '  return 1;',
    '}',
  ].join('\n');
  const chunks = chunkFile('x.ts', text, 40);
  assert.deepEqual(chunks.map((c) => [c.startLine, c.endLine, c.symbols]), [[1, 1, ['a']], [2, 2, ['b']], [3, 3, ['c']], [4, 7, ['after']]]);
});

test('a text file is chunked by paragraphs; an empty file has no chunks', () => {
  const text = ['# Title', '', 'First paragraph.', 'Still first.', '', 'Second.'].join('\n');
  const chunks = chunkFile('README.md', text, 10);
  assert.deepEqual(chunks.map((c) => [c.startLine, c.endLine]), [[1, 1], [3, 4], [6, 6]]);
  assert.deepEqual(chunkFile('empty.py', '\n\n'), []);
});

test('definitionsOf: top-level definitions and the members of classes, each from its first code line (comments above left out)', () => {
  const file = '# helper\ndef a():\n    pass\n\n\nclass B:\n    @property\n    def c(self):\n        return 1\n';
  assert.deepEqual(definitionsOf('m.py', file), [
    { name: 'a', startLine: 2, endLine: 3 },
    { name: 'B', startLine: 6, endLine: 9 },
    { name: 'c', container: 'B', startLine: 7, endLine: 9 },
  ]);
});
