import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamPace, tailTokens } from '../cutTail';
import { CHARS_PER_TOKEN } from '../../util/tokens';

test('the pace of a stream is the characters after its first piece over the time from the first piece to the last', () => {
  const pace = new StreamPace();
  assert.equal(pace.tokensPerMs, undefined, 'nothing arrived');
  pace.add(6, 1000);
  assert.equal(pace.tokensPerMs, undefined, 'one piece says nothing of the pace');
  pace.add(0, 1200);
  assert.equal(pace.tokensPerMs, undefined, 'an empty piece is no piece');
  // 30 characters (10 estimated tokens) in the 500 ms after the first piece: 20 tokens a second.
  for (let i = 1; i <= 5; i++) pace.add(6, 1000 + 100 * i);
  assert.ok(Math.abs((pace.tokensPerMs ?? 0) - 30 / CHARS_PER_TOKEN / 500) < 1e-12, String(pace.tokensPerMs));
});

test('the tail of a cut reply: its pace times how long the upstream writes on, never past max_tokens, nothing when the pace or the cut is unknown', () => {
  const perMs = 20 / 1000;
  assert.equal(tailTokens({ tokensPerMs: perMs, writesOnMs: 1500, streamedTokens: 25, maxTokens: 1000 }), 30);
  assert.equal(tailTokens({ tokensPerMs: perMs, writesOnMs: 1500, streamedTokens: 25, maxTokens: 40 }), 15, 'max_tokens leaves 15');
  assert.equal(tailTokens({ tokensPerMs: perMs, writesOnMs: 1500, streamedTokens: 50, maxTokens: 40 }), 0, 'never below nothing');
  assert.equal(tailTokens({ tokensPerMs: perMs, writesOnMs: 0, streamedTokens: 25, maxTokens: 1000 }), 0, 'an upstream that stops at the close');
  assert.equal(tailTokens({ tokensPerMs: perMs, writesOnMs: undefined, streamedTokens: 25, maxTokens: 1000 }), 0, 'not our cut: the upstream went away');
  assert.equal(tailTokens({ tokensPerMs: undefined, writesOnMs: 1500, streamedTokens: 25, maxTokens: 1000 }), 0, 'one piece: no pace');
});
