import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { startLoopbackUpstream, type LoopbackUpstream } from '../fixtures/loopbackUpstream';
import type { RunState } from '../../src/presentation/runState';
import { clearSettings, configure, fakeServerSettings, scratchDir } from './helpers';

/** Two chat models, then an embedding model served under a name of its own (vLLM `--served-model-name`), listed last. */
const CHAT = ['alpha-coder', 'beta-coder'];
const EMBEDDER = { id: 'embedder', root: 'BAAI/bge-small-en-v1.5' };

/** Runs a command that shows quick picks, accepting the selected (first) item of each until the command ends. */
async function acceptingEveryPick<T>(command: string): Promise<T | undefined> {
  let done = false;
  const running = Promise.resolve(vscode.commands.executeCommand<T>(command)).finally(() => {
    done = true;
  });
  for (let i = 0; i < 100 && !done; i++) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    if (!done) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return running;
}

describe('the ways forward when the embedding model cannot be used', () => {
  let fake: LoopbackUpstream;

  beforeEach(async () => {
    fake = await startLoopbackUpstream({ models: [...CHAT.map((id) => ({ id })), EMBEDDER] });
    await configure(fakeServerSettings(fake, CHAT, { 'embedding.provider': 'transformers', 'embedding.localModelPath': scratchDir('no-model'), k: 2, n: 1 }));
  });

  afterEach(async () => {
    await clearSettings();
    await fake.close();
  });

  const ask = () => vscode.commands.executeCommand<RunState | undefined>('smcs.ask', 'How do I reverse a list in Python?');

  it('fails with kind embedding, then "Use the Lexical Embedder" sets the setting and the same question is answered', async () => {
    const failed = await ask();
    assert.equal(failed?.status, 'error');
    assert.equal(failed.error?.kind, 'embedding');
    assert.match(failed.error.message, /Xenova\/all-MiniLM-L6-v2/);
    assert.equal(await vscode.commands.executeCommand('smcs.useLexicalEmbedder'), true);
    assert.equal(vscode.workspace.getConfiguration('smcs').inspect('embedding.provider')?.globalValue, 'lexical');
    const answered = await ask();
    assert.equal(answered?.status, 'done', answered?.error?.message);
  });

  it('"Use an /embeddings Endpoint…" offers first the listed model that looks like an embedding model (by the path vLLM loaded it from), and the question is embedded there', async () => {
    assert.equal(await acceptingEveryPick<boolean>('smcs.useEmbeddingsEndpoint'), true);
    const settings = vscode.workspace.getConfiguration('smcs');
    assert.deepEqual(
      ['embedding.provider', 'embedding.endpoint', 'embedding.model'].map((k) => settings.inspect(k)?.globalValue),
      ['endpoint', 'fake', EMBEDDER.id],
    );
    const answered = await ask();
    assert.equal(answered?.status, 'done', answered?.error?.message);
    assert.ok(fake.requests.some((r) => r.path === '/v1/embeddings' && r.model === EMBEDDER.id), 'the question was embedded by the endpoint');
  });
});
