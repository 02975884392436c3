import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { redactSecrets } from '../redact';

test('log lines lose API keys, bearer tokens and key=value secrets', () => {
  const line = 'POST http://h/v1 Authorization: Bearer sk-or-v1-0123456789abcdef api_key=abcd1234efgh token: "zzzz9999" key sk-proj-ABCDEFGH12345678';
  const clean = redactSecrets(line, ['my-known-secret']);
  for (const secret of ['sk-or-v1-0123456789abcdef', 'abcd1234efgh', 'zzzz9999', 'sk-proj-ABCDEFGH12345678']) assert.ok(!clean.includes(secret), clean);
  assert.match(clean, /POST http:\/\/h\/v1/);
  assert.equal(redactSecrets('value my-known-secret here', ['my-known-secret']), 'value [redacted] here');
  assert.equal(redactSecrets('nothing to hide: 42 ms'), 'nothing to hide: 42 ms');
});
