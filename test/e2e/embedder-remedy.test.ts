import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { acceptBox, quickInput, toast, until } from './firstRun';
import { withWorkbench } from './workbench';

test('an embedding model that cannot be used: the banner offers the ways forward, and "Use the lexical embedder" sets it and answers the question', async (t) => {
  // A model folder without the model: the embedder fails with kind `embedding` before any download or model call.
  const emptyModels = mkdtempSync(path.join(os.tmpdir(), 'smcs-e2e-no-model-'));
  t.after(() => rmSync(emptyModels, { recursive: true, force: true }));
  await withWorkbench('embedder remedy', { settings: { 'smcs.embedding.provider': 'transformers', 'smcs.embedding.localModelPath': emptyModels } }, async (wb) => {
    await wb.openPanel();
    const question = 'How do I reverse a list in Python?';
    await wb.askInPanel(question);

    const failed = wb.panel().locator('[data-testid="run"][data-status="error"]');
    await failed.waitFor();
    const banner = failed.locator('[data-testid="run-banner"]');
    await banner.filter({ hasText: 'Xenova/all-MiniLM-L6-v2' }).waitFor();
    for (const remedy of ['lexical', 'local-model', 'endpoint']) await banner.locator(`[data-testid="retry-with-${remedy}"]`).waitFor();
    assert.equal(wb.fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 0, 'no model was asked before the question was embedded');
    await wb.screenshot('embedding-failed-dark');

    await banner.locator('[data-testid="retry-with-lexical"]').click();
    // The switch is said, with what it means.
    await toast(wb, 'SMCS now uses the lexical embedder')
      .filter({ hasText: 'models are chosen less well' })
      .filter({ hasText: 'The question bank is built with it when you import or profile.' })
      .waitFor({ state: 'visible' });
    const answered = wb.panel().locator('[data-testid="run"][data-status="done"]', { has: wb.panel().locator('[data-testid="question"]', { hasText: question }) });
    await answered.waitFor();
    assert.match(wb.userSettingsText(), /"smcs\.embedding\.provider":\s*"lexical"/);
    assert.ok(wb.fake.requests.some((r) => r.path.endsWith('/chat/completions')), 'the question was asked again');
  });
});

test('"Use an /embeddings Endpoint…": the listed models that look like embedding models come first, and a typed id the server does not list is taken', async () => {
  await withWorkbench('embeddings endpoint typed id', { models: ['alpha-coder', 'beta-coder', 'gamma-coder', 'nomic-embed-text'] }, async (wb) => {
    await wb.openPanel();
    await wb.runCommand('smcs.useEmbeddingsEndpoint');
    await acceptBox(wb, 'the endpoint that serves an embedding model');
    const pick = quickInput(wb, 'SMCS: the embedding model of fake');
    await pick.waitFor({ state: 'visible' });
    const first = pick.locator('.monaco-list-row').first();
    await first.filter({ hasText: 'nomic-embed-text' }).filter({ hasText: 'looks like an embedding model' }).waitFor({ state: 'visible' });
    await pick.filter({ hasText: 'a chat model cannot embed' }).waitFor({ state: 'visible' });
    await wb.screenshot('embeddings-endpoint-models');

    const input = pick.locator('.quick-input-box input');
    await input.fill('text-embedding-3-small');
    await pick.locator('.monaco-list-row', { hasText: 'Use "text-embedding-3-small"' }).waitFor({ state: 'visible' });
    await input.press('Enter');
    await pick.waitFor({ state: 'hidden' });
    await until(() => /"smcs\.embedding\.model":\s*"text-embedding-3-small"/.test(wb.userSettingsText()), 'the typed model id was written to the settings');
    assert.match(wb.userSettingsText(), /"smcs\.embedding\.provider":\s*"endpoint"/);
  });
});
