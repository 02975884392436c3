/**
 * `@smcs` in the real Chat view of today's VS Code (1.139), with no sign-in: a user opens the chat, asks `@smcs`, and
 * the reply shows the answer, the line saying which candidates answered and how many agree, the cost line and the
 * three buttons (the first listing the candidates and the references in plain words), readable at a 300 and a 700 px
 * Chat view in the dark, light and high-contrast themes; the run is in the SMCS panel's history. Then the turns that
 * do not end in an answer, as the panel tells them (issue 60):
 * - failed (every referencer's connection reset): the endpoint named with what to do, once, its details, the buttons
 *   Test Connection, Open Endpoint Settings, Retry and Open in SMCS Panel, no error name, stack frame or markdown
 *   escape; its progress counted the failures apart from arrivals; text and buttons whole at 300 and 700 px in three
 *   themes (`chat-failed-*` screenshots);
 * - stopped (one reply in, two streaming): every open upstream request closes within a second of Stop, the chat shows
 *   no error, and a notification says what was kept and what it cost with Open in SMCS Panel and Ask Again, whole at
 *   300 and 700 px in three themes (`chat-stopped-*`); its Open in SMCS Panel shows the stopped run.
 * One workbench boot covers it all (the themes are switched, the view resized, inside it).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { chatCalls, checkInEveryView, checkResponseInEveryView, dismissNotice, latestResponse, notificationInCenter, notificationProblems, openChat, progressLines, recordProgressLines, responseButtons, responseGeometryProblems, send, stopAndTimeUpstream, waitForAnswer } from './chatView';
import { until } from './polling';
import { CHAT_WORKBENCH, FAKE_MODELS, withWorkbench, type Workbench } from './workbench';

const QUESTION = 'Name a sorting algorithm that uses a heap.';

/** Asks `@smcs`: the participant is sticky, so after the first question the input already names it. */
async function askSmcs(wb: Workbench, question: string): Promise<void> {
  const input = wb.page.locator('.interactive-input-part .monaco-editor .view-lines').first();
  const sticky = (await input.innerText()).includes('@smcs');
  await send(wb, sticky ? question : `@smcs ${question}`);
}

test('@smcs in the Chat view: the answer, which candidates agree, the cost, and the buttons to use another candidate, compare, or open the run; a failed turn with the endpoint named and its remedies; a stopped turn told in a notification with its cost; each at 300 and 700 px in three themes; Stop closes every upstream request within 1 s', async (t) => {
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

    // "Use Another Candidate" lists the candidates and the references, each with its opening in plain words (no markdown marks).
    await buttons.nth(0).click();
    const rows = wb.page.locator('.quick-input-widget .monaco-list-row');
    await rows.first().waitFor({ state: 'visible' });
    const listed = await rows.allInnerTexts();
    const candidates = listed.filter((row) => row.startsWith('Candidate '));
    assert.ok(candidates.length >= 2, `the candidates listed: ${JSON.stringify(listed)}`);
    for (const model of FAKE_MODELS) assert.ok(listed.some((row) => row.startsWith(`${model}'s reply`)), `${model}'s reply is not listed: ${JSON.stringify(listed)}`);
    for (const row of candidates) assert.match(row, /Heapsort: build a max-heap, then move the largest element/);
    for (const row of listed) assert.doesNotMatch(row, /[`*]/, 'markdown marks in a reply row');
    await wb.screenshot('chat-use-another-candidate');
    await wb.page.keyboard.press('Escape');
    await rows.first().waitFor({ state: 'hidden' });

    // The run joined the panel's history, as a conversation of its own.
    await buttons.nth(2).click();
    const thread = wb.byTestId('run').filter({ has: wb.panel().locator('[data-testid="question-text"]', { hasText: QUESTION }) });
    await thread.waitFor();
    assert.equal(await thread.getAttribute('data-status'), 'done');

    // A failed turn: every referencer's connection reset. The chat names the endpoint and what to do, once, with the
    // panel's remedies as buttons and no stack trace, its progress having counted the failures apart from arrivals;
    // readable at 300 and 700 px in three themes.
    const failedFrom = Date.now();
    for (const model of FAKE_MODELS) wb.fake.script(model, { reset: { afterChunks: 0, times: 1000 } });
    await recordProgressLines(wb);
    await askSmcs(wb, 'How do I reverse a list in Python?');
    await waitForAnswer(wb, 'could not be reached');
    // The chat renders a response's markdown progressively: its list of details is whole a moment after the turn ends.
    let details: string[] = [];
    const unnamed = () => FAKE_MODELS.filter((model) => !details.some((d) => d.includes(`model ${model}: connection failed`)));
    await until(async () => {
      details = await latestResponse(wb).locator('.rendered-markdown li').allInnerTexts();
      return unnamed().length === 0;
    }, () => `the details name every model: ${JSON.stringify(details)}`);
    assert.deepEqual(unnamed(), [], `the details name every model: ${JSON.stringify(details)}`);
    const failed = await latestResponse(wb).innerText();
    const sentence = `Endpoint fake (${new URL(wb.fake.baseUrl).host}) could not be reached. Check that its server is running and that its base URL in the endpoint settings is right, then retry.`;
    assert.equal(failed.split(sentence).length, 2, `the failure is told once, in the panel's words: ${failed}`);
    assert.match(failed, /\nDetails\n/);
    assert.deepEqual(await responseButtons(wb).allInnerTexts(), ['Test Connection', 'Open Endpoint Settings', 'Retry', 'Open in SMCS Panel']);
    assert.doesNotMatch(failed, /Error|\n\s*at |\\/, 'an error name, a stack frame or a markdown escape shows');
    const steps = await progressLines(wb);
    t.diagnostic(`the failed turn's progress: ${JSON.stringify(steps)}`);
    assert.ok(steps.some((line) => /^asking 3 models · 0 of 3 in · [1-3] failed/.test(line)), 'no progress line counted the failures');
    assert.ok(!steps.some((line) => /[1-3] of 3 in/.test(line)), 'a failure was counted as an arrival');
    await checkResponseInEveryView(wb, 'chat-failed');
    for (const model of FAKE_MODELS) wb.fake.script(model, {});

    // Stopped once one referencer has answered and the others are answering: the upstream sees each open request's
    // socket close within a second; the chat shows no error, and a notification (VS Code takes no more parts in the
    // chat once Stop is clicked) says what was kept and what it cost, with Open in SMCS Panel and Ask Again.
    const stoppedFrom = Date.now();
    const [fast, ...slow] = FAKE_MODELS;
    for (const model of slow) wb.fake.script(model, { chunkDelayMs: 100, reply: 'slow '.repeat(300) });
    const from = wb.fake.requests.length;
    const stoppedQuestion = 'Explain closures in JavaScript.';
    await askSmcs(wb, stoppedQuestion);
    const { waitFor } = await import('../../scripts/codeServer.mjs');
    await waitFor(() => chatCalls(wb, from).length === FAKE_MODELS.length, { timeoutMs: 30000, message: 'the stopped question never reached every referencer' });
    await waitFor(() => chatCalls(wb, from).some((r) => r.model === fast && r.completedAt !== undefined), { timeoutMs: 30000, message: `${fast} never finished its reply` });
    // The run has counted it: the progress line says one is in.
    await latestResponse(wb).getByText(/asking 3 models · 1 of 3 in/).first().waitFor();
    const { closedWithinMs, aborted } = await stopAndTimeUpstream(wb, () => chatCalls(wb, from));
    t.diagnostic(`Stop: ${aborted} of ${chatCalls(wb, from).length} upstream requests aborted, the last closed ${closedWithinMs} ms after the click`);
    assert.ok(closedWithinMs <= 1000, `the upstream requests closed ${closedWithinMs} ms after Stop`);
    assert.equal(aborted, slow.length, 'a slow referencer finished its reply instead of being stopped');
    const notice = await notificationInCenter(wb, 'SMCS: Stopped.');
    const said = await notice.locator('.notification-list-item-message').innerText();
    t.diagnostic(`the stop notice: ${JSON.stringify(said)}`);
    assert.match(said, /^SMCS: Stopped\. Replies received so far are kept in the SMCS panel \(1 of 3 models had answered\)\. ≈?[\d,.]+k? tokens · [1-3] calls? · no prices known/);
    assert.deepEqual(await notice.locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts(), ['Open in SMCS Panel', 'Ask Again']);
    const stopped = await latestResponse(wb).innerText();
    t.diagnostic(`the stopped turn: ${JSON.stringify(stopped)}`);
    assert.doesNotMatch(stopped, /Error/);
    await checkInEveryView(wb, 'chat-stopped', async () => {
      const shown = await notificationInCenter(wb, 'SMCS: Stopped.');
      return [...(await responseGeometryProblems(wb)), ...(await notificationProblems(shown))];
    });
    // Its Open in SMCS Panel shows the run there, stopped.
    await (await notificationInCenter(wb, 'SMCS: Stopped.')).getByRole('button', { name: 'Open in SMCS Panel' }).click();
    const stoppedRun = wb.byTestId('run').filter({ has: wb.panel().locator('[data-testid="question-text"]', { hasText: stoppedQuestion }) });
    await stoppedRun.waitFor();
    assert.equal(await stoppedRun.getAttribute('data-status'), 'cancelled');
    t.diagnostic(`the failed turn took ${((stoppedFrom - failedFrom) / 1000).toFixed(1)} s, the stopped turn ${((Date.now() - stoppedFrom) / 1000).toFixed(1)} s`);
  });
});
