/**
 * The index cuts files at the definitions tree-sitter finds (src/parse) and keeps, per chunk, the names it uses and does
 * not define: `fileNames()` reports them per file across a save and a reopen (index format 4). A language whose grammar
 * cannot be loaded is cut by the line scanner, as before, with one warning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../../test/fixtures/bankData';
import { chunkFile } from '../../core/retrieval/chunking';
import { LexicalEmbedder } from '../../embed/lexical';
import { shippedFiles } from '../../parse/grammars';
import { SourceParser } from '../../parse/sourceParser';
import { WorkspaceIndex } from '../workspaceIndex';

const CELLS = [
  '"""Cell widths."""',
  'from functools import lru_cache',
  '',
  '',
  '@lru_cache(4096)',
  'def cell_len(text: str) -> int:',
  '    return sum(char_width(c) for c in text)',
  '',
  '',
  'def char_width(c: str) -> int:',
  '    return 2 if c.isupper() else 1  # not wide_width()',
  '',
].join('\n');
const SEGMENT = [
  'from .cells import cell_len',
  '',
  '',
  'class Segment:',
  '    """A piece of styled text."""',
  '',
  '    def width(self) -> int:',
  '        return cell_len(self.text)',
  '',
].join('\n');

function workspace(root: string): void {
  mkdirSync(path.join(root, 'rich'), { recursive: true });
  writeFileSync(path.join(root, 'rich', 'cells.py'), CELLS);
  writeFileSync(path.join(root, 'rich', 'segment.py'), SEGMENT);
  writeFileSync(path.join(root, 'rich', 'NOTES.md'), '# Notes\n\ncell_len is cached.\n');
}

const names = (index: WorkspaceIndex, file: string) => index.fileNames().find((f) => f.path === file);

test('an index records the names each file defines and uses, across a save and a reopen', async () => {
  const temp = tempDir('smcs-index-refs-');
  try {
    const root = path.join(temp.dir, 'ws');
    const dir = path.join(temp.dir, 'index');
    workspace(root);
    const embedder = new LexicalEmbedder();
    const warnings: string[] = [];
    const index = await WorkspaceIndex.open(dir, { root, embedder, log: (_level, m) => warnings.push(m) });
    await index.refresh();
    assert.deepEqual(warnings, []);
    const segment = names(index, 'rich/segment.py');
    assert.deepEqual([...(segment?.defines ?? [])].sort(), ['Segment', 'Segment.width', 'width']);
    assert.deepEqual(segment?.references.map((r) => r.name).sort(), ['cell_len', 'int', 'text'], "segment.py uses cells.py's cell_len (a type and a member too), not the names it defines");
    const cells = names(index, 'rich/cells.py');
    assert.deepEqual([...(cells?.defines ?? [])].sort(), ['cell_len', 'char_width']);
    assert.ok(cells?.references.some((r) => r.name === 'lru_cache' && r.chunks === 1));
    assert.ok(!cells?.references.some((r) => r.name === 'wide_width'), 'a name in a comment is no use');
    assert.deepEqual(names(index, 'rich/NOTES.md')?.references, [], 'prose is cut by paragraphs and uses nothing');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { version: number; files: { path: string; chunks: { references: string[] }[] }[] };
    assert.equal(manifest.version, 5);
    const reopened = await WorkspaceIndex.open(dir, { root, embedder });
    assert.equal((await reopened.refresh()).indexed, 0, 'format 5 is read back as it was written');
    assert.deepEqual(reopened.fileNames(), index.fileNames());

    writeFileSync(path.join(root, 'rich', 'segment.py'), `${SEGMENT}\n\ndef split(segment: Segment) -> list:\n    return divide(segment)\n`);
    await reopened.updateFile('rich/segment.py');
    const again = await WorkspaceIndex.open(dir, { root, embedder });
    assert.ok(names(again, 'rich/segment.py')?.references.some((r) => r.name === 'divide'), 'a one-file update keeps its references in the journal');
  } finally {
    temp.cleanup();
  }
});

test('a grammar that cannot be loaded: its files are cut by the line scanner and record no references, with one warning', async () => {
  const temp = tempDir('smcs-index-fallback-');
  try {
    const root = path.join(temp.dir, 'ws');
    workspace(root);
    writeFileSync(path.join(root, 'rich', 'more.py'), 'def more():\n    return cell_len("x")\n');
    const broken = path.join(temp.dir, 'broken.wasm');
    writeFileSync(broken, 'not WebAssembly');
    const shipped = shippedFiles();
    const warnings: string[] = [];
    const parser = new SourceParser({ files: { ...shipped, grammar: (id) => (id === 'python' ? broken : shipped.grammar(id)) }, warn: (m) => warnings.push(m) });
    const index = await WorkspaceIndex.open(path.join(temp.dir, 'index'), { root, embedder: new LexicalEmbedder(), parser });
    await index.refresh();
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0] ?? '', /python grammar could not be loaded/);
    assert.deepEqual(index.defining('cell_len').map((c) => [c.startLine, c.endLine]), chunkFile('rich/cells.py', CELLS).filter((c) => c.symbols.includes('cell_len')).map((c) => [c.startLine, c.endLine]), 'the scanner\'s chunks');
    for (const f of index.fileNames()) assert.deepEqual(f.references, [], f.path);
  } finally {
    temp.cleanup();
  }
});
