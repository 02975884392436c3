/**
 * What the extension shows a person through `vscode.window` — notifications, modal dialogs, input boxes, quick picks,
 * progress notifications — recorded, and answered as the test scripts it, in the extension host itself. The tests and
 * the extension share one `vscode` API object (the test bundle runs as part of the extension under development), so
 * replacing its `window` functions is what the extension calls. This is for checks that need no pixels (which
 * notification opened, what it said, what a box offered); how they look stays with the UI suite (test/e2e).
 *
 *   const shown = scriptWindow();
 *   shown.answer('inputBox', /API key for/, 'sk-…');
 *   await vscode.commands.executeCommand('smcs.setApiKey');
 *   await shown.next('info', /stored the API key/);
 *   shown.restore();
 */
import * as vscode from 'vscode';

export type ShownKind = 'info' | 'warning' | 'error' | 'inputBox' | 'quickPick' | 'progress';

/** One thing the extension showed. */
export interface Shown {
  kind: ShownKind;
  /** The message, the input box's title and prompt, the quick pick's title and placeholder, the progress title. */
  text: string;
  /** A message's buttons, or a quick pick's items (label, description and detail joined by " · "). */
  items: string[];
  /** A message shown with `{ modal: true }`; an input box with `password: true`. */
  modal: boolean;
  password: boolean;
  /** The input box's offered value, and the part of it selected. */
  value?: string;
  valueSelection?: [number, number];
  /** A progress notification's: its Cancel, whether its task has ended (the notification closed), what it reported. */
  cancel?: () => void;
  ended?: boolean;
  reports?: { message?: string; increment?: number }[];
}

/** Enter pressed on what is shown: an input box takes its offered value, a quick pick its selected item(s). */
export const ENTER = { enter: true } as const;

type Reply = string | number | typeof ENTER | undefined;

const isEnter = (reply: Reply): reply is typeof ENTER => reply === ENTER;

/**
 * What an answer rule gives back: a button's or item's label (or index), typed text, ENTER, or nothing (the person
 * closed it).
 */
export type Answer = Reply | ((shown: Shown) => Reply);

interface Rule {
  kind: ShownKind;
  text: RegExp;
  answer: Answer;
  once: boolean;
}

type Waiter = { kind: ShownKind; text: RegExp; from: number; resolve: (shown: Shown) => void };

type MessageItem = string | vscode.MessageItem;

const labelOf = (item: MessageItem): string => (typeof item === 'string' ? item : item.title);
const itemText = (item: string | vscode.QuickPickItem): string =>
  typeof item === 'string' ? item : [item.label, item.description, item.detail].filter((part) => part !== undefined && part !== '').join(' · ');

export class WindowScript {
  readonly shown: Shown[] = [];
  private readonly rules: Rule[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly originals: Partial<Record<keyof typeof vscode.window, unknown>> = {};

  constructor() {
    const window = vscode.window as unknown as Record<string, unknown>;
    const replace = (name: keyof typeof vscode.window, fake: unknown): void => {
      this.originals[name] = window[name];
      window[name] = fake;
    };
    const message = (kind: 'info' | 'warning' | 'error') =>
      (text: string, ...rest: unknown[]): Promise<MessageItem | undefined> => {
        const options = typeof rest[0] === 'object' && rest[0] !== null && !('title' in rest[0]) ? (rest.shift() as vscode.MessageOptions) : {};
        const buttons = rest as MessageItem[];
        const detail = options.detail ? `\n${options.detail}` : '';
        const answer = this.record({ kind, text: `${text}${detail}`, items: buttons.map(labelOf), modal: options.modal === true, password: false });
        if (isEnter(answer)) throw new Error(`Enter on the message "${text}" picks no button`);
        const picked = typeof answer === 'number' ? buttons[answer] : buttons.find((b) => labelOf(b) === answer);
        if (answer !== undefined && picked === undefined) throw new Error(`the test answered "${String(answer)}", not a button of "${text}" (${buttons.map(labelOf).join(', ')})`);
        return Promise.resolve(picked);
      };
    replace('showInformationMessage', message('info'));
    replace('showWarningMessage', message('warning'));
    replace('showErrorMessage', message('error'));
    replace('showInputBox', async (options: vscode.InputBoxOptions = {}): Promise<string | undefined> => {
      const text = [options.title, options.prompt].filter(Boolean).join('\n');
      const answer = this.record({
        kind: 'inputBox',
        text,
        items: [],
        modal: false,
        password: options.password === true,
        ...(options.value !== undefined ? { value: options.value } : {}),
        ...(options.valueSelection !== undefined ? { valueSelection: options.valueSelection } : {}),
      });
      const typed = isEnter(answer) ? (options.value ?? '') : answer === undefined ? undefined : String(answer);
      const invalid = typed === undefined ? undefined : await options.validateInput?.(typed);
      if (invalid) throw new Error(`the input box "${text}" refused "${typed}": ${typeof invalid === 'string' ? invalid : invalid.message}`);
      return typed;
    });
    replace('showQuickPick', async (items: readonly (string | vscode.QuickPickItem)[] | Thenable<readonly (string | vscode.QuickPickItem)[]>, options: vscode.QuickPickOptions = {}) => {
      const list = await items;
      const text = [options.title, options.placeHolder].filter(Boolean).join('\n');
      const answer = this.record({ kind: 'quickPick', text, items: list.map(itemText), modal: false, password: false });
      if (answer === undefined) return undefined;
      // Enter: the items marked picked (many), or the first, which a quick pick shows selected (one).
      if (isEnter(answer)) return options.canPickMany ? list.filter((item) => typeof item !== 'string' && item.picked === true) : list[0];
      const picked = typeof answer === 'number' ? list[answer] : list.find((item) => itemText(item) === answer || (typeof item !== 'string' && item.label === answer));
      if (picked === undefined) throw new Error(`the test picked "${String(answer)}", not an item of "${text}" (${list.map(itemText).join(' | ')})`);
      return options.canPickMany ? [picked] : picked;
    });
    replace('withProgress', <R>(options: vscode.ProgressOptions, task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Thenable<R>): Thenable<R> => {
      const cancelled = new vscode.CancellationTokenSource();
      const shown: Shown = { kind: 'progress', text: options.title ?? '', items: options.cancellable ? ['Cancel'] : [], modal: false, password: false, cancel: () => cancelled.cancel(), ended: false, reports: [] };
      this.record(shown);
      const settle = (): void => {
        shown.ended = true;
        cancelled.dispose();
        this.notify();
      };
      const running = Promise.resolve(task({ report: (value) => void shown.reports?.push(value) }, cancelled.token));
      running.then(settle, settle);
      return running;
    });
  }

  /**
   * Answers what the extension shows next of `kind` whose text matches `text`: with a button's or an item's label or
   * index, typed text, or undefined (the person closed it). `once` (default true) answers one showing only.
   */
  answer(kind: ShownKind, text: RegExp | string, answer: Answer, once = true): this {
    this.rules.push({ kind, text: typeof text === 'string' ? new RegExp(escapeRegExp(text)) : text, answer, once });
    return this;
  }

  /** The first showing of `kind` matching `text` after the `from`th (default: every showing so far counts), when it comes. */
  next(kind: ShownKind, text: RegExp | string, from = 0, timeoutMs = 20000): Promise<Shown> {
    const pattern = typeof text === 'string' ? new RegExp(escapeRegExp(text)) : text;
    const found = this.find(kind, pattern, from);
    if (found) return Promise.resolve(found);
    return new Promise<Shown>((resolve, reject) => {
      const waiter: Waiter = { kind, text: pattern, from, resolve: (shown) => (clearTimeout(timer), resolve(shown)) };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no ${kind} matching ${String(pattern)} was shown within ${timeoutMs} ms; shown: ${JSON.stringify(this.shown.map((s) => `${s.kind}: ${s.text}`))}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Every showing of `kind` matching `text`. */
  all(kind: ShownKind, text: RegExp | string): Shown[] {
    const pattern = typeof text === 'string' ? new RegExp(escapeRegExp(text)) : text;
    return this.shown.filter((s) => s.kind === kind && pattern.test(s.text));
  }

  /** Resolves when `shown` (a progress notification) has closed. */
  async ended(shown: Shown, timeoutMs = 20000): Promise<void> {
    if (shown.ended) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the notification "${shown.text}" stayed open ${timeoutMs} ms`)), timeoutMs);
      this.endWaiters.push({ shown, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  /** Puts VS Code's own functions back. */
  restore(): void {
    const window = vscode.window as unknown as Record<string, unknown>;
    for (const [name, original] of Object.entries(this.originals)) window[name] = original;
  }

  private readonly endWaiters: { shown: Shown; resolve: () => void }[] = [];

  private record(shown: Shown): Reply {
    this.shown.push(shown);
    const at = this.rules.findIndex((r) => r.kind === shown.kind && r.text.test(shown.text));
    const rule = at >= 0 ? this.rules[at] : undefined;
    if (rule?.once) this.rules.splice(at, 1);
    this.notify();
    return typeof rule?.answer === 'function' ? rule.answer(shown) : rule?.answer;
  }

  private find(kind: ShownKind, text: RegExp, from: number): Shown | undefined {
    return this.shown.slice(from).find((s) => s.kind === kind && text.test(s.text));
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) {
      const found = this.find(waiter.kind, waiter.text, waiter.from);
      if (!found) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(found);
    }
    for (const waiter of [...this.endWaiters]) {
      if (!waiter.shown.ended) continue;
      this.endWaiters.splice(this.endWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
}

/** Starts recording (and answering) what the extension shows; `restore()` it after the test. */
export function scriptWindow(): WindowScript {
  return new WindowScript();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
