/**
 * Context in the panel (issue 24): the current file's chip and its ✕, `#` completion of a workspace file, and an ask
 * whose every model request carries the attached file's text and none a planted `.env` value; the turn's context
 * line names the file and its problems. Screenshots `context-<width>.png`, chips checked against the composer.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import { lookAt } from './answerScenario';
import { withWorkbench } from './workbench';

const SECRET = 'planted-env-value-7f3a9c21e5';
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
  await withWorkbench('panel context', { files: { 'scores.ts': SCORES, '.env': `API_TOKEN=${SECRET}\n`, 'report.ts': 'export const report = (xs: number[]): string => xs.join(" ");\n' } }, async (wb) => {
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
  });
});
