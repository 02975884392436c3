/**
 * The type-check and the type-aware lint on shared programs (scripts/lint-typed.mjs), on a project of two files: a
 * type error and a floating promise are both reported, with the file and rule that hold them; a clean project has
 * neither; the type-check alone lints nothing, the lint alone reports no type error.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type * as LintTyped from '../lint-typed.mjs' with { 'resolution-mode': 'import' };

const REPO = path.resolve(__dirname, '..', '..');

/** A project inside the repository (so its ESLint config resolves typescript-eslint from the repository's packages). */
function project(files: Record<string, string>): string {
  const parent = path.join(REPO, '.test-results');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, 'lint-typed-'));
  const all: Record<string, string> = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'Node16', moduleResolution: 'Node16', types: [] },
      include: ['src/**/*.ts'],
    }),
    // Its own project setting is replaced by the programs the type-check built.
    'eslint.config.mjs': `import tseslint from 'typescript-eslint';
export default tseslint.config({
  files: ['**/*.ts'],
  extends: [tseslint.configs.recommendedTypeChecked],
  languageOptions: { parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
});
`,
    'src/ok.ts': 'export function later(): Promise<number> {\n  return Promise.resolve(1);\n}\n',
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const BAD = "import { later } from './ok';\nexport const count: number = 'two';\nexport function start(): void {\n  later();\n}\n";

test('a type error and a floating promise are each reported with their file; a clean project passes', async (t) => {
  const { typeCheckAndLint }: typeof LintTyped = await import('../lint-typed.mjs');
  const dirty = project({ 'src/bad.ts': BAD });
  const clean = project({});
  t.after(() => {
    rmSync(dirty, { recursive: true, force: true });
    rmSync(clean, { recursive: true, force: true });
  });
  const found = await typeCheckAndLint({ root: dirty, worlds: ['tsconfig.json'], linted: ['src'], types: true, lint: true });
  assert.equal(found.typeErrors, 1, found.output);
  assert.match(found.output, /src\/bad\.ts\(2,14\): error TS2322/);
  assert.equal(found.problems, 1, found.output);
  assert.match(found.output, /bad\.ts\n\s+4:3\s+error\s+Promises must be awaited.*@typescript-eslint\/no-floating-promises/);

  const passed = await typeCheckAndLint({ root: clean, worlds: ['tsconfig.json'], linted: ['src'], types: true, lint: true });
  assert.deepEqual([passed.typeErrors, passed.problems], [0, 0], passed.output);
  assert.match(passed.output, /eslint: no problems in 1 files/);
});

test('the type-check alone lints nothing; the lint alone reports the floating promise and no type error', async (t) => {
  const { typeCheckAndLint }: typeof LintTyped = await import('../lint-typed.mjs');
  const dirty = project({ 'src/bad.ts': BAD });
  t.after(() => rmSync(dirty, { recursive: true, force: true }));
  const typesAlone = await typeCheckAndLint({ root: dirty, worlds: ['tsconfig.json'], linted: ['src'], types: true, lint: false });
  assert.deepEqual([typesAlone.typeErrors, typesAlone.problems], [1, 0]);
  assert.doesNotMatch(typesAlone.output, /eslint:/);
  const lintAlone = await typeCheckAndLint({ root: dirty, worlds: ['tsconfig.json'], linted: ['src'], types: false, lint: true });
  assert.deepEqual([lintAlone.typeErrors, lintAlone.problems], [0, 1]);
  assert.doesNotMatch(lintAlone.output, /types:/);
});
