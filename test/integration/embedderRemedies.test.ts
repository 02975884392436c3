import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { startLoopbackUpstream, type LoopbackUpstream } from '../fixtures/loopbackUpstream';
import type { RunState } from '../../src/presentation/runState';
import { clearSettings, configure, fakeServerSettings, scratchDir } from './helpers';
import { PanelDocument } from './panelDocument';
import { scriptWindow } from './windowScript';

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

  it('a declined model download is asked about again by the next question the user sends, not only after a reload', async () => {
    // The model is not on this machine and may be downloaded: each question needs the user's yes first.
    await configure({ 'embedding.localModelPath': undefined });
    const shown = scriptWindow();
    try {
      // Nothing answers the question about the download: it is closed, as Cancel closes it.
      const first = await ask();
      assert.equal(first?.error?.kind, 'embedding');
      assert.match(first.error.message, /Download of the embedding model "Xenova\/all-MiniLM-L6-v2" was declined/);
      const second = await ask();
      assert.match(second?.error?.message ?? '', /was declined/);
      const asked = shown.all('info', 'SMCS: download the embedding model Xenova/all-MiniLM-L6-v2?');
      assert.deepEqual(asked.map((a) => a.modal), [true, true], 'each question asked about the download, in a modal');
      assert.equal(fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 0, 'no model was asked without the question embedded');
    } finally {
      shown.restore();
    }
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

  // Was a UI test (test/e2e/embedder-remedy.test.ts keeps the /embeddings endpoint's model pick, typed in a quick pick).
  it('an embedding model that cannot be used: the banner offers the ways forward, and "Use the lexical embedder" sets it and answers the question', async () => {
    const shown = scriptWindow();
    const panel = await PanelDocument.open();
    try {
      const doc = panel;
      await doc.newChat();
      const question = 'How do I reverse a list in Python?';
      await doc.ask(question);
      const failed = await doc.run('error', question);
      const banner = await doc.until(() => [...failed.querySelectorAll('[data-testid="run-banner"]')].find((b) => doc.text(b).includes('Xenova/all-MiniLM-L6-v2')), 'the banner names the model');
      for (const remedy of ['lexical', 'local-model', 'endpoint']) await doc.element(`[data-testid="retry-with-${remedy}"]`, `the banner's ${remedy} remedy`, banner);
      assert.equal(fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 0, 'no model was asked before the question was embedded');

      doc.click(await doc.element('[data-testid="retry-with-lexical"]', 'Use the lexical embedder', banner));
      // The switch is said, with what it means.
      const said = await shown.next('info', 'SMCS now uses the lexical embedder');
      assert.match(said.text, /models are chosen less well/);
      assert.match(said.text, /The question bank is built with it when you import or profile\./);
      await doc.run('done', question);
      assert.equal(vscode.workspace.getConfiguration('smcs').inspect('embedding.provider')?.globalValue, 'lexical');
      assert.ok(fake.requests.some((r) => r.path.endsWith('/chat/completions')), 'the question was asked again');
    } finally {
      panel.close();
      shown.restore();
    }
  });
});

