/**
 * Issue 36 as a person sees it: one referencer far slower than the others. While the run waits for it the stage strip
 * says so ("waiting for gamma-coder, 2.4 s, others done"); once the straggler deadline leaves it out, its card says it
 * was late (not wrong), and the aggregations stream into their cards as they are written. Screenshots
 * `late-streaming-<width>-<theme>.png` (a candidate mid-stream) and `late-model-<width>-<theme>.png` (the late card),
 * at a 300 and a 700 px side bar in three themes.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import type { RecordedRequest } from '../fixtures/loopbackUpstream';
import { openEverySection } from './answerGeometry';
import { lookAt } from './answerScenario';
import { sharedWorkbench } from './workbench';

const [ALPHA, BETA, GAMMA, AGGREGATOR] = ['alpha-coder', 'beta-coder', 'gamma-coder', 'synth-coder'];
const isAggregation = (request: RecordedRequest): boolean => /Reference from /.test(JSON.stringify(request.body));

/** Problems with a card's line: it must show, whole, inside its card. */
async function lineProblems(frame: Frame, selector: string): Promise<string[]> {
  return frame.evaluate((selector) => {
    const problems: string[] = [];
    const line = [...document.querySelectorAll<HTMLElement>(selector)].pop();
    if (!line) return [`no ${selector}`];
    const card = line.closest<HTMLElement>('.card, .stage-strip');
    const r = line.getBoundingClientRect();
    const c = card?.getBoundingClientRect();
    const what = `"${(line.textContent ?? '').slice(0, 40)}"`;
    if (r.width === 0 || r.height === 0) problems.push(`${what} takes no room`);
    if (!c || r.left < c.left - 0.5 || r.right > c.right + 0.5 || r.top < c.top - 0.5 || r.bottom > c.bottom + 0.5) problems.push(`${what} lies outside its card`);
    if (line.scrollWidth > line.clientWidth + 1) problems.push(`${what} is cut: ${line.scrollWidth} px wide in ${line.clientWidth}`);
    return problems;
  }, selector);
}

const settings = { 'smcs.aggregator': AGGREGATOR, 'smcs.stragglerFactor': 10 };
/** The window the UI files on the default host share (workbench.ts sharedWorkbench), configured for this file's models and settings. */
const inSharedWindow = sharedWorkbench('default window', { models: [ALPHA, BETA, GAMMA, AGGREGATOR], settings });

test('a late model: the strip names what it waits for, the late card says so, and aggregations stream into their cards', async () => {
  await inSharedWindow('panel late model', async (wb) => {
    for (const model of [ALPHA, BETA]) wb.fake.script(model, { reply: `Reference from ${model}: sorted(items, key=lambda d: d["k"]) sorts by a key.` });
    wb.fake.script(GAMMA, { reply: `Reference from ${GAMMA}: too late.`, firstByteDelayMs: 120_000 });
    // Each aggregation is written a word every 400 ms: about 24 s, long enough to look at it mid-stream.
    wb.fake.script(AGGREGATOR, {
      reply: (request) => (isAggregation(request) ? `Use sorted() with a key function: ${'it returns a new list ordered by that key. '.repeat(6)}` : 'not an aggregation'),
      chunkDelayMs: 400,
    });
    await wb.openPanel();
    await wb.askInPanel('How do I sort a list of dicts by a key?');
    const frame = await wb.panelFrame();
    const live = wb.panel().locator('[data-testid="run"][data-status="running"]').last();

    // The strip names every model still out: beta-coder too for a moment, on a loaded machine; then gamma-coder alone.
    const waitingForGamma = new RegExp(`^waiting for ${GAMMA}, \\d+(\\.\\d)?( ms| s), others done$`);
    await live.locator('[data-testid="stage-wait"]', { hasText: waitingForGamma }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.deepEqual(await lineProblems(frame, '[data-testid="run"][data-status="running"] [data-testid="stage-wait"]'), []);

    // The card of an aggregation being written shows its latest words, its reply still folded.
    const preview = live.locator('[data-testid="candidate"][data-status="streaming"] [data-testid="cand-preview"]', { hasText: 'sorted()' }).first();
    await preview.waitFor({ timeout: 30_000 });
    const before = await preview.innerText();
    await lookAt(wb, 'late-streaming', { scrollTo: '[data-testid="run"] [data-testid="candidates"]', check: (f) => lineProblems(f, '[data-testid="candidate"][data-status="streaming"] [data-testid="cand-preview"]') });
    assert.equal(await live.locator('[data-testid="candidate"][data-status="streaming"]').count() > 0, true, 'the screenshots show a candidate being written');
    assert.notEqual(await preview.innerText(), before, 'the preview follows the words as they come');

    const run = wb.panel().locator('[data-testid="run"][data-status="done"]').last();
    await run.waitFor({ timeout: 60_000 });
    await openEverySection(frame);
    const late = run.locator(`[data-testid="referencer"][data-model="${GAMMA}"]`);
    assert.equal(await late.getAttribute('data-status'), 'abandoned');
    assert.match(await late.innerText(), /late, left out after \d+\.\d s/);
    assert.equal(await run.locator('[data-testid="candidate"]').count() > 0, true);
    for (const subset of await run.locator('[data-testid="candidate"]').evaluateAll((cards) => cards.map((c) => c.textContent ?? ''))) {
      assert.ok(!subset.includes('Reference from gamma'), 'no candidate was written from the late reply');
    }
    await lookAt(wb, 'late-model', { scrollTo: `[data-testid="referencer"][data-model="${GAMMA}"]` });
  });
});
