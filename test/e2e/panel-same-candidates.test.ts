/**
 * Issue 37, item 6, as a person sees it: when every aggregation writes the same reply, one card says so ("Candidates
 * 1, 2 and 3 — 3 aggregations agree") with each one's subset a click away; when two candidates were drawn unequally,
 * one line above the cards says why their similarities differ. Screenshots `same-candidates-<width>-<theme>.png` and
 * `draw-weight-<width>-<theme>.png`, at a 300 and a 700 px side bar in three themes.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import type { RecordedRequest } from '../fixtures/loopbackUpstream';
import { lastRun, lookAt } from './answerScenario';
import { FAKE_MODELS, sharedWorkbench, type Workbench } from './workbench';

const QUESTION = 'Which cache should I use for repeated calls?';
const SAME = 'Use `functools.lru_cache`: it keeps the result of each call, keyed by its arguments, so a repeated call returns at once.';
const isAggregation = (request: RecordedRequest): boolean => /Reference from /.test(JSON.stringify(request.body));

/** Every model answers as a referencer; the aggregator (the first model) writes `aggregate(the models whose references it was given)`. */
function script(wb: Workbench, aggregate: (from: string[]) => string): void {
  for (const model of FAKE_MODELS) {
    wb.fake.script(model, {
      reply: (request) => {
        if (!isAggregation(request)) return `Reference from ${model}: functools.lru_cache memoises a function by its arguments.`;
        const body = JSON.stringify(request.body);
        return aggregate(FAKE_MODELS.filter((m) => body.includes(`Reference from ${m}`)));
      },
    });
  }
}

/** Problems with the elements `selector` matches in the last run: each must show, whole, inside its card or section. */
async function shownWhole(frame: Frame, selector: string): Promise<string[]> {
  return frame.evaluate((selector) => {
    const run = [...document.querySelectorAll('[data-testid="run"]')].pop();
    const found = [...(run?.querySelectorAll<HTMLElement>(selector) ?? [])];
    if (found.length === 0) return [`no ${selector}`];
    return found.flatMap((el) => {
      const box = el.closest<HTMLElement>('.card, details.section')?.getBoundingClientRect();
      const r = el.getBoundingClientRect();
      const what = `"${(el.textContent ?? '').slice(0, 40)}"`;
      if (r.width === 0 || r.height === 0) return [`${what} takes no room`];
      if (!box || r.left < box.left - 0.5 || r.right > box.right + 0.5) return [`${what} lies outside its card`];
      return el.scrollWidth > el.clientWidth + 1 ? [`${what} is cut: ${el.scrollWidth} px wide in ${el.clientWidth}`] : [];
    });
  }, selector);
}

/** The window the UI files on the default host share (workbench.ts sharedWorkbench), configured for this file's models and settings. */
const inSharedWindow = sharedWorkbench('default window', { settings: { 'smcs.n': 4, 'smcs.seed': 0 } });

test('aggregations that agree share one card; unequal draws are explained in one line above the cards', async () => {
  // With three equal models, n = 4 and seed 0, this question draws three subsets (2, 1 and 1 times) as a first turn
  // and two (3 and 1 times) as a follow-up (the turn is part of the draws' seed).
  await inSharedWindow('panel same candidates', async (wb) => {
    await wb.openPanel();
    script(wb, () => SAME);
    await wb.askInPanel(QUESTION);
    await lastRun(wb, 'done');
    const first = wb.panel().locator('[data-testid="run"][data-status="done"]').last();
    const card = first.locator('[data-testid="candidate"]');
    assert.equal(await card.count(), 1, 'one card for one reply');
    assert.equal(await card.locator('[data-testid="cand-title"]').innerText(), 'Candidates 1, 2 and 3 — 3 aggregations agree');
    assert.equal(await card.getAttribute('data-draws'), '4', 'the card stands for all four draws');
    assert.equal(await card.getAttribute('data-winner'), 'true');
    await card.locator('[data-testid="winner-badge"]').waitFor();
    assert.equal(await card.locator('[data-testid="tie-note"]').count(), 0, 'one reply is no tie');
    assert.equal(await first.locator('[data-testid="candidates"] > summary').innerText(), 'Candidates (1 distinct of 3)');
    assert.equal(await first.locator('[data-testid="draw-note"]').isVisible(), false);
    await card.locator('[data-testid="left-out"]').click();
    assert.deepEqual(
      await card.locator('[data-testid="member-subset"] .subset-label').allInnerTexts(),
      ['Candidate 1: without beta-coder · drawn 2 times', 'Candidate 2: without alpha-coder', 'Candidate 3: without gamma-coder'],
    );
    await lookAt(wb, 'same-candidates', {
      scrollTo: '[data-testid="run"]:last-of-type [data-testid="candidates"]',
      check: (frame) => shownWhole(frame, '[data-testid="cand-title"], [data-testid="member-subset"] .subset-label'),
    });

    // A follow-up whose two subsets give two replies: the one drawn three times counts three times in the other's similarity.
    script(wb, (from) => `Use \`functools.lru_cache\`; the references of ${from.join(' and ')} agree that it memoises by arguments.`);
    await wb.askInPanel(QUESTION);
    await wb.panel().locator('[data-testid="run"][data-status="done"]').nth(1).waitFor();
    const second = wb.panel().locator('[data-testid="run"][data-status="done"]').last();
    const cards = second.locator('[data-testid="candidate"]');
    assert.deepEqual(await cards.evaluateAll((all) => all.map((c) => c.getAttribute('data-draws'))), ['3', '1']);
    assert.equal(await second.locator('[data-testid="candidates"] > summary').innerText(), 'Candidates (2)');
    const note = second.locator('[data-testid="draw-note"]');
    assert.equal(await note.innerText(), 'Candidate 1 was drawn 3 times of 4, so its agreement counts 3×.');
    const similarity = await cards.locator('[data-testid="score-similarity"]').allInnerTexts();
    assert.ok(Number(similarity[0]) > Number(similarity[1]), `the candidate drawn more agrees more: ${similarity.join(' > ')}`);
    await lookAt(wb, 'draw-weight', {
      scrollTo: '[data-testid="run"]:last-of-type [data-testid="candidates"]',
      check: (frame) => shownWhole(frame, '[data-testid="draw-note"]'),
    });
  });
});
