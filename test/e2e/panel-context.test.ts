/**
 * Context in the panel (issue 24): the current file's chip and its ✕, `#` completion of a workspace file, and an ask
 * whose every model request carries the attached file's text and none a planted `.env` value; the turn's context
 * line names the file and its problems; "Add file…" adds a chip whose file the estimate before sending counts and
 * whose name opens it; Ask About File in the Explorer adds another. Issue 31: a selection of whole lines shows as a
 * chip with the gutter's lines and ✕ leaves it out of the ask; Details never counts more context than a call's prompt;
 * a turn with many context items shows a one-line count at 300 and 700 px that expands to them. Screenshots
 * `context-*.png`, chips checked against the composer. Neither `#` completion nor Add file… offers the `.env`.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import { lookAt } from './answerScenario';
import { until } from './polling';
import { FAKE_MODELS, withWorkbench } from './workbench';

const SECRET = 'planted-env-value-7f3a9c21e5';
/** USD per token, prompt tokens dear, so the attached file shows in the estimate before sending. */
const PRICE = { prompt: 0.00001, completion: 0.000001 };
/** A module of about 3,000 tokens, added with "Add file…". */
const BIG = Array.from({ length: 150 }, (_, i) => `export const threshold${i} = (score: number): boolean => score > ${i} && score % ${i + 2} !== 0;`).join('\n');
/** The figure of the panel's "≈ $0.123" estimate. */
const usdOf = (text: string): number => Number(text.replace(/[^0-9.]/g, ''));
const SCORES = ['export function parseScores(text: string): number[] {', '  const total: number = "none";', '  return text.split(",").map(Number);', '}', ''].join('\n');
/** Small modules a question names one by one: a turn with this many context items. */
const MODULES = Array.from({ length: 14 }, (_, i) => `m${i + 1}.ts`);
/** A number as the panel prints it ("1,234", "12.3k"). */
const countOf = (text: string): number => (text.endsWith('k') ? Number(text.slice(0, -1)) * 1000 : Number(text.replace(/,/g, '')));

/** The last turn's context line: collapsed to one line, the count alone at 300 px and with its parts after it at 700. */
async function collapsedContextLine(frame: Frame, width: number): Promise<string[]> {
  return frame.evaluate((narrow) => {
    const line = [...document.querySelectorAll<HTMLDetailsElement>('[data-testid="context-line"]')].pop();
    const count = line?.querySelector<HTMLElement>('[data-testid="context-count"]');
    const preview = line?.querySelector<HTMLElement>('.context-preview');
    if (!line || !count || !preview) return ['no context line'];
    const problems: string[] = [];
    if (line.open) problems.push('the context line is open');
    const box = line.getBoundingClientRect();
    const one = count.getBoundingClientRect().height;
    if (box.height > one * 1.5) problems.push(`the collapsed context line is ${box.height} px high, more than one line (${one} px)`);
    if (!/^\d+ context items?$/.test(count.textContent ?? '')) problems.push(`the count reads "${count.textContent}"`);
    const shown = preview.getBoundingClientRect().width > 0;
    if (narrow && shown) problems.push('a narrow panel shows the context parts after the count');
    if (!narrow && !shown) problems.push('a wide panel shows no context part after the count');
    if (preview.getBoundingClientRect().right > box.right + 0.5) problems.push('the parts run past the context line');
    return problems;
  }, width <= 480);
}

/** The last turn's context line opened: every part on its own, inside the panel. */
async function openContextLine(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const line = [...document.querySelectorAll<HTMLDetailsElement>('[data-testid="context-line"]')].pop();
    const items = [...(line?.querySelectorAll<HTMLElement>('[data-testid="context-items"] li') ?? [])];
    const counted = Number.parseInt(line?.querySelector('[data-testid="context-count"]')?.textContent ?? '', 10);
    const problems: string[] = [];
    if (!line?.open) problems.push('the context line is not open');
    if (items.length !== counted) problems.push(`${items.length} parts listed for a count of ${counted}`);
    for (const li of items) if (li.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5) problems.push(`"${li.textContent}" runs past the panel`);
    return problems;
  });
}

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
  const modules = Object.fromEntries(MODULES.map((name, i) => [name, `export const module${i + 1} = ${i + 1};\n`]));
  const files = { 'scores.ts': SCORES, '.env': `API_TOKEN=${SECRET}\n`, 'env.ts': 'export const mode = "test";\n', 'report.ts': 'export const report = (xs: number[]): string => xs.join(" ");\n', 'thresholds.ts': BIG, ...modules };
  // TypeScript's full server (the workbench's default is its syntax server): the turn's context names scores.ts's type error.
  const settings = { 'typescript.tsserver.useSyntaxServer': 'auto' };
  await withWorkbench('panel context', { files, settings, fake: { models: FAKE_MODELS.map((id) => ({ id, pricing: PRICE })) } }, async (wb) => {
    await wb.openFile('scores.ts');
    await wb.page.locator('.squiggly-error').first().waitFor({ timeout: 90_000 });
    // Lines 2 and 3 selected whole: the selection ends at column 0 of line 4, which holds none of it.
    await wb.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await wb.page.keyboard.press('Control+Home');
    await wb.page.keyboard.press('ArrowDown');
    await wb.page.keyboard.press('Shift+ArrowDown');
    await wb.page.keyboard.press('Shift+ArrowDown');
    await wb.openPanel();
    const chip = wb.panel().locator('[data-testid="context-chip-current"]');
    await chip.waitFor();
    assert.match(await chip.innerText(), /scores\.ts/);
    const selectionChip = wb.panel().locator('[data-testid="context-chip-selection"]');
    await selectionChip.waitFor();
    assert.equal(await selectionChip.locator('.chip-open').innerText(), 'scores.ts 2–3');
    await lookAt(wb, 'context', { check: chipGeometry });
    await wb.setTheme('dark');
    await selectionChip.locator('.chip-drop').click();
    await selectionChip.waitFor({ state: 'detached' });
    await chip.locator('.chip-drop').click();
    await chip.waitFor({ state: 'detached' });

    const input = wb.panel().locator('[data-testid="input"]');
    await input.click();
    // `#env` offers env.ts, never the .env beside it.
    await input.pressSequentially('#env', { delay: 40 });
    await wb.panel().locator('[data-testid="file-completion"] [data-file="env.ts"]').waitFor();
    assert.equal(await wb.panel().locator('[data-testid="file-completion"] [data-file=".env"]').count(), 0, '# completion offers .env');
    await input.press('Escape');
    await input.fill('');
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
    const turn = wb.panel().locator('[data-testid="run"]:last-of-type');
    assert.match(await turn.locator('[data-testid="context-count"]').innerText(), /^\d+ context items?$/);
    await turn.locator('.context-summary').click();
    const parts = await turn.locator('[data-testid="context-items"] li').allInnerTexts();
    assert.equal(parts[0], 'scores.ts 1–4');
    assert.match(parts[1] ?? '', /^\d+ problems?$/);
    assert.ok(!parts.some((p) => /\.env|\(selected\)/.test(p)), `the dropped selection and the .env stay out: ${parts.join(' · ')}`);
    await lookAt(wb, 'context-turn', { scrollTo: '[data-testid="run"]:last-of-type', check: openContextLine });

    // Details: each call counts the context in its prompt's unit, so the context in a call is at most that call's
    // prompt, and in all at most all their prompts — never an estimate above a whole prompt the server counted.
    await turn.locator('[data-testid="cost-details"]').click();
    const prompts = (await turn.locator('[data-testid="cost-call"]:not([data-stage="embedding"]) [data-testid="call-tokens"]').allInnerTexts()).map((t) => countOf(t.replace(/^≈/, '').split(' → ')[0] ?? ''));
    const costText = await turn.locator('[data-testid="context-cost"]').innerText();
    const contextCost = /^Context: (?:up to )?([\d.,k]+) tokens? in each of (\d+) calls? = ([\d.,k]+) tokens? across all models$/.exec(costText);
    assert.ok(contextCost, `Details says what the context cost, in the prompts' unit: ${costText}`);
    assert.equal(Number(contextCost[2]), prompts.length);
    assert.ok(countOf(contextCost[1] ?? '') <= Math.max(...prompts), `context ${contextCost[1]} in a call, prompts ${prompts.join(', ')}`);
    assert.ok(countOf(contextCost[3] ?? '') <= prompts.reduce((a, b) => a + b, 0) * 1.01, `context ${contextCost[3]} in all, prompts ${prompts.join(', ')}`);
    await turn.locator('[data-testid="cost-details"]').click();

    // "Add file…": the file's chip; the estimate before sending counts it; the chip's name opens it.
    await input.fill('Summarise what the attached module decides.');
    const estimate = wb.byTestId('cost-estimate');
    await estimate.waitFor();
    const alone = usdOf(await estimate.innerText());
    await wb.byTestId('add-file').click();
    // Add file… offers env.ts, never .env.
    const pick = wb.page.locator('.quick-input-widget .quick-input-box input');
    await pick.waitFor();
    await pick.fill('env');
    const row = (name: string) => wb.page.locator('.quick-input-widget .monaco-list-row', { has: wb.page.locator('.label-name', { hasText: new RegExp(`^${name.replace('.', '\\.')}$`) }) });
    await row('env.ts').waitFor();
    assert.equal(await row('.env').count(), 0, 'Add file… offers .env');
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

    // A question naming fourteen modules: its turn's context line is a count on one line, not a wall of entries.
    await input.fill(`What do ${MODULES.map((m) => `#file:${m}`).join(' ')} export?`);
    const runs = await wb.panel().locator('[data-testid="run"]').count();
    await wb.panel().locator('[data-testid="send"]').click();
    await until(async () => (await wb.panel().locator('[data-testid="run"]').count()) > runs, 'the question makes a new turn');
    await wb.panel().locator('[data-testid="run"]:last-of-type[data-status="done"]').waitFor({ timeout: 240_000 });
    const many = Number.parseInt(await turn.locator('[data-testid="context-count"]').innerText(), 10);
    assert.ok(many >= MODULES.length, `${many} context items`);
    await lookAt(wb, 'context-many', { scrollTo: '[data-testid="run"]:last-of-type', check: collapsedContextLine });
    await turn.locator('.context-summary').click();
    await lookAt(wb, 'context-many-open', { scrollTo: '[data-testid="run"]:last-of-type', check: openContextLine });
  });
});
