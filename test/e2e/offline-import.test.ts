/**
 * The first import on a machine without internet, as a new user meets it: Import Bank asks (modally) to download the
 * embedding model (declined, it asks again when the import is started anew); the download cannot reach the hub; a
 * modal offers the ways forward as buttons; the lexical embedder is chosen, said what it means, and the import the
 * user started goes on. Screenshots of each step at a 300 and a 700 px side bar in the dark, light and high-contrast
 * themes (`offline-import-<step>-<width>-<theme>.png`).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { answerFileDialog, closedPort, dialog, toast } from './firstRun';
import { EVERY_VIEW, type View } from './views';
import { withWorkbench, type Workbench } from './workbench';

const QUESTIONS = [
  { question_id: 1, question: 'Which sorting algorithm is stable?', options: ['Heap sort', 'Merge sort', 'Quick sort'], answer: 'B', category: 'computer science' },
  { question_id: 2, question: 'What is the worst-case time of binary search?', options: ['O(1)', 'O(n)', 'O(log n)'], answer: 'C', category: 'computer science' },
  { question_id: 3, question: 'What is 7 times 8?', options: ['54', '56', '58'], answer: 'B', category: 'math' },
];
const FILE = 'model_outputs_alpha-coder_5shots.json';
const OUTPUTS = JSON.stringify(QUESTIONS.map((q) => ({ ...q, pred: q.answer })));
const MODEL = 'Xenova/all-MiniLM-L6-v2';
/** Every width and theme the screenshots are taken in, the last one being where the import goes on. */

/** Sets the view, then starts Import Bank from the panel's empty Bank section with the MMLU-Pro file. */
async function startImport(wb: Workbench, view: View): Promise<void> {
  await wb.openPanel();
  await wb.setTheme(view.theme);
  await wb.setSidebarWidth(view.width);
  const empty = wb.byTestId('bank-empty');
  await empty.waitFor({ state: 'visible' });
  await empty.locator('[data-testid="bank-import"]').click();
  await answerFileDialog(wb, path.join(wb.folder, FILE));
}

const shot = (wb: Workbench, step: string, view: View): Promise<string> => wb.screenshot(`offline-import-${step}-${view.width}-${view.theme}`);

test('offline first import: a modal asks to download the embedding model, the failure offers the ways forward as buttons, the lexical embedder is confirmed and the import goes on', async () => {
  // The hub (HF_ENDPOINT, a mirror) refuses connections, as on a machine without internet, without waiting for DNS.
  const hub = await closedPort();
  const settings = { 'smcs.embedding.provider': 'transformers' };
  await withWorkbench('offline import', { files: { [FILE]: OUTPUTS }, settings, env: { HF_ENDPOINT: `http://127.0.0.1:${hub}` } }, async (wb) => {
    const consent = dialog(wb, `download the embedding model ${MODEL}?`);
    // Declined, the download is asked about again when the user starts the import anew: each view asks, in one window.
    for (const view of EVERY_VIEW) {
      await startImport(wb, view);
      await consent.waitFor({ state: 'visible' });
      // Behind it, the import's progress says what it is doing.
      const progress = toast(wb, 'SMCS: importing questions').filter({ hasText: 'loading the embedding model' });
      await progress.waitFor({ state: 'visible' });
      await shot(wb, 'consent', view);
      await consent.getByRole('button', { name: 'Cancel' }).click();
      const declined = dialog(wb, 'needs the embedding model, which cannot be used').filter({ hasText: 'was declined' });
      await declined.getByRole('button', { name: 'Cancel' }).click();
      await declined.waitFor({ state: 'hidden' });
      // The import has ended: its progress goes.
      await progress.waitFor({ state: 'hidden' });
    }

    // The import is named as chosen: the browser workbench's file dialog hands over the file or, at times, its folder.
    const remedies = dialog(wb, 'needs the embedding model, which cannot be used').filter({ hasText: /SMCS: the import of (model_outputs_alpha-coder_5shots\.json|workspace) needs/ });
    for (const [i, view] of EVERY_VIEW.entries()) {
      await startImport(wb, view);
      if (i === 0) await consent.getByRole('button', { name: 'Download' }).click();
      await remedies.waitFor({ state: 'visible' });
      const text = (await remedies.textContent()) ?? '';
      assert.match(text, new RegExp(`${MODEL} could not be downloaded: 127\\.0\\.0\\.1:${hub} could not be reached`));
      assert.doesNotMatch(text, /"embedding":|Ways forward/, 'no settings JSON in the dialog');
      for (const button of ['Use the Lexical Embedder', 'Use a Local Model Folder…', 'Use an /embeddings Endpoint…']) {
        await remedies.getByRole('button', { name: button }).waitFor({ state: 'visible' });
      }
      await shot(wb, 'ways-forward', view);
      if (i < EVERY_VIEW.length - 1) {
        await remedies.getByRole('button', { name: 'Cancel' }).click();
        await remedies.waitFor({ state: 'hidden' });
      }
    }
    await remedies.getByRole('button', { name: 'Use the Lexical Embedder' }).click();

    await toast(wb, 'SMCS now uses the lexical embedder').filter({ hasText: 'models are chosen less well' }).waitFor({ state: 'visible' });
    const section = wb.panel().locator('[data-testid="bank"]');
    await section.and(wb.panel().locator('[data-status="ready"]')).waitFor({ state: 'visible' });
    assert.match((await wb.byTestId('bank-headline').textContent()) ?? '', /^Question bank: 3 questions/);
    assert.match(wb.userSettingsText(), /"smcs\.embedding\.provider":\s*"lexical"/);
    for (const view of EVERY_VIEW) {
      await wb.setTheme(view.theme);
      await wb.setSidebarWidth(view.width);
      await shot(wb, 'imported', view);
    }
  });
});
