/**
 * Every section of the panel open, with a bank the size of a real one (issue 18, item 13): nothing wider than the
 * panel at 300 px, the cost table's model names on at most two lines. Screenshots `open-*-<width>-<theme>.png`.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import { costNameProblems, openEverySection } from './answerGeometry';
import { MODELS, SERVED, SETTINGS, bigBank, lastRun, latexCandidate, lookAt, scriptAnswers } from './answerScenario';
import { sharedWorkbench } from './workbench';

/** The window the UI files on the default host share (workbench.ts sharedWorkbench), configured for this file's models and settings. */
const inSharedWindow = sharedWorkbench('default window', { models: MODELS, fake: { models: SERVED }, settings: SETTINGS });

test('every section open, with a bank the size of a real one: nothing wider than the panel at 300 px, cost names on at most two lines', async () => {
  await inSharedWindow('panel every section', async (wb) => {
    await wb.openPanel();
    await wb.runCommand('smcs.importBank');
    await wb.answerInputBox(bigBank(wb.folder));
    await wb.panel().locator('[data-testid="bank"][data-status="ready"]').waitFor({ timeout: 60_000 });
    scriptAnswers(wb, latexCandidate);
    await wb.askInPanel('How many ordered pairs of distinct items can be drawn from 3 items, and how do I list them in Python?');
    await lastRun(wb, 'done');
    const frame = await wb.panelFrame();
    // Sections: the references' and the candidates' (how many candidates depends on the subsets this question draws), Details, Why.
    const opened = await openEverySection(frame);
    assert.ok(opened > 15, `the sections were opened (${opened})`);
    await wb.panel().locator('[data-testid="bank-domain-labelled"]').first().waitFor({ state: 'visible' });
    await wb.panel().locator('[data-testid="cost-calls"]').waitFor({ state: 'visible' });
    const labelled = await wb.panel().locator('[data-testid="bank-model-labelled"]').first().innerText();
    assert.equal(labelled, '12,000 labelled');
    const everywhere = async (f: Frame, width: number): Promise<string[]> => (width === 300 ? costNameProblems(f, 2) : []);
    await lookAt(wb, 'open-bank', { scrollTo: '[data-testid="bank"]', check: everywhere });
    await lookAt(wb, 'open-costs', { scrollTo: '[data-testid="cost-line"]', check: everywhere });
    await lookAt(wb, 'open-candidates', { scrollTo: '[data-testid="candidates"]', check: everywhere });
  });
});
