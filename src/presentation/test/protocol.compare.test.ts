import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isWebviewToHost } from '../protocol';

test('compare messages name a run and two different candidates', () => {
  assert.equal(isWebviewToHost({ type: 'compare', runId: 'r', left: 2, right: 0 }), true);
  for (const msg of [
    { type: 'compare', runId: 'r', left: 1, right: 1 },
    { type: 'compare', runId: 'r', left: -1, right: 0 },
    { type: 'compare', runId: 'r', left: 0.5, right: 0 },
    { type: 'compare', runId: 'r', left: '1', right: 0 },
    { type: 'compare', left: 1, right: 0 },
    { type: 'compare', runId: 3, left: 1, right: 0 },
  ]) {
    assert.equal(isWebviewToHost(msg), false, JSON.stringify(msg));
  }
});
