/** Helpers of the first-run UI tests: a port nobody listens on, and answering the workbench's own input boxes by title. */
import { createServer } from 'node:net';
import type { Locator } from 'playwright-core';
import type { Workbench } from './workbench';

/** A loopback port that refuses connections (a server was started on it and closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The open quick input (input box or quick pick) whose title or prompt holds `text`. */
export function quickInput(wb: Workbench, text: string): Locator {
  return wb.page.locator('.quick-input-widget', { hasText: text });
}

/**
 * Types `value` into the open input box that holds `text` (replacing what it offers) and presses Enter, then waits
 * until that box is gone — the next box a command opens at once is told apart by its own text.
 */
export async function answerBox(wb: Workbench, text: string, value: string): Promise<void> {
  const box = quickInput(wb, text);
  await box.waitFor({ state: 'visible' });
  const input = box.locator('.quick-input-box input');
  await input.fill(value);
  await input.press('Enter');
  await box.waitFor({ state: 'hidden' });
}

/** Presses Enter in the open quick input that holds `text` (the offered value, or the selected item(s)). */
export async function acceptBox(wb: Workbench, text: string): Promise<void> {
  const box = quickInput(wb, text);
  await box.waitFor({ state: 'visible' });
  await box.locator('.quick-input-box input').press('Enter');
  await box.waitFor({ state: 'hidden' });
}

/** A notification toast holding `text`. */
export function toast(wb: Workbench, text: string): Locator {
  return wb.page.locator('.notification-toast', { hasText: text });
}

/**
 * Waits until a toast has faded in completely, for a screenshot that shows it as read: the workbench marks it so when
 * its fade ends — or, with reduced motion (the UI suite's pages prefer it, scripts/testHarness.mjs), shows it whole at
 * once, with no fade to end.
 */
export async function toastShown(toastLocator: Locator): Promise<void> {
  const whole = '.notification-fade-in-done, .monaco-workbench.reduce-motion .notification-toast.notification-fade-in';
  await toastLocator.and(toastLocator.page().locator(whole)).waitFor({ state: 'visible' });
}

/** The modal dialog holding `text`. */
export function dialog(wb: Workbench, text: string): Locator {
  return wb.page.locator('.monaco-dialog-box', { hasText: text });
}

/**
 * Answers the workbench's simple file dialog (an input box) with `file`: first waits until the dialog has written its
 * own folder into the box, so that cannot land on top of the answer and open the folder instead (and should it still,
 * the answer is given again).
 */
export async function answerFileDialog(wb: Workbench, file: string): Promise<void> {
  await wb.page.waitForFunction(() => {
    const box = document.querySelector<HTMLInputElement>('.quick-input-widget .quick-input-box input');
    return box !== null && box.offsetParent !== null && box.value.startsWith('/');
  });
  // The folder can still land on top of the answer on a loaded machine: answerInputBox gives it again until taken.
  await wb.answerInputBox(file);
}
