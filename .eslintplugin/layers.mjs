/**
 * The layers of src/ as one table (docs/how-it-works.md's "What each folder holds" says what each folder holds, and scripts/check-folder-map.mjs
 * holds that list, src/core/README.md's rows and docs/design-notes.md's copy to this table): which folders of src/
 * each folder may import at run time and which only for types, and below it the order of src/core's own folders. A folder's tests (`src/<folder>/**\/test/`) are exempt; they may reach fixtures and other layers.
 */
import path from 'node:path';

/** Folder → folders it may import at run time. Type-only imports may also reach `types`. */
export const LAYERS = {
  core: { runtime: ['core'], types: ['presentation'] },
  presentation: { runtime: ['presentation'], types: ['core'] },
  webview: { runtime: ['webview', 'presentation'], types: [] },
  // Reading the files a user names (regular files only, size limits): under everything that reads one.
  files: { runtime: ['core', 'files'], types: [] },
  bank: { runtime: ['core', 'files', 'bank'], types: [] },
  llm: { runtime: ['core', 'llm'], types: [] },
  embed: { runtime: ['core', 'llm', 'embed'], types: [] },
  sandbox: { runtime: ['core', 'sandbox'], types: [] },
  // Definitions and references from tree-sitter (WebAssembly grammars read from disk, so not core): under the workspace index.
  parse: { runtime: ['core', 'parse'], types: [] },
  workspace: { runtime: ['core', 'parse', 'workspace'], types: [] },
  profile: { runtime: ['core', 'bank', 'llm', 'sandbox', 'profile'], types: [] },
  bench: { runtime: ['core', 'bank', 'sandbox', 'parse', 'workspace', 'bench'], types: [] },
  engine: { runtime: ['core', 'bank', 'embed', 'llm', 'sandbox', 'profile', 'workspace', 'engine'], types: [] },
  // The OpenAI-compatible server (`smcs serve`, SMCS: Start Local API Server) drives the engine as the CLI does.
  server: { runtime: ['core', 'presentation', 'bank', 'embed', 'llm', 'engine', 'server'], types: [] },
  // The extension's lazily loaded bundle (dist/runtime.js): re-exports what the host calls of these, nothing of its own.
  runtime: { runtime: ['bank', 'embed', 'llm', 'profile', 'engine', 'server', 'runtime'], types: [] },
  cli: { runtime: ['core', 'presentation', 'files', 'bank', 'embed', 'llm', 'sandbox', 'profile', 'bench', 'workspace', 'engine', 'server', 'cli'], types: [] },
  // The host reaches the engine only through the lazily loaded runtime (src/vscode/loadRuntime.ts → src/runtime/runtime.ts); otherwise types only.
  vscode: { runtime: ['core', 'presentation', 'vscode'], types: ['bank', 'embed', 'llm', 'sandbox', 'profile', 'workspace', 'engine', 'server', 'runtime'] },
};

/**
 * src/core's own folders, bottom row first (src/core/README.md says why each sits where it does). A folder imports its
 * own files and the folders of lower rows, by value or by type; folders of one row do not import each other.
 * `contracts` (the types, events, config and ports the other parts agree on) imports only `util`.
 */
export const CORE_LAYERS = [['util'], ['contracts'], ['context', 'checks', 'grading'], ['secrets', 'promptBudget'], ['retrieval'], ['apply', 'posterior'], ['cost'], ['routing'], ['ask'], ['eval']];

/** The row of a core folder in CORE_LAYERS, or -1 for a folder the table does not know. */
export const coreRank = (folder) => CORE_LAYERS.findIndex((row) => row.includes(folder));

/** The layer of a file (`src/<layer>/…`), or undefined for files outside src/ and for tests. */
export function layerOf(file, root) {
  const parts = path.relative(root, file).split(path.sep);
  if (parts[0] !== 'src' || parts.length < 3 || parts.includes('test')) return undefined;
  return parts[1];
}

/** The folder of a core file (`src/core/<folder>/…`), or undefined for other files and for tests. */
export function coreFolderOf(file, root) {
  const parts = path.relative(root, file).split(path.sep);
  if (parts[0] !== 'src' || parts[1] !== 'core' || parts.length < 4 || parts.includes('test')) return undefined;
  return parts[2];
}

/** True for a path (relative to the root) inside the test tree or a `test` folder beside the code. */
const isTestPath = (relative) => relative.split(path.sep).includes('test');

const isTypeOnly = (node) =>
  node.importKind === 'type' ||
  node.exportKind === 'type' ||
  (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'imports between src/ folders, and between the folders of src/core, follow the layer tables of .eslintplugin/layers.mjs' },
    schema: [],
    messages: {
      unknownLayer: 'src/{{layer}} is not in the layer table (.eslintplugin/layers.mjs): add it there with what it may import.',
      runtime: 'src/{{from}} may not import src/{{to}} ({{spec}}){{hint}}.',
      types: 'src/{{from}} may import src/{{to}} for types only: write `import type` ({{spec}}).',
      testCode: 'product code may not import test code ({{spec}}): it would ship in the bundles; move what it needs into src/.',
      unknownCoreFolder: 'src/core/{{folder}} is not in the core layer table (CORE_LAYERS in .eslintplugin/layers.mjs): add it to the row it belongs to.',
      coreLayer: 'src/core/{{from}} may not import src/core/{{to}} ({{spec}}): a core folder imports only the folders below it (CORE_LAYERS in .eslintplugin/layers.mjs); move what both need down.',
    },
  },
  create(context) {
    const file = context.filename;
    const root = context.cwd;
    const from = layerOf(file, root);
    if (from === undefined) return {};
    const allowed = LAYERS[from];
    const coreFrom = coreFolderOf(file, root);
    const checkCore = (node, spec, resolved) => {
      const to = coreFolderOf(resolved + '.ts', root) ?? coreFolderOf(path.join(resolved, 'index.ts'), root);
      if (coreFrom === undefined || to === undefined || to === coreFrom) return;
      for (const folder of [coreFrom, to]) if (coreRank(folder) < 0) return context.report({ node, messageId: 'unknownCoreFolder', data: { folder } });
      if (coreRank(to) >= coreRank(coreFrom)) context.report({ node, messageId: 'coreLayer', data: { from: coreFrom, to, spec } });
    };
    const check = (node, spec, typeOnly) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      if (isTestPath(path.relative(root, path.resolve(path.dirname(file), spec)))) return context.report({ node, messageId: 'testCode', data: { spec } });
      const resolved = path.resolve(path.dirname(file), spec);
      const target = layerOf(resolved + '.ts', root) ?? layerOf(path.join(resolved, 'index.ts'), root);
      if (target === undefined) return;
      if (target === from) return from === 'core' ? checkCore(node, spec, resolved) : undefined;
      if (allowed === undefined) return context.report({ node, messageId: 'unknownLayer', data: { layer: from } });
      if (allowed.runtime.includes(target)) return;
      if (allowed.types.includes(target)) {
        if (!typeOnly) context.report({ node, messageId: 'types', data: { from, to: target, spec } });
        return;
      }
      const hint = from === 'vscode' ? '; the host reaches the engine through loadRuntime() in src/vscode/loadRuntime.ts' : '';
      context.report({ node, messageId: 'runtime', data: { from, to: target, spec, hint } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value, isTypeOnly(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value, isTypeOnly(node)),
      ExportAllDeclaration: (node) => check(node, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value, false),
      TSImportType: (node) => {
        const lit = node.argument?.literal ?? node.argument;
        if (lit?.type === 'Literal') check(node, lit.value, true);
      },
    };
  },
};
