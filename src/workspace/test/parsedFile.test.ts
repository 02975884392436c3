import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyBlock, applyTarget } from '../../core/apply/applyTarget';
import { definitionsOf } from '../../core/retrieval/chunking';
import { parseFile } from '../parsedFile';

const warn = (): void => undefined;
const GO = 'package main\n\n// Run runs.\nfunc (s *Server) Run() error {\n\treturn nil\n}\n\ntype Server struct {\n\tx int\n}\n';

test('one reader of definitions: where a grammar covers the file they are the parser\'s (a Go method knows its receiver), else the line scanner\'s', async () => {
  const parsed = await parseFile('main.go', GO, warn);
  assert.ok(parsed, 'tree-sitter reads Go');
  assert.deepEqual(definitionsOf('main.go', GO, parsed)[0], { name: 'Run', container: 'Server', startLine: 4, endLine: 6 });
  assert.deepEqual(definitionsOf('main.go', GO)[0], { name: 'Run', startLine: 4, endLine: 6 }, 'the scanner knows no receiver');
  assert.equal(await parseFile('notes.txt', 'plain text', warn), undefined);
});

test('Apply reads the file and the block with the same reader as the index: the method is replaced under its receiver\'s name', async () => {
  const code = 'func (s *Server) Run() error {\n\treturn s.listen()\n}\n';
  const file = await parseFile('main.go', GO, warn);
  const block = await parseFile('main.go', applyBlock(code, GO), warn);
  const target = applyTarget('main.go', GO, code, { cursor: 0 }, { ...(file ? { file } : {}), ...(block ? { block } : {}) });
  assert.equal(target.kind, 'definition');
  assert.equal(target.name, 'Server.Run');
  assert.equal(target.startLine, 4, 'the comment above it stays');
});
