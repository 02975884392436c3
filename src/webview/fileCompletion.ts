/**
 * `#` completion in the question box: after `#` (or `#file:`) the workspace files matching what follows, listed
 * above the box; ↑/↓ move, Enter or Tab takes one (the mention becomes `#file:path `), Escape closes the list.
 */
import { h } from './dom';

/** The `#` mention being typed before the caret: where it starts and what follows `#`/`#file:`; undefined when none. */
export function mentionAtCaret(text: string, caret: number): { start: number; query: string } | undefined {
  const m = /(?:^|[\s(])#(?:file:)?([\w./-]*)$/.exec(text.slice(0, caret));
  if (!m) return undefined;
  const start = caret - m[0].length + (m[0].startsWith('#') ? 0 : 1);
  return { start, query: m[1] as string };
}

export class FileCompletion {
  readonly el = h('ul', { class: 'file-completion', role: 'listbox', 'data-testid': 'file-completion', 'aria-label': 'Workspace files' });
  private files: string[] = [];
  private active = 0;
  private mention: { start: number; query: string } | undefined;

  constructor(private readonly input: HTMLTextAreaElement, private readonly find: (query: string) => void) {
    this.el.hidden = true;
    this.el.addEventListener('mousedown', (e) => {
      const item = e.target instanceof Element ? e.target.closest<HTMLElement>('[data-file]') : null;
      if (!item) return;
      e.preventDefault();
      this.take(item.dataset.file ?? '');
    });
  }

  /** The box changed: look for a mention at the caret. */
  onInput(): void {
    this.mention = mentionAtCaret(this.input.value, this.input.selectionStart);
    if (this.mention === undefined) this.close();
    else this.find(this.mention.query);
  }

  /** The host's matches for a query; ignored when the box moved on. */
  show(query: string, files: readonly string[]): void {
    if (this.mention?.query !== query) return;
    this.files = [...files];
    this.active = 0;
    if (this.files.length === 0) this.close();
    else this.render();
  }

  /** Handles a key while the list is open; true when it did (the box must not act on it). */
  onKey(e: KeyboardEvent): boolean {
    if (this.el.hidden) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : this.files.length - 1)) % this.files.length;
      this.render();
    } else if (e.key === 'Enter' || e.key === 'Tab') this.take(this.files[this.active] ?? '');
    else if (e.key === 'Escape') this.close();
    else return false;
    e.preventDefault();
    return true;
  }

  private take(file: string): void {
    if (this.mention === undefined || file === '') return;
    const caret = this.input.selectionStart;
    const value = this.input.value;
    const inserted = `#file:${file} `;
    this.input.value = value.slice(0, this.mention.start) + inserted + value.slice(caret);
    const at = this.mention.start + inserted.length;
    this.input.setSelectionRange(at, at);
    this.close();
    this.input.dispatchEvent(new Event('input'));
  }

  private close(): void {
    this.el.hidden = true;
    this.files = [];
    this.mention = undefined;
    this.input.removeAttribute('aria-activedescendant');
  }

  private render(): void {
    this.el.replaceChildren(
      ...this.files.map((file, i) =>
        h('li', { id: `file-option-${i}`, role: 'option', class: 'file-option', 'data-file': file, 'aria-selected': i === this.active ? 'true' : 'false', title: file }, file),
      ),
    );
    this.el.hidden = false;
    this.input.setAttribute('aria-activedescendant', `file-option-${this.active}`);
  }
}
