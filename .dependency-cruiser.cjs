// Import cycles in src/, type-only imports included (`npm run lint`). The layer table itself is the ESLint rule in
// .eslintplugin/layers.mjs; this adds what a per-file lint cannot see: a cycle through several files.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle of imports (type-only ones too) ties modules that should depend one way; move the shared part down.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'parse-over-core',
      severity: 'error',
      comment: 'src/parse (tree-sitter grammars, read from disk) imports only src/core: the workspace index, the bench and what is above them use it, never the reverse.',
      from: { path: '^src/parse/', pathNot: '/test/' },
      to: { path: '^src/', pathNot: '^src/(core|parse)/' },
    },
    {
      name: 'bank-stores-apart',
      severity: 'error',
      comment: 'Only openBank.ts and index.ts of src/bank reach into a store; team/ and transfer/ never import local/.',
      from: { path: '^src/bank/', pathNot: ['^src/bank/local/', '^src/bank/(openBank|index)\\.ts$', '/test/'] },
      to: { path: '^src/bank/local/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['/test/', '\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js'] },
  },
};
