/** Budget periods: where a day, a week (from Monday) and a month start in UTC, and when each resets. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { periodReset, periodStart } from '../budgetPeriod';

it('a period starts at midnight UTC, a week on Monday, a month on its first; it resets when the next starts', () => {
  const at = new Date('2026-11-25T16:34:02Z'); // a Wednesday
  assert.equal(periodStart('day', at).toISOString(), '2026-11-25T00:00:00.000Z');
  assert.equal(periodStart('week', at).toISOString(), '2026-11-23T00:00:00.000Z');
  assert.equal(periodStart('month', at).toISOString(), '2026-11-01T00:00:00.000Z');
  assert.equal(periodReset('day', at).toISOString(), '2026-11-26T00:00:00.000Z');
  assert.equal(periodReset('week', at).toISOString(), '2026-11-30T00:00:00.000Z');
  assert.equal(periodReset('month', new Date('2026-12-31T23:59:59Z')).toISOString(), '2027-01-01T00:00:00.000Z');
  assert.equal(periodStart('week', new Date('2026-11-29T23:00:00Z')).toISOString(), '2026-11-23T00:00:00.000Z', 'Sunday belongs to the week that began on Monday');
});
