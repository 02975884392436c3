/**
 * Adding servers and keys from the command palette, checked where no pixels are needed: what the commands asked (the
 * boxes, dialogs and notifications, recorded by windowScript.ts), what they wrote (the settings, never the key) and
 * what the models then received. How the first run looks — the welcome, the key box at 300 and 700 px — is the UI
 * suite's (test/e2e/add-server.test.ts).
 */
import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { startLoopbackUpstream, type LoopbackUpstream } from '../fixtures/loopbackUpstream';
import type { RunState } from '../../src/presentation/runState';
import { clearSettings, configure, fakeServerSettings } from './helpers';
import { ENTER, scriptWindow, type WindowScript } from './windowScript';

const MODELS = ['alpha-coder', 'beta-coder', 'gamma-coder'];
const [ALPHA, BETA] = MODELS;
const ADD_TITLE = 'SMCS: Add vLLM Server';
const KEY = 'vllm-it-key-7f3a91c2';

interface EndpointSetting {
  id: string;
  baseUrl: string;
  models: (string | { id: string; alias?: string })[];
}

/** `smcs.endpoints` as the user settings hold it. */
const endpoints = (): EndpointSetting[] => (vscode.workspace.getConfiguration('smcs').inspect<EndpointSetting[]>('endpoints')?.globalValue ?? []);

/** Every `smcs.*` user setting, as text (a key must never be in it). */
function userSettingsText(): string {
  const extension = vscode.extensions.getExtension('smcs.smcs');
  const properties = Object.keys((extension?.packageJSON?.contributes?.configuration?.properties ?? {}) as Record<string, unknown>);
  const section = vscode.workspace.getConfiguration();
  return JSON.stringify(Object.fromEntries(properties.map((key) => [key, section.inspect(key)?.globalValue])));
}

/** A loopback port that refuses connections (a server was started on it and closed). */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('adding servers and keys', () => {
  let fake: LoopbackUpstream;
  let shown: WindowScript;
  const others: LoopbackUpstream[] = [];

  beforeEach(async () => {
    shown = scriptWindow();
  });

  afterEach(async () => {
    shown.restore();
    await vscode.commands.executeCommand('smcs.cancel');
    await clearSettings();
    await fake.close();
    for (const server of others.splice(0)) await server.close();
  });

  const chats = () => fake.requests.filter((r) => r.path.endsWith('/chat/completions'));
  const ask = (question: string) => vscode.commands.executeCommand<RunState | undefined>('smcs.ask', question);

  // From test/e2e/ask-flow.test.ts.
  it('Set API Key stores the key in SecretStorage and the models receive it', async () => {
    fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
    await configure(fakeServerSettings(fake, MODELS, { k: 3, n: 2, seed: 1 }));
    const key = 'sk-it-0123456789';
    shown.answer('inputBox', 'SMCS: API key for fake', key);
    await vscode.commands.executeCommand('smcs.setApiKey');
    await shown.next('info', 'stored the API key');
    const run = await ask('Which key do you see?');
    assert.equal(run?.status, 'done', run?.error?.message);
    assert.ok(chats().length > 0);
    assert.ok(chats().every((r) => fake.sentKey(r, key)), 'a model call went out without the stored key');
    assert.doesNotMatch(userSettingsText(), new RegExp(key));
    // The key leaves with the test: an empty key removes it.
    shown.answer('inputBox', 'SMCS: API key for fake', '');
    await vscode.commands.executeCommand('smcs.setApiKey');
    await shown.next('info', 'removed the API key of fake');
  });

  // From test/e2e/add-server.test.ts (its screenshot first-run-wrong-port is taken there).
  it('Add vLLM Server: a wrong port keeps the typed URL with Retry; a 403 server whose key box was closed is added from Set API Key', async () => {
    fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })), requireKey: { key: KEY, status: 403 } });
    await configure({ endpoints: [] });
    const nobody = await closedPort();
    const wrong = `http://127.0.0.1:${nobody}/v1`;
    shown.answer('inputBox', ADD_TITLE, wrong);
    shown.answer('error', `could not list the models of ${wrong}`, 'Retry');
    // The box offers what was typed, with the port selected to be fixed: the port typed over it.
    shown.answer('inputBox', ADD_TITLE, (box) => {
      const [start, end] = box.valueSelection ?? [0, 0];
      return `${box.value?.slice(0, start) ?? ''}${fake.port}${box.value?.slice(end) ?? ''}`;
    });
    shown.answer('inputBox', 'needs an API key', undefined);
    await vscode.commands.executeCommand('smcs.addVllmServer');
    const [, retried] = shown.all('inputBox', ADD_TITLE);
    assert.equal(retried?.value, wrong);
    const [start, end] = retried?.valueSelection ?? [0, 0];
    assert.equal(wrong.slice(start, end), String(nobody));
    const keyBox = await shown.next('inputBox', 'needs an API key');
    assert.match(keyBox.text, /HTTP 403/);
    assert.equal(keyBox.password, true);
    assert.deepEqual(endpoints(), [], 'nothing is added while the server waits for its key');

    // Later, Set API Key gives the key of the server being added, and adding goes on.
    const id = `vllm-127-0-0-1-${fake.port}`;
    shown.answer('inputBox', `SMCS: API key for ${fake.baseUrl}`, KEY);
    shown.answer('quickPick', `Models served at ${fake.baseUrl}`, ENTER);
    shown.answer('inputBox', 'SMCS: endpoint id', id);
    await vscode.commands.executeCommand('smcs.setApiKey');
    await shown.next('info', `added ${id} with 3 models`);
    assert.equal(endpoints().find((e) => e.id === id)?.baseUrl, fake.baseUrl);
    assert.ok(!userSettingsText().includes(KEY), 'the key is not in the settings');
    const listed = fake.requests.filter((r) => r.path === '/v1/models');
    assert.ok(listed.some((r) => fake.sentKey(r, KEY)), 'the models were listed with the key');
  });

  // From test/e2e/add-server.test.ts (its screenshot first-run-slow-server is taken there).
  it('Add vLLM Server on a server slow to list its models: after half a second a notification says so with Cancel, and Cancel adds nothing', async () => {
    fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
    await configure({ endpoints: [] });
    // A server that accepts the connection and never answers GET /v1/models.
    const stalled = createServer(() => undefined);
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/v1`;
    try {
      shown.answer('inputBox', ADD_TITLE, url);
      const adding = vscode.commands.executeCommand('smcs.addVllmServer');
      const startedAt = Date.now();
      const progress = await shown.next('progress', `discovering models at ${url}`);
      assert.ok(Date.now() - startedAt >= 450, `the notification came ${Date.now() - startedAt} ms after the URL, not after half a second`);
      assert.deepEqual(progress.items, ['Cancel']);
      progress.cancel?.();
      await adding;
      await shown.ended(progress);
      assert.deepEqual(endpoints(), [], 'nothing was added');
      assert.equal(shown.all('info', /added/).length, 0);
    } finally {
      stalled.closeAllConnections();
      await new Promise((resolve) => stalled.close(resolve));
    }
  });

  // Was the UI suite's model-key-clash test; its screenshot model-key-clash-dialog is taken in test/e2e/add-server.test.ts.
  it('adding a server that serves a model name another endpoint serves: the choice is offered there; Alias keeps both and the models answer, Skip leaves the clashing one out', async () => {
    fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
    await configure(fakeServerSettings(fake, MODELS, { k: 3, n: 2, seed: 1 }));
    const second = await startLoopbackUpstream({ models: [{ id: ALPHA ?? '' }, { id: 'delta-coder' }] });
    const third = await startLoopbackUpstream({ models: [{ id: BETA ?? '' }, { id: 'epsilon-coder' }] });
    others.push(second, third);
    const addServer = async (server: LoopbackUpstream, id: string, choice: string): Promise<void> => {
      shown.answer('inputBox', ADD_TITLE, server.baseUrl);
      shown.answer('quickPick', `Models served at ${server.baseUrl}`, ENTER);
      shown.answer('inputBox', 'SMCS: endpoint id', id);
      shown.answer('warning', 'already served by another endpoint', choice);
      await vscode.commands.executeCommand('smcs.addVllmServer');
    };

    await addServer(second, 'second', 'Alias Them (…@second)');
    const question = await shown.next('warning', 'already served by another endpoint');
    assert.equal(question.modal, true);
    assert.match(question.text, new RegExp(`a model of second is already served by another endpoint: ${ALPHA} \\(fake\\)`));
    await shown.next('info', 'added second with 2 models');
    const aliased = endpoints().find((e) => e.id === 'second');
    assert.deepEqual(aliased?.models, [{ id: ALPHA, alias: `${ALPHA}@second` }, 'delta-coder']);
    assert.equal(aliased?.baseUrl, second.baseUrl);
    assert.deepEqual(endpoints().find((e) => e.id === 'fake')?.models, MODELS, 'the first endpoint is unchanged');

    // The settings name each model once: a question is answered (before, every ask failed on `model key "alpha-coder"
    // is used by both…`), the aliased model among the models "Why these models" lists.
    const run = await ask('How do I reverse a list in Python?');
    assert.equal(run?.status, 'done', run?.error?.message);
    const listed = (run?.priors ?? []).map((p) => p.model);
    assert.ok(listed.includes(`${ALPHA}@second`) && listed.includes(ALPHA ?? '') && listed.includes('delta-coder'), `the models listed: ${listed.join(', ')}`);

    // Skip: the third server is added without the model the first one serves.
    await addServer(third, 'third', 'Skip Them');
    await shown.next('info', 'added third with 1 model');
    assert.deepEqual(endpoints().find((e) => e.id === 'third')?.models, ['epsilon-coder']);
    assert.deepEqual(endpoints().map((e) => e.id), ['fake', 'second', 'third']);
  });
});
