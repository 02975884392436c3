/**
 * Issue 42, point 1, in the panel: with a large file open (rich/progress_bar.py), the current file's chip says what
 * part of it the question being typed sends, before Ask — nothing for a plain question, lines and an outline well
 * under the whole file's tokens for "Explain this function" — and the model requests carry that part, not the whole
 * file; a click on the chip's name sends the file whole, and the next request carries all of it. Each state at 300
 * and 700 px in every theme (screenshots `chip-not-sent-*.png`, `chip-part-*.png`, `chip-whole-*.png`): the chip
 * inside the panel, above the question box, the file's name whole and the share whole — wrapping beside the name at
 * 300 px, never cut — so the reason nothing is sent reads without hovering (issue 62 item 12).
 */
import * as assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Frame } from 'playwright-core';
import { lookAt } from './answerScenario';
import { PLAIN_QUESTION, chatRequests, ownLines, requestText, richFiles, type RecordedRequest } from './askedWorkspace';
import { withWorkbench, type Workbench } from './workbench';

const OPEN_FILE = 'rich/progress_bar.py';
const REFERRING_QUESTION = 'Explain this function';
/** A line of `_render_pulse`'s body, far from the cursor (line 1): only the whole file carries it. */
const FAR_LINE = 'offset = int(-current_time * 15) % segment_count';
/** A signature line outside the first lines: the outline carries it. */
const OUTLINE_LINE = 'def __rich_measure__(';

/** "651 tokens" / "48.0k tokens" as a number. */
function tokensIn(text: string): number {
  const m = /([\d.,]+)(k?) tokens?/.exec(text);
  assert.ok(m, `no token count in "${text}"`);
  return Number((m[1] ?? '').replace(/,/g, '')) * (m[2] === 'k' ? 1000 : 1);
}

/** The chip's share once it reads as `expected` wants (the host answers each pause in typing). */
async function shareReading(wb: Workbench, expected: RegExp): Promise<string> {
  const share = wb.panel().locator('[data-testid="context-chip-current"] [data-testid="context-chip-share"]', { hasText: expected });
  await share.waitFor({ timeout: 30_000 });
  return (await share.innerText()).replace(/^\s*·\s*/, '');
}

/** Types `question` into the box as a user does, key by key. */
async function typeQuestion(wb: Workbench, question: string): Promise<void> {
  const input = wb.byTestId('input');
  await input.fill('');
  await input.click();
  await input.pressSequentially(question, { delay: 30 });
}

/** Sends what the box holds and returns the chat requests of the turn once it is done. */
async function send(wb: Workbench): Promise<RecordedRequest[]> {
  const before = wb.fake.requests.length;
  const runs = await wb.panel().locator('[data-testid="run"]').count();
  await wb.byTestId('input').press('Enter');
  await wb.panel().locator('[data-testid="run"]').nth(runs).waitFor();
  await wb.panel().locator('[data-testid="run"]:last-of-type[data-status="done"]').waitFor({ timeout: 240_000 });
  return chatRequests(wb.fake.requests.slice(before));
}

/**
 * The current file's chip as a person sees it: inside the panel, above the question box, the file's name whole and
 * what part goes — or why nothing does — readable in full without hovering: no text of it clipped or cut with an
 * ellipsis (scrollWidth ≤ clientWidth), every line of it inside the chip and the panel. At 300 px the share must
 * wrap (`wrapsWhenNarrow`: the chip is then taller than one line) rather than be cut.
 */
async function chipGeometry(frame: Frame, width: number, wrapsWhenNarrow: boolean): Promise<string[]> {
  return frame.evaluate(
    ({ narrow, mustWrap }) => {
      const chip = document.querySelector<HTMLElement>('[data-testid="context-chip-current"]');
      const input = document.querySelector<HTMLElement>('[data-testid="input"]');
      if (!chip || !input) return ['no current-file chip or question box'];
      const problems: string[] = [];
      const box = chip.getBoundingClientRect();
      const panel = document.documentElement.clientWidth;
      if (box.left < -0.5 || box.right > panel + 0.5) problems.push(`the chip (${box.left}–${box.right}) is not inside the panel (0–${panel})`);
      const field = input.getBoundingClientRect();
      if (box.bottom > field.top + 0.5 && box.top < field.bottom) problems.push(`the chip (${box.top}–${box.bottom}) overlaps the question box (${field.top}–${field.bottom})`);
      if (chip.scrollWidth > chip.clientWidth + 1 || chip.scrollHeight > chip.clientHeight + 1) problems.push(`the chip clips its content (${chip.scrollWidth}×${chip.scrollHeight} px in ${chip.clientWidth}×${chip.clientHeight})`);
      const texts = [...chip.querySelectorAll<HTMLElement>('.chip-open, .chip-share')];
      for (const el of texts) {
        const shown = (el.textContent ?? '').replace(/^\s*·\s*/, '').trim();
        if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) problems.push(`"${shown}" is clipped (${el.scrollWidth}×${el.scrollHeight} px of text in ${el.clientWidth}×${el.clientHeight})`);
        // Every line the text wraps to lies inside the chip, and so inside the panel.
        const range = document.createRange();
        range.selectNodeContents(el);
        for (const line of range.getClientRects()) {
          if (line.left < box.left - 0.5 || line.right > box.right + 0.5 || line.top < box.top - 0.5 || line.bottom > box.bottom + 0.5) problems.push(`a line of "${shown}" (${line.left}–${line.right}, ${line.top}–${line.bottom}) runs past the chip`);
        }
      }
      const share = chip.querySelector<HTMLElement>('.chip-share');
      const line = Number.parseFloat(getComputedStyle(chip).lineHeight) || 17;
      if (narrow && mustWrap && share && share.getBoundingClientRect().height < line * 1.5) problems.push(`at 300 px the share "${share.textContent}" is one line: it fits, so this state does not show the wrapping it is meant to`);
      return problems;
    },
    { narrow: width <= 300, mustWrap: wrapsWhenNarrow },
  );
}

test('the current-file chip says what part of a large open file the question sends, the request carries that part; a click sends it whole', async (t: TestContext) => {
  const workspace = richFiles();
  const fileText = workspace[OPEN_FILE] ?? '';
  const fileLines = fileText.split('\n');
  assert.ok(fileLines.length > 200 && fileText.includes(FAR_LINE) && fileText.includes(OUTLINE_LINE), 'the fixture is the large progress_bar.py');
  await withWorkbench('panel current-file chip', { files: workspace }, async (wb) => {
    await wb.runPaletteEntry('View: Show Explorer');
    await wb.page.locator('.explorer-folders-view .monaco-list-row', { has: wb.page.locator('.label-name', { hasText: /^rich$/ }) }).first().click();
    await wb.openFile(OPEN_FILE);
    await wb.openPanel();
    await wb.panel().locator('[data-testid="context-chip-current"]', { hasText: 'progress_bar.py' }).waitFor();

    // A plain question: nothing of the file goes, and the chip says why.
    await typeQuestion(wb, PLAIN_QUESTION);
    const notSent = await shareReading(wb, /not sent/);
    assert.equal(notSent, 'not sent: the question does not refer to it');
    await lookAt(wb, 'chip-not-sent', { check: (frame, width) => chipGeometry(frame, width, true) });

    // A question about "this function": a part (lines, outline, tokens), well under the whole file.
    await typeQuestion(wb, REFERRING_QUESTION);
    const part = await shareReading(wb, /^\s*·\s*lines? [\d–, ]+.*tokens?$/);
    const name = wb.panel().locator('[data-testid="context-chip-current"] .chip-open');
    const wholeTokens = tokensIn((await name.getAttribute('title')) ?? '');
    const partTokens = tokensIn(part);
    t.diagnostic(`part: "${part}"; the whole file ${wholeTokens} tokens`);
    assert.match(part, /\+ outline/, part);
    assert.ok(partTokens * 2 < wholeTokens, `the part (${partTokens} tokens) is not well under the whole file (${wholeTokens})`);
    await lookAt(wb, 'chip-part', { check: (frame, width) => chipGeometry(frame, width, false) });

    const [, from, to] = /lines? (\d+)(?:–(\d+))?/.exec(part) ?? [];
    const sentLines = ownLines(fileLines.slice(Number(from) - 1, Number(to ?? from)).join('\n'));
    const partRequests = await send(wb);
    assert.ok(partRequests.length > 0, 'no request reached the server');
    const partTexts = partRequests.map(requestText);
    const problems: string[] = [];
    if (!partTexts.some((text) => sentLines.every((l) => text.includes(l)))) problems.push(`no request carries lines ${from}–${to ?? from}`);
    if (!partTexts.some((text) => text.includes(OUTLINE_LINE))) problems.push('no request carries the outline');
    for (const [i, text] of partTexts.entries()) if (text.includes(FAR_LINE)) problems.push(`request ${i} (${partRequests[i]?.model}) carries a line far from the cursor: the whole file went`);
    assert.deepEqual(problems, []);

    // A click on the name: the whole file, with its tokens; a plain question then carries all of it.
    await wb.byTestId('new-chat').click();
    await wb.byTestId('empty').waitFor({ state: 'visible' });
    await name.click();
    assert.equal(await name.getAttribute('aria-pressed'), 'true');
    const whole = await shareReading(wb, /whole file/);
    assert.equal(tokensIn(whole), wholeTokens, `the chip says "${whole}"`);
    await typeQuestion(wb, PLAIN_QUESTION);
    assert.equal(await shareReading(wb, /whole file/), whole, 'typing keeps the choice to send it whole');
    await lookAt(wb, 'chip-whole', { check: (frame, width) => chipGeometry(frame, width, false) });
    await name.click();
    assert.equal(await shareReading(wb, /not sent/), notSent, 'a second click gives the choice back to the question');
    await name.click();
    const wholeRequests = await send(wb);
    assert.ok(wholeRequests.length > 0, 'no request reached the server');
    const fileOwn = ownLines(fileText);
    const carried = wholeRequests.map((r) => fileOwn.filter((l) => requestText(r).includes(l)).length);
    t.diagnostic(`whole: ${whole}; requests carry ${carried.join(', ')} of the file's ${fileOwn.length} long lines`);
    assert.ok(carried.some((n) => n === fileOwn.length), `no request carries the whole file (${carried.join(', ')} of ${fileOwn.length} lines)`);
    assert.equal(await wb.panel().locator('[data-testid="context-chip-current"] .chip-open').getAttribute('aria-pressed'), 'false', 'sending whole lasts one question');
  });
});
