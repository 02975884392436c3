/**
 * The chips above the question box: what the next question will carry — the current file, with what part of it the
 * question being typed sends ("lines 40–88 + outline · 1.2k tokens", "not sent: the question does not refer to it";
 * a click on its name sends it whole for this question, a second click gives the choice back; ✕ leaves it out), the selection (✕ leaves it out while it is the editor's selection; selecting anew brings it back), and the files added ("Add file…" under the box, SMCS: Ask About File; ✕ removes them). A
 * chip's name opens its file at its lines. With no chip the row takes no room. The choices are kept across a reload of
 * the panel (it reloads when another view hides it).
 */
import type { ChipChoice, ComposerFile, HostToWebview } from '../presentation/protocol';
import { h } from './dom';

const baseName = (path: string): string => path.split('/').at(-1) ?? path;
const lineRange = (f: ComposerFile): string => (f.startLine === f.endLine ? `${f.startLine}` : `${f.startLine}–${f.endLine}`);
const selectionKey = (s: ComposerFile): string => `${s.path}:${s.startLine}-${s.endLine}`;

/** What the chips keep across a reload of the panel (hidden behind the Explorer, say): the added files, the dropped current file. */
export interface ChipsState {
  added: string[];
  dropped: string | null;
}

export class ContextChips {
  readonly el = h('div', { class: 'context-chips', 'data-testid': 'context-chips', role: 'list', 'aria-label': 'Context sent with the question' });
  private current: ComposerFile | null = null;
  private selection: ComposerFile | null = null;
  private added: string[];
  /** The current file whose chip the user dropped (it stays out while it is the current file, for one question). */
  private dropped: string | null;
  /** The selection whose chip the user dropped (as `selectionKey`): it stays out while it is the editor's selection. */
  private droppedSelection: string | null = null;
  /** The current file the user clicked to send whole (for one question, while it is the current file). */
  private whole: string | null = null;
  /** What the host said the question being typed sends of the current file. */
  private share: Extract<HostToWebview, { type: 'current-file-share' }> | null = null;

  constructor(saved: ChipsState | undefined, private readonly save: (state: ChipsState) => void) {
    // The webview's own saved state, but of an earlier version maybe: only strings are taken.
    this.added = Array.isArray(saved?.added) ? saved.added.filter((p): p is string => typeof p === 'string') : [];
    this.dropped = typeof saved?.dropped === 'string' ? saved.dropped : null;
  }

  setEditor(current: ComposerFile | null, selection: ComposerFile | null): void {
    this.current = current;
    this.selection = selection;
    // A new selection is a new choice: dropping the last one does not keep this one out, nor that one if made again.
    if (selection === null || selectionKey(selection) !== this.droppedSelection) this.droppedSelection = null;
    this.render();
  }

  /** The host's word on what part of the current file goes; kept only while that file is the current one. */
  setShare(share: Extract<HostToWebview, { type: 'current-file-share' }>): void {
    this.share = share;
    this.render();
  }

  /** A click on the current file's name: sends it whole, or gives the choice back to the question. */
  toggleWhole(): void {
    const path = this.current?.path ?? null;
    this.whole = this.whole === path ? null : path;
    this.render();
  }

  add(path: string): void {
    if (!this.added.includes(path)) this.added.push(path);
    this.changed();
  }

  /** A chip's ✕: the current file (`current`), the selection (`selection`) or an added file. */
  drop(which: string): void {
    if (which === 'current') this.dropped = this.current?.path ?? null;
    else if (which === 'selection') this.droppedSelection = this.selection ? selectionKey(this.selection) : null;
    else this.added = this.added.filter((p) => p !== which);
    this.changed();
  }

  private get withoutCurrent(): boolean {
    return this.current !== null && this.current.path === this.dropped;
  }

  private get wholeCurrent(): boolean {
    return this.current !== null && this.current.path === this.whole && !this.withoutCurrent;
  }

  private get withoutSelection(): boolean {
    return this.selection !== null && selectionKey(this.selection) === this.droppedSelection;
  }

  /** What the chips choose for the next question (the estimate before sending counts it). */
  choice(): ChipChoice {
    return { ...(this.withoutCurrent ? { withoutCurrentFile: true } : {}), ...(this.wholeCurrent ? { wholeCurrentFile: true } : {}), ...(this.withoutSelection ? { withoutSelection: true } : {}), ...(this.added.length > 0 ? { files: [...this.added] } : {}) };
  }

  /** What the ask message says of the chips; the added files and a dropped current file last one question. */
  takeForAsk(): ChipChoice {
    const taken = this.choice();
    this.added = [];
    this.dropped = null;
    this.whole = null;
    this.changed();
    return taken;
  }

  private changed(): void {
    this.save({ added: [...this.added], dropped: this.dropped });
    this.render();
  }

  private chip(kind: string, file: ComposerFile, label: string, drop: string | undefined): HTMLElement {
    const range = lineRange(file);
    return h(
      'span',
      { class: 'chip context-chip', role: 'listitem', 'data-kind': kind, 'data-testid': `context-chip-${kind}`, title: `${file.path} lines ${range}` },
      h('button', { type: 'button', class: 'link-button chip-open', 'data-action': 'open-context', 'data-path': file.path, 'data-line': file.startLine }, label),
      drop === undefined ? null : h('button', { type: 'button', class: 'chip-drop', 'data-action': 'drop-context', 'data-drop': drop, 'aria-label': `Do not send ${file.path}`, title: 'Do not send it with this question' }, '✕'),
    );
  }

  /** The current file's chip: its name sends it whole (or gives the choice back), beside it what part goes. */
  private currentChip(file: ComposerFile): HTMLElement {
    const share = this.share?.path === file.path ? this.share : null;
    const said = this.wholeCurrent ? (share?.whole ?? 'whole file') : share?.share;
    const title = this.wholeCurrent ? 'Sent whole with this question; click to send only the part the question refers to' : `Click to send the whole file${share ? ` (${share.whole})` : ''}`;
    const chip = this.chip('current', file, baseName(file.path), 'current');
    const name = chip.querySelector<HTMLElement>('.chip-open');
    if (name) {
      name.dataset.action = 'whole-context';
      name.setAttribute('title', title);
      name.setAttribute('aria-pressed', String(this.wholeCurrent));
    }
    // In a narrow side bar the share wraps beside the name (media/panel.css), never cut.
    if (said !== undefined) chip.insertBefore(h('span', { class: 'chip-share', 'data-testid': 'context-chip-share', title: `${file.path}: ${said}` }, ` · ${said}`), name?.nextSibling ?? null);
    return chip;
  }

  private render(): void {
    const chips: HTMLElement[] = [];
    if (this.current && !this.withoutCurrent) chips.push(this.currentChip(this.current));
    if (this.selection && !this.withoutSelection) chips.push(this.chip('selection', this.selection, `${baseName(this.selection.path)} ${lineRange(this.selection)}`, 'selection'));
    for (const path of this.added) chips.push(this.chip('added', { path, startLine: 1, endLine: 1 }, baseName(path), path));
    this.el.replaceChildren(...chips);
  }
}
