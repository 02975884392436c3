/**
 * `@smcs` in the real Chat view of today's VS Code (1.139), with no sign-in: a user opens the chat, asks `@smcs`, and
 * the reply shows the answer, the line saying which candidates answered and how many agree, the cost line and the
 * three buttons (the first listing the candidates in plain words), readable at a 300 and a 700 px Chat view in the dark, light and high-contrast themes; the run is in
 * the SMCS panel's history. Stopped while its models answer, every upstream request closes within a second. One
 * workbench boot covers it all (the themes are switched, the view resized, inside it).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { chatCalls, checkResponseInEveryView, dismissNotice, latestResponse, openChat, send, stopAndTimeUpstream, waitForAnswer } from './chatView';
import { CHAT_WORKBENCH, FAKE_MODELS, withWorkbench, type Workbench } from './workbench';

const QUESTION = 'Name a sorting algorithm that uses a heap.';

/** Asks `@smcs`: the participant is sticky, so after the first question the input already names it. */
async function askSmcs(wb: Workbench, question: string): Promise<void> {
  const input = wb.page.locator('.interactive-input-part .monaco-editor .view-lines').first();
  const sticky = (await input.innerText()).includes('@smcs');
  await send(wb, sticky ? question : `@smcs ${question}`);
}

test('@smcs in the Chat view: the answer, which candidates agree, the cost, and the buttons to use another candidate, compare, or open the run, at 300 and 700 px in three themes; Stop closes every upstream request within 1 s', async (t) => {
  await withWorkbench('chat participant', { vscode: CHAT_WORKBENCH }, async (wb) => {
    wb.fake.script('alpha-coder', { reply: '**Heapsort**: build a `max-heap`, then move the largest element to the end until the heap is empty.' });
    // The SMCS panel in the side bar: a theme switch waits for it to repaint as well.
    await wb.openPanel();
    await openChat(wb);
    await dismissNotice(wb);
    await askSmcs(wb, QUESTION);
    await waitForAnswer(wb, 'Open in SMCS Panel');
    const response = latestResponse(wb);
    const buttons = response.locator('.chat-command-button .monaco-button');
    assert.deepEqual(await buttons.allInnerTexts(), ['Use Another Candidate', 'Compare with the Winner', 'Open in SMCS Panel']);
    const text = await response.innerText();
    assert.match(text, /Heapsort: build a max-heap/);
    assert.match(text, /candidates? [\d ,and]+(\(\d of 2 agree\)| of 2)/);
    assert.match(text, /\d+ tokens · \d+ calls · no prices known/);
    assert.doesNotMatch(text, /Language model unavailable|Error/);

    await checkResponseInEveryView(wb, 'chat-participant');

    // "Use Another Candidate" lists the candidates, each with its opening in plain words (no markdown marks).
    await buttons.nth(0).click();
    const rows = wb.page.locator('.quick-input-widget .monaco-list-row');
    await rows.first().waitFor({ state: 'visible' });
    const listed = await rows.allInnerTexts();
    assert.ok(listed.length >= 2, `the candidates listed: ${JSON.stringify(listed)}`);
    for (const row of listed) assert.match(row, /Heapsort: build a max-heap, then move the largest element/);
    for (const row of listed) assert.doesNotMatch(row, /[`*]/, 'markdown marks in a candidate row');
    await wb.screenshot('chat-use-another-candidate');
    await wb.page.keyboard.press('Escape');
    await rows.first().waitFor({ state: 'hidden' });

    // The run joined the panel's history, as a conversation of its own.
    await buttons.nth(2).click();
    const thread = wb.byTestId('run').filter({ has: wb.panel().locator('[data-testid="question-text"]', { hasText: QUESTION }) });
    await thread.waitFor();
    assert.equal(await thread.getAttribute('data-status'), 'done');

    // Stopped once every referencer is answering: the upstream sees each request's socket close within a second.
    for (const model of FAKE_MODELS) wb.fake.script(model, { chunkDelayMs: 100, reply: 'slow '.repeat(300) });
    const from = wb.fake.requests.length;
    await askSmcs(wb, 'Explain closures in JavaScript.');
    const { waitFor } = await import('../../scripts/codeServer.mjs');
    await waitFor(() => chatCalls(wb, from).length === FAKE_MODELS.length, { timeoutMs: 30000, message: 'the stopped question never reached every referencer' });
    const { closedWithinMs, aborted } = await stopAndTimeUpstream(wb, () => chatCalls(wb, from));
    t.diagnostic(`Stop: ${aborted} of ${chatCalls(wb, from).length} upstream requests aborted, the last closed ${closedWithinMs} ms after the click`);
    assert.ok(closedWithinMs <= 1000, `the upstream requests closed ${closedWithinMs} ms after Stop`);
    assert.equal(aborted, FAKE_MODELS.length, 'a referencer finished its reply instead of being stopped');
    assert.doesNotMatch(await latestResponse(wb).innerText(), /Error/);
  });
});
