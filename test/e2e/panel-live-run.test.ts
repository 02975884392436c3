/**
 * Issue 27, items 11, 9 and 10, as a person meets them at a 300 px side bar: a question begun in SMCS: Ask's one-line
 * box moves to the panel's question box to go on over several lines; while the run is live and the panel follows its
 * streaming replies, its stage strip stays in view; on a failed run scrolled to the bottom, the question box covers no
 * content. Screenshots `live-run-*.png` and `failed-bottom-*.png` at 300 and 700 px in three themes.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import { DEEPSEEK, MODELS, SERVED, SETTINGS, lastRun, lookAt, scriptAnswers } from './answerScenario';
import { quickInput } from './firstRun';
import { until } from './polling';
import { sharedWorkbench } from './workbench';

/**
 * Scrolls the panel to its end, as it is when it follows a streaming run or a person scrolls down, and waits there for
 * the panel to settle, so the screenshot shows the end too.
 */
async function scrollToEnd(frame: Frame): Promise<void> {
  // What a theme change or the run's end brings (borders, the Why section) can still grow the panel after the scroll:
  // scroll again until its height has held for two frames and the view is at its end.
  await frame.evaluate(async () => {
    const el = document.scrollingElement ?? document.documentElement;
    for (let tries = 0; tries < 20; tries++) {
      const height = el.scrollHeight;
      el.scrollTop = height;
      await new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
      if (el.scrollHeight === height && el.scrollTop + el.clientHeight >= height - 1) return;
    }
  });
}

/** The live run's stage strip, scrolled to the end: drawn inside the view, above the question box, and the thing a click on it reaches. */
async function stripProblems(frame: Frame): Promise<string[]> {
  await scrollToEnd(frame);
  return frame.evaluate(() => {
    // At the end again in the same task as the measuring: what grew since (a theme's borders) cannot come between.
    const doc = document.scrollingElement ?? document.documentElement;
    doc.scrollTop = doc.scrollHeight;
    const strip = document.querySelector<HTMLElement>('[data-testid="run"][data-status="running"] [data-testid="stage-strip"]');
    if (!strip) return ['no live run'];
    const r = strip.getBoundingClientRect();
    const composerTop = document.querySelector<HTMLElement>('.composer')?.getBoundingClientRect().top ?? window.innerHeight;
    if (r.top < -0.5 || r.bottom > composerTop + 0.5) return [`the stage strip is out of view (${r.top.toFixed(0)}–${r.bottom.toFixed(0)} px; the view shows 0–${composerTop.toFixed(0)} px)`];
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit && strip.contains(hit) ? [] : [`a click on the stage strip reaches ${hit?.className ?? 'nothing'}`];
  });
}

/** Scrolled to the end, no text outside the question box is drawn under it, and the failure's message is what a click on it reaches. */
async function composerProblems(frame: Frame): Promise<string[]> {
  await scrollToEnd(frame);
  return frame.evaluate(() => {
    // At the end again in the same task as the measuring: what grew since (a theme's borders) cannot come between.
    const doc = document.scrollingElement ?? document.documentElement;
    doc.scrollTop = doc.scrollHeight;
    const composer = document.querySelector<HTMLElement>('.composer');
    if (!composer) return ['no question box'];
    const c = composer.getBoundingClientRect();
    const problems: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || composer.contains(el) || (node.textContent ?? '').trim() === '' || el.closest('.visually-hidden, [hidden], details:not([open]) > :not(summary)')) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width > 1 && r.height > 1 && r.bottom > c.top + 1 && r.top < c.bottom) problems.push(`"${(node.textContent ?? '').trim().slice(0, 30)}" (${r.top.toFixed(0)}–${r.bottom.toFixed(0)} px) is under the question box (from ${c.top.toFixed(0)} px)`);
      }
    }
    const banner = document.querySelector<HTMLElement>('[data-testid="run"]:last-of-type [data-testid="run-banner"]');
    if (!banner) problems.push('no failure banner');
    else {
      const b = banner.getBoundingClientRect();
      const hit = document.elementFromPoint(b.left + 10, b.top + Math.min(8, b.height / 2));
      if (!hit || !banner.contains(hit)) problems.push(`a click on the failure's message reaches ${hit?.className || hit?.tagName || 'nothing'}`);
    }
    return problems.slice(0, 10);
  });
}

/**
 * The failure's banner is told from a notice by its border: not the panel's neutral border nor the contrast border,
 * in which high contrast themes draw every validation message (an error there looked like any notice).
 */
async function errorBorderProblems(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const banner = document.querySelector<HTMLElement>('[data-testid="run"]:last-of-type [data-testid="run-banner"]');
    if (!banner) return ['no failure banner'];
    const probe = document.createElement('span');
    document.body.append(probe);
    const neutral: string[] = [];
    for (const value of ['var(--smcs-border)', 'var(--vscode-contrastBorder, transparent)']) {
      probe.style.color = value;
      neutral.push(getComputedStyle(probe).color);
    }
    probe.remove();
    const border = getComputedStyle(banner).borderTopColor;
    return neutral.includes(border) ? [`the failure banner's border (${border}) is the neutral or contrast border`] : [];
  });
}

// The referencer that never answers must not be left out as late while the live run's six screenshots are taken
// (the straggler deadline is 2 s after the others): the run stays live until Stop.
const settings = { ...SETTINGS, 'smcs.stragglerFactor': 0 };
/** The window the UI files on the default host share (workbench.ts sharedWorkbench), configured for this file's models and settings. */
const inSharedWindow = sharedWorkbench('default window', { models: MODELS, fake: { models: SERVED }, settings });

test('a palette question goes on over several lines in the panel; a live run keeps its stage strip in view; a failed run leaves nothing under the question box', async () => {
  await inSharedWindow('panel live run', async (wb) => {
    await wb.openPanel();
    await wb.setSidebarWidth(300);

    // Item 11: the palette's box is one line; its note button moves what was typed into the panel's question box.
    await wb.runCommand('smcs.ask');
    const box = quickInput(wb, 'SMCS: Ask');
    await box.locator('.quick-input-box input').fill('Which Python function lists the ordered pairs of 3 items,');
    await box.locator('.quick-input-titlebar a[aria-label="Write a longer or multi-line question in the SMCS panel"]').click();
    await box.waitFor({ state: 'hidden' });
    const input = wb.byTestId('input');
    await wb.panel().locator('[data-testid="input"]:focus').waitFor();
    assert.equal(await input.inputValue(), 'Which Python function lists the ordered pairs of 3 items,');
    await input.press('End');
    await input.press('Shift+Enter');
    await input.pressSequentially('and how many are there?');

    // Item 9: one referencer never answers, so the run stays live while the others stream in.
    scriptAnswers(wb, (n) => `Candidate ${n}: \`itertools.permutations(items, 2)\` gives 6 pairs.`, { chunkDelayMs: 100 }, { [DEEPSEEK]: { hang: true } });
    await input.press('Enter');
    const run = wb.byTestId('run').last();
    await run.locator('[data-testid="question-text"]').waitFor();
    assert.equal(await run.locator('[data-testid="question-text"]').innerText(), 'Which Python function lists the ordered pairs of 3 items,\nand how many are there?');
    await until(() => wb.fake.requests.some((r) => JSON.stringify(r.body).includes('and how many are there?')), 'the models were asked');
    const asked = wb.fake.requests.find((r) => JSON.stringify(r.body).includes('and how many are there?'));
    assert.match(JSON.stringify(asked?.body), /items,\\nand how many/, 'the models got both lines');
    await run.locator('[data-testid="stage-referencers"] .stage-count', { hasText: /^6\/7$/ }).waitFor();
    await lookAt(wb, 'live-run', { check: stripProblems });
    assert.equal(await wb.panel().locator('[data-testid="run"][data-status="running"]').count(), 1, 'the run was live for its screenshots');
    await run.locator('[data-testid="stop"]').click();
    await lastRun(wb, 'cancelled');

    // Item 10: every referencer fails; scrolled to the end, the question box covers nothing.
    await wb.setSidebarWidth(300);
    for (const model of MODELS) wb.fake.script(model, { fail: { status: 401, message: 'invalid API key' } });
    await wb.askInPanel('Which Python function lists the ordered pairs?');
    await lastRun(wb, 'error');
    await lookAt(wb, 'failed-bottom', { check: async (frame) => [...(await composerProblems(frame)), ...(await errorBorderProblems(frame))] });
  });
});
