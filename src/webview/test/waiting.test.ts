import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatCountdown, waitingText } from '../waiting';

test('the countdown rounds up to whole seconds and switches to minutes from 60 s', () => {
  assert.equal(formatCountdown(45_000), '45 s');
  assert.equal(formatCountdown(44_001), '45 s');
  assert.equal(formatCountdown(1), '1 s');
  assert.equal(formatCountdown(60_000), '1 m 00 s');
  assert.equal(formatCountdown(125_000), '2 m 05 s');
});

test('the waiting text names the reason, then says it is retrying once the time is up', () => {
  const waiting = { ms: 45_000, reason: 'rate limited', at: 1_000 };
  assert.equal(waitingText(waiting, 1_000), 'waiting 45 s — rate limited');
  assert.equal(waitingText(waiting, 40_500), 'waiting 6 s — rate limited');
  assert.equal(waitingText(waiting, 46_000), 'retrying — rate limited');
  assert.equal(waitingText({ ms: 3_000, reason: '', at: 0 }, 0), 'waiting 3 s');
  assert.equal(waitingText(undefined, 0), '');
});
