/**
 * The layer rules of DESIGN §3, as one table: which folders of src/ each folder may import at run time and which
 * only for types. A folder's tests (`src/<folder>/**\/test/`) are exempt; they may reach fixtures and other layers.
 */
import path from 'node:path';

/** Folder → folders it may import at run time. Type-only imports may also reach `types`. */
export const LAYERS = {
  core: { runtime: ['core'], types: ['shared'] },
  shared: { runtime: ['shared'], types: ['core'] },
  webview: { runtime: ['webview', 'shared'], types: [] },
  // Reading the files a user names (regular files only, size limits): under everything that reads one.
  files: { runtime: ['core', 'files'], types: [] },
  bank: { runtime: ['core', 'files', 'bank'], types: [] },
  llm: { runtime: ['core', 'llm'], types: [] },
  embed: { runtime: ['core', 'llm', 'embed'], types: [] },
  sandbox: { runtime: ['core', 'sandbox'], types: [] },
  workspace: { runtime: ['core', 'workspace'], types: [] },
  profile: { runtime: ['core', 'bank', 'llm', 'sandbox', 'profile'], types: [] },
  bench: { runtime: ['core', 'bank', 'sandbox', 'workspace', 'bench'], types: [] },
  // engine/runtime.ts (the extension's lazily loaded bundle) also exports the server's starter: the one file of engine that reaches server.
  engine: { runtime: ['core', 'bank', 'embed', 'llm', 'sandbox', 'profile', 'workspace', 'engine', 'server'], types: [] },
  // The OpenAI-compatible server (`smcs serve`, SMCS: Start Local API Server) drives the engine as the CLI does.
  server: { runtime: ['core', 'shared', 'bank', 'embed', 'llm', 'engine', 'server'], types: [] },
  cli: { runtime: ['core', 'shared', 'files', 'bank', 'embed', 'llm', 'sandbox', 'profile', 'bench', 'workspace', 'engine', 'server', 'cli'], types: [] },
  // The host reaches the engine only through the lazily loaded runtime (vscode/runtime.ts); otherwise types only.
  vscode: { runtime: ['core', 'shared', 'vscode'], types: ['bank', 'embed', 'llm', 'sandbox', 'profile', 'workspace', 'engine', 'server'] },
};

/** The layer of a file (`src/<layer>/…`), or undefined for files outside src/ and for tests. */
export function layerOf(file, root) {
  const parts = path.relative(root, file).split(path.sep);
  if (parts[0] !== 'src' || parts.length < 3 || parts.includes('test')) return undefined;
  return parts[1];
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
    docs: { description: 'imports between src/ folders follow the layer table of DESIGN §3' },
    schema: [],
    messages: {
      unknownLayer: 'src/{{layer}} is not in the layer table (.eslintplugin/layers.mjs): add it there with what it may import.',
      runtime: 'src/{{from}} may not import src/{{to}} ({{spec}}){{hint}}.',
      types: 'src/{{from}} may import src/{{to}} for types only: write `import type` ({{spec}}).',
      testCode: 'product code may not import test code ({{spec}}): it would ship in the bundles; move what it needs into src/.',
    },
  },
  create(context) {
    const file = context.filename;
    const root = context.cwd;
    const from = layerOf(file, root);
    if (from === undefined) return {};
    const allowed = LAYERS[from];
    const check = (node, spec, typeOnly) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      if (isTestPath(path.relative(root, path.resolve(path.dirname(file), spec)))) return context.report({ node, messageId: 'testCode', data: { spec } });
      const target = layerOf(path.resolve(path.dirname(file), spec) + '.ts', root) ?? layerOf(path.resolve(path.dirname(file), spec, 'index.ts'), root);
      if (target === undefined || target === from) return;
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
