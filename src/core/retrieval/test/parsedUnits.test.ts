/**
 * chunkFile with a parser's definitions given as data (core/retrieval/parsedUnits): over generated files (fast-check; a
 * failure prints its seed and the smallest file that fails) of constants, functions with nested functions and classes
 * with methods, each with or without a doc comment, in TypeScript and in Python, and any chunk limit: the chunks cover
 * the file in order, a definition that fits is never cut, none is over the limit but a single long line, and a chunk
 * holding a whole definition names it. Definitions given wrong (outside the file, overlapping) still give whole chunks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { chunkFile, type CodeChunk } from '../chunking';
import type { ParsedDefinition, ParsedSource } from '../parsedSource';

interface Fn {
  name: string;
  doc: boolean;
  body: number;
  nested?: Fn;
}
type Item = { kind: 'constant'; name: string } | { kind: 'function'; fn: Fn } | { kind: 'class'; name: string; doc: boolean; methods: Fn[] };

const name = fc.stringMatching(/^[a-z][a-zA-Z]{2,10}$/);
const fn: fc.Arbitrary<Fn> = fc.record({ name, doc: fc.boolean(), body: fc.integer({ min: 1, max: 40 }), nested: fc.option(fc.record({ name, doc: fc.boolean(), body: fc.integer({ min: 1, max: 30 }) }), { nil: undefined }) }).map(({ nested, ...f }) => (nested === undefined ? f : { ...f, nested }));
const item: fc.Arbitrary<Item> = fc.oneof(
  name.map((n): Item => ({ kind: 'constant', name: n.toUpperCase() })),
  fn.map((f): Item => ({ kind: 'function', fn: f })),
  fc.record({ name, doc: fc.boolean(), methods: fc.array(fn, { minLength: 1, maxLength: 6 }) }).map((c): Item => ({ kind: 'class', ...c, name: c.name[0]?.toUpperCase() + c.name.slice(1) })),
);

/** A source file and the definitions a parser would find in it (1-based lines, doc comments included). */
function render(items: readonly Item[], python: boolean): { text: string; definitions: ParsedDefinition[] } {
  const lines: string[] = [];
  const definitions: ParsedDefinition[] = [];
  const indent = (depth: number) => (python ? '    ' : '  ').repeat(depth);
  const emit = (f: Fn, depth: number, container: string | undefined, kind: 'function' | 'method'): void => {
    const start = lines.length + 1;
    if (f.doc) lines.push(`${indent(depth)}${python ? '#' : '//'} ${f.name} computes the value.`);
    lines.push(python ? `${indent(depth)}def ${f.name}(value):` : `${indent(depth)}${kind === 'method' ? '' : 'function '}${f.name}(value: number): number {`);
    const body = lines.length + 1;
    if (f.nested) emit(f.nested, depth + 1, container === undefined ? f.name : `${container}.${f.name}`, 'function');
    for (let i = 0; i < f.body; i++) lines.push(`${indent(depth + 1)}${python ? '' : 'const '}step${i} = helper${i}(value) + ${i}${python ? '' : ';'}`);
    lines.push(`${indent(depth + 1)}return value${python ? '' : ';'}`);
    if (!python) lines.push(`${indent(depth)}}`);
    definitions.push({ name: f.name, qualifiedName: container === undefined ? f.name : `${container}.${f.name}`, kind, startLine: start, endLine: lines.length, bodyLine: body });
  };
  for (const it of items) {
    if (lines.length > 0) lines.push('');
    if (it.kind === 'constant') lines.push(python ? `${it.name} = 1` : `export const ${it.name} = 1;`);
    else if (it.kind === 'function') emit(it.fn, 0, undefined, 'function');
    else {
      const start = lines.length + 1;
      if (it.doc) lines.push(python ? `# The ${it.name}.` : `/** The ${it.name}. */`);
      lines.push(python ? `class ${it.name}:` : `export class ${it.name} {`);
      const body = lines.length + 1;
      it.methods.forEach((m, i) => {
        if (i > 0) lines.push('');
        emit(m, 1, it.name, 'method');
      });
      if (!python) lines.push('}');
      definitions.push({ name: it.name, qualifiedName: it.name, kind: 'class', startLine: start, endLine: lines.length, bodyLine: body });
    }
  }
  return { text: lines.join('\n'), definitions };
}

/** Estimated tokens of lines [start, end] (1-based), as chunking counts them. */
const tokensOf = (text: string, start: number, end: number): number => Math.ceil(text.split('\n').slice(start - 1, end).join('\n').length / 3);

function assertWhole(text: string, chunks: readonly CodeChunk[], max: number): void {
  const lines = text.split('\n');
  let next = 1;
  for (const c of chunks) {
    assert.ok(c.startLine >= next && c.endLine >= c.startLine, `chunk ${c.startLine}–${c.endLine} is out of order`);
    for (let l = next; l < c.startLine; l++) assert.equal(lines[l - 1]?.trim(), '', `line ${l} is in no chunk`);
    assert.equal(c.text, lines.slice(c.startLine - 1, c.endLine).join('\n'));
    assert.ok(c.tokens <= max || c.startLine === c.endLine, `chunk ${c.startLine}–${c.endLine} has ${c.tokens} tokens (limit ${max})`);
    next = c.endLine + 1;
  }
  for (let l = next; l <= lines.length; l++) assert.equal(lines[l - 1]?.trim(), '', `line ${l} is in no chunk`);
}

test('a definition that fits is never cut; chunks cover the file within the limit and name what they hold whole', () => {
  fc.assert(
    fc.property(fc.array(item, { minLength: 1, maxLength: 8 }), fc.boolean(), fc.integer({ min: 60, max: 600 }), (items, python, max) => {
      const { text, definitions } = render(items, python);
      const chunks = chunkFile(python ? 'gen.py' : 'gen.ts', text, max, { definitions, references: [] });
      assertWhole(text, chunks, max);
      for (const d of definitions) {
        if (tokensOf(text, d.startLine, d.endLine) > max) continue;
        const holder = chunks.find((c) => c.startLine <= d.startLine && c.endLine >= d.endLine);
        assert.ok(holder, `${d.qualifiedName} (lines ${d.startLine}–${d.endLine}) fits in ${max} tokens but is cut: ${chunks.map((c) => `${c.startLine}–${c.endLine}`).join(' ')}`);
        // A function's nested function is the function's business; a class's methods and top-level definitions are named.
        if (d.kind !== 'function' || !d.qualifiedName.includes('.')) assert.ok(holder.symbols.includes(d.name), `the chunk holding ${d.qualifiedName} names it: ${holder.symbols.join(', ')}`);
      }
    }),
    { numRuns: 300 },
  );
});

test('the scanner and the parser agree on a file they cut the same: identical chunks', () => {
  const { text, definitions } = render(
    [
      { kind: 'constant', name: 'LIMIT' },
      { kind: 'function', fn: { name: 'first', doc: true, body: 3 } },
      // The scanner gives a class's first member's comment to the class's header (the parser, rightly, to the member).
      { kind: 'class', name: 'Cells', doc: true, methods: [{ name: 'width', doc: false, body: 30 }, { name: 'height', doc: true, body: 30 }] },
    ],
    false,
  );
  const shape = (chunks: readonly CodeChunk[]) => chunks.map((c) => [c.startLine, c.endLine, c.symbols]);
  assert.deepEqual(shape(chunkFile('cells.ts', text, 300, { definitions, references: [] })), shape(chunkFile('cells.ts', text, 300)));
});

test('a long class splits at its methods, each named with the class; its closing line names nothing of its own', () => {
  const { text, definitions } = render([{ kind: 'class', name: 'Parser', doc: true, methods: [{ name: 'parse', doc: true, body: 25 }, { name: 'read', doc: true, body: 25 }] }], false);
  const chunks = chunkFile('parser.ts', text, 400, { definitions, references: [] });
  assert.deepEqual(chunks.map((c) => c.symbols), [['Parser', 'parse', 'Parser.parse'], ['read', 'Parser.read']]);
  assert.equal(chunks.at(-1)?.endLine, text.split('\n').length, "the closing brace is in the last method's chunk");
});

test('references: each chunk records the names used on its lines that it does not define, each once', () => {
  const text = ['def parse(text):', '    return split(text) + split(text)', '', '', 'def split(text):', '    return text.partition(SEP)'].join('\n');
  const parsed: ParsedSource = {
    definitions: [
      { name: 'parse', qualifiedName: 'parse', kind: 'function', startLine: 1, endLine: 2, bodyLine: 2 },
      { name: 'split', qualifiedName: 'split', kind: 'function', startLine: 5, endLine: 6, bodyLine: 6 },
    ],
    references: [
      { name: 'split', count: 2, lines: [2] },
      { name: 'partition', count: 1, lines: [6] },
    ],
  };
  const chunks = chunkFile('p.py', text, 20, parsed);
  assert.deepEqual(chunks.map((c) => [c.symbols, c.references]), [[['parse'], ['split']], [['split'], ['partition']]]);
  assert.deepEqual(chunkFile('p.py', text, 20).map((c) => c.references), [[], []], 'the scanner records none');
});

test('definitions given wrong (past the end, overlapping, empty) still give whole chunks; a Ruby file is cut at its definitions', () => {
  const text = ['class Order', '  def total', '    items.sum', '  end', 'end', '', 'LIMIT = 3'].join('\n');
  const wrong: ParsedDefinition[] = [
    { name: 'Order', qualifiedName: 'Order', kind: 'class', startLine: 1, endLine: 5 },
    { name: 'total', qualifiedName: 'Order.total', kind: 'method', startLine: 2, endLine: 9 },
    { name: 'gone', qualifiedName: 'gone', kind: 'function', startLine: 40, endLine: 50 },
    { name: 'backwards', qualifiedName: 'backwards', kind: 'function', startLine: 4, endLine: 2 },
  ];
  assertWhole(text, chunkFile('order.rb', text, 6, { definitions: wrong, references: [] }), 6);
  const ruby = chunkFile('order.rb', text, 500, { definitions: [wrong[0] as ParsedDefinition, { ...(wrong[1] as ParsedDefinition), endLine: 4 }], references: [] });
  assert.deepEqual(ruby.map((c) => [c.startLine, c.endLine, c.symbols]), [[1, 7, ['Order', 'total', 'Order.total']]], 'a class that fits names its methods too; small neighbours are packed');
});
