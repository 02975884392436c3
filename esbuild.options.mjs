// Shared esbuild options for the Node bundles (extension host and CLI). Imported by esbuild.mjs
// and by the bundle test, so the test builds exactly what ships.

// transformers.js is ESM and reads import.meta.url; in a CJS bundle we define it from __filename.
export const importMetaBanner = "const __smcs_import_meta_url = require('url').pathToFileURL(__filename).href;";

/** sharp is only used by transformers.js for images; we never load images, so it resolves to an empty module. */
export const stubSharp = {
  name: 'stub-sharp',
  setup(build) {
    build.onResolve({ filter: /^sharp$/ }, () => ({ path: 'sharp', namespace: 'stub' }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/**
 * Options common to every Node bundle. Entries add `entryPoints`, `outfile` and
 * `banner: { js: importMetaBanner }` (plus a shebang for the CLI).
 * @param {{ production: boolean }} mode
 */
export function nodeBundleOptions({ production }) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: production ? false : 'linked',
    minify: production,
    external: ['vscode', 'onnxruntime-node'],
    define: { 'import.meta.url': '__smcs_import_meta_url' },
    plugins: [stubSharp],
    logLevel: 'warning',
  };
}
