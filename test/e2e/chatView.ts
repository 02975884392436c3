/**
 * Driving VS Code 1.139's own Chat view as a user does (it sits in the secondary side bar): resolving the models
 * extensions provide, picking a model, sending, pressing Stop, resizing the view; and measuring what a
 * person sees of the latest response (inside the view, nothing cut, a readable width), and checking at the upstream that
 * a stop closed every request.
 */
import type { RecordedRequest } from '../fixtures/loopbackUpstream';
import type { ThemeName, Workbench } from './workbench';

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
  await wb.runPaletteEntry('Chat: Manage Language Models');
  const models = wb.page.locator('.models-widget');
  await models.getByText('SMCS', { exact: false }).first().waitFor();
  // The list opens over the editors; Escape closes it only once it has the focus, which a loaded machine gives it late
  // (the Escape then went to the SMCS panel and the list stayed): focus its search box first, and try again if need be.
  for (let attempt = 1; ; attempt++) {
    await models.locator('.monaco-editor').first().click();
    await wb.page.keyboard.press('Escape');
    const closed = await models.waitFor({ state: 'hidden', timeout: 5000 }).then(() => true, () => false);
    if (closed) break;
    if (attempt === 3) throw new Error('the Language Models list did not close on Escape');
  }
  await wb.runPaletteEntry('Chat: Open Chat');
  await wb.page.locator(INPUT, { hasText: 'SMCS:' }).first().waitFor();
}

/** Closes Copilot's "Set BYOK utility models" notice over the chat's input, as a user would, once it has shown (it may not). */
export async function dismissNotice(wb: Workbench): Promise<void> {
  const dismiss = wb.page.locator(`${INPUT} a[aria-label="Dismiss notification"]`).first();
  const shown = await dismiss.waitFor({ timeout: 5000 }).then(() => true, () => false);
  if (shown) await dismiss.click();
}

/** Picks a model by its name in the chat's model picker, opening its "Other Models" section when the model is in there. */
export async function pickModel(wb: Workbench, name: string): Promise<void> {
  const current = wb.page.locator(`${INPUT} .model-picker-name`).first();
  await current.click();
  const row = wb.page.locator('.action-widget .monaco-list-row', { hasText: name }).first();
  if (!(await row.isVisible())) await wb.page.locator('.action-widget .monaco-list-row', { hasText: 'Other Models' }).first().click();
  await row.click();
  await wb.page.locator(`${INPUT} .model-picker-name`, { hasText: name }).first().waitFor();
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
 * text cut by the pane or by a box that clips it (a code block's own scroll bar is fine), or a text column narrower
 * than READABLE_SHARE of the pane. Empty when all is well.
 */
export async function responseGeometryProblems(wb: Workbench): Promise<string[]> {
  await latestResponse(wb).scrollIntoViewIfNeeded();
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
    for (const el of markdown) {
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
    return problems.slice(0, 10);
  }, { selector: RESPONSE, share: READABLE_SHARE });
}

/** The latest response looked at in the dark, light and high-contrast themes at a 300 and a 700 px Chat view: its geometry checked, a screenshot `<name>-<width>-<theme>.png` saved. */
export async function checkResponseInEveryView(wb: Workbench, name: string): Promise<void> {
  const themes: ThemeName[] = ['dark', 'light', 'hc'];
  for (const theme of themes) {
    await wb.setTheme(theme);
    for (const width of [300, 700]) {
      await setChatWidth(wb, width);
      const problems = await responseGeometryProblems(wb);
      if (problems.length > 0) throw new Error(`${name}, ${theme}, ${width} px: ${problems.join('; ')}`);
      await wb.screenshot(`${name}-${width}-${theme}`);
    }
  }
}
