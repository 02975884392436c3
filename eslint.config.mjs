// @ts-check
// Lint, enforced by `npm test`: type-aware rules for every TypeScript world (tsconfig.json: host, CLI, engine;
// tsconfig.webview.json: the panel; tsconfig.tests.json: tests and scripts) and the layer rules
// (.eslintplugin/layers.mjs), after microsoft/vscode-copilot-chat's eslint.config.mjs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import local from './.eslintplugin/index.mjs';

const NODE_BUILTINS = { group: ['node:*'], message: 'this layer runs without Node (pure engine or webview): no node: modules.' };
const VSCODE_ONLY_IN_HOST = { name: 'vscode', message: 'only src/vscode imports vscode: the engine, the CLI and the server run without VS Code.' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.test-results/**', '.cache/**', 'media/**', '**/*.d.mts'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.json', './tsconfig.webview.json', './tsconfig.tests.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { local },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test() and describe() return promises that the runner itself awaits.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      // tsconfig.base.json's noUnusedLocals and noUnusedParameters report unused names in every TypeScript world.
      '@typescript-eslint/no-unused-vars': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
      'no-throw-literal': 'error',
      // Implementations of async interfaces (SecretProvider, Embedder) may return a value without awaiting.
      '@typescript-eslint/require-await': 'off',
      'local/layers': 'error',
      'no-restricted-imports': ['error', { paths: [VSCODE_ONLY_IN_HOST] }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/presentation/**/*.ts', 'src/webview/**/*.ts'],
    ignores: ['**/test/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [VSCODE_ONLY_IN_HOST], patterns: [NODE_BUILTINS] }] },
  },
  {
    files: ['src/core/**/*.ts', 'src/presentation/**/*.ts'],
    ignores: ['**/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [VSCODE_ONLY_IN_HOST], patterns: [NODE_BUILTINS, { regex: '^[^.]', message: 'src/core and src/presentation are pure: no packages.' }] },
      ],
    },
  },
  { files: ['src/vscode/**/*.ts', 'test/integration/**/*.ts', 'test/e2e/extensions/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
  {
    // Settings are read and written through one typed module; tests set them directly.
    files: ['src/**/*.ts'],
    ignores: ['src/vscode/settings.ts', '**/test/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { property: 'getConfiguration', message: 'read and write settings through src/vscode/settings.ts (hostSetting, rawSetting, writeSetting, …), the one typed settings module.' },
      ],
    },
  },
  {
    // Tests read JSON documents (CLI output, recorded requests) whose shape is what they assert.
    files: ['**/test/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Call arguments are the rule's costliest check (each callee's every signature resolved again); in a test file,
    // node:test fails the run on a rejection nobody awaits. docs/develop.md, "Lint and types".
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }] },
  },
  {
    files: ['**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
);
