/**
 * A runtime or grammar that cannot be loaded (a missing file, a file that is not WebAssembly) is reported once per
 * language and leaves that language's files to the line scanner (`parse` gives undefined, never throws); the other
 * languages parse as before. The runtime's failure comes first: tree-sitter starts once per process, so the file
 * runs in a test process of its own (scripts/run-unit.mjs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../../test/fixtures/bankData';
import { shippedFiles, type ParseFiles } from '../grammars';
import { SourceParser } from '../sourceParser';

const shipped = shippedFiles();
const PYTHON = 'def parse(text):\n    return split(text)\n';

test('a runtime that cannot be loaded: nothing is parsed, it is told once, and a start from the shipped files succeeds', async () => {
  const temp = tempDir('smcs-parse-runtime-');
  try {
    const warnings: string[] = [];
    const broken = new SourceParser({ files: { ...shipped, runtime: path.join(temp.dir, 'missing.wasm') }, warn: (m) => warnings.push(m) });
    assert.equal(await broken.parse('a.py', PYTHON), undefined);
    assert.equal(await broken.parse('b.py', PYTHON), undefined);
    assert.equal(await broken.parse('main.go', 'package main\n'), undefined);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0] ?? '', /^the tree-sitter runtime could not be loaded \(.*missing\.wasm.*\): source files are cut by the line scanner$/);
    const working = new SourceParser({ warn: (m) => assert.fail(m) });
    assert.deepEqual((await working.definitions('a.py', PYTHON))?.map((d) => d.name), ['parse']);
  } finally {
    temp.cleanup();
  }
});

test('a grammar that is missing or not WebAssembly: its language falls back, once told; the others still parse', async () => {
  const temp = tempDir('smcs-parse-grammar-');
  try {
    writeFileSync(path.join(temp.dir, 'tree-sitter-go.wasm'), 'not a wasm module');
    const files: ParseFiles = { ...shipped, grammar: (id) => (id === 'go' ? path.join(temp.dir, 'tree-sitter-go.wasm') : id === 'java' ? path.join(temp.dir, 'absent.wasm') : shipped.grammar(id)) };
    const warnings: string[] = [];
    const parser = new SourceParser({ files, warn: (m) => warnings.push(m) });
    for (let i = 0; i < 3; i++) {
      assert.equal(await parser.parse('main.go', 'package main\n\nfunc main() {}\n'), undefined);
      assert.equal(await parser.parse('Main.java', 'class Main {}\n'), undefined);
    }
    assert.deepEqual(warnings.map((w) => /the (\w+) grammar/.exec(w)?.[1]), ['go', 'java'], 'one warning per language');
    assert.deepEqual((await parser.definitions('a.py', PYTHON))?.map((d) => d.qualifiedName), ['parse']);
  } finally {
    temp.cleanup();
  }
});

test('a query the grammar does not know is a grammar that did not load', async () => {
  const temp = tempDir('smcs-parse-query-');
  try {
    writeFileSync(path.join(temp.dir, 'ruby.scm'), '(no_such_node name: (constant) @name) @definition.class\n');
    const warnings: string[] = [];
    const parser = new SourceParser({ files: { ...shipped, query: (name) => (name === 'ruby' ? path.join(temp.dir, 'ruby.scm') : shipped.query(name)) }, warn: (m) => warnings.push(m) });
    assert.equal(await parser.parse('order.rb', 'class Order\nend\n'), undefined);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /ruby grammar could not be loaded/);
  } finally {
    temp.cleanup();
  }
});
