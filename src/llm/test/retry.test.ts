import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, DEFAULT_RETRY_POLICY, formatWait, parseRetryAfter, waitReason } from '../retry';
import { LlmError } from '../errors';


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

  it('honours a Retry-After of up to 10 minutes by default', () => {
    assert.equal(DEFAULT_RETRY_POLICY.maxRetryAfterMs, 600_000);
    assert.equal(backoffDelay(DEFAULT_RETRY_POLICY, 0, 540_000), 540_000);
  });

  it('says how long and why it waits', () => {
    assert.deepEqual([400, 9_950, 45_000, 120_000, 180_000, 150_000, 3_900_000, 7_200_000].map(formatWait), ['0.4 s', '9.9 s', '45 s', '120 s', '3 min', '2 min 30 s', '1 h 5 min', '2 h']);
    const e = (kind: 'rate-limit' | 'server' | 'connection', extra: { status?: number; retryAfterMs?: number } = {}) => new LlmError('x', { kind, endpointId: 'e', ...extra });
    assert.equal(waitReason(e('rate-limit', { status: 429, retryAfterMs: 120_000 }), 0, 4), 'rate limited (HTTP 429), as the server asked (Retry-After), retry 1 of 3');
    assert.equal(waitReason(e('server', { status: 503 }), 1, 4), 'server error (HTTP 503), retry 2 of 3');
    assert.equal(waitReason(e('connection'), 2, 4), 'connection failed, retry 3 of 3');
  });
});
