import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { smcsApi } from './helpers';

/** Commands that complete without a dialog when no question is running (Clear History asks first: see the UI tests). */
const DIALOG_FREE = ['smcs.openPanel', 'smcs.showLog', 'smcs.openSettings', 'smcs.cancel', 'smcs.newChat'];

describe('commands', () => {
  for (const id of DIALOG_FREE) {
    it(`${id} runs without throwing`, async () => {
      await vscode.commands.executeCommand(id);
    });
  }

  it('smcs.ask with an empty question does nothing', async () => {
    const api = await smcsApi();
    const before = api.history().length;
    const run = await vscode.commands.executeCommand('smcs.ask', '   ');
    assert.equal(run, undefined);
    assert.equal(api.history().length, before);
  });
});
