// Builds the bundles: the extension host (dist/extension.js, small, loaded at activation), the engine side it
// loads on first use (dist/runtime.js), the telemetry SDK it loads only when a connection string is set
// (dist/telemetry.js), sucrase for TypeScript replies (dist/typeStrip.js), the CLI (dist/cli.js) and the webview script
// (dist/webview.js), with KaTeX's stylesheet and fonts beside it (dist/katex/) and the tree-sitter runtime, grammars and
// queries the engine and the CLI parse source files with (dist/parse/). `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { importMetaBanner, nodeBundleOptions } from './esbuild.options.mjs';
import { copyKatexAssets } from './scripts/katexAssets.mjs';
import { copyParseAssets } from './scripts/parseAssets.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const nodeCommon = nodeBundleOptions({ production });
copyKatexAssets(root);
copyParseAssets(root);

const builds = [
  {
    ...nodeCommon,
    entryPoints: [path.join(root, 'src/vscode/extension.ts')],
    outfile: path.join(root, 'dist/extension.js'),
    banner: { js: importMetaBanner },
  },
  {
    ...nodeCommon,
    entryPoints: [path.join(root, 'src/runtime/runtime.ts')],
    outfile: path.join(root, 'dist/runtime.js'),
    banner: { js: importMetaBanner },
  },
  {
    ...nodeCommon,
    entryPoints: [path.join(root, 'src/vscode/telemetry/telemetryRuntime.ts')],
    outfile: path.join(root, 'dist/telemetry.js'),
  },
  {
    ...nodeCommon,
    entryPoints: [path.join(root, 'src/sandbox/typeStripRuntime.ts')],
    outfile: path.join(root, 'dist/typeStrip.js'),
  },
  {
    ...nodeCommon,
    entryPoints: [path.join(root, 'src/cli/main.ts')],
    outfile: path.join(root, 'dist/cli.js'),
    banner: { js: `#!/usr/bin/env node\n${importMetaBanner}` },
  },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: production ? false : 'linked',
    minify: production,
    entryPoints: [path.join(root, 'src/webview/main.ts')],
    outfile: path.join(root, 'dist/webview.js'),
    logLevel: 'warning',
  },
];

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
