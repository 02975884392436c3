/**
 * tree-sitter in the Node bundles as they ship: esbuild's CommonJS bundle of the parser runs on Node 20 and finds the
 * runtime, the grammars and the queries beside itself (parse/, as scripts/parseAssets.mjs lays out dist/parse/); the
 * engine and CLI bundles carry the parser, the extension host's does not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { tempDir } from '../../../test/fixtures/bankData';
import { REPO } from '../../../test/fixtures/repo';

interface SharedBuildOptions {
  nodeBundleOptions(mode: { production: boolean }): esbuild.BuildOptions;
  importMetaBanner: string;
}
const shared = async () => (await import(pathToFileURL(path.join(REPO, 'esbuild.options.mjs')).href)) as SharedBuildOptions;
const copyParseAssets = async (target: string): Promise<number> => ((await import(pathToFileURL(path.join(REPO, 'scripts', 'parseAssets.mjs')).href)) as { copyParseAssets(root: string, target: string): number }).copyParseAssets(REPO, target);

test('a production bundle parses every shipped language with the files beside it, and nothing else is shipped', async () => {
  const temp = tempDir('smcs-parse-bundle-');
  try {
    const options = await shared();
    const entry = `
      const { SourceParser } = require(${JSON.stringify(path.join(REPO, 'src', 'parse', 'sourceParser.ts'))});
      const samples = { 'a.py': 'class A:\\n    def f(self):\\n        return g()\\n', 'a.ts': 'export class A { f(): B { return g(); } }', 'a.tsx': 'export const A = () => <B />;', 'a.js': 'class A { f() { return g(); } }',
        'a.go': 'package a\\nfunc (a *A) F() { g() }', 'a.rs': 'impl A { fn f(&self) { g(); } }', 'A.java': 'class A { void f() { g(); } }', 'A.cs': 'class A { void F() { G(); } }',
        'a.c': 'void f(void) { g(); }', 'a.cc': 'class A { void f() { g(); } };', 'a.rb': 'class A\\n  def f\\n    g()\\n  end\\nend\\n', 'a.php': '<?php class A { function f() { g(); } }' };
      (async () => {
        const parser = new SourceParser({ warn: (m) => { console.error(m); process.exitCode = 1; } });
        const out = {};
        for (const [file, text] of Object.entries(samples)) {
          const parsed = await parser.parse(file, text);
          out[file] = parsed && { definitions: parsed.definitions.map((d) => d.qualifiedName), references: parsed.references.map((r) => r.name) };
        }
        console.log(JSON.stringify(out));
      })();`;
    await esbuild.build({ ...options.nodeBundleOptions({ production: true }), stdin: { contents: entry, resolveDir: REPO, loader: 'js' }, outfile: path.join(temp.dir, 'bundle.js'), banner: { js: options.importMetaBanner }, logLevel: 'silent' });
    const copied = await copyParseAssets(path.join(temp.dir, 'parse'));
    const wasm = readdirSync(path.join(temp.dir, 'parse')).filter((f) => f.endsWith('.wasm')).sort();
    assert.equal(wasm.length, 13, `the runtime and twelve grammars: ${wasm.join(', ')}`);
    assert.ok(copied > wasm.length, 'and the queries');
    const result = JSON.parse(execFileSync(process.execPath, [path.join(temp.dir, 'bundle.js')], { encoding: 'utf8' })) as Record<string, { definitions: string[]; references: string[] } | null>;
    for (const [file, parsed] of Object.entries(result)) {
      assert.ok(parsed, `${file} is parsed by the bundle`);
      assert.ok(parsed.definitions.length > 0, `${file}: ${JSON.stringify(parsed)}`);
      assert.ok(parsed.references.some((r) => r.toLowerCase() === 'g' || r === 'B'), `${file}: ${JSON.stringify(parsed)}`);
    }
    assert.deepEqual(result['a.go']?.definitions, ['A.F']);
    assert.deepEqual(result['a.rs']?.definitions, ['A', 'A.f']);
  } finally {
    temp.cleanup();
  }
});

test('the engine and CLI bundles carry the parser and its runtime; the extension host bundle does not', async () => {
  const options = await shared();
  const inputs = async (entry: string): Promise<string[]> => {
    const result = await esbuild.build({ ...options.nodeBundleOptions({ production: false }), entryPoints: [path.join(REPO, entry)], outfile: path.join(REPO, 'dist', 'unused.js'), write: false, metafile: true, sourcemap: false, logLevel: 'silent' });
    return Object.keys(result.metafile.inputs);
  };
  for (const entry of ['src/runtime/runtime.ts', 'src/cli/main.ts']) {
    const found = await inputs(entry);
    assert.ok(found.includes('src/parse/sourceParser.ts') && found.some((p) => p.includes('node_modules/@vscode/tree-sitter-wasm/')), entry);
  }
  assert.deepEqual((await inputs('src/vscode/extension.ts')).filter((p) => p.startsWith('src/parse/') || p.includes('tree-sitter')), []);
});
