/**
 * An endpoint that fails, and a question with math, as a person sees them (issue 37 items 5 and 9): the banner names
 * the endpoint by id and host and what to do, with Test Connection, Open Endpoint Settings and Retry, and shows no
 * JSON; the question at the top of a run typesets its math as the answer does. Screenshots at 300 and 700 px in the
 * dark, light and high-contrast themes: `endpoint-502-*`, `question-math-*`.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import { MODELS, SERVED, SETTINGS, lastRun, latexCandidate, lookAt, scriptAnswers } from './answerScenario';
import { toast } from './firstRun';
import { FAKE_MODELS, sharedWorkbench } from './workbench';

/** The window the UI files on the default host share (workbench.ts sharedWorkbench), configured for each test's models and settings. */
const inSharedWindow = sharedWorkbench('default window', { settings: { 'smcs.k': 3, 'smcs.n': 1 } });
const inSharedMathWindow = sharedWorkbench('default window', { models: MODELS, fake: { models: SERVED }, settings: { ...SETTINGS, 'smcs.n': 2 } });

test('an endpoint whose proxy answers 502 with a JSON body: the banner names it and its host, offers the remedies, and shows no JSON', async () => {
  await inSharedWindow('endpoint 502', async (wb) => {
    for (const model of FAKE_MODELS) wb.fake.script(model, { fail: { status: 502, message: '', body: { detail: 'Bad gateway: model worker offline' } } });
    const host = new URL(wb.fake.baseUrl).host;
    await wb.openPanel();
    await wb.askInPanel('How do I reverse a list in Python?');
    await lastRun(wb, 'error');
    const banner = wb.panel().locator('[data-testid="run"][data-status="error"] [data-testid="run-banner"]');
    await banner.locator('.banner-text', { hasText: `Endpoint fake (${host}) failed while answering (a server error).` }).waitFor();
    const text = (await banner.textContent()) ?? '';
    assert.doesNotMatch(text, /[{}]|"detail"|no body|workspace/);
    assert.deepEqual(await banner.locator('.banner-actions button').allTextContents(), ['Test Connection', 'Open Endpoint Settings', 'Show Log', 'Retry']);
    // What each call said is one click away, quoted from the body.
    await banner.locator('[data-testid="run-banner-causes"] summary').click();
    await banner.locator('[data-testid="run-banner-causes"] li', { hasText: 'server error (HTTP 502): Bad gateway: model worker offline' }).first().waitFor();

    const check = async (frame: Frame): Promise<string[]> => {
      const shown = await frame.locator('[data-testid="run-banner"]').last().evaluate((el) => {
        const r = el.getBoundingClientRect();
        const buttons = [...el.querySelectorAll('.banner-actions button')].map((b) => b.getBoundingClientRect());
        return { inside: buttons.every((b) => b.left >= r.left - 1 && b.right <= r.right + 1), visible: r.height > 0 };
      });
      return [...(shown.visible ? [] : ['the banner is not shown']), ...(shown.inside ? [] : ['a banner button sticks out of the banner'])];
    };
    await lookAt(wb, 'endpoint-502', { scrollTo: '[data-testid="run"]', check });

    // Test Connection asks the endpoint for its models: it answers (only its chats fail), and says so in one line.
    await banner.locator('button', { hasText: 'Test Connection' }).click();
    await toast(wb, `SMCS: endpoint fake (${host}) answers.`).waitFor({ state: 'visible' });
  });
});

test('the question at the top of a run typesets its math as the answer does, its plain text as written', async () => {
  await inSharedMathWindow('question math', async (wb) => {
    await wb.openPanel();
    scriptAnswers(wb, latexCandidate);
    const question = 'How many ordered pairs are there, \\(\\frac{n!}{(n-2)!}\\) for $n = 3$? And is $$\\binom{n}{2} = \\frac{n(n-1)}{2}$$ right? (`echo $HOME` is not math)';
    await wb.askInPanel(question);
    await lastRun(wb, 'done');
    const shown = wb.panel().locator('[data-testid="question-text"]').last();
    assert.equal(await shown.locator('.katex').count(), 3);
    await shown.locator('code', { hasText: 'echo $HOME' }).waitFor();
    const check = async (frame: Frame): Promise<string[]> => {
      const text = await frame.locator('[data-testid="question-text"]').last().evaluate((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        for (const math of copy.querySelectorAll('.katex')) math.remove();
        return copy.textContent ?? '';
      });
      return /\\\(|\$\$|\\frac|\\binom/.test(text) ? [`raw LaTeX in the question: ${text}`] : [];
    };
    await lookAt(wb, 'question-math', { scrollTo: '[data-testid="question"]', check });

    // One line with an inline fraction reaching below it: nothing more to show, and the fraction is not cut.
    await wb.askInPanel('Simplify \\(\\frac{x^2-1}{x-1}\\).');
    await wb.panel().locator('[data-testid="run"][data-status="done"]').nth(1).waitFor();
    const oneLine = wb.panel().locator('[data-testid="run"]').last();
    assert.equal(await oneLine.locator('[data-testid="question-toggle"]').isHidden(), true, 'a one-line question offers no "Show more"');
    const cut = await oneLine.locator('[data-testid="question-text"]').evaluate((el) => {
      const box = el.getBoundingClientRect();
      const math = el.querySelector('.katex-html')?.getBoundingClientRect();
      return getComputedStyle(el).overflowY !== 'visible' && math !== undefined && math.bottom > box.bottom + 0.5 ? `${Math.round(math.bottom - box.bottom)} px of the fraction cut` : '';
    });
    assert.equal(cut, '');
    await lookAt(wb, 'question-math-one-line', { scrollTo: '[data-testid="run"]:last-of-type [data-testid="question"]', check });
  });
});
