import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { AskResult } from '../../src/core/events';
import { ChoiceEmitter, type ReplyChoice } from '../../src/vscode/choiceFeedback';
import { languageIdForFence, MAX_CONTEXT_CHARS, selectionContext } from '../../src/vscode/editorContext';
import { redactSecrets } from '../../src/vscode/redact';

test('log lines lose API keys, bearer tokens and key=value secrets', () => {
  const line = 'POST http://h/v1 Authorization: Bearer sk-or-v1-0123456789abcdef api_key=abcd1234efgh token: "zzzz9999" key sk-proj-ABCDEFGH12345678';
  const clean = redactSecrets(line, ['my-known-secret']);
  for (const secret of ['sk-or-v1-0123456789abcdef', 'abcd1234efgh', 'zzzz9999', 'sk-proj-ABCDEFGH12345678']) assert.ok(!clean.includes(secret), clean);
  assert.match(clean, /POST http:\/\/h\/v1/);
  assert.equal(redactSecrets('value my-known-secret here', ['my-known-secret']), 'value [redacted] here');
  assert.equal(redactSecrets('nothing to hide: 42 ms'), 'nothing to hide: 42 ms');
});

test('the selection becomes a fenced context block with its language and no path', () => {
  assert.equal(selectionContext('  \n', 'python'), undefined);
  const ctx = selectionContext('print(1)', 'python');
  assert.equal(ctx, 'Selected code from the editor (language: python):\n```python\nprint(1)\n```');
  assert.match(selectionContext('a ``` b', 'markdown') ?? '', /````markdown\na ``` b\n````/);
  const long = selectionContext('x'.repeat(MAX_CONTEXT_CHARS + 10), 'text') ?? '';
  assert.match(long, /cut to its first/);
  assert.ok(long.length < MAX_CONTEXT_CHARS + 200);
});

test('code fence languages map to VS Code language ids known to the editor', () => {
  const known = new Set(['typescript', 'python', 'shellscript', 'cpp', 'plaintext']);
  assert.equal(languageIdForFence('ts', known), 'typescript');
  assert.equal(languageIdForFence('Python', known), 'python');
  assert.equal(languageIdForFence('bash', known), 'shellscript');
  assert.equal(languageIdForFence('c++', known), 'cpp');
  assert.equal(languageIdForFence('rust', known), 'plaintext');
  assert.equal(languageIdForFence('', known), 'plaintext');
});

test('choice listeners all receive the event; a throwing listener is reported and does not stop others', () => {
  const emitter = new ChoiceEmitter();
  const seen: string[] = [];
  const errors: unknown[] = [];
  const first = emitter.onDidChooseReply(() => {
    throw new Error('listener broke');
  });
  emitter.onDidChooseReply((c) => seen.push(`${c.kind}:${c.chosenIndex}`));
  const choice: ReplyChoice = { kind: 'chosen', question: 'q', result: {} as AskResult, chosenIndex: 2, chosenText: 't', learn: true };
  emitter.fire(choice, (e) => errors.push(e));
  assert.deepEqual(seen, ['chosen:2']);
  assert.equal(errors.length, 1);
  first.dispose();
  emitter.fire({ ...choice, kind: 'reverted', chosenIndex: 0 }, (e) => errors.push(e));
  assert.deepEqual(seen, ['chosen:2', 'reverted:0']);
  assert.equal(errors.length, 1);
});
