import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { smcsApi, waitUntil } from './helpers';

describe('commands', () => {
  it('smcs.openSettings opens the Settings editor', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('smcs.openSettings');
    await waitUntil(() => vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'Settings', 'the Settings editor is the active tab');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("smcs.showLog shows the extension's own log", async () => {
    await vscode.commands.executeCommand('smcs.showLog');
    await waitUntil(() => vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'output' && /SMCS/.test(d.uri.path)), 'the SMCS output channel is open');
  });

  it('smcs.openPanel, smcs.cancel and smcs.newChat with nothing running start nothing and change no history', async () => {
    const api = await smcsApi();
    const before = api.history().length;
    for (const id of ['smcs.openPanel', 'smcs.cancel', 'smcs.newChat']) {
      await vscode.commands.executeCommand(id);
      assert.equal(api.isRunning(), false, `${id} started nothing`);
      assert.equal(api.history().length, before, `${id} left the history as it was`);
    }
  });

  it('smcs.ask with an empty question does nothing', async () => {
    const api = await smcsApi();
    const before = api.history().length;
    const run = await vscode.commands.executeCommand('smcs.ask', '   ');
    assert.equal(run, undefined);
    assert.equal(api.history().length, before);
  });
});
