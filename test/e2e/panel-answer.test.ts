/**
 * A finished answer as a person sees it (issue 18, items 3 and 12): the winner's first lines at the top of the view
 * when a turn finishes (follow-ups too) unless the user scrolled away while it ran, and LaTeX typeset. Screenshots
 * `answer-<width>-<theme>.png`.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerPlace, answerPlaceProblems, mathProblems } from './answerGeometry';
import { MODELS, SERVED, SETTINGS, lastRun, latexCandidate, lookAt, scriptAnswers } from './answerScenario';
import { sharedWorkbench } from './workbench';

/** The window the UI files on the default host share (workbench.ts sharedWorkbench), configured for this file's models and settings. */
const inSharedWindow = sharedWorkbench('default window', { models: MODELS, fake: { models: SERVED }, settings: { ...SETTINGS, 'smcs.seed': 4 } });

test('a finished turn shows its winner at the top of the view, follow-ups too, unless the user scrolled away while it ran; LaTeX is typeset', async () => {
  // Seed 4 draws six distinct subsets for the first question, so its turn is taller than two screens at 300 px.
  await inSharedWindow('panel answer in view', async (wb) => {
    await wb.openPanel();
    scriptAnswers(wb, latexCandidate);
    await wb.setSidebarWidth(300);
    await wb.askInPanel('How many ordered pairs of distinct items can be drawn from 3 items, and how do I list them in Python?');
    await lastRun(wb, 'done');
    let frame = await wb.panelFrame();
    const first = await answerPlace(frame);
    assert.ok(first.scrollHeight > 2 * first.room, `the turn is taller than two screens (${first.scrollHeight} px of ${first.room})`);
    assert.deepEqual(answerPlaceProblems(first, 'first turn at 300 px'), []);

    // A follow-up at 700 px: its answer, not the end of the conversation, is what shows.
    await wb.setSidebarWidth(700);
    await wb.askInPanel('And for 4 items?');
    await wb.panel().locator('[data-testid="run"][data-status="done"]').nth(1).waitFor();
    frame = await wb.panelFrame();
    assert.deepEqual(answerPlaceProblems(await answerPlace(frame), 'follow-up at 700 px'), []);

    // A user who scrolls up to read while a turn runs stays where they are when it finishes.
    await wb.setSidebarWidth(300);
    scriptAnswers(wb, latexCandidate, { chunkDelayMs: 120 });
    await wb.askInPanel('And how many unordered pairs are there?');
    const running = wb.panel().locator('[data-testid="run"][data-status="running"]');
    await running.locator('[data-testid="referencer"]').filter({ hasText: 'Reference from' }).first().waitFor();
    const sidebar = await wb.page.locator('.part.sidebar').boundingBox();
    assert.ok(sidebar);
    await wb.page.mouse.move(sidebar.x + sidebar.width / 2, sidebar.y + sidebar.height / 3);
    frame = await wb.panelFrame();
    // The user keeps scrolling up until the top shows (a wheel event can land while the panel lays out a new card).
    const atTop = () => frame.evaluate(() => (document.scrollingElement ?? document.documentElement).scrollTop === 0);
    for (let tries = 0; tries < 10 && !(await atTop()); tries++) {
      await wb.page.mouse.wheel(0, -100000);
      await wb.page.waitForTimeout(200);
    }
    await frame.waitForFunction(() => (document.scrollingElement ?? document.documentElement).scrollTop === 0);
    assert.equal(await running.count(), 1, 'the turn finished before the user scrolled');
    await lastRun(wb, 'done');
    const kept = await answerPlace(frame);
    assert.equal(kept.scrollTop, 0, 'the panel did not jump away from where the user scrolled');

    await lookAt(wb, 'answer', {
      scrollTo: '[data-testid="run"]',
      check: async (f) => {
        const math = await mathProblems(f);
        return [...answerPlaceProblems(await answerPlace(f), 'the answer'), ...(math.formulas >= 5 ? [] : [`${math.formulas} formulas typeset, expected 5`])];
      },
    });
    const shown = await wb.panel().locator('[data-testid="run"]:last-of-type [data-testid="answer"] .markdown').innerText();
    assert.doesNotMatch(shown, /\[ 3 \\times 2|\\boxed/, 'the LaTeX is typeset, not shown as text');
    assert.match(shown, /echo "\$HOME" \$\(\(3 \* 2\)\)/, 'the shell code is untouched');
    const violations = wb.consoleLines.filter((l) => /Content Security Policy|Refused to (apply|load)/i.test(l));
    assert.deepEqual(violations, [], 'nothing the panel loads or styles is refused by its CSP');
  });
});
