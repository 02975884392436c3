import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isHostToWebview, isWebviewToHost } from '../protocol';

test('the panel may ask to take a referencer reply the checks offered: a run id and a model key, nothing else', () => {
  assert.equal(isWebviewToHost({ type: 'use-reference', runId: 'r1', model: 'deepseek/deepseek-coder' }), true);
  for (const msg of [
    { type: 'use-reference', runId: 'r1' },
    { type: 'use-reference', runId: 'r1', model: '' },
    { type: 'use-reference', runId: 'r1', model: 3 },
    { type: 'use-reference', model: 'm' },
    { type: 'use-reference', runId: 'r1', model: 'm'.repeat(513) },
  ]) {
    assert.equal(isWebviewToHost(msg), false, JSON.stringify(msg));
  }
});

test('the host streams a taken referencer reply to the panel as a run action', () => {
  assert.equal(isHostToWebview({ type: 'run-actions', runId: 'r1', actions: [{ type: 'use-reference', model: 'deepseek/deepseek-coder' }] }), true);
  assert.equal(isHostToWebview({ type: 'run-actions', runId: 'r1', actions: [{ type: 'use-reference' }] }), false);
  assert.equal(isHostToWebview({ type: 'run-actions', runId: 'r1', actions: [{ type: 'use-reference', model: '' }] }), false);
});
