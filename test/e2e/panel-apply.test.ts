/**
 * Apply (issue 24, item 5) in the real workbench: a question asked from parse.ts, whose parseScores is a stub; every
 * model answers with the function written out. The answer's code block offers "Apply to parse.ts" (not cut at a 300 or
 * a 700 px side bar); a click opens the change in the diff editor; Accept replaces the stub (not duplicated) and one
 * undo restores the file; Reject (the diff's title bar) leaves it untouched; an edit typed after the diff opened makes
 * Accept refuse with a message. Screenshots `apply-answer-<width>.png`.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import { lookAt } from './answerScenario';
import { FAKE_MODELS, withWorkbench, type Workbench } from './workbench';

const ORIGINAL = ["import { readFileSync } from 'node:fs';", '', '/** The scores of a "name: score" list. */', 'export function parseScores(text: string): number[] {', "  throw new Error('not implemented');", '}', '', "export const SOURCE = readFileSync('scores.txt', 'utf8');", ''].join('\n');

const FUNCTION = ['export function parseScores(text: string): number[] {', '  return text', "    .split('\\n')", "    .filter((line) => line.includes(':'))", "    .map((line) => Number(line.split(':')[1]));", '}'].join('\n');

const REPLY = `Split the lines and read the number after each colon:\n\n\`\`\`ts\n${FUNCTION}\n\`\`\`\n\nLines without a colon are skipped.`;

const APPLIED = ORIGINAL.replace("export function parseScores(text: string): number[] {\n  throw new Error('not implemented');\n}", FUNCTION);

/** The Apply button sticks out of its code block, or its words are cut. */
async function applyButtonProblems(frame: Frame): Promise<string[]> {
  return frame.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="answer"] [data-testid="code-apply"]')].flatMap((button) => {
      const r = button.getBoundingClientRect();
      const block = button.closest('.code-block')?.getBoundingClientRect();
      if (!block) return ['the Apply button is in no code block'];
      return [
        ...(r.width === 0 ? ['the Apply button is not shown'] : []),
        ...(r.left < block.left - 0.5 || r.right > block.right + 0.5 ? [`the Apply button spans ${r.left.toFixed(0)}–${r.right.toFixed(0)} px, outside its block ${block.left.toFixed(0)}–${block.right.toFixed(0)} px`] : []),
        ...(button.scrollWidth > button.clientWidth + 1 ? [`"${button.textContent ?? ''}" is cut (${button.scrollWidth} px of text in ${button.clientWidth} px)`] : []),
      ];
    }),
  );
}

/** Puts the keyboard in the file's editor (a click on its text). */
async function focusEditor(wb: Workbench): Promise<void> {
  await wb.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
}

/** The text the file's editor shows (every line of a short file is rendered; Monaco places them by their top). */
async function editorText(wb: Workbench): Promise<string> {
  return wb.page.locator('.editor-instance .monaco-editor .view-lines').first().evaluate((el) =>
    [...el.querySelectorAll<HTMLElement>('.view-line')]
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n'),
  );
}

/** The editor's text once it is `expected` (an edit lands a moment after the diff closes), or after 15 s, what it is then. */
async function editorTextOnce(wb: Workbench, expected: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  let text = await editorText(wb);
  while (text !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    text = await editorText(wb);
  }
  return text;
}

/** Saves the file with Ctrl+S and waits until the disk holds `expected`. */
async function saveAndRead(wb: Workbench, expected: string): Promise<string> {
  await focusEditor(wb);
  await wb.page.keyboard.press('Control+S');
  const deadline = Date.now() + 15_000;
  while (wb.readFile('parse.ts') !== expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  return wb.readFile('parse.ts');
}

/** The tab of parse.ts itself (not the diff, whose title starts with the same name). */
function fileTab(wb: Workbench) {
  return wb.page.locator('.tabs-container .tab', { has: wb.page.locator('.label-name', { hasText: /^parse\.ts$/ }) });
}

async function clickApply(wb: Workbench): Promise<void> {
  await wb.panel().locator('[data-testid="answer"] [data-testid="code-apply"]').click();
  await wb.page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible' });
  await wb.page.locator('.tabs-container .tab', { hasText: 'parse.ts ↔ SMCS: replaces parseScores (lines 4–6)' }).waitFor();
}

const toast = (wb: Workbench, text: string) => wb.page.locator('.notification-toast', { hasText: text });

test('Apply to parse.ts: the diff, Accept replaces the stub in one undoable edit, Reject leaves the file, a stale edit is refused', async () => {
  await withWorkbench('panel apply', { files: { 'parse.ts': ORIGINAL } }, async (wb) => {
    for (const model of FAKE_MODELS) wb.fake.script(model, { reply: REPLY });
    await wb.openFile('parse.ts');
    // Pinned, so the diff (a preview) opens beside it rather than in its place.
    await fileTab(wb).dblclick();
    await wb.openPanel();
    await wb.askInPanel('Implement parseScores in parse.ts');
    await wb.panel().locator('[data-testid="run"][data-status="done"]').waitFor({ timeout: 90_000 });

    const apply = wb.panel().locator('[data-testid="answer"] [data-testid="code-apply"]');
    assert.equal(await apply.count(), 1, 'one code block, one Apply button, in the answer only');
    assert.equal(await apply.innerText(), 'Apply to parse.ts');
    await wb.page.mouse.move(1100, 450);
    await lookAt(wb, 'apply-answer', { scrollTo: '[data-testid="answer"] .code-block', check: applyButtonProblems });
    await wb.setTheme('dark');

    // Accept (the notification's button): the stub is replaced, once; one undo restores the file.
    await clickApply(wb);
    await toast(wb, "apply the answer's code to parse.ts? It replaces parseScores (lines 4–6).").waitFor();
    await wb.screenshot('apply-diff');
    await toast(wb, "apply the answer's code to parse.ts?").getByRole('button', { name: 'Accept' }).click();
    await wb.page.locator('.monaco-diff-editor').waitFor({ state: 'detached' });
    assert.equal(await editorTextOnce(wb, APPLIED), APPLIED, 'the editor holds the new function');
    const accepted = await saveAndRead(wb, APPLIED);
    assert.equal(accepted, APPLIED, 'the disk too, once saved');
    assert.equal(accepted.match(/export function parseScores/g)?.length, 1, 'the stub is gone, not duplicated');
    // Accepting the change is taking the reply, as Copy and Insert are: the bank learns from it (said once).
    await toast(wb, 'SMCS added this question to your question bank').waitFor();
    await focusEditor(wb);
    await wb.page.keyboard.press('Control+Z');
    assert.equal(await saveAndRead(wb, ORIGINAL), ORIGINAL, 'one undo restores the file');

    // Reject (the diff's title bar): the diff closes, the file is untouched.
    await clickApply(wb);
    await wb.page.locator('.editor-actions .action-label[aria-label="Reject Proposed Change"]').click();
    await wb.page.locator('.monaco-diff-editor').waitFor({ state: 'detached' });
    assert.equal(await editorText(wb), ORIGINAL, 'the file is untouched');

    // Stale: text typed above the stub after the diff opened; Accept (from the palette) refuses and says why.
    await clickApply(wb);
    await fileTab(wb).click();
    await focusEditor(wb);
    await wb.page.keyboard.press('Control+Home');
    await wb.page.keyboard.type('let typed = 1; ');
    await wb.runCommand('smcs.acceptChange');
    await toast(wb, 'parse.ts changed since the diff was made; Apply again.').waitFor();
    assert.equal(await editorText(wb), `let typed = 1; ${ORIGINAL}`, 'nothing but what the user typed');
  });
});
