/**
 * The extension host bundle loaded at activation stays small: the engine (dist/runtime.js) and the telemetry SDK
 * (dist/telemetry.js) are separate bundles loaded by computed paths, so esbuild must not pull them in.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
import { REPO } from '../../../test/fixtures/repo';

interface SharedBuildOptions {
  nodeBundleOptions(mode: { production: boolean }): esbuild.BuildOptions;
}

async function bundleInputs(entry: string): Promise<Record<string, { bytes: number }>> {
  const shared = (await import(pathToFileURL(path.join(REPO, 'esbuild.options.mjs')).href)) as SharedBuildOptions;
  const result = await esbuild.build({
    ...shared.nodeBundleOptions({ production: false }),
    entryPoints: [path.join(REPO, entry)],
    outfile: path.join(REPO, 'dist', 'unused.js'),
    write: false,
    metafile: true,
    sourcemap: false,
    logLevel: 'silent',
  });
  return result.metafile.inputs;
}

/**
 * Packages the extension bundle may hold: `ignore` (one file, 50 KB of source with its comments), which matches files.exclude and
 * search.exclude for the question box's # completion — loading the engine's bundle for that would cost more.
 */
const HOST_PACKAGES = ['node_modules/ignore/'];
/** What those packages may add to the extension bundle, in bytes of source. */
const HOST_PACKAGE_BYTES = 60_000;

test('the extension bundle holds neither the telemetry SDK nor the engine; the telemetry bundle holds the SDK', async () => {
  const inputs = await bundleInputs('src/vscode/extension.ts');
  const host = Object.keys(inputs);
  assert.ok(host.includes('src/vscode/telemetry/telemetry.ts'), 'the extension bundle was not built from the extension sources');
  const packages = host.filter((p) => p.includes('node_modules/'));
  assert.deepEqual(packages.filter((p) => !HOST_PACKAGES.some((allowed) => p.startsWith(allowed))), [], 'no other package (telemetry SDK, openai, vectra…) in the extension bundle');
  const packageBytes = packages.reduce((sum, p) => sum + (inputs[p]?.bytes ?? 0), 0);
  assert.ok(packageBytes <= HOST_PACKAGE_BYTES, `the packages in the extension bundle take ${packageBytes} bytes`);
  // The host's own layers only: the engine, bank, embedders, LLM clients, profiler and graders load with dist/runtime.js.
  assert.deepEqual(host.filter((p) => !/^src\/(vscode|core|presentation)\//.test(p) && !packages.includes(p)), []);
  const telemetry = Object.keys(await bundleInputs('src/vscode/telemetry/telemetryRuntime.ts'));
  assert.ok(telemetry.some((p) => p.includes('node_modules/@vscode/extension-telemetry/')));
});

test("the engine and CLI bundles hold vectra's LocalIndex but not wink's keyword search (3.8 MB never used)", async () => {
  for (const entry of ['src/runtime/runtime.ts', 'src/cli/main.ts']) {
    const inputs = Object.keys(await bundleInputs(entry));
    assert.ok(inputs.includes('node_modules/vectra/lib/LocalIndex.js'), `${entry}: vectra's LocalIndex, which writes the bank's shards`);
    assert.deepEqual(inputs.filter((p) => p.includes('node_modules/wink-')), [], `${entry}: wink's packages`);
    assert.ok(inputs.some((p) => p.startsWith('stub-wink:')), `${entry}: the stub that stands in for them`);
  }
});
