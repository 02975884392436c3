/**
 * chunkFile (core/retrieval/chunking) cutting real files at the definitions tree-sitter finds in them: where the line
 * scanner was right the chunks are the same as its own, where it was not (ky's merge.ts, whose doc comments it gave
 * to the definition above) the chunking tests' assertions still hold, and no definition that fits is ever cut.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeFixture as fixture, richCells } from '../../../test/fixtures/codeFiles';
import { chunkFile, type CodeChunk } from '../../core/retrieval/chunking';
import type { ParsedSource } from '../../core/retrieval/parsedSource';
import { SourceParser } from '../sourceParser';

const parser = new SourceParser({ warn: (m) => assert.fail(m) });
const shape = (chunks: readonly CodeChunk[]) => chunks.map((c) => `${c.startLine}-${c.endLine}`);

async function parsed(path: string, text: string): Promise<ParsedSource> {
  const found = await parser.parse(path, text);
  assert.ok(found, `${path} is parsed`);
  return found;
}

/** Every definition of at most `max` tokens lies within one chunk. */
function assertNoneCut(text: string, source: ParsedSource, chunks: readonly CodeChunk[], max: number): void {
  const lines = text.split('\n');
  for (const d of source.definitions) {
    if (Math.ceil(lines.slice(d.startLine - 1, d.endLine).join('\n').length / 3) > max) continue;
    assert.ok(chunks.some((c) => c.startLine <= d.startLine && c.endLine >= d.endLine), `${d.qualifiedName} (${d.startLine}–${d.endLine}) is cut: ${shape(chunks).join(' ')}`);
  }
}

test('rich/cells.py, cobra args.go and gson JsonParser.java: the same chunks as the scanner, each naming what it defines', async () => {
  for (const [path, text] of [['rich/cells.py', richCells()], ['args.go', fixture('args.go')], ['JsonParser.java', fixture('JsonParser.java')]] as const) {
    const source = await parsed(path, text);
    const chunks = chunkFile(path, text, 300, source);
    assert.deepEqual(shape(chunks), shape(chunkFile(path, text, 300)), path);
    assertNoneCut(text, source, chunks, 300);
    assert.ok(chunks.some((c) => c.references.length > 0), `${path}: its chunks record the names they use`);
  }
  const java = chunkFile('JsonParser.java', fixture('JsonParser.java'), 300, await parsed('JsonParser.java', fixture('JsonParser.java')));
  assert.ok(java.some((c) => c.symbols.includes('JsonParser.parseString')));
  assert.ok(java.find((c) => c.symbols.includes('JsonParser.parseString'))?.references.includes('parseReader'), 'parseString calls parseReader, defined elsewhere in the file');
});

test("ky's merge.ts: each constant a chunk with its own doc comment, the ternary whole, the long function split within the limit", async () => {
  const text = fixture('merge.ts.txt');
  const source = await parsed('source/utils/merge.ts', text);
  const chunks = chunkFile('source/utils/merge.ts', text, 300, source);
  assertNoneCut(text, source, chunks, 300);
  const lines = text.split('\n');
  const lineOf = (prefix: string): number => lines.findIndex((l) => l.trimStart().startsWith(prefix)) + 1;
  const holding = (line: number) => chunks.find((c) => c.startLine <= line && c.endLine >= line);
  const ternary = holding(lineOf('const getReplaceState ='));
  assert.ok(ternary && ternary.endLine >= lines.findIndex((l, i) => i + 1 > lineOf('const getReplaceState =') && l.trim() === '};') + 1, 'the ternary branches stay with the constant');
  for (const name of ['mergeHeaders', 'cloneShallow', 'mergeHooks', 'deepMerge']) assert.ok(holding(lineOf(`export const ${name} =`))?.symbols.includes(name), name);
  const docOfReplaceOption = lines.lastIndexOf('/**', lineOf('export const replaceOption =') - 1) + 1;
  assert.ok(holding(docOfReplaceOption)?.symbols.includes('replaceOption'), "replaceOption's doc comment is in its chunk, not in the one above");
  const big = chunks.filter((c) => c.symbols.includes('deepMergeInternal'));
  assert.ok(big.length > 1 && big.every((c) => c.tokens <= 300), 'the long deepMergeInternal is split, every piece within the limit');
});
