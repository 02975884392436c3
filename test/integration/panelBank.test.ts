/**
 * The panel's Bank section, checked where no pixels are needed (moved from the UI suite): what the panel's own script
 * shows (panelDocument.ts) of what the extension sent it, the commands its buttons run, the requests the extension made.
 * How the section looks at 300 and 700 px is the UI suite's (test/e2e/panel-bank.test.ts, panel-open-sections.test.ts).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { startLoopbackUpstream, type LoopbackUpstream } from '../fixtures/loopbackUpstream';
import { activeExtension, clearSettings, configure, fakeServerSettings } from './helpers';
import { PanelDocument } from './panelDocument';
import { scriptWindow, type WindowScript } from './windowScript';

const MODELS = ['alpha-coder', 'beta-coder', 'gamma-coder'];

describe("the panel's Bank section", () => {
  let fake: LoopbackUpstream | undefined;
  let shown: WindowScript | undefined;
  let panel: PanelDocument | undefined;
  const env: string[] = [];

  afterEach(async () => {
    panel?.close();
    shown?.restore();
    await vscode.commands.executeCommand('smcs.cancel');
    await clearSettings();
    await fake?.close();
    for (const name of env.splice(0)) delete process.env[name];
  });

  // Was a UI test (test/e2e/panel-bank.test.ts).
  it('Profile Models from the empty Bank section: importing the starter bank and then cancelling the model pick still shows the new bank', async () => {
    const starterSize = readFileSync(path.join((await activeExtension()).extensionPath, 'media', 'starter-bank.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').length;
    fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
    await configure(fakeServerSettings(fake, MODELS, { k: 3, n: 2, seed: 1 }));
    const window = scriptWindow();
    shown = window;
    window.answer('info', /starter bank/i, 'Import Starter Bank');
    window.answer('quickPick', 'SMCS: Profile Models', undefined);
    panel = await PanelDocument.open();
    const doc = panel;
    await doc.until(() => doc.select('[data-testid="bank"][data-status="none"]').find((el) => doc.shown(el)), 'the Bank section says there is no bank');
    doc.click(await doc.element('[data-testid="bank-empty"] [data-testid="bank-profile"]', 'Profile Models in the empty Bank section'));

    const offer = await window.next('info', /starter bank/i);
    assert.equal(offer.modal, true, 'the starter bank is offered in a dialog');
    assert.ok(offer.items.includes('Import Starter Bank'), offer.items.join(', '));
    // The model pick, closed (Escape).
    await window.next('quickPick', 'SMCS: Profile Models');

    await doc.until(() => doc.select('[data-testid="bank"][data-status="ready"]').find((el) => doc.shown(el)), 'the Bank section shows the new bank');
    assert.match(doc.text(doc.all('bank-headline')[0]), new RegExp(`^Question bank: ${starterSize} questions`));
  });

  // Was the UI suite's team-usage test.
  it("on a team SMCS server: the signed-in key's spend against its budget, and when it resets; read again after a run", async () => {
    /** A member's report as `smcs serve --team` answers `GET /v1/smcs/usage` (src/server/team/teamAsk.ts). */
    const report = { name: 'alice', since: '2026-11-23T00:00:00.000Z', resetsAt: '2026-11-30T00:00:00.000Z', budgetUsd: 10, per: 'week', spentUsd: 3.2, reservedUsd: 0, byStage: [], byModel: [] };
    const key = 'smcs-k1-alice-it';
    process.env.SMCS_IT_TEAM_KEY = key;
    env.push('SMCS_IT_TEAM_KEY');
    const server = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })), teamUsage: report });
    fake = server;
    const settings = fakeServerSettings(server, MODELS, { k: 3, n: 2, seed: 1 });
    await configure({ ...settings, endpoints: [{ id: 'fake', provider: 'openai', apiKeyEnv: 'SMCS_IT_TEAM_KEY', baseUrl: server.baseUrl, models: MODELS, teamServer: true }] });
    panel = await PanelDocument.open();
    const doc = panel;
    const line = await doc.until(() => doc.all('bank-team-usage').find((el) => doc.shown(el)), 'the Bank section shows the team usage line');
    assert.equal(doc.text(line), 'Team key alice: $3.20 of $10.00 this week · resets Mon');
    assert.equal(line.getAttribute('data-endpoint'), 'fake');
    const asked = server.requests.filter((r) => r.path === '/v1/smcs/usage');
    assert.ok(asked.length > 0 && asked.every((r) => server.sentKey(r, key)), 'asked with the key from apiKeyEnv');
    // A run spends on the key: once it ends, the line is read again.
    report.spentUsd = 4.1;
    await doc.newChat();
    await doc.ask('What is a closure?');
    await doc.until(() => doc.all('bank-team-usage').find((el) => doc.shown(el) && doc.text(el).includes('Team key alice: $4.10 of $10.00 this week')), 'the usage line is read again after the run');
  });
});
