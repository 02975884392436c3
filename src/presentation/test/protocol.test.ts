import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createRun } from '../runState';
import { isHostToWebview, isWebviewToHost, MAX_MESSAGE_TEXT } from '../protocol';

test('valid webview messages are accepted', () => {
  for (const msg of [
    { type: 'ready' },
    { type: 'ask', question: 'why?' },
    { type: 'ask', question: 'why?', withoutCurrentFile: true, withoutSelection: true, files: ['src/parse.ts'] },
    { type: 'estimate', question: 'why?', files: ['src/parse.ts', 'README.md'] },
    { type: 'estimate', question: '' },
    { type: 'stop' },
    { type: 'choose', runId: 'r', index: 2 },
    { type: 'choose', runId: 'r', index: null },
    { type: 'code', action: 'insert', code: 'x', language: 'ts', runId: 'r', candidate: 0 },
    { type: 'code', action: 'copy', code: '' },
    { type: 'clear-history' },
    { type: 'command', command: 'smcs.addVllmServer' },
  ]) {
    assert.equal(isWebviewToHost(msg), true, JSON.stringify(msg));
  }
});

test('malformed or dangerous webview messages are rejected', () => {
  for (const msg of [
    null,
    'ready',
    [],
    { type: 'nope' },
    { type: 'ask', question: '   ' },
    { type: 'ask', question: 5 },
    { type: 'ask', question: 'x'.repeat(MAX_MESSAGE_TEXT + 1) },
    { type: 'ask', question: 'why?', files: ['../outside.txt'] },
    { type: 'ask', question: 'why?', withoutCurrentFile: 'yes' },
    { type: 'ask', question: 'why?', withoutSelection: 1 },
    { type: 'estimate', question: 'why?', files: ['/etc/passwd'] },
    { type: 'estimate', question: 'why?', files: 'src/parse.ts' },
    { type: 'choose', runId: 'r', index: -1 },
    { type: 'choose', runId: 'r', index: 1.5 },
    { type: 'choose', index: 1 },
    { type: 'code', action: 'exec', code: 'rm -rf /' },
    { type: 'code', action: 'copy' },
    { type: 'code', action: 'copy', code: 'x', candidate: 'a' },
    { type: 'command', command: 'workbench.action.terminal.sendSequence' },
    { type: 'command', command: 'smcs.clearHistory' },
  ]) {
    assert.equal(isWebviewToHost(msg), false, JSON.stringify(msg));
  }
});

test('host messages: snapshots, run starts and actions are validated', () => {
  const run = createRun('r1', 'q', 1);
  assert.equal(isHostToWebview({ type: 'snapshot', snapshot: { runs: [run], setup: { hasEndpoints: true } } }), true);
  assert.equal(isHostToWebview({ type: 'snapshot', snapshot: { runs: [run], activeRunId: 'r1', setup: { hasEndpoints: false, configError: { setting: 'smcs.k', message: 'bad' } } } }), true);
  assert.equal(isHostToWebview({ type: 'run-started', run }), true);
  assert.equal(isHostToWebview({ type: 'run-actions', runId: 'r1', actions: [{ type: 'event', event: { type: 'embed', ms: 1 }, at: 2 }, { type: 'cancelled', at: 3 }, { type: 'choose', index: null }] }), true);
  assert.equal(isHostToWebview({ type: 'setup', setup: { hasEndpoints: true } }), true);
  assert.equal(isHostToWebview({ type: 'focus-input' }), true);
  assert.equal(isHostToWebview({ type: 'focus-input', text: 'a question\nover two lines' }), true);
  assert.equal(isHostToWebview({ type: 'focus-input', text: 3 }), false);
  assert.equal(isHostToWebview({ type: 'bank-summary', bank: { status: 'schema', location: 'db:5432/smcs', problem: 'this database has no SMCS schema yet' } }), true);
  assert.equal(isHostToWebview({ type: 'bank-summary', bank: { status: 'schema', location: 'db:5432/smcs' } }), false);

  assert.equal(isHostToWebview({ type: 'snapshot', snapshot: { runs: [{ id: 'x' }], setup: { hasEndpoints: true } } }), false);
  assert.equal(isHostToWebview({ type: 'snapshot', snapshot: { runs: [], setup: {} } }), false);
  assert.equal(isHostToWebview({ type: 'run-actions', runId: 'r1', actions: [{ type: 'event', event: {}, at: 1 }] }), false);
  assert.equal(isHostToWebview({ type: 'run-actions', runId: 'r1', actions: [{ type: 'cancelled' }] }), false);
  assert.equal(isHostToWebview({ type: 'setup', setup: { hasEndpoints: true, configError: { setting: 1 } } }), false);
  assert.equal(isHostToWebview({ type: 'eval', code: 'x' }), false);
});

test('bank summary messages: every state is accepted, malformed ones are rejected', () => {
  const banks = { team: 'db:5432/smcs', local: { location: '/home/ann/.smcs/bank', size: 12413 } };
  const summary = { size: 2, embedder: 'lexical:1:256', models: [{ model: 'm', labelled: 2, accuracy: 0.5, lowerBound: 0.1, fewLabels: true, configured: true, byDomain: [{ domain: 'cs', labelled: 2, accuracy: 0.5 }] }], unprofiled: ['n'] };
  for (const bank of [{ status: 'loading' }, { status: 'none', unprofiled: [] }, { status: 'error', message: 'x' }, { status: 'ready', summary }, { status: 'ready', summary: { ...summary, settingsEmbedder: 'e2' } }, { status: 'error', message: 'x', remedy: 'password', banks }, { status: 'none', unprofiled: [], banks: { ...banks, local: { location: '/b', size: 0 } } }, { status: 'none', unprofiled: [], teamUsage: [{ endpoint: 'team', text: 'Team key alice: $3.20 of $10.00 this week · resets Mon', problem: false }] }]) {
    assert.equal(isHostToWebview({ type: 'bank-summary', bank }), true, JSON.stringify(bank));
  }
  for (const bank of [
    undefined,
    { status: 'busy' },
    { status: 'none' },
    { status: 'error' },
    { status: 'ready', summary: { ...summary, size: -1 } },
    { status: 'ready', summary: { ...summary, models: [{ ...summary.models[0], accuracy: 1.5 }] } },
    { status: 'ready', summary: { ...summary, models: [{ ...summary.models[0], byDomain: [{ domain: 'cs', labelled: 'x', accuracy: 0 }] }] } },
    { status: 'ready', summary: { ...summary, unprofiled: [1] } },
    { status: 'error', message: 'x', remedy: 'reboot' },
    { status: 'ready', summary, banks: { team: 'db:5432/smcs', local: { location: '/b', size: -1 } } },
    { status: 'ready', summary, banks: { local: { location: '/b', size: 1 } } },
    { status: 'ready', summary, teamUsage: [{ endpoint: 'team', text: 'x' }] },
    { status: 'ready', summary, teamUsage: { endpoint: 'team', text: 'x', problem: false } },
  ]) {
    assert.equal(isHostToWebview({ type: 'bank-summary', bank }), false, JSON.stringify(bank));
  }
});

test('the Bank section may refresh, import and profile, and nothing more', () => {
  assert.equal(isWebviewToHost({ type: 'refresh-bank' }), true);
  assert.equal(isWebviewToHost({ type: 'command', command: 'smcs.importBank' }), true);
  assert.equal(isWebviewToHost({ type: 'command', command: 'smcs.profileModels' }), true);
  assert.equal(isWebviewToHost({ type: 'command', command: 'smcs.exportBank' }), false);
});

test('the current file\'s share: the webview asks for it with the chips\' choice, the host answers with words', () => {
  assert.equal(isWebviewToHost({ type: 'file-share', question: 'why?', wholeCurrentFile: true }), true);
  assert.equal(isWebviewToHost({ type: 'file-share', question: '' }), true, 'an empty box still says what goes');
  assert.equal(isWebviewToHost({ type: 'file-share', question: 'why?', wholeCurrentFile: 'yes' }), false);
  assert.equal(isWebviewToHost({ type: 'ask', question: 'why?', wholeCurrentFile: 1 }), false);
  assert.equal(isHostToWebview({ type: 'current-file-share', question: 'q', path: 'a.ts', share: 'not sent: the question does not refer to it', whole: 'whole file · 10 tokens' }), true);
  assert.equal(isHostToWebview({ type: 'current-file-share', question: 'q', path: 'a.ts', share: 3, whole: '' }), false);
});

test('the cost estimate carries where each model\'s reply length comes from, in the words the dialogs use', () => {
  const estimate = { question: 'why?', expectedUsd: 0.01, worstUsd: 0.2, assumed: [], basis: [{ model: 'a', from: 'imported' }, { model: 'b', from: 'history' }] };
  assert.equal(isHostToWebview({ type: 'estimate', estimate }), true);
  assert.equal(isHostToWebview({ type: 'estimate', estimate: { ...estimate, basis: [{ model: 'a', from: 'guessed' }] } }), false);
  const { basis: _basis, ...withoutBasis } = estimate;
  assert.equal(isHostToWebview({ type: 'estimate', estimate: withoutBasis }), false);
});
