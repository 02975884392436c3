/**
 * A stopped and a failed run as a person sees them (issue 18, items 4, 5, 6 and 10): the stage strip counting what
 * arrived, the cost of a stopped run, the question kept and Retry after a failed ask, and candidates that all wrote the
 * same reply sharing one card (issue 37). Screenshots `stopped-*.png`, `failed-*.png` and `retried-*.png`.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEEPSEEK, LLAMA_8B, MODELS, SERVED, SETTINGS, lastRun, latexCandidate, lookAt, scriptAnswers } from './answerScenario';
import { sharedWorkbench } from './workbench';

/** The window the UI files on the default host share (workbench.ts sharedWorkbench), configured for this file's models and settings. */
const inSharedWindow = sharedWorkbench('default window', { models: MODELS, fake: { models: SERVED }, settings: SETTINGS });

test('a stopped run counts what arrived and what it cost; a failed ask keeps its question and offers Retry; identical candidates share one card', async () => {
  await inSharedWindow('panel stopped run', async (wb) => {
    await wb.openPanel();
    // Five references arrive; two never do, until Stop.
    scriptAnswers(wb, latexCandidate, {}, { [DEEPSEEK]: { hang: true }, [LLAMA_8B]: { hang: true } });
    await wb.askInPanel('How many ordered pairs of distinct items can be drawn from 3 items?');
    const run = wb.byTestId('run').last();
    await run.locator('[data-testid="stage-referencers"] .stage-count', { hasText: /^5\/7$/ }).waitFor();
    await run.locator('[data-testid="stop"]').click();
    await lastRun(wb, 'cancelled');
    assert.equal(await run.locator('[data-testid="stage-referencers"] .stage-count').innerText(), '5/7 · 2 stopped');
    const cost = run.locator('[data-testid="cost-summary"]');
    await cost.waitFor();
    assert.match(await cost.innerText(), /^\$0\.\d+ · [\d,.]+k? tokens · 5 calls · 2 stopped, not counted$/);
    await wb.byTestId('threads-toggle').click();
    assert.match(await wb.panel().locator('[data-testid="thread"][aria-current="true"] [data-testid="thread-meta"]').innerText(), /^1 turn · \$0\.\d+$/);
    await wb.byTestId('threads-toggle').click();
    await lookAt(wb, 'stopped', { scrollTo: '[data-testid="run"]' });

    // Every key rejected: the question comes back into the box, and Retry asks it again once the server answers.
    await wb.setSidebarWidth(300);
    for (const model of MODELS) wb.fake.script(model, { fail: { status: 401, message: 'invalid API key' } });
    const question = 'Which Python function lists the ordered pairs?';
    await wb.askInPanel(question);
    await lastRun(wb, 'error');
    const failed = wb.byTestId('run').last();
    assert.equal(await failed.locator('[data-testid="stage-referencers"] .stage-count').innerText(), 'all 7 failed');
    assert.equal(await wb.byTestId('input').inputValue(), question, 'the question is back in the box');
    await lookAt(wb, 'failed', { scrollTo: '[data-testid="run"]:last-of-type' });
    // Every candidate the same: they share one card, which wins; nothing ties, so no tie note.
    scriptAnswers(wb, () => 'Use `itertools.permutations(items, 2)`: it yields the 6 ordered pairs of 3 items.');
    await failed.locator('[data-testid="run-retry"]').click();
    await wb.panel().locator('[data-testid="run"][data-status="done"]').last().waitFor();
    assert.equal(await wb.byTestId('input').inputValue(), '', 'Retry sent the question: the box is empty again');
    assert.equal(await wb.byTestId('run').count(), 2, 'the retry took the failed turn\'s place: the stopped turn and the retried one');
    const retried = wb.byTestId('run').last();
    assert.equal(await retried.locator('[data-testid="question-text"]').innerText(), question);
    const winner = retried.locator('[data-testid="candidate"][data-winner="true"]');
    assert.equal(await retried.locator('[data-testid="candidate"]').count(), 1, 'identical candidates share one card');
    const members = ((await winner.getAttribute('data-members')) ?? '').split(' ');
    assert.ok(members.length > 1, `several aggregations agree: ${members.join()}`);
    assert.match(await winner.locator('[data-testid="cand-title"]').innerText(), new RegExp(`— ${members.length} aggregations agree$`));
    assert.equal(await retried.locator('[data-testid="tie-note"], [data-testid="answer-tie"]').count(), 0, 'one reply: no tie to explain');
    await lookAt(wb, 'retried', { scrollTo: '[data-testid="run"]:last-of-type [data-testid="candidates"]' });
  });
});
