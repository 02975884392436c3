/**
 * Sucrase ships in its own bundle (dist/typeStrip.js), loaded only when a reply is TypeScript or an ES module: the
 * engine and CLI bundles must not carry it, and the loader must find the bundle beside them.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
import { REPO } from '../../../test/fixtures/repo';
import { runnableJavaScript } from '../typeStrip';

async function bundleInputs(entry: string): Promise<string[]> {
  const shared = (await import(pathToFileURL(path.join(REPO, 'esbuild.options.mjs')).href)) as { nodeBundleOptions(m: { production: boolean }): esbuild.BuildOptions };
  const result = await esbuild.build({ ...shared.nodeBundleOptions({ production: false }), entryPoints: [path.join(REPO, entry)], outfile: path.join(REPO, 'dist', 'unused.js'), write: false, metafile: true, sourcemap: false, logLevel: 'silent' });
  return Object.keys(result.metafile.inputs);
}

test('the engine and CLI bundles hold the check runner but not sucrase; the typeStrip bundle holds it', async () => {
  for (const entry of ['src/runtime/runtime.ts', 'src/cli/main.ts', 'src/sandbox/checkRunner.ts']) {
    const inputs = await bundleInputs(entry);
    assert.deepEqual(inputs.filter((p) => p.includes('node_modules/sucrase/')), [], entry);
  }
  assert.ok((await bundleInputs('src/sandbox/typeStripRuntime.ts')).some((p) => p.includes('node_modules/sucrase/')));
});

test('TypeScript loses its types and ES modules become CommonJS; plain CommonJS is left alone', () => {
  assert.equal(runnableJavaScript('const x = 1;\nconsole.log(x);\n', false), 'const x = 1;\nconsole.log(x);\n');
  const ts = runnableJavaScript('interface P { x: number }\nexport function f(p: P): number { return p.x as number; }\n', true);
  assert.doesNotMatch(ts, /interface|: number|as number/);
  assert.match(ts, /exports\.f = f/);
  assert.match(runnableJavaScript("import { readFileSync } from 'fs';\nconsole.log(readFileSync(0, 'utf8'));\n", false), /require\('fs'\)/);
  assert.throws(() => runnableJavaScript('function (: number {', true), { name: 'SyntaxError', message: /^Unexpected token \(1:10\)$/ });
});
