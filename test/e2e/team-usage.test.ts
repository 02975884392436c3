/** The panel's Bank section when an endpoint is marked teamServer: the line the extension host reads from the team server. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { withWorkbench } from './workbench';

/** A member's report as `smcs serve --team` answers `GET /v1/smcs/usage` (src/server/team/teamAsk.ts). */
const REPORT = { name: 'alice', since: '2026-11-23T00:00:00.000Z', resetsAt: '2026-11-30T00:00:00.000Z', budgetUsd: 10, per: 'week', spentUsd: 3.2, reservedUsd: 0, byStage: [], byModel: [] };

test("Bank section on a team SMCS server: the signed-in key's spend against its budget, and when it resets; read again after a run", async () => {
  await withWorkbench('team usage', { apiKey: 'smcs-k1-alice-e2e', endpointFields: { teamServer: true }, fake: { teamUsage: REPORT } }, async (wb) => {
    await wb.openPanel();
    const line = wb.byTestId('bank-team-usage');
    await line.waitFor({ state: 'visible' });
    assert.equal(await line.textContent(), 'Team key alice: $3.20 of $10.00 this week · resets Mon');
    assert.equal(await line.getAttribute('data-endpoint'), 'fake');
    const asked = wb.fake.requests.filter((r) => r.path === '/v1/smcs/usage');
    assert.ok(asked.length > 0 && asked.every((r) => wb.fake.sentKey(r, 'smcs-k1-alice-e2e')), 'asked with the key from apiKeyEnv');
    await wb.screenshot('bank-team-usage-dark');
    // A run spends on the key: once it ends, the line is read again.
    REPORT.spentUsd = 4.1;
    await wb.askInPanel('What is a closure?');
    await wb.panel().locator('[data-testid="bank-team-usage"]', { hasText: 'Team key alice: $4.10 of $10.00 this week' }).waitFor({ state: 'visible' });
  });
});
