import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyFileChoices, languageOfPath } from '../applyFiles';

const FILES = ['Cargo.toml', 'README.md', 'src/main.rs', 'src/app/router.rs', 'src/app/handlers.rs', 'web/index.ts', 'web/lib/api.ts', 'scripts/build.py'];

test('Apply with no file open offers the files the question names first, then those of the block’s language, shallowest first', () => {
  const choices = applyFileChoices('Why does the route in router.rs return 404?', 'rust', FILES);
  assert.deepEqual(choices, [
    { path: 'src/app/router.rs', named: true },
    { path: 'src/main.rs', named: false },
    { path: 'src/app/handlers.rs', named: false },
  ]);
});

test('the block’s language family counts (a JavaScript block for TypeScript files); another language’s files are not offered', () => {
  assert.deepEqual(applyFileChoices('How do I fetch JSON?', 'js', FILES).map((c) => c.path), ['web/index.ts', 'web/lib/api.ts']);
  assert.deepEqual(applyFileChoices('How do I parse args?', 'python', FILES).map((c) => c.path), ['scripts/build.py']);
  assert.deepEqual(applyFileChoices('Anything in Haskell?', 'haskell', FILES), []);
});

test('a block without a language: the named files only, or every file when none is named; the list is capped', () => {
  assert.deepEqual(applyFileChoices('Fix web/lib/api.ts please', '', FILES), [{ path: 'web/lib/api.ts', named: true }]);
  assert.equal(applyFileChoices('Fix it', '', FILES).length, FILES.length);
  assert.equal(applyFileChoices('Fix it', '', FILES, 3).length, 3);
  assert.equal(languageOfPath('src/x.RS'), 'rust');
  assert.equal(languageOfPath('Makefile'), undefined);
});
