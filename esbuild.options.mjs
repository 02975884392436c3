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
 * vectra's LocalIndex requires wink's BM25 text search, its NLP and its English model (3.8 MB) at its top, for keyword
 * search over an index; SMCS only writes indexes with it (src/bank/local/shards.ts) and never searches them, so they
 * resolve to a module that says so if anything ever calls it.
 */
export const stubWink = {
  name: 'stub-wink',
  setup(build) {
    build.onResolve({ filter: /^wink-(?:bm25-text-search|nlp|eng-lite-web-model)$/ }, (args) => ({ path: args.path, namespace: 'stub-wink' }));
    build.onLoad({ filter: /.*/, namespace: 'stub-wink' }, (args) => ({
      contents: `module.exports = function () { throw new Error(${JSON.stringify(`${args.path} is not bundled: SMCS never searches a vectra index by keywords`)}); };`,
      loader: 'js',
    }));
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
    plugins: [stubSharp, stubWink],
    logLevel: 'warning',
  };
}
