/** How a member's team usage reads: the Bank section's line, the reset in the period's terms, and the spend by stage. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readTeamUsage, resetText, stageSpendText, teamUsageLine } from '../teamUsage';

/** A report as `GET /v1/smcs/usage` answers it (src/server/team/teamAsk.ts). */
const report = (fields: Record<string, unknown> = {}) => ({
  name: 'alice',
  since: '2026-11-23T00:00:00.000Z',
  resetsAt: '2026-11-30T00:00:00.000Z',
  budgetUsd: 10,
  per: 'week',
  spentUsd: 3.2,
  reservedUsd: 0,
  byStage: [
    { group: 'aggregation', asks: 4, calls: 4, promptTokens: 9000, completionTokens: 2000, costUsd: 0.9, unpriced: 0 },
    { group: 'referencer', asks: 4, calls: 12, promptTokens: 20000, completionTokens: 6000, costUsd: 2.1, unpriced: 0 },
    { group: 'tests', asks: 1, calls: 1, promptTokens: 800, completionTokens: 300, costUsd: 0.2, unpriced: 0 },
  ],
  byModel: [],
  ...fields,
});

const line = (fields: Record<string, unknown> = {}): string => {
  const usage = readTeamUsage(report(fields));
  assert.ok(usage, 'a usage report');
  return teamUsageLine(usage);
};

test('a weekly budget: spend of budget this week, and the weekday it resets', () => {
  assert.equal(line(), 'Team key alice: $3.20 of $10.00 this week · resets Mon');
});

test('a daily and a monthly budget reset in their own terms (UTC)', () => {
  assert.equal(line({ per: 'day', budgetUsd: 2, spentUsd: 0.5, resetsAt: '2026-11-26T00:00:00.000Z' }), 'Team key alice: $0.50 of $2.00 today · resets at 00:00 UTC');
  assert.equal(line({ per: 'month', budgetUsd: 20, spentUsd: 19.98, resetsAt: '2026-12-01T00:00:00.000Z' }), 'Team key alice: $19.98 of $20.00 this month · resets Dec 1');
  assert.equal(resetText('month', '2027-01-01T00:00:00.000Z'), 'resets Jan 1');
});

test('asks under way show what they hold; a key without a budget says so', () => {
  assert.equal(line({ reservedUsd: 0.4 }), 'Team key alice: $3.20 of $10.00 this week · $0.40 held by asks under way · resets Mon');
  assert.equal(line({ budgetUsd: null, per: null, resetsAt: null, spentUsd: 0.42 }), 'Team key alice: $0.42 this month · no budget');
  assert.equal(line({ spentUsd: 0 }), 'Team key alice: $0 of $10.00 this week · resets Mon');
});

test('a report from a server that names no period still reads (this period)', () => {
  assert.equal(line({ per: undefined }), 'Team key alice: $3.20 of $10.00 this period');
});

test('the spend by stage, most first, with its calls', () => {
  const usage = readTeamUsage(report());
  assert.equal(stageSpendText(usage?.byStage ?? []), 'referencer $2.10 (12 calls) · aggregation $0.90 (4 calls) · tests $0.20 (1 call)');
  assert.equal(stageSpendText([]), '');
});

test('what is not a usage report is refused', () => {
  assert.equal(readTeamUsage({ object: 'list', data: [] }), undefined);
  assert.equal(readTeamUsage({ name: 'alice', spentUsd: -1 }), undefined);
  assert.equal(readTeamUsage('Team key alice'), undefined);
  assert.equal(readTeamUsage(null), undefined);
});
