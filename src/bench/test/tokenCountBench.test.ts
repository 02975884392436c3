/** The token-count benchmark times every call over the whole synthetic agent turn and reports it (timing goals are its own, not asserted here). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benchmarkTokenCount, formatTokenCount } from '../tokenCountBench';

test('the token-count benchmark counts each message of an 82-message agent turn and reports the per-call and per-turn cost', () => {
  const r = benchmarkTokenCount({ calls: 500 });
  assert.equal(r.messages, 82);
  assert.equal(r.calls, 500);
  assert.ok(r.tokens > 50_000, `the turn is ${r.tokens} tokens, smaller than an agent's`);
  assert.ok(r.meanUs >= 0 && r.p99Us >= 0 && r.maxUs >= r.p99Us);
  // A turn is 2,500 calls at the mean (both rounded to hundredths).
  assert.ok(Math.abs(r.turnMs - r.meanUs * 2.5) <= 0.02, `${r.turnMs} ms for a turn at ${r.meanUs} µs a call`);
  assert.match(formatTokenCount(r), /^token count: 500 calls over an agent turn of 82 messages .* for a turn of 2,500 calls \((within|OVER) the 100 µs p99 goal\)$/);
});
