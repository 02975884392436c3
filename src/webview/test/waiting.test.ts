import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { waitingText } from '../waiting';

test('the waiting text names the reason, then says it is retrying once the time is up', () => {
  const waiting = { ms: 45_000, reason: 'rate limited', at: 1_000 };
  assert.equal(waitingText(waiting, 1_000), 'waiting 45 s — rate limited');
  assert.equal(waitingText(waiting, 40_500), 'waiting 6 s — rate limited');
  assert.equal(waitingText(waiting, 46_000), 'retrying — rate limited');
  assert.equal(waitingText({ ms: 3_000, reason: '', at: 0 }, 0), 'waiting 3 s');
  assert.equal(waitingText(undefined, 0), '');
});
