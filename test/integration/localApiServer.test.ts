/**
 * SMCS: Start / Stop Local API Server in the real extension host: the server answers the real `openai` SDK with the
 * panel's engine (models on a loopback upstream), its key comes from SecretStorage and is in no setting, a port in use
 * is an error naming the setting, and stopping aborts a request under way.
 */
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'mocha';
import OpenAI from 'openai';
import * as vscode from 'vscode';
import { startLoopbackUpstream, type LoopbackUpstream } from '../fixtures/loopbackUpstream';
import { closedPort as freePort } from '../e2e/firstRun';
import { clearSettings, configure, fakeServerSettings, waitUntil } from './helpers';

const MODELS = ['alpha-coder', 'beta-coder', 'gamma-coder'];

describe('local API server', () => {
  let fake: LoopbackUpstream;
  let port: number;

  beforeEach(async () => {
    fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
    port = await freePort();
    // Equal priors: seed 1 draws two different subsets of the three replies (a subset drawn twice is aggregated once).
    await configure({ ...fakeServerSettings(fake, MODELS, { k: 3, n: 2, seed: 1 }), 'server.port': port });
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('smcs.stopLocalApiServer');
    await clearSettings();
    await fake.close();
  });

  it('starts through the command, answers the openai SDK with the key from SecretStorage (in no setting), and stops', async () => {
    const url = await vscode.commands.executeCommand<string | undefined>('smcs.startLocalApiServer');
    assert.equal(url, `http://127.0.0.1:${port}/v1`);
    await vscode.commands.executeCommand('smcs.localApiServerActions', 'Copy Key');
    const key = await vscode.env.clipboard.readText();
    assert.match(key, /^smcs-[A-Za-z0-9_-]{43}$/, 'Copy Key gave the generated key');

    const client = new OpenAI({ baseURL: url, apiKey: key, maxRetries: 0 });
    const reply = await client.chat.completions.create({ model: 'smcs', messages: [{ role: 'user', content: 'How do I reverse a list in Python?' }] });
    assert.equal(reply.choices[0]?.message.content, `Reply from ${MODELS[0]}.`);
    assert.equal(fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 3 + 2, 'the panel\'s engine: three referencers, two aggregations');
    await assert.rejects(new OpenAI({ baseURL: url, apiKey: 'smcs-wrong-key-0123456789', maxRetries: 0 }).models.list(), (err: unknown) => err instanceof OpenAI.AuthenticationError);

    const section = vscode.workspace.getConfiguration('smcs');
    const settings = JSON.stringify(Object.keys(section).map((k) => section.inspect(k)));
    assert.ok(!settings.includes(key), 'the key is in a setting');

    // A second start keeps the same key (SecretStorage), on the same URL.
    await vscode.commands.executeCommand('smcs.stopLocalApiServer');
    await assert.rejects(client.models.list(), (err: unknown) => err instanceof OpenAI.APIConnectionError, 'the server still answers after Stop');
    assert.equal(await vscode.commands.executeCommand<string | undefined>('smcs.startLocalApiServer'), url);
    assert.ok((await client.models.list()).data.some((m) => m.id === 'smcs'), 'the stored key opens the restarted server');
  });

  it('Stop aborts a request under way: its upstream calls are closed', async () => {
    for (const model of MODELS) fake.script(model, { reply: 'slow '.repeat(400), chunkDelayMs: 50 });
    const url = await vscode.commands.executeCommand<string | undefined>('smcs.startLocalApiServer');
    await vscode.commands.executeCommand('smcs.localApiServerActions', 'Copy Key');
    const client = new OpenAI({ baseURL: url, apiKey: await vscode.env.clipboard.readText(), maxRetries: 0 });
    const asking = client.chat.completions.create({ model: 'smcs', messages: [{ role: 'user', content: 'Explain closures in JavaScript.' }] });
    const chats = () => fake.requests.filter((r) => r.path.endsWith('/chat/completions'));
    await waitUntil(() => chats().length >= 3, 'the referencers were not called');
    await vscode.commands.executeCommand('smcs.stopLocalApiServer');
    await assert.rejects(asking);
    await waitUntil(() => chats().every((r) => r.clientClosedAt !== undefined || r.completedAt !== undefined), 'an upstream call still runs after Stop', 2000);
    assert.ok(chats().some((r) => r.clientClosedAt !== undefined), 'no upstream call was aborted');
  });

  it('a port in use: the start fails and says which setting to change', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      assert.equal(await vscode.commands.executeCommand<string | undefined>('smcs.startLocalApiServer'), undefined);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});
