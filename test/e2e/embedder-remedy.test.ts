import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptBox, quickInput } from './firstRun';
import { until } from './polling';
import { sharedWorkbench } from './workbench';

// The banner's ways forward and "Use the lexical embedder" are checked without pixels: test/integration/embedderRemedies.test.ts.

/** The window the UI files on the default host share (workbench.ts sharedWorkbench), configured for this file's models and settings. */
const inSharedWindow = sharedWorkbench('default window', { models: ['alpha-coder', 'beta-coder', 'gamma-coder', 'nomic-embed-text'] });

test('"Use an /embeddings Endpoint…": the listed models that look like embedding models come first, and a typed id the server does not list is taken', async () => {
  await inSharedWindow('embeddings endpoint typed id', async (wb) => {
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
