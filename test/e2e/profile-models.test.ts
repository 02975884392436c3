/** SMCS: Profile Models in a real workbench: sampling from the settings, and replies cut at smcs.profileMaxTokens reported, not stored. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { withWorkbench } from './workbench';

const QUESTIONS = [
  { question_id: 1, question: 'Which sorting algorithm is stable?', options: ['Heap sort', 'Merge sort', 'Quick sort'], answer: 'B', category: 'computer science' },
  { question_id: 2, question: 'What is the worst-case time of binary search?', options: ['O(1)', 'O(n)', 'O(log n)'], answer: 'C', category: 'computer science' },
  { question_id: 3, question: 'What is 7 times 8?', options: ['54', '56', '58'], answer: 'B', category: 'math' },
];
const FILE = 'model_outputs_alpha-coder_5shots.json';
const OUTPUTS = JSON.stringify(QUESTIONS.map((q) => ({ ...q, pred: q.answer })));

test('Profile Models samples with the settings; replies cut at smcs.profileMaxTokens are reported and left unlabelled', async () => {
  await withWorkbench('profile models truncated', { files: { [FILE]: OUTPUTS }, settings: { 'smcs.profileMaxTokens': 24, 'smcs.temperature': 0.5, 'smcs.presencePenalty': 0.25 } }, async (wb) => {
    // beta-coder reasons past the budget; gamma-coder answers at once
    wb.fake.script('beta-coder', { reply: 'Answer: B', reasoning: `${'step '.repeat(40)}done`, inlineReasoning: 'think', enforceMaxTokens: true });
    wb.fake.script('gamma-coder', { reply: 'Answer: B' });
    await wb.openPanel();
    const section = wb.panel().locator('[data-testid="bank"]');
    await section.and(wb.panel().locator('[data-status="none"]')).waitFor({ state: 'visible' });
    await wb.byTestId('bank-empty').locator('[data-testid="bank-import"]').click();
    await wb.answerInputBox(path.join(wb.folder, FILE));
    await section.and(wb.panel().locator('[data-status="ready"]')).waitFor({ state: 'visible' });

    await wb.runCommand('smcs.profileModels');
    const pick = wb.page.locator('.quick-input-widget', { hasText: 'SMCS: Profile Models' });
    await pick.waitFor({ state: 'visible' });
    await wb.page.keyboard.press('Enter');
    const dialog = wb.page.locator('.monaco-dialog-box', { hasText: 'profiling makes 6 requests' });
    await dialog.getByRole('button', { name: 'Start Profiling' }).click();

    // Toasts hide after a while (sooner on a busy machine): read the notification centre, which keeps them.
    await wb.byTestId('bank').filter({ hasText: '2 profiled models' }).waitFor({ timeout: 60_000 });
    await wb.runPaletteEntry('Notifications: Show Notifications');
    const centre = wb.page.locator('.notifications-center');
    await centre.filter({ hasText: '3 replies were cut at the token limit; raise smcs.profileMaxTokens and run again.' }).waitFor();
    await centre.filter({ hasText: 'profiling finished: 3 labels stored' }).waitFor();
    const chats = wb.fake.requests.filter((r) => r.path === '/v1/chat/completions');
    assert.deepEqual(chats.map((r) => r.model).sort(), ['beta-coder', 'beta-coder', 'beta-coder', 'gamma-coder', 'gamma-coder', 'gamma-coder']);
    for (const r of chats) assert.deepEqual([r.body.temperature, r.body.presence_penalty, r.body.max_tokens], [0.5, 0.25, 24]);
    await wb.screenshot('profile-truncated-dark');
  });
});
