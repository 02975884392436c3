import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { redact, redactRegistered, redactRegisteredJson, registerSecret } from '../redact';
import { ConfigError, parseConfig } from '../../contracts/config';
import { BankError } from '../../../bank/errors';

test('log lines lose API keys, bearer tokens and key=value secrets', () => {
  const line = 'POST http://h/v1 Authorization: Bearer sk-or-v1-0123456789abcdef api_key=abcd1234efgh token: "zzzz9999" key sk-proj-ABCDEFGH12345678';
  const clean = redact(line);
  for (const secret of ['sk-or-v1-0123456789abcdef', 'abcd1234efgh', 'zzzz9999', 'sk-proj-ABCDEFGH12345678']) assert.ok(!clean.includes(secret), clean);
  assert.match(clean, /POST http:\/\/h\/v1 Authorization: Bearer \[redacted\]/);
  assert.equal(redact('nothing to hide: 42 ms, max_tokens 8192, 7 tokens: fine'), 'nothing to hide: 42 ms, max_tokens 8192, 7 tokens: fine');
});

test('credentials in URLs, JSON-quoted secrets and key query parameters are removed', () => {
  assert.equal(redact('GET http://alice:s3cr3t-pw@127.0.0.1:8000/v1/models failed'), 'GET http://[redacted]@127.0.0.1:8000/v1/models failed');
  assert.equal(redact('clone https://ghp_token123@github.com/x/y'), 'clone https://[redacted]@github.com/x/y');
  assert.equal(redact('{"api_key": "hunter2hunter2", "x-api-key":"abcdefgh"}'), '{"api_key": "[redacted]", "x-api-key":"[redacted]"}');
  assert.equal(redact('https://h/embed?model=m&key=AIzaSyA-123&x=1'), 'https://h/embed?model=m&key=[redacted]&x=1');
  assert.equal(redact('Basic dXNlcjpwYXNzd29yZA=='), 'Basic [redacted]');
  assert.equal(redact('mail me at dev@example.com'), 'mail me at dev@example.com');
});

test('a registered key is removed wherever it appears, also when it looks like nothing special', () => {
  const key = 'plain-gateway-key-9f8e7d';
  assert.equal(redact(`echo: ${key}`), `echo: ${key}`, 'not yet registered, and no pattern matches it');
  registerSecret(key);
  registerSecret('EMPTY');
  assert.equal(redact(`echo: ${key}; again ${key}`), 'echo: [redacted]; again [redacted]');
  assert.equal(redactRegistered(`answer mentions ${key} and password=hunter22`), 'answer mentions [redacted] and password=hunter22');
  assert.equal(redact('EMPTY stays: the placeholder key is too short to register'), 'EMPTY stays: the placeholder key is too short to register');
});

test('redactRegisteredJson keeps clean values as they are and re-validates a cleaned copy', () => {
  const key = 'json-held-secret-123456';
  registerSecret(key);
  const isMsg = (v: unknown): v is { text: string; n: number } =>
    typeof v === 'object' && v !== null && typeof (v as { text?: unknown }).text === 'string' && typeof (v as { n?: unknown }).n === 'number';
  const clean = { text: 'nothing here', n: 1 };
  assert.equal(redactRegisteredJson(clean, isMsg), clean, 'the same object when nothing is redacted');
  assert.deepEqual(redactRegisteredJson({ text: `key ${key}`, n: 2 }, isMsg), { text: 'key [redacted]', n: 2 });
});

test('config and bank errors are created without the credentials of a URL they quote', () => {
  assert.throws(
    () => parseConfig({ endpoints: [{ id: 'x', provider: 'vllm', baseUrl: 'http://alice:pa55word@exa mple/v1' }] }),
    (e: unknown) => e instanceof ConfigError && /is not a valid URL: "http:\/\/\[redacted\]@exa mple\/v1"/.test(e.message) && !e.message.includes('pa55word'),
  );
  assert.equal(new BankError('cannot import https://bob:hunter22@host/bank.jsonl').message, 'cannot import https://[redacted]@host/bank.jsonl');
});
