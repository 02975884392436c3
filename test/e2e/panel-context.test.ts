/**
 * Context in the panel (issue 24): the current file's chip and its ✕, `#` completion of a workspace file, and an ask
 * whose every model request carries the attached file's text and none a planted `.env` value; the turn's context
 * line names the file and its problems; "Add file…" adds a chip whose file the estimate before sending counts and
 * whose name opens it; Ask About File in the Explorer adds another. Screenshots `context-*.png`, chips checked against the composer.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import { lookAt } from './answerScenario';
import { until } from './firstRun';
import { FAKE_MODELS, withWorkbench } from './workbench';

const SECRET = 'planted-env-value-7f3a9c21e5';
/** USD per token, prompt tokens dear, so the attached file shows in the estimate before sending. */
const PRICE = { prompt: 0.00001, completion: 0.000001 };
/** A module of about 3,000 tokens, added with "Add file…". */
const BIG = Array.from({ length: 150 }, (_, i) => `export const threshold${i} = (score: number): boolean => score > ${i} && score % ${i + 2} !== 0;`).join('\n');
/** The figure of the panel's "≤ $0.123" estimate. */
const usdOf = (text: string): number => Number(text.replace(/[^0-9.]/g, ''));
const SCORES = ['export function parseScores(text: string): number[] {', '  const total: number = "none";', '  return text.split(",").map(Number);', '}', ''].join('\n');

/** Where the chips and the question box are, and whether a chip is cut. */
async function chipGeometry(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const problems: string[] = [];
    const input = document.querySelector<HTMLElement>('[data-testid="input"]')?.getBoundingClientRect();
    const row = document.querySelector<HTMLElement>('[data-testid="context-chips"]')?.getBoundingClientRect();
    if (!input || !row) return ['no question box or chip row'];
    if (row.bottom > input.top + 0.5) problems.push(`the chips (bottom ${row.bottom}) overlap the question box (top ${input.top})`);
    for (const chip of document.querySelectorAll<HTMLElement>('.context-chip, .add-file')) {
      const r = chip.getBoundingClientRect();
      if (r.right > document.documentElement.clientWidth + 0.5 || r.left < -0.5) problems.push(`"${chip.textContent}" is cut by the panel's edge`);
    }
    return problems;
  });
}

test('the current file shows as a chip and ✕ drops it; # completes a file; every request carries it and no .env value; the turn names its context', async () => {
  const files = { 'scores.ts': SCORES, '.env': `API_TOKEN=${SECRET}\n`, 'report.ts': 'export const report = (xs: number[]): string => xs.join(" ");\n', 'thresholds.ts': BIG };
  await withWorkbench('panel context', { files, fake: { models: FAKE_MODELS.map((id) => ({ id, pricing: PRICE })) } }, async (wb) => {
    await wb.openFile('scores.ts');
    await wb.page.locator('.squiggly-error').first().waitFor({ timeout: 90_000 });
    await wb.openPanel();
    const chip = wb.panel().locator('[data-testid="context-chip-current"]');
    await chip.waitFor();
    assert.match(await chip.innerText(), /scores\.ts/);
    await lookAt(wb, 'context', { check: chipGeometry });
    await wb.setTheme('dark');
    await chip.locator('.chip-drop').click();
    await chip.waitFor({ state: 'detached' });

    const input = wb.panel().locator('[data-testid="input"]');
    await input.click();
    await input.pressSequentially('Why does #scor', { delay: 40 });
    const option = wb.panel().locator('[data-testid="file-completion"] [data-file="scores.ts"]');
    await option.waitFor();
    await input.press('Enter');
    assert.equal(await input.inputValue(), 'Why does #file:scores.ts ');
    await input.pressSequentially('parseScores fail? #problems', { delay: 20 });
    await input.press('Escape');
    const before = wb.fake.requests.length;
    await wb.panel().locator('[data-testid="send"]').click();
    await wb.panel().locator('[data-testid="run"]:last-of-type[data-status="done"]').waitFor({ timeout: 240_000 });

    const chats = wb.fake.requests.slice(before).filter((r) => r.path.endsWith('/chat/completions'));
    assert.ok(chats.length >= 2, `${chats.length} chat requests`);
    for (const r of chats) {
      const body = JSON.stringify(r.body);
      assert.ok(body.includes('const total: number = \\"none\\";'), `a request to ${r.model} lacks the file's text`);
      assert.ok(!body.includes(SECRET), `a request to ${r.model} carries the .env value`);
    }
    const line = await wb.panel().locator('[data-testid="run"]:last-of-type [data-testid="context-line"]').innerText();
    assert.match(line, /^Context: scores\.ts 1–4 · \d+ problems?( · |$)/);
    assert.doesNotMatch(line, /\.env/);
    await lookAt(wb, 'context-turn', { scrollTo: '[data-testid="run"]:last-of-type' });

    // "Add file…": the file's chip; the estimate before sending counts it; the chip's name opens it.
    await input.fill('Summarise what the attached module decides.');
    const estimate = wb.byTestId('cost-estimate');
    await estimate.waitFor();
    const alone = usdOf(await estimate.innerText());
    await wb.byTestId('add-file').click();
    await wb.answerInputBox('thresholds.ts');
    const added = wb.panel().locator('[data-testid="context-chip-added"]');
    await added.waitFor();
    assert.equal(await added.locator('.chip-open').innerText(), 'thresholds.ts');
    await until(async () => usdOf(await estimate.innerText()) > alone * 1.3, `the estimate (${alone} USD without it) counts the added file`);
    await lookAt(wb, 'context-added', { check: chipGeometry });
    await added.locator('.chip-open').click();
    await wb.page.locator('.tabs-container .tab.active[data-resource-name="thresholds.ts"]').waitFor();

    // SMCS: Ask About File in the Explorer's context menu adds the file beside the other and puts the caret in the box.
    await wb.explorerMenu('report.ts', 'Ask About File');
    await wb.panel().locator('[data-testid="context-chip-added"] .chip-open', { hasText: /^report\.ts$/ }).waitFor();
    assert.equal(await wb.panel().locator('[data-testid="context-chip-added"]').count(), 2, 'thresholds.ts stays');
    assert.equal(await input.evaluate((el) => el === document.activeElement), true, 'the question box has the caret');
  });
});
