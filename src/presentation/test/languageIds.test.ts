import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fenceFitsLanguage, languageIdForFence, languageName } from '../languageIds';

test('code fence languages map to VS Code language ids known to the editor', () => {
  const known = new Set(['typescript', 'python', 'shellscript', 'cpp', 'plaintext']);
  assert.equal(languageIdForFence('ts', known), 'typescript');
  assert.equal(languageIdForFence('Python', known), 'python');
  assert.equal(languageIdForFence('bash', known), 'shellscript');
  assert.equal(languageIdForFence('c++', known), 'cpp');
  assert.equal(languageIdForFence('rust', known), 'plaintext');
  assert.equal(languageIdForFence('', known), 'plaintext');
});

test('Apply: a block fits a file of its fence language (aliases and families too), not one of another language', () => {
  assert.equal(fenceFitsLanguage('python', 'typescript'), false, 'a Python block is not for a .ts file');
  assert.equal(fenceFitsLanguage('py', 'typescript'), false);
  assert.equal(fenceFitsLanguage('py', 'python'), true);
  assert.equal(fenceFitsLanguage('Python', 'python'), true);
  assert.equal(fenceFitsLanguage('ts', 'typescript'), true);
  assert.equal(fenceFitsLanguage('sh', 'shellscript'), true);
  assert.equal(fenceFitsLanguage('bash', 'python'), false);
  assert.equal(fenceFitsLanguage('js', 'typescript'), true, 'TypeScript takes JavaScript');
  assert.equal(fenceFitsLanguage('tsx', 'typescript'), true);
  assert.equal(fenceFitsLanguage('c', 'cpp'), true);
  assert.equal(fenceFitsLanguage('rust', 'go'), false, 'a language the table does not alias still has to match');
  assert.equal(fenceFitsLanguage('go', 'go'), true);
});

test('Apply: a block without a fence language, or a plain-text one, goes anywhere; a plain-text file takes any block', () => {
  assert.equal(fenceFitsLanguage('', 'typescript'), true);
  assert.equal(fenceFitsLanguage('  ', 'python'), true);
  assert.equal(fenceFitsLanguage('text', 'python'), true);
  assert.equal(fenceFitsLanguage('python', 'plaintext'), true);
});

test('languages are named for the user', () => {
  assert.equal(languageName('py'), 'Python');
  assert.equal(languageName('typescript'), 'TypeScript');
  assert.equal(languageName('sh'), 'shell');
  assert.equal(languageName('zig'), 'zig');
});
