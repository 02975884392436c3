/**
 * The SMCS panel without a workbench: the panel's own script (dist/webview.js) runs in a jsdom document, connected to
 * the extension's real panel host in this extension host (`connectPanelDocument`, exported only to tests). Every
 * message goes through the typed host↔webview protocol as it does to the webview (copied through JSON, as the webview's
 * transport does), so a test reads what the panel shows — its text, its `data-testid`s — and clicks and types as a
 * person does, for the checks that need no pixels. jsdom lays nothing out: geometry, themes, focus and screenshots stay
 * with the UI suite (test/e2e).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JSDOM } from 'jsdom';
import type { HostToWebview, WebviewToHost } from '../../src/presentation/protocol';
import { activeExtension, type SmcsTestApi } from './helpers';

/** How long a wait in the panel may take before it fails, naming what it waited for. */
const WAIT_MS = 20_000;

export class PanelDocument {
  /** Every message the host sent the panel, in order. */
  readonly received: HostToWebview[] = [];
  /** Every message the panel sent the host, in order. */
  readonly sent: WebviewToHost[] = [];
  private readonly changed = new Set<() => void>();

  private constructor(
    private readonly dom: JSDOM,
    private readonly connection: { receive(msg: unknown): void; close(): void },
  ) {}

  /** Opens the panel's script in a new document connected to the extension (which takes over from the webview). */
  static async open(): Promise<PanelDocument> {
    const extension = await activeExtension();
    const api = extension.exports as SmcsTestApi;
    if (!api.connectPanelDocument) throw new Error('the extension exports no connectPanelDocument: it is not running in ExtensionMode.Test');
    const dom = new JSDOM('<!DOCTYPE html><html><body><main id="app"></main></body></html>', { runScripts: 'outside-only', pretendToBeVisual: true, url: 'https://panel.invalid/' });
    const { window } = dom;
    let state: unknown;
    // What the host sends before the document exists (nothing: its `ready` comes after) has nowhere to go.
    const made: { panel?: PanelDocument } = {};
    const connection = api.connectPanelDocument((msg) => {
      const copy = JSON.parse(JSON.stringify(msg)) as HostToWebview;
      made.panel?.received.push(copy);
      window.postMessage(copy, '*');
      made.panel?.notify();
    });
    const opened = new PanelDocument(dom, connection);
    made.panel = opened;
    Object.assign(window, {
      acquireVsCodeApi: () => ({
        postMessage: (msg: WebviewToHost) => {
          const copy = JSON.parse(JSON.stringify(msg)) as WebviewToHost;
          opened.sent.push(copy);
          opened.notify();
          // As from the webview: after the panel's own handler has returned.
          setTimeout(() => connection.receive(copy), 0);
        },
        getState: () => state,
        setState: (next: unknown) => {
          state = next;
        },
      }),
      // What jsdom does not implement, and a layout-free document has no use for.
      ResizeObserver: class {
        observe(): void {}
        unobserve(): void {}
        disconnect(): void {}
      },
    });
    window.HTMLElement.prototype.scrollIntoView = function scrollIntoView(): void {};
    new window.MutationObserver(() => opened.notify()).observe(window.document, { subtree: true, childList: true, attributes: true, characterData: true });
    window.eval(fs.readFileSync(path.join(extension.extensionPath, 'dist', 'webview.js'), 'utf8'));
    // Added after the panel's own listener, so it hears a message once the panel has shown it.
    let shownSnapshot = false;
    window.addEventListener('message', (e: MessageEvent<HostToWebview>) => {
      if (e.data.type === 'snapshot') shownSnapshot = true;
      opened.notify();
    });
    await opened.until(() => shownSnapshot, 'the panel showed its snapshot');
    return opened;
  }

  get document(): Document {
    return this.dom.window.document;
  }

  /** The elements with this `data-testid` (under `root`, default the document). */
  all(testId: string, root: ParentNode = this.document): HTMLElement[] {
    return [...root.querySelectorAll<HTMLElement>(`[data-testid="${testId}"]`)];
  }

  /** The elements matching a CSS selector (under `root`, default the document). */
  select(selector: string, root: ParentNode = this.document): HTMLElement[] {
    return [...root.querySelectorAll<HTMLElement>(selector)];
  }

  /** The one element matching `selector` (first of several) once there is one. */
  async element(selector: string, what = selector, root: ParentNode = this.document): Promise<HTMLElement> {
    return this.until(() => root.querySelector<HTMLElement>(selector) ?? undefined, `${what} is in the panel`);
  }

  /** The last run whose status is `status` once there is one (with `question` in its question, when given). */
  async run(status: 'running' | 'done' | 'error' | 'cancelled', question?: string): Promise<HTMLElement> {
    return this.until(
      () =>
        this.select(`[data-testid="run"][data-status="${status}"]`)
          .filter((run) => question === undefined || (run.querySelector('[data-testid="question"]')?.textContent ?? '').includes(question))
          .at(-1),
      `a run ${status}${question ? ` asking "${question}"` : ''} is in the panel`,
    );
  }

  /** An element's text as the DOM holds it (hidden parts too; jsdom lays nothing out, so there is no innerText). */
  text(element: Element | null | undefined): string {
    return element?.textContent ?? '';
  }

  /** Whether an element and its ancestors are shown (no `hidden`), which is all a layout-free document can tell. */
  shown(element: Element | null | undefined): boolean {
    for (let el = element; el; el = el.parentElement) if (el instanceof this.dom.window.HTMLElement && el.hidden) return false;
    return element !== null && element !== undefined;
  }

  /** Clicks an element as a person does (the panel reacts to the click event that bubbles to its document). */
  click(element: HTMLElement): void {
    element.click();
  }

  /** Starts a new chat with the panel's New chat button when a conversation is shown (earlier tests' runs), as a person does. */
  async newChat(): Promise<void> {
    if (this.all('run').length === 0) return;
    this.click(await this.element('[data-testid="new-chat"]', 'New chat'));
    await this.until(() => this.shown(this.all('empty')[0]), 'the new chat shows its hint');
  }

  /** Types `question` into the question box and sends it with Enter, as a person does. */
  async ask(question: string): Promise<void> {
    const input = (await this.element('[data-testid="input"]', 'the question box')) as HTMLTextAreaElement;
    this.type(input, question);
    this.press(input, 'Enter');
  }

  /** Replaces a box's text as typing does (an input event follows). */
  type(input: HTMLTextAreaElement | HTMLInputElement, text: string): void {
    input.value = text;
    input.dispatchEvent(new this.dom.window.Event('input', { bubbles: true }));
  }

  /** Presses a key in an element (keydown, then keyup). */
  press(element: HTMLElement, key: string): void {
    const { KeyboardEvent } = this.dom.window;
    element.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    element.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true, cancelable: true }));
  }

  /**
   * Resolves with `probe`'s first truthy value, tried now and again at every change of the document and every message
   * the host sends or the panel posts; fails naming `what` after `timeoutMs`.
   */
  until<T>(probe: () => T | undefined | null | false, what: string, timeoutMs = WAIT_MS): Promise<T> {
    const now = probe();
    if (now) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const check = (): void => {
        let value: T | undefined | null | false;
        try {
          value = probe();
        } catch (err) {
          finish();
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        if (!value) return;
        finish();
        resolve(value);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`${what}: not within ${timeoutMs} ms`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.changed.delete(check);
      };
      this.changed.add(check);
    });
  }

  /** Disconnects from the extension (the webview loads again when next shown) and closes the document. */
  close(): void {
    this.connection.close();
    this.changed.clear();
    this.dom.window.close();
  }

  private notify(): void {
    for (const check of [...this.changed]) check();
  }
}
