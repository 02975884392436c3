import { test } from 'node:test';
import assert from 'node:assert/strict';
import { embeddingConsentDetail } from '../embeddingConsent';

test('the download prompt says what the model is for: the question bank with local models, only the workspace search for a team server member', () => {
  const local = embeddingConsentDetail(false);
  assert.match(local, /^SMCS embeds each question with this model to find similar ones in the question bank\./);
  const member = embeddingConsentDetail(true);
  assert.match(member, /^Your team server routes your questions with its own bank; on this machine SMCS uses this model only to search your workspace/);
  assert.doesNotMatch(member, /similar ones in the question bank/);
  for (const detail of [local, member]) assert.match(detail, /the lexical embedder \(no download\)/, 'the way without a download is offered either way');
});
