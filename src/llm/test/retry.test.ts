import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter } from '../retry';


describe('Retry-After and backoff', () => {
  it('reads delta seconds and HTTP dates, and ignores garbage', () => {
    assert.equal(parseRetryAfter('2'), 2000);
    assert.equal(parseRetryAfter('0.5'), 500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:07 GMT', now), 7000);
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(null), undefined);
  });

  it('honours Retry-After up to the cap and otherwise uses full jitter under an exponential ceiling', () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
    assert.equal(backoffDelay(p, 0, 3000), 3000);
    assert.equal(backoffDelay(p, 0, 999999), 5000);
    assert.equal(backoffDelay(p, 0, undefined, () => 0.999), 99);
    assert.equal(backoffDelay(p, 3, undefined, () => 0.5), 400);
    assert.equal(backoffDelay(p, 10, undefined, () => 0.5), 500);
    assert.equal(backoffDelay(p, 2, undefined, () => 0), 0);
  });
});
