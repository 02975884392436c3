/** One rule for binary files: a NUL byte in the first 8 KB; anything else is read as UTF-8, its byte-order mark kept. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { textOf } from '../textBytes';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

test('text is read as UTF-8; a NUL byte in the first 8 KB makes the file binary, one after them does not', () => {
  assert.equal(textOf(bytes('def f():\n    return "é"\n')), 'def f():\n    return "é"\n');
  assert.equal(textOf(bytes(`PNG\0${'x'.repeat(100)}`)), undefined);
  const late = new Uint8Array([...bytes('a'.repeat(8192)), 0]);
  assert.equal(textOf(late)?.length, 8193);
});

test('a byte-order mark stays, as Node reads a file, so line and character positions match the file on disk', () => {
  const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('x = 1\n')]);
  assert.equal(textOf(withBom), Buffer.from(withBom).toString('utf8'));
  assert.equal(textOf(withBom), '\uFEFFx = 1\n');
});
