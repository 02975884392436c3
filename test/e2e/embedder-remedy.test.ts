import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { withWorkbench } from './workbench';

test('an embedding model that cannot be used: the banner offers the ways forward, and "Use the lexical embedder" sets it and answers the question', async () => {
  // A model folder without the model: the embedder fails with kind `embedding` before any download or model call.
  const emptyModels = mkdtempSync(path.join(os.tmpdir(), 'smcs-e2e-no-model-'));
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
    const answered = wb.panel().locator('[data-testid="run"][data-status="done"]', { has: wb.panel().locator('[data-testid="question"]', { hasText: question }) });
    await answered.waitFor();
    assert.match(wb.userSettingsText(), /"smcs\.embedding\.provider":\s*"lexical"/);
    assert.ok(wb.fake.requests.some((r) => r.path.endsWith('/chat/completions')), 'the question was asked again');
  });
});
