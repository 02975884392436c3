import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { startLoopbackUpstream } from '../fixtures/loopbackUpstream';
import { EXTENSION_ID, activeExtension, clearSettings, configure, contributedCommands, fakeServerSettings, waitUntil, type SmcsTestApi } from './helpers';

describe('activation', () => {
  it('activates the extension from its folder', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers every command that package.json contributes', async () => {
    const declared = contributedCommands();
    assert.ok(declared.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  // Before any test asks a question: the first question of a session no longer waits for the index (issue 70 item 8).
  it('builds the workspace index in the background once models are set up, before any question is asked', async () => {
    const api = (await activeExtension()).exports as SmcsTestApi;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the suite runs with a workspace folder open');
    fs.writeFileSync(path.join(folder, 'rows.py'), 'def parse_row(line):\n    return line.split(",")\n');
    assert.equal(api.workspaceIndex(), 'idle', 'no models yet: nothing is built');
    const fake = await startLoopbackUpstream({ models: [{ id: 'alpha-coder' }] });
    try {
      // The lexical embedder loads nothing and costs nothing: the index may be built without asking.
      await configure(fakeServerSettings(fake, ['alpha-coder']));
      await waitUntil(() => api.workspaceIndex() === 'built', 'the workspace index was not built in the background', 20000);
      assert.equal(api.history().length, 0, 'no question was asked');
    } finally {
      await clearSettings();
      await fake.close();
      fs.rmSync(path.join(folder, 'rows.py'), { force: true });
    }
  });
});
