/**
 * A reply SMCS stopped reading and kept, as a person sees it (issue 34): a referencer that trickles until the call's
 * time limit (`maxCallMs`) and an aggregator that runs on far past max_tokens both answer, and their cards say so in a
 * note that sits inside the card, whole, at a 300 and a 700 px side bar in every theme. Screenshots
 * `stopped-output-<width>-<theme>.png` (the candidates) and `stopped-output-reference-<width>-<theme>.png`.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import { openEverySection } from './answerGeometry';
import { lookAt } from './answerScenario';
import { FAKE_MODELS, sharedWorkbench } from './workbench';

const [AGGREGATOR, TRICKLING] = FAKE_MODELS;

/** Problems with the stopped notes: each must show, lie inside its card and show its whole text (nothing cut or hidden). */
async function noteProblems(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const problems: string[] = [];
    for (const note of document.querySelectorAll<HTMLElement>('[data-testid="stopped-note"]:not([hidden])')) {
      const card = note.closest<HTMLElement>('.card');
      const r = note.getBoundingClientRect();
      const c = card?.getBoundingClientRect();
      const what = `"${(note.textContent ?? '').slice(0, 30)}…"`;
      if (r.width === 0 || r.height === 0) problems.push(`${what} takes no room`);
      if (!c || r.left < c.left - 0.5 || r.right > c.right + 0.5 || r.top < c.top - 0.5 || r.bottom > c.bottom + 0.5) problems.push(`${what} lies outside its card`);
      if (note.scrollWidth > note.clientWidth + 1 || note.scrollHeight > note.clientHeight + 1) problems.push(`${what} is cut: ${note.scrollWidth}×${note.scrollHeight} in ${note.clientWidth}×${note.clientHeight}`);
      for (let a = note.parentElement; a && a !== document.body; a = a.parentElement) {
        const style = getComputedStyle(a);
        const b = a.getBoundingClientRect();
        if (style.overflow !== 'visible' && (r.left < b.left - 0.5 || r.right > b.right + 0.5 || r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5)) problems.push(`${what} is clipped by ${a.tagName.toLowerCase()}.${a.className}`);
      }
    }
    return problems;
  });
}

/** The window the UI files on the default host share (workbench.ts sharedWorkbench), configured for this file's models and settings. */
const inSharedWindow = sharedWorkbench('default window', { settings: { 'smcs.maxTokens': 64, 'smcs.stragglerFactor': 0 }, endpointFields: { maxCallMs: 3000 } });

test('a reply stopped at the time limit and one stopped past max_tokens answer, and their cards say so', async () => {
  // No straggler deadline: the trickling reply is to meet the call's own time limit, not be left out as late.
  await inSharedWindow('panel stopped output', async (wb) => {
    // One word every 100 ms: about 30 words when the call's 3 s are up. The aggregator never stops (up to our ceiling).
    wb.fake.script(TRICKLING, { reply: 'slowly '.repeat(2000), chunkDelayMs: 100 });
    wb.fake.script(AGGREGATOR, { reply: 'Use sorted() with a key function. '.repeat(200) });
    await wb.openPanel();
    await wb.askInPanel('How do I sort a list of dicts by a key?');
    // While it trickles, its card's dot says it is being written: pulsing, or standing still under reduced motion
    // (which the harness's windows ask for, as a person may).
    const writing = wb.panel().locator(`[data-testid="referencer"][data-model="${TRICKLING}"][data-status="streaming"] .status-dot`);
    await writing.waitFor({ state: 'attached' });
    assert.equal(await writing.evaluate((dot) => getComputedStyle(dot).animationName), 'none', 'the dot pulses under reduced motion');
    try {
      await wb.page.emulateMedia({ reducedMotion: 'no-preference' });
      assert.equal(await writing.evaluate((dot) => getComputedStyle(dot).animationName), 'smcs-pulse', 'the dot does not pulse when motion is welcome');
    } finally {
      const { PAGE_OPTIONS } = await import('../../scripts/testHarness.mjs');
      await wb.page.emulateMedia({ reducedMotion: PAGE_OPTIONS.reducedMotion });
    }
    const run = wb.panel().locator('[data-testid="run"][data-status="done"]').last();
    await run.waitFor({ timeout: 60_000 });
    const frame = await wb.panelFrame();
    await openEverySection(frame);

    const trickled = run.locator(`[data-testid="referencer"][data-model="${TRICKLING}"] [data-testid="stopped-note"]`);
    await trickled.waitFor();
    assert.match(await trickled.innerText(), /^Stopped after 3\.\d s, the most one call may take \(maxCallMs\): the reply is kept as far as it got$/);
    const candidate = run.locator('[data-testid="candidate"] [data-testid="stopped-note"]').first();
    await candidate.waitFor();
    assert.match(await candidate.innerText(), /^Stopped at about \d{3} tokens, far past max_tokens: the reply is kept as far as it got$/);
    assert.equal(await run.locator(`[data-testid="referencer"][data-model="${FAKE_MODELS[2]}"] [data-testid="stopped-note"]`).isHidden(), true, 'a reply that ended by itself has no note');
    assert.match(await run.locator(`[data-testid="referencer"][data-model="${TRICKLING}"] .markdown`).innerText(), /^slowly slowly/, 'what arrived is shown');

    await lookAt(wb, 'stopped-output', { scrollTo: '[data-testid="run"] [data-testid="candidates"]', check: noteProblems });
    await lookAt(wb, 'stopped-output-reference', { scrollTo: `[data-testid="referencer"][data-model="${TRICKLING}"]`, check: noteProblems });
  });
});
