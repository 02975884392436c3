/**
 * Apply (issue 24, item 5) in the real workbench: a question asked from parse.ts, whose parseScores is a stub; every
 * model answers with the function written out. The answer's code block offers "Apply to parse.ts" (not cut at a 300 or
 * a 700 px side bar); a click opens the change in the diff editor; Accept replaces the stub (not duplicated) and one
 * undo restores the file; Reject (the diff's title bar) leaves it untouched; an edit typed after the diff opened makes
 * Accept refuse with a message. Screenshots `apply-answer-<width>.png`.
 *
 * Undo means what the user last did (issue 37, item 3): after Accept, Undo Apply puts the file back exactly and the
 * bank forgets what it learned from the reply, and the notice offering to forget it closes (issue 62 item 8); Undo Apply
 * refuses when the file changed since. A block is offered only to a file of its language (item 8): a Python block of an answer
 * asked from parse.ts has no Apply, and "Apply to editor" asks before putting it into parse.ts.
 *
 * The notice asking for Accept or Reject (issue 70 item 7) shows as a toast, and closes itself once the choice no longer
 * applies — accepted or rejected in the diff's title bar, Cancel on the notice (Reject), or the diff closed: after Accept,
 * no notice offering the choice is left, neither as a toast nor in the notifications center.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import { lookAt } from './answerScenario';
import { feedbackQuestions } from './bankFeedback';
import { dialog, toast, toastShown } from './firstRun';
import { until } from './polling';
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

/**
 * The editor of parse.ts cannot scroll: the file is far shorter than the editor, and with no room below its last line
 * Monaco has nowhere to scroll to (typing at the end or an undo once left it scrolled down, rendering only the lines in
 * view). So every line is rendered, and the text is read from the lines, which Monaco places by their top.
 */
const WORKBENCH = { files: { 'parse.ts': ORIGINAL }, settings: { 'editor.scrollBeyondLastLine': false } };

/** The text of the file's editor. */
async function editorText(wb: Workbench): Promise<string> {
  return wb.page.locator('.editor-instance .monaco-editor .view-lines').first().evaluate((el) =>
    [...el.querySelectorAll<HTMLElement>('.view-line')]
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n'),
  );
}

/** How many selection highlights the file's editor shows: a selection, focused or not, is drawn as `.selected-text`. */
async function selectedTextIn(wb: Workbench): Promise<number> {
  return wb.page.locator('.editor-instance .monaco-editor .selected-text').count();
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

/** The notice asking to Accept or Reject the change to parse.ts, as a toast. */
const ASKING = "apply the answer's code to parse.ts?";

/** Accept in the diff's title bar, where the change is shown. */
async function acceptInTitle(wb: Workbench): Promise<void> {
  await wb.page.locator('.editor-actions .action-label[aria-label="Accept Proposed Change"]').click();
}

async function clickApply(wb: Workbench): Promise<void> {
  await wb.panel().locator('[data-testid="answer"] [data-testid="code-apply"]').click();
  await wb.page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible' });
  await wb.page.locator('.tabs-container .tab', { hasText: 'parse.ts ↔ SMCS: replaces parseScores (lines 4–6)' }).waitFor();
}

/** Closes every notification, so the next one of the same words is the only one. */
async function clearNotifications(wb: Workbench): Promise<void> {
  await wb.runPaletteEntry('Notifications: Clear All Notifications');
}

test('Apply to parse.ts: the diff, Accept replaces the stub in one undoable edit, Reject leaves the file, a stale edit is refused', async () => {
  await withWorkbench('panel apply', WORKBENCH, async (wb) => {
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

    // The notice asking for a decision is a toast, where a person looks, naming where Accept and Reject are.
    const question = 'Implement parseScores in parse.ts';
    await clickApply(wb);
    const asking = wb.page.locator('.notifications-toasts .notification-toast', { hasText: "apply the answer's code to parse.ts? It replaces parseScores (lines 4–6). Accept or Reject in the diff's title bar." });
    await toastShown(asking);
    await wb.screenshot('apply-diff');
    // Accept (the diff's title bar): the stub is replaced, once, and the notice asking closes itself.
    await acceptInTitle(wb);
    await wb.page.locator('.monaco-diff-editor').waitFor({ state: 'detached' });
    await toast(wb, ASKING).waitFor({ state: 'detached' });
    assert.equal(await editorTextOnce(wb, APPLIED), APPLIED, 'the editor holds the new function');
    await toast(wb, 'SMCS: applied the code to parse.ts.').waitFor();
    assert.equal(await selectedTextIn(wb), 0, 'the change is shown with the cursor at its start, nothing left selected to go with the next question');
    const accepted = await saveAndRead(wb, APPLIED);
    assert.equal(accepted, APPLIED, 'the disk too, once saved');
    assert.equal(accepted.match(/export function parseScores/g)?.length, 1, 'the stub is gone, not duplicated');
    // Accepting the change is taking the reply, as Copy and Insert are: the bank learns from it (said once).
    const learnedNotice = toast(wb, 'SMCS added this question to your bank');
    await learnedNotice.waitFor();
    await until(async () => (await feedbackQuestions(wb)).includes(question), 'the accepted reply was learned');
    const appliedNotice = toast(wb, 'SMCS: applied the code to parse.ts. Undo Apply puts the file back and forgets what the bank learned from it.');
    await toastShown(appliedNotice);
    await wb.screenshot('apply-accepted-notices');
    assert.equal(await wb.page.locator('.notification-toast').getByRole('button', { name: 'Undo', exact: true }).count(), 0, 'no bare Undo: each button says what it undoes');
    assert.equal(await learnedNotice.getByRole('link', { name: 'Forget This Choice' }).count(), 1, 'the learning notice offers to forget the choice');

    // Undo Apply (after focus moved to the panel): the file exactly as it was, the learning gone too — and the notice
    // offering to forget it with it (issue 62 item 8): not in a toast, not in the notifications center.
    await wb.panel().locator('[data-testid="answer"]').click({ position: { x: 4, y: 4 } });
    await appliedNotice.getByRole('button', { name: 'Undo Apply' }).click();
    await toast(wb, 'SMCS: parse.ts is as it was before Apply, and the bank forgot the choice.').waitFor();
    assert.equal(await selectedTextIn(wb), 0, 'the restored lines are not left selected');
    assert.equal(await saveAndRead(wb, ORIGINAL), ORIGINAL, 'the file, byte for byte');
    assert.deepEqual(await feedbackQuestions(wb), [], 'and the learning that came with the Accept');
    await learnedNotice.waitFor({ state: 'detached' });
    await wb.runPaletteEntry('Notifications: Show Notifications');
    const centre = wb.page.locator('.notifications-center');
    await centre.locator('.notification-list-item', { hasText: 'SMCS: parse.ts is as it was before Apply' }).waitFor();
    assert.equal(await centre.locator('.notification-list-item', { hasText: 'SMCS added this question to your bank' }).count(), 0, 'no learning notice left in the notifications center');
    assert.equal(await centre.locator('.notification-list-item', { hasText: ASKING }).count(), 0, 'no notice offering Accept or Reject left in the notifications center');
    await wb.screenshot('apply-undone-notices');
    // Cleared, the center closes itself: the next notifications are toasts again.
    await clearNotifications(wb);
    await centre.waitFor({ state: 'hidden' });

    // Accept again: VS Code's own undo takes the edit back in one step.
    await clickApply(wb);
    await acceptInTitle(wb);
    assert.equal(await editorTextOnce(wb, APPLIED), APPLIED);
    assert.equal(await saveAndRead(wb, APPLIED), APPLIED);
    await until(async () => (await feedbackQuestions(wb)).includes(question), 'the reply, accepted again, was learned again');
    await focusEditor(wb);
    await wb.page.keyboard.press('Control+Z');
    assert.equal(await saveAndRead(wb, ORIGINAL), ORIGINAL, 'one undo restores the file');
    await clearNotifications(wb);

    // Undo Apply (the palette) after the file changed: refused, nothing lost.
    await clickApply(wb);
    await acceptInTitle(wb);
    assert.equal(await editorTextOnce(wb, APPLIED), APPLIED);
    // Accept puts the cursor at the change after the edit, then says so: typing before that could land anywhere.
    // (The reply stands as taken since the Accept before, which Ctrl+Z did not take back: nothing new is learned.)
    await toast(wb, 'SMCS: applied the code to parse.ts. Undo Apply puts the file back.').waitFor();
    await focusEditor(wb);
    await wb.page.keyboard.press('Control+End');
    await wb.page.keyboard.type('// mine');
    // On a loaded machine the editor shows the typing a moment later: the command comes after it, as a user's would.
    await until(async () => (await editorText(wb)).endsWith('\n// mine'), 'the typing shows in the editor');
    await wb.runCommand('smcs.undoApply');
    const refused = toast(wb, 'parse.ts changed after the code was applied; Undo Apply left it as is.');
    await toastShown(refused);
    await wb.screenshot('apply-undo-refused');
    assert.equal(await editorText(wb), `${APPLIED}// mine`, 'the change and what was typed since both stay');
    // The editor's own undo takes back the typing, then the change.
    await focusEditor(wb);
    for (let i = 0; i < 6 && (await editorText(wb)) !== ORIGINAL; i++) await wb.page.keyboard.press('Control+Z');
    assert.equal(await saveAndRead(wb, ORIGINAL), ORIGINAL);
    await clearNotifications(wb);

    // Reject (the diff's title bar): the diff closes, the file is untouched, the notice asking closes.
    await clickApply(wb);
    await toast(wb, ASKING).waitFor();
    await wb.page.locator('.editor-actions .action-label[aria-label="Reject Proposed Change"]').click();
    await wb.page.locator('.monaco-diff-editor').waitFor({ state: 'detached' });
    await toast(wb, ASKING).waitFor({ state: 'detached' });
    assert.equal(await editorText(wb), ORIGINAL, 'the file is untouched');

    // The notice's Cancel is Reject: the diff closes, the file is untouched.
    await clickApply(wb);
    await toast(wb, ASKING).getByRole('button', { name: 'Cancel' }).click();
    await wb.page.locator('.monaco-diff-editor').waitFor({ state: 'detached' });
    await toast(wb, ASKING).waitFor({ state: 'detached' });
    assert.equal(await editorText(wb), ORIGINAL, 'the file is untouched');

    // The diff closed by the user: the notice closes with it, and no Accept is offered for a change no longer shown.
    await clickApply(wb);
    await toast(wb, ASKING).waitFor();
    await wb.runPaletteEntry('View: Close Editor');
    await wb.page.locator('.monaco-diff-editor').waitFor({ state: 'detached' });
    await toast(wb, ASKING).waitFor({ state: 'detached' });
    await wb.runPaletteEntry('Notifications: Show Notifications');
    assert.equal(await centre.locator('.notification-list-item', { hasText: ASKING }).count(), 0, 'nothing left offering the choice in the notifications center');
    await clearNotifications(wb);
    await centre.waitFor({ state: 'hidden' });
    assert.equal(await editorText(wb), ORIGINAL, 'the file is untouched');

    // Stale: text typed above the stub after the diff opened; Accept (from the palette) refuses and says why.
    await clickApply(wb);
    await fileTab(wb).click();
    await focusEditor(wb);
    await wb.page.keyboard.press('Control+Home');
    await wb.page.keyboard.type('let typed = 1; ');
    await until(async () => (await editorText(wb)).startsWith('let typed = 1; '), 'the typing shows in the editor');
    await wb.runCommand('smcs.acceptChange');
    await toast(wb, 'parse.ts changed since the diff was made; Apply again.').waitFor();
    await toast(wb, ASKING).waitFor({ state: 'detached' });
    assert.equal(await editorText(wb), `let typed = 1; ${ORIGINAL}`, 'nothing but what the user typed');
  });
});

const PYTHON = ['def parse_scores(text):', "    return [float(line.split(':')[1]) for line in text.splitlines() if ':' in line]"].join('\n');
const TWO_LANGUAGES = `In TypeScript:\n\n\`\`\`ts\n${FUNCTION}\n\`\`\`\n\nThe same in Python:\n\n\`\`\`python\n${PYTHON}\n\`\`\`\n`;

/** The Apply buttons of the latest answer, by the fence language of their block. */
async function applyByLanguage(frame: Frame): Promise<[string, string | null][]> {
  return frame.evaluate(() => {
    const answers = [...document.querySelectorAll<HTMLElement>('[data-testid="answer"]')];
    const last = answers.at(-1);
    return [...(last?.querySelectorAll<HTMLElement>('[data-testid="code-block"]') ?? [])].map((block): [string, string | null] => [block.dataset.lang ?? '', block.querySelector('[data-testid="code-apply"]')?.textContent ?? null]);
  });
}

test('A Python block is not offered for a .ts file; "Apply to editor" asks before putting it into one', async () => {
  await withWorkbench('panel apply language', WORKBENCH, async (wb) => {
    for (const model of FAKE_MODELS) wb.fake.script(model, { reply: TWO_LANGUAGES });
    // Asked from no file: each block offers the editor open when clicked.
    await wb.openPanel();
    await wb.askInPanel('Write parseScores in TypeScript and in Python');
    await wb.panel().locator('[data-testid="run"][data-status="done"]').waitFor({ timeout: 90_000 });
    assert.deepEqual(await applyByLanguage(await wb.panelFrame()), [['ts', 'Apply to editor'], ['python', 'Apply to editor']]);

    // The Python block into parse.ts: asked first; Cancel opens nothing, the confirmation opens the diff.
    await wb.openFile('parse.ts');
    await fileTab(wb).dblclick();
    await wb.openPanel();
    const pythonApply = wb.panel().locator('[data-testid="answer"] [data-testid="code-block"][data-lang="python"] [data-testid="code-apply"]');
    await pythonApply.click();
    const ask = dialog(wb, 'This is a Python block; put it into parse.ts (TypeScript) anyway?');
    await ask.waitFor();
    await wb.screenshot('apply-other-language-asks');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'detached' });
    assert.equal(await wb.page.locator('.monaco-diff-editor').count(), 0, 'declined: no diff');
    await pythonApply.click();
    await dialog(wb, 'This is a Python block').getByRole('button', { name: 'Put It Into parse.ts' }).click();
    await wb.page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible' });
    await wb.runCommand('smcs.rejectChange');
    await wb.page.locator('.monaco-diff-editor').waitFor({ state: 'detached' });
    assert.equal(wb.readFile('parse.ts'), ORIGINAL);

    // Asked from parse.ts: the TypeScript block offers it, the Python block does not.
    await fileTab(wb).click();
    await wb.askInPanel('And once more, asked from parse.ts');
    await wb.panel().locator('[data-testid="run"][data-status="done"]').nth(1).waitFor({ timeout: 90_000 });
    assert.deepEqual(await applyByLanguage(await wb.panelFrame()), [['ts', 'Apply to parse.ts'], ['python', null]]);
    await wb.page.mouse.move(1100, 450);
    await lookAt(wb, 'apply-language', {
      scrollTo: '[data-testid="answer"] .code-block',
      check: async (frame) => [...(await applyButtonProblems(frame)), ...((await applyByLanguage(frame)).some(([lang, apply]) => lang === 'python' && apply !== null) ? ['the Python block offers Apply to parse.ts'] : [])],
    });
  });
});
