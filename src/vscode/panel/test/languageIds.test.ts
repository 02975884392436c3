import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { languageIdForFence } from '../languageIds';

test('code fence languages map to VS Code language ids known to the editor', () => {
  const known = new Set(['typescript', 'python', 'shellscript', 'cpp', 'plaintext']);
  assert.equal(languageIdForFence('ts', known), 'typescript');
  assert.equal(languageIdForFence('Python', known), 'python');
  assert.equal(languageIdForFence('bash', known), 'shellscript');
  assert.equal(languageIdForFence('c++', known), 'cpp');
  assert.equal(languageIdForFence('rust', known), 'plaintext');
  assert.equal(languageIdForFence('', known), 'plaintext');
});
