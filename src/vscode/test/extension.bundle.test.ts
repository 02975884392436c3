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

async function bundleInputs(entry: string): Promise<string[]> {
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
  return Object.keys(result.metafile.inputs);
}

test('the extension bundle holds neither the telemetry SDK nor the engine; the telemetry bundle holds the SDK', async () => {
  const host = await bundleInputs('src/vscode/extension.ts');
  assert.ok(host.includes('src/vscode/telemetry/telemetry.ts'), 'the extension bundle was not built from the extension sources');
  assert.deepEqual(host.filter((p) => p.includes('node_modules/')), [], 'no package (telemetry SDK, openai, vectra…) in the extension bundle');
  // The host's own layers only: the engine, bank, embedders, LLM clients, profiler and graders load with dist/runtime.js.
  assert.deepEqual(host.filter((p) => !/^src\/(vscode|core|shared)\//.test(p)), []);
  const telemetry = await bundleInputs('src/vscode/telemetry/telemetryRuntime.ts');
  assert.ok(telemetry.some((p) => p.includes('node_modules/@vscode/extension-telemetry/')));
});
