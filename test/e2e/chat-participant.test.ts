/**
 * `@smcs` in the real Chat view of today's VS Code (1.139), with no sign-in: a user opens the chat, asks `@smcs`, and
 * the reply shows the answer, the line saying which candidates answered and how many agree, the cost line and the
 * three buttons; the run is in the SMCS panel's history. The chat resolves the models extensions provide only once
 * "Chat: Manage Language Models" has listed them (ENVIRONMENT.md); before that it answers "Language model unavailable".
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { CHAT_WORKBENCH, withWorkbench, type Workbench } from './workbench';

const QUESTION = 'Name a sorting algorithm that uses a heap.';

/** Lists the language models (the chat then knows SMCS's), then opens the Chat view with its input focused. */
async function openChat(wb: Workbench): Promise<void> {
  await wb.runPaletteEntry('Chat: Manage Language Models');
  const models = wb.page.locator('.models-widget');
  await models.getByText('SMCS', { exact: false }).first().waitFor();
  await wb.page.keyboard.press('Escape');
  await models.waitFor({ state: 'hidden' });
  await wb.runPaletteEntry('Chat: Open Chat');
  // The picker names a model once the chat has one for a request (else a participant gets "Language model unavailable").
  await wb.page.locator('.interactive-input-part', { hasText: 'SMCS:' }).first().waitFor();
  await wb.page.locator('.interactive-input-part .monaco-editor').first().click();
}

test('@smcs in the Chat view: the answer, which candidates agree, the cost, and the buttons to use another candidate, compare, or open the run', async () => {
  await withWorkbench('chat participant', { vscode: CHAT_WORKBENCH }, async (wb) => {
    wb.fake.script('alpha-coder', { reply: 'Heapsort: build a max-heap, then move the largest element to the end until the heap is empty.' });
    await openChat(wb);
    await wb.page.keyboard.type(`@smcs ${QUESTION}`);
    await wb.page.keyboard.press('Enter');
    const response = wb.page.locator('.interactive-item-container.interactive-response').last();
    const buttons = response.locator('.chat-command-button .monaco-button');
    await buttons.nth(2).waitFor({ timeout: 90_000 });
    assert.deepEqual(await buttons.allInnerTexts(), ['Use Another Candidate', 'Compare with the Winner', 'Open in SMCS Panel']);
    const text = await response.innerText();
    assert.match(text, /Heapsort: build a max-heap/);
    assert.match(text, /candidates? [\d ,and]+(\(\d of 2 agree\)| of 2)/);
    assert.match(text, /\d+ tokens · \d+ calls · no prices known/);
    assert.doesNotMatch(text, /Language model unavailable|Error/);
    await wb.screenshot('chat-participant-dark');

    // The run joined the panel's history, as a conversation of its own.
    await buttons.nth(2).click();
    const thread = wb.byTestId('run').filter({ has: wb.panel().locator('[data-testid="question-text"]', { hasText: QUESTION }) });
    await thread.waitFor();
    assert.equal(await thread.getAttribute('data-status'), 'done');
  });
});
