import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { startLoopbackUpstream, type LoopbackUpstream } from '../fixtures/loopbackUpstream';
import type { RunState } from '../../src/presentation/runState';
import { clearSettings, configure, fakeServerSettings, waitUntil } from './helpers';

const MODELS = ['alpha-coder', 'beta-coder', 'gamma-coder'];

describe('compare candidates', () => {
  let fake: LoopbackUpstream;

  beforeEach(async () => {
    fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
    let aggregations = 0;
    fake.script(MODELS[0]!, {
      reply: (request) => {
        if (!JSON.stringify(request.body).includes('Reference of')) return 'Reference of alpha.';
        aggregations += 1;
        return `Candidate number ${aggregations}:\nuse functools.lru_cache(maxsize=${aggregations * 128})\n`;
      },
    });
    fake.script(MODELS[1]!, { reply: 'Reference of beta.' });
    fake.script(MODELS[2]!, { reply: 'Reference of gamma.' });
    // Equal priors: seed 4 draws three different subsets of the three replies (a subset drawn twice is aggregated once).
    await configure(fakeServerSettings(fake, MODELS, { k: 3, n: 3, seed: 4 }));
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clearSettings();
    await fake.close();
  });

  it('smcs.compareCandidates opens a diff editor on two documents of its own scheme holding the two candidates, titled with both', async () => {
    const run = await vscode.commands.executeCommand<RunState | undefined>('smcs.ask', 'How do I cache a function in Python?');
    assert.ok(run, 'smcs.ask returned no run');
    assert.equal(run.status, 'done', `run ended ${run.status}: ${run.error?.message ?? ''}`);
    const winner = run.winner ?? -1;
    assert.ok(winner >= 0, 'no winner');
    const other = winner === 0 ? 2 : 0;
    const texts = new Set(run.candidates.map((c) => c.text));
    assert.equal(texts.size, 3, 'the candidates differ');

    await vscode.commands.executeCommand('smcs.compareCandidates', run.id, other, winner);
    const opened = await waitUntil(() => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      return active?.input instanceof vscode.TabInputTextDiff ? { label: active.label, input: active.input } : undefined;
    }, 'no diff editor opened');
    assert.ok(opened);
    const { label, input } = opened;
    assert.equal(label, `Candidate ${other + 1} ↔ Candidate ${winner + 1} (winner)`);
    assert.equal(input.original.scheme, 'smcs-candidate');
    assert.equal(input.modified.scheme, 'smcs-candidate');
    const left = await vscode.workspace.openTextDocument(input.original);
    const right = await vscode.workspace.openTextDocument(input.modified);
    assert.equal(left.getText(), run.candidates[other]?.text);
    assert.equal(right.getText(), run.candidates[winner]?.text);
  });
});
