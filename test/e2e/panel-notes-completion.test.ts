/**
 * Issue 42, point 5, in the panel: a turn that asks about the secrets sums up the thirteen files it withheld (`.env`,
 * twelve example certificates) in one line that expands to them; `#co` lists `#codebase` above the files, and Enter
 * takes it into the box without sending the question. Both at 300 and 700 px in every theme (screenshots
 * `withheld-*.png`, `hash-completion-*.png`), the line one line tall and the list inside the panel.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import { lookAt } from './answerScenario';
import { PLANTED, SECRET_FILES, SECRETS_QUESTION, chatRequests, requestText, richFiles } from './askedWorkspace';
import { withWorkbench } from './workbench';

/** The last turn's withheld line, collapsed: one line tall, its summary inside the panel. */
async function collapsedWithheld(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const line = [...document.querySelectorAll<HTMLDetailsElement>('[data-testid="withheld-line"]')].pop();
    const count = line?.querySelector<HTMLElement>('[data-testid="withheld-count"]');
    if (!line || !count) return ['no withheld line'];
    const problems: string[] = [];
    if (line.open) problems.push('the withheld line is open');
    const box = line.getBoundingClientRect();
    const oneLine = Number.parseFloat(getComputedStyle(count).lineHeight) || count.getBoundingClientRect().height;
    if (box.height > oneLine * 1.5) problems.push(`the collapsed withheld line is ${box.height} px high, more than one line (${oneLine} px)`);
    if (box.right > document.documentElement.clientWidth + 0.5) problems.push(`the withheld line runs past the panel (right ${box.right})`);
    if (count.scrollWidth > count.clientWidth + 1) problems.push(`"${count.textContent}" is cut (${count.scrollWidth} px of text in ${count.clientWidth} px)`);
    return problems;
  });
}

/** The `#` list: above the box, inside the panel's width, `#codebase` first and highlighted, no entry wider than the list. */
async function completionList(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const list = document.querySelector<HTMLElement>('[data-testid="file-completion"]');
    const input = document.querySelector<HTMLElement>('[data-testid="input"]');
    if (!list || list.hidden || !input) return ['the # list is not shown'];
    const problems: string[] = [];
    const box = list.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    if (box.left < -0.5 || box.right > width + 0.5) problems.push(`the # list (${box.left}–${box.right}) is not inside the panel (0–${width})`);
    if (box.bottom > input.getBoundingClientRect().top + 0.5) problems.push('the # list overlaps the question box');
    const first = list.querySelector<HTMLElement>('li');
    if (first?.dataset.keyword !== 'codebase' || first.getAttribute('aria-selected') !== 'true') problems.push('#codebase is not the first, highlighted entry');
    for (const li of list.querySelectorAll<HTMLElement>('li')) {
      const r = li.getBoundingClientRect();
      if (r.right > box.right + 0.5) problems.push(`"${li.textContent}" runs past the list`);
      if (r.height > 30) problems.push(`"${li.textContent}" takes ${r.height} px, more than one line`);
    }
    return problems;
  });
}

test('a turn that asks about the secrets sums up the withheld files in one line that expands; #co lists #codebase and Enter takes it without sending', async () => {
  const files = { ...richFiles(['highlighter.py', 'panel.py', 'cells.py', 'text.py', 'style.py']), ...SECRET_FILES };
  await withWorkbench('panel notes and completion', { files }, async (wb) => {
    await wb.openPanel();
    await wb.askInPanel(SECRETS_QUESTION);
    const turn = wb.panel().locator('[data-testid="run"]:last-of-type');
    await wb.panel().locator('[data-testid="run"]:last-of-type[data-status="done"]').waitFor({ timeout: 240_000 });
    for (const r of chatRequests(wb.fake.requests)) assert.ok(!requestText(r).includes(PLANTED), `a request to ${r.model} carries the .env value`);

    const line = turn.locator('[data-testid="withheld-line"]');
    await line.waitFor();
    assert.equal(await turn.locator('[data-testid="withheld-count"]').innerText(), '13 files withheld: secrets and certificates');
    assert.equal(await line.evaluate((el) => (el as HTMLDetailsElement).open), false, 'the line starts folded');
    const notes = turn.locator('[data-testid="context-notes"]');
    if (await notes.isVisible()) assert.doesNotMatch(await notes.innerText(), /left out: (?:environment file|key or certificate)/, 'the withheld files are not listed again');
    await lookAt(wb, 'withheld', { scrollTo: '[data-testid="run"]:last-of-type', check: collapsedWithheld });
    await turn.locator('[data-testid="withheld-line"] summary').click();
    assert.equal(await line.evaluate((el) => (el as HTMLDetailsElement).open), true, 'a click opens the line');
    const items = await turn.locator('[data-testid="withheld-items"] li').allInnerTexts();
    assert.equal(items.length, 13);
    assert.ok(items.includes('.env (environment file)'), items.join(' · '));
    assert.ok(items.includes('tests/certs/example-12.pem (key or certificate)'), items.join(' · '));
    await lookAt(wb, 'withheld-open', { scrollTo: '[data-testid="run"]:last-of-type' });

    // `#co`: #codebase above the files; Enter takes it and sends nothing.
    const input = wb.byTestId('input');
    await input.click();
    await input.pressSequentially('How are rows read? #co', { delay: 40 });
    const codebase = wb.panel().locator('[data-testid="file-completion"] [data-keyword="codebase"]');
    await codebase.waitFor();
    assert.deepEqual(await wb.panel().locator('[data-testid="file-completion"] [data-keyword]').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.keyword)), ['codebase']);
    await lookAt(wb, 'hash-completion', { check: completionList });
    const runs = await wb.panel().locator('[data-testid="run"]').count();
    const requests = wb.fake.requests.length;
    await input.press('Enter');
    assert.equal(await input.inputValue(), 'How are rows read? #codebase ');
    assert.equal(await wb.panel().locator('[data-testid="file-completion"]').isHidden(), true, 'the list closes');
    assert.equal(await wb.panel().locator('[data-testid="run"]').count(), runs, 'Enter took the completion, it did not send');
    assert.equal(wb.fake.requests.length, requests);
    // `#` alone offers the three keywords; ↓ and Tab take the second.
    await input.pressSequentially('#', { delay: 40 });
    await wb.panel().locator('[data-testid="file-completion"] [data-keyword="terminal"]').waitFor();
    assert.deepEqual(await wb.panel().locator('[data-testid="file-completion"] [data-keyword]').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.keyword)), ['codebase', 'problems', 'terminal']);
    await input.press('ArrowDown');
    await input.press('Tab');
    assert.equal(await input.inputValue(), 'How are rows read? #codebase #problems ');
  });
});
