/**
 * Driving VS Code 1.139's own Chat view as a user does (it sits in the secondary side bar): resolving the models
 * extensions provide, picking a model, sending, pressing Stop, resizing the view; and measuring what a
 * person sees of the latest response (inside the view, nothing cut, a readable width), and checking at the upstream that
 * a stop closed every request.
 */
import type { RecordedRequest } from '../fixtures/loopbackUpstream';
import type { Locator } from 'playwright-core';
import { withRetries, type ThemeName, type Workbench } from './workbench';

const RESPONSE = '.interactive-item-container.interactive-response.chat-most-recent-response';
const INPUT = '.interactive-input-part';
const STOP = `${INPUT} a.action-label[aria-label^="Cancel"]`;

/** The chat's chat-completion requests at the upstream since `from`. */
export const chatCalls = (wb: Workbench, from: number): RecordedRequest[] => wb.fake.requests.slice(from).filter((r) => r.path.endsWith('/chat/completions'));

/**
 * Lists the language models (until then the chat knows no extension's models: ENVIRONMENT.md), opens the Chat view,
 * and waits until its picker names an SMCS model.
 */
export async function openChat(wb: Workbench): Promise<void> {
  // Once, on a loaded machine, the list showed no SMCS model for 30 s: it is closed and opened again, as a user would,
  // up to three times.
  for (let attempt = 1; ; attempt++) {
    await wb.runPaletteEntry('Chat: Manage Language Models');
    const listed = await wb.page.locator('.models-widget').getByText('SMCS', { exact: false }).first().waitFor({ timeout: 20_000 }).then(() => true, () => false);
    await closeModelsList(wb);
    if (listed) break;
    if (attempt === 3) throw new Error('the Language Models list never listed SMCS (opened three times, 20 s each)');
  }
  await wb.runPaletteEntry('Chat: Open Chat');
  await wb.page.locator(INPUT, { hasText: 'SMCS:' }).first().waitFor();
}

/**
 * Closes the Language Models list. It opens over the editors; Escape closes it only once it has the focus, which a loaded
 * machine gives it late (the Escape then went to the SMCS panel and the list stayed): its search box is focused first,
 * and Escape tried again if need be.
 */
async function closeModelsList(wb: Workbench): Promise<void> {
  const models = wb.page.locator('.models-widget');
  for (let attempt = 1; await models.isVisible(); attempt++) {
    await models.locator('.monaco-editor').first().click();
    await wb.page.keyboard.press('Escape');
    const closed = await models.waitFor({ state: 'hidden', timeout: 5000 }).then(() => true, () => false);
    if (!closed && attempt === 3) throw new Error('the Language Models list did not close on Escape');
  }
}

/** Closes Copilot's "Set BYOK utility models" notice over the chat's input, as a user would, once it has shown (it may not). */
export async function dismissNotice(wb: Workbench): Promise<void> {
  const dismiss = wb.page.locator(`${INPUT} a[aria-label="Dismiss notification"]`).first();
  const shown = await dismiss.waitFor({ timeout: 5000 }).then(() => true, () => false);
  if (shown) await dismiss.click();
}

/**
 * Picks a model by its name in the chat's model picker, opening its "Other Models" section when the model is in there.
 * Up to three tries, the first two with a short timeout: on a loaded machine the picker can show the default model again
 * after a pick (a notice that shows late, such as Copilot's, re-renders the input), so the pick is made again until the
 * picker names the model; between tries the picker's menu is closed and a notice that showed meanwhile is dismissed.
 */
export async function pickModel(wb: Workbench, name: string): Promise<void> {
  const current = wb.page.locator(`${INPUT} .model-picker-name`).first();
  const menu = wb.page.locator('.action-widget');
  const row = menu.locator('.monaco-list-row', { hasText: name }).first();
  const pick = async (timeout: number): Promise<void> => {
    await current.click({ timeout });
    if (!(await row.isVisible())) await menu.locator('.monaco-list-row', { hasText: 'Other Models' }).first().click({ timeout });
    await row.click({ timeout });
    await wb.page.locator(`${INPUT} .model-picker-name`, { hasText: name }).first().waitFor({ timeout });
  };
  await withRetries(`the model ${name} in the chat's model picker`, pick, async () => {
    if (await menu.isVisible()) await wb.page.keyboard.press('Escape');
    await dismissNotice(wb);
  });
}

/** Types `text` into the chat's input and sends it with Enter. */
export async function send(wb: Workbench, text: string): Promise<void> {
  await wb.page.locator(`${INPUT} .monaco-editor`).first().click();
  await wb.page.keyboard.type(text);
  await wb.page.keyboard.press('Enter');
}

/** The latest response of the chat. */
export const latestResponse = (wb: Workbench) => wb.page.locator(RESPONSE).last();

/** Waits until the latest response holds `text` and the chat is idle again (no Stop button). */
export async function waitForAnswer(wb: Workbench, text: string | RegExp, timeout = 90_000): Promise<void> {
  await wb.page.locator(RESPONSE, { hasText: text }).last().waitFor({ timeout });
  await wb.page.locator(STOP).first().waitFor({ state: 'hidden', timeout });
}

/**
 * Starts recording the lengths the latest response's text goes through (a MutationObserver in the page), to tell
 * text that streamed in from text that arrived at once; `streamedLengths` reads them back.
 */
export async function recordResponseLengths(wb: Workbench): Promise<void> {
  await wb.page.evaluate((selector) => {
    const seen: number[] = [];
    Object.assign(window, { smcsResponseLengths: seen });
    new MutationObserver(() => {
      const length = document.querySelector(`${selector} .value`)?.textContent?.length ?? 0;
      if (length > 0 && seen.at(-1) !== length) seen.push(length);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, RESPONSE);
}

/** The distinct lengths the latest response's text had, in order, since `recordResponseLengths`. */
export async function streamedLengths(wb: Workbench): Promise<number[]> {
  return wb.page.evaluate(() => (window as unknown as { smcsResponseLengths?: number[] }).smcsResponseLengths ?? []);
}

/**
 * Starts recording every progress line (`stream.progress`) the latest response shows, in order: VS Code 1.139 drops
 * them from the page once the response completes (its "Completed N steps" fold stays empty). `progressLines` reads them.
 */
export async function recordProgressLines(wb: Workbench): Promise<void> {
  await wb.page.evaluate((selector) => {
    const state = window as unknown as { smcsProgress?: { lines: string[]; observer: MutationObserver } };
    state.smcsProgress?.observer.disconnect();
    const lines: string[] = [];
    const observer = new MutationObserver(() => {
      const response = [...document.querySelectorAll(selector)].at(-1);
      for (const step of response?.querySelectorAll('.progress-step') ?? []) {
        const line = (step.textContent ?? '').trim();
        if (line !== '' && !lines.includes(line)) lines.push(line);
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    state.smcsProgress = { lines, observer };
  }, RESPONSE);
}

/** The progress lines the latest response showed since `recordProgressLines`, in order; stops recording. */
export async function progressLines(wb: Workbench): Promise<string[]> {
  return wb.page.evaluate(() => {
    const state = window as unknown as { smcsProgress?: { lines: string[]; observer: MutationObserver } };
    state.smcsProgress?.observer.disconnect();
    return state.smcsProgress?.lines ?? [];
  });
}

/**
 * Clicks the chat's Stop button (the send button while a request runs) and resolves to how long after the click the
 * last upstream request of `requests()` closed (its client went away or its reply had ended); rejects after 5 s.
 */
export async function stopAndTimeUpstream(wb: Workbench, requests: () => RecordedRequest[]): Promise<{ closedWithinMs: number; aborted: number }> {
  const { waitFor } = await import('../../scripts/codeServer.mjs');
  await wb.page.locator(STOP).first().click();
  const clickedAt = Date.now();
  const open = () => requests().filter((r) => r.clientClosedAt === undefined && r.completedAt === undefined);
  await waitFor(() => open().length === 0, { timeoutMs: 5000, intervalMs: 20, message: 'an upstream request stayed open after Stop' });
  const closedWithinMs = Date.now() - clickedAt;
  return { closedWithinMs, aborted: requests().filter((r) => r.clientClosedAt !== undefined).length };
}

/** The Chat view's width (the secondary side bar's), in CSS pixels. */
async function chatWidth(wb: Workbench): Promise<{ x: number; width: number }> {
  const box = await wb.page.locator('.part.auxiliarybar').boundingBox();
  if (!box) throw new Error('the Chat view (secondary side bar) is not visible');
  return box;
}

/** Drags the sash at the Chat view's left edge until the view is `width` px wide, as a user resizing it does. */
export async function setChatWidth(wb: Workbench, width: number): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const view = await chatWidth(wb);
    if (Math.abs(view.width - width) < 1) return;
    const sash = await wb.page.evaluate((x) => {
      const found = [...document.querySelectorAll<HTMLElement>('.monaco-sash.vertical')]
        .map((el) => el.getBoundingClientRect())
        .find((r) => r.width > 0 && r.height > 200 && Math.abs(r.x + r.width / 2 - x) < 6);
      return found ? { x: found.x + found.width / 2, y: found.y + found.height / 2 } : undefined;
    }, view.x);
    if (!sash) throw new Error(`no sash at the Chat view's edge (x = ${view.x})`);
    await wb.page.mouse.move(sash.x, sash.y);
    await wb.page.mouse.down();
    await wb.page.mouse.move(sash.x - (width - view.width), sash.y, { steps: 4 });
    await wb.page.mouse.up();
  }
  const reached = (await chatWidth(wb)).width;
  if (Math.abs(reached - width) >= 1) throw new Error(`the Chat view is ${reached} px wide, not ${width}`);
}

/** The narrowest text column a person reads comfortably, as a share of the conversation pane's width. */
export const READABLE_SHARE = 0.75;

/**
 * What is wrong with the latest response as a person sees it: its box outside the conversation's pane, a line of its
 * text cut by the pane or by a box that clips it (a code block's own scroll bar is fine), a text column narrower
 * than READABLE_SHARE of the pane, or a button wider than the response, not wholly in view once scrolled to, or with
 * its label cut. Empty when all is well.
 */
export async function responseGeometryProblems(wb: Workbench): Promise<string[]> {
  await latestResponse(wb).scrollIntoViewIfNeeded();
  // The buttons close the response: in view, as a user scrolls to them.
  const buttons = responseButtons(wb);
  if ((await buttons.count()) > 0) await buttons.last().scrollIntoViewIfNeeded();
  return wb.page.evaluate(({ selector, share }) => {
    const problems: string[] = [];
    const response = [...document.querySelectorAll<HTMLElement>(selector)].at(-1);
    // The conversation's pane: from about 600 px on, the Chat view shows its sessions list beside it.
    const view = response?.closest('.interactive-session')?.getBoundingClientRect();
    if (!view || !response) return ['no Chat view or no response'];
    const box = response.getBoundingClientRect();
    if (box.left < view.left - 0.5 || box.right > view.right + 0.5) problems.push(`the response spans ${box.left.toFixed(0)}–${box.right.toFixed(0)} px, outside the conversation's ${view.left.toFixed(0)}–${view.right.toFixed(0)} px`);
    const markdown = [...response.querySelectorAll<HTMLElement>('.rendered-markdown')].filter((el) => el.getBoundingClientRect().width > 0);
    if (markdown.length === 0) problems.push('the response shows no text');
    // A progress line (a stopped turn keeps them) is as wide as its words, in a row beside its check mark.
    for (const el of markdown.filter((m) => !m.classList.contains('progress-step'))) {
      const width = el.getBoundingClientRect().width;
      if (width < view.width * share) problems.push(`a text column is ${width.toFixed(0)} px wide in a ${view.width.toFixed(0)} px conversation`);
    }
    const walker = document.createTreeWalker(response, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || (node.textContent ?? '').trim() === '' || el.closest('pre, .monaco-editor, .visually-hidden, .monaco-hover')) continue;
      // The response's details line (time, model) shows on hover only.
      if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width === 0) continue;
        let clip = { left: view.left, right: view.right };
        for (let a: Element | null = el; a && a !== response.parentElement; a = a.parentElement) {
          if (getComputedStyle(a).overflowX === 'visible') continue;
          const c = a.getBoundingClientRect();
          clip = { left: Math.max(clip.left, c.left), right: Math.min(clip.right, c.right) };
        }
        if (r.left < clip.left - 0.5 || r.right > clip.right + 0.5) problems.push(`"${(node.textContent ?? '').trim().slice(0, 30)}" is cut: its line spans ${r.left.toFixed(0)}–${r.right.toFixed(0)} px, its box shows ${clip.left.toFixed(0)}–${clip.right.toFixed(0)} px`);
      }
    }
    // Its buttons: each whole in the response's box and on screen (in every box that clips it, and in the window), its label not cut.
    for (const button of response.querySelectorAll<HTMLElement>('.chat-command-button .monaco-button')) {
      const label = (button.textContent ?? '').trim();
      const r = button.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || !button.checkVisibility({ opacityProperty: true, visibilityProperty: true })) {
        problems.push(`the button "${label}" is not shown`);
        continue;
      }
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5) problems.push(`the button "${label}" spans ${r.left.toFixed(0)}–${r.right.toFixed(0)} px, wider than the response's ${box.left.toFixed(0)}–${box.right.toFixed(0)} px`);
      let clip = { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight };
      for (let a = button.parentElement; a && a !== document.body; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
        const c = a.getBoundingClientRect();
        clip = { left: Math.max(clip.left, c.left), top: Math.max(clip.top, c.top), right: Math.min(clip.right, c.right), bottom: Math.min(clip.bottom, c.bottom) };
      }
      if (r.left < clip.left - 0.5 || r.right > clip.right + 0.5 || r.top < clip.top - 0.5 || r.bottom > clip.bottom + 0.5)
        problems.push(`the button "${label}" at ${r.left.toFixed(0)},${r.top.toFixed(0)}–${r.right.toFixed(0)},${r.bottom.toFixed(0)} is not wholly in view (${clip.left.toFixed(0)},${clip.top.toFixed(0)}–${clip.right.toFixed(0)},${clip.bottom.toFixed(0)} shows)`);
      if (button.scrollWidth > button.clientWidth + 1) problems.push(`the button "${label}" cuts its label (${button.scrollWidth} px of it in ${button.clientWidth} px)`);
    }
    return problems.slice(0, 10);
  }, { selector: RESPONSE, share: READABLE_SHARE });
}

/** The chat's command buttons of the latest response (`stream.button`). */
export const responseButtons = (wb: Workbench) => latestResponse(wb).locator('.chat-command-button .monaco-button');

/**
 * Looks at the workbench in the dark, light and high-contrast themes (the current one first, to save a switch) at a
 * 300 and a 700 px Chat view: fails on what `problems` finds in each, and saves a screenshot `<name>-<width>-<theme>.png`
 * of each; resolves to the screenshots' paths.
 */
export async function checkInEveryView(wb: Workbench, name: string, problems: () => Promise<string[]>): Promise<string[]> {
  const themes: ThemeName[] = ['dark', 'light', 'hc'];
  const current = await wb.theme();
  const order = current ? [current, ...themes.filter((t) => t !== current)] : themes;
  const shots: string[] = [];
  for (const theme of order) {
    await wb.setTheme(theme);
    for (const width of [300, 700]) {
      await setChatWidth(wb, width);
      const found = await problems();
      if (found.length > 0) throw new Error(`${name}, ${theme}, ${width} px: ${found.join('; ')}`);
      shots.push(await wb.screenshot(`${name}-${width}-${theme}`));
    }
  }
  return shots;
}

/**
 * The latest response looked at in the dark, light and high-contrast themes at a 300 and a 700 px Chat view: its
 * geometry checked (responseGeometryProblems: its text and its buttons), a screenshot `<name>-<width>-<theme>.png` saved.
 */
export async function checkResponseInEveryView(wb: Workbench, name: string): Promise<string[]> {
  return checkInEveryView(wb, name, () => responseGeometryProblems(wb));
}

/**
 * The notification holding `text`, shown in the notifications center (the bell's list, opened if it is not). The 1.139
 * workbench runs with the smoke-test driver on (scripts/codeServer.mjs: it loads the extension under development only
 * so), and VS Code shows no toasts then (NotificationsToasts.addToast returns early): what a user reads in the toast
 * is read here in the center, rendered by the same list renderer, with the same message and buttons.
 */
export async function notificationInCenter(wb: Workbench, text: string | RegExp): Promise<Locator> {
  const item = wb.page.locator('.notifications-center .notification-list-item', { hasText: text });
  if (!(await item.isVisible())) await wb.runPaletteEntry('Notifications: Show Notifications');
  await item.waitFor();
  return item;
}

/** What is wrong with a notification (toast or the center's) as a person sees it: not shown, not wholly in the window, its message cut, a button outside it or its label cut. */
export async function notificationProblems(notice: Locator): Promise<string[]> {
  if (!(await notice.isVisible())) return ['the notification is not shown'];
  return notice.evaluate((el) => {
    const problems: string[] = [];
    const box = el.getBoundingClientRect();
    if (box.left < -0.5 || box.top < -0.5 || box.right > window.innerWidth + 0.5 || box.bottom > window.innerHeight + 0.5)
      problems.push(`the notification spans ${box.left.toFixed(0)},${box.top.toFixed(0)}–${box.right.toFixed(0)},${box.bottom.toFixed(0)} in a ${window.innerWidth}×${window.innerHeight} window`);
    for (const message of el.querySelectorAll<HTMLElement>('.notification-list-item-message')) {
      if (message.scrollWidth > message.clientWidth + 1 || message.scrollHeight > message.clientHeight + 1)
        problems.push(`the message is cut (${message.scrollWidth}×${message.scrollHeight} px of it in ${message.clientWidth}×${message.clientHeight} px)`);
    }
    for (const button of el.querySelectorAll<HTMLElement>('.monaco-button')) {
      const label = (button.textContent ?? '').trim();
      const r = button.getBoundingClientRect();
      if (r.width === 0 || r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) problems.push(`the button "${label}" is not wholly in the notification`);
      if (button.scrollWidth > button.clientWidth + 1) problems.push(`the button "${label}" cuts its label`);
    }
    return problems;
  });
}

