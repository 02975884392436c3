import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateMessageTokens, estimatePromptTokens, estimateTokens } from '../tokens';

test('one estimate: three characters a token, four more per message', () => {
  assert.equal(estimateTokens(''), 0);
  assert.equal(estimateTokens('abc'), 1);
  assert.equal(estimateTokens('abcd'), 2);
  assert.equal(estimateMessageTokens('abcd'), 6);
  assert.equal(estimatePromptTokens([{ content: 'abc' }, { content: '' }]), 1 + 4 + 0 + 4);
});
