/** What the dialogs say before an ask is sent: where the estimate comes from, and how large a prompt is. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateBasisText, largePromptText } from '../askNotices';

test('the estimate says where it comes from: the bank, past asks, other models, or a typical reply length', () => {
  assert.equal(estimateBasisText([{ model: 'a', from: 'support' }, { model: 'b', from: 'support' }]), "Expected from what these models' replies cost on similar questions in the bank.");
  assert.equal(estimateBasisText([{ model: 'a', from: 'history' }]), "Expected from what these models' replies cost in this installation's past asks: the bank has no similar question they answered, or only counts estimated at import.");
  assert.equal(estimateBasisText([{ model: 'a', from: 'assumed' }, { model: 'b', from: 'assumed' }]), 'Expected at a typical reply length: nothing is known yet of what these models write.');
  assert.equal(
    estimateBasisText([{ model: 'a', from: 'support' }, { model: 'b', from: 'others' }, { model: 'c', from: 'assumed' }, { model: 'd', from: 'assumed' }]),
    "Expected per model from — a: what their replies cost on similar questions in the bank; b: what other models' replies cost on similar questions (nothing is known of their own); c and d: a typical reply length, nothing being known of them yet.",
  );
});

test('a bank whose token counts were estimated at import says so, alone and beside other sources', () => {
  assert.equal(
    estimateBasisText([{ model: 'a', from: 'imported' }, { model: 'b', from: 'imported' }]),
    "Expected from what these models' replies cost on similar questions in the bank, counted from the replies' length when the bank was imported (no usage was recorded): it can run high until a few asks here show what they write.",
  );
  assert.equal(
    estimateBasisText([{ model: 'a', from: 'history' }, { model: 'b', from: 'imported' }]),
    "Expected per model from — b: what their replies cost on similar questions in the bank, counted from the replies' length when the bank was imported (no usage was recorded), which can run high until a few asks here show what they write; a: what their replies cost in this installation's past asks (the bank has no similar question they answered, or only counts estimated at import).",
  );
});

test('a large prompt is told by its size per call, in all, and its expected cost', () => {
  assert.equal(largePromptText({ promptTokens: 110_000, calls: 6, expectedUsd: 0.412 }), 'This question and its context come to ≈110.0k tokens, sent to each of 6 calls: ≈660.0k tokens in all, expected $0.412.');
  assert.equal(largePromptText({ promptTokens: 30_000, calls: 4, expectedUsd: null }), 'This question and its context come to ≈30.0k tokens, sent to each of 4 calls: ≈120.0k tokens in all.');
});
