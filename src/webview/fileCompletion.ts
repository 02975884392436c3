/**
 * `#` completion in the question box: after `#` the keywords it starts (`#codebase`, `#problems`, `#terminal`) and the
 * workspace files matching what follows (after `#file:` the files only), listed above the box; ↑/↓ move, Enter or Tab
 * takes the highlighted one (`#codebase `, or `#file:path `), Escape closes the list.
 */
import type { MentionKeyword } from '../presentation/protocol';
import { h } from './dom';

/**
 * The `#` mention being typed before the caret: where it starts, what follows `#`/`#file:`, and whether `#file:` was
 * typed (then only files complete it); undefined when none.
 */
export function mentionAtCaret(text: string, caret: number): { start: number; query: string; filesOnly: boolean } | undefined {
  const m = /(?:^|[\s(])#(file:)?([\w./-]*)$/.exec(text.slice(0, caret));
  if (!m) return undefined;
  const start = caret - m[0].length + (m[0].startsWith('#') ? 0 : 1);
  return { start, query: m[2] as string, filesOnly: m[1] !== undefined };
}

/** One entry of the list: a keyword or a file. */
type Option = { keyword: MentionKeyword } | { file: string };

const optionText = (o: Option): string => ('keyword' in o ? `#${o.keyword.name} ` : `#file:${o.file} `);

export class FileCompletion {
  readonly el = h('ul', { class: 'file-completion', role: 'listbox', 'data-testid': 'file-completion', 'aria-label': 'Keywords and workspace files' });
  private options: Option[] = [];
  private active = 0;
  private mention: { start: number; query: string; filesOnly: boolean } | undefined;

  constructor(private readonly input: HTMLTextAreaElement, private readonly find: (query: string) => void) {
    this.el.hidden = true;
    this.el.addEventListener('mousedown', (e) => {
      const item = e.target instanceof Element ? e.target.closest<HTMLElement>('[data-option]') : null;
      const option = this.options[Number(item?.dataset.option)];
      if (option === undefined) return;
      e.preventDefault();
      this.take(option);
    });
  }

  /** The box changed: look for a mention at the caret. */
  onInput(): void {
    this.mention = mentionAtCaret(this.input.value, this.input.selectionStart);
    if (this.mention === undefined) this.close();
    else this.find(this.mention.query);
  }

  /** The host's completions for a query, keywords first; ignored when the box moved on. */
  show(query: string, keywords: readonly MentionKeyword[], files: readonly string[]): void {
    if (this.mention?.query !== query) return;
    this.options = [...(this.mention.filesOnly ? [] : keywords.map((keyword) => ({ keyword }))), ...files.map((file) => ({ file }))];
    this.active = 0;
    if (this.options.length === 0) this.close();
    else this.render();
  }

  /** Handles a key while the list is open; true when it did (the box must not act on it: Enter takes, it does not send). */
  onKey(e: KeyboardEvent): boolean {
    if (this.el.hidden || e.isComposing) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : this.options.length - 1)) % this.options.length;
      this.render();
      // Keywords and twelve files are more than the list's height shows.
      this.el.children[this.active]?.scrollIntoView({ block: 'nearest' });
    } else if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
      const option = this.options[this.active];
      if (option !== undefined) this.take(option);
    } else if (e.key === 'Escape') this.close();
    else return false;
    e.preventDefault();
    return true;
  }

  private take(option: Option): void {
    if (this.mention === undefined) return;
    const caret = this.input.selectionStart;
    const value = this.input.value;
    const inserted = optionText(option);
    this.input.value = value.slice(0, this.mention.start) + inserted + value.slice(caret);
    const at = this.mention.start + inserted.length;
    this.input.setSelectionRange(at, at);
    this.close();
    this.input.dispatchEvent(new Event('input'));
  }

  private close(): void {
    this.el.hidden = true;
    this.options = [];
    this.mention = undefined;
    this.input.removeAttribute('aria-activedescendant');
  }

  private render(): void {
    this.el.replaceChildren(
      ...this.options.map((option, i) => {
        const attrs = { id: `file-option-${i}`, role: 'option', 'data-option': i, 'aria-selected': i === this.active ? 'true' : 'false' };
        if ('file' in option) return h('li', { ...attrs, class: 'file-option', 'data-file': option.file, title: option.file }, option.file);
        const { name, description } = option.keyword;
        return h('li', { ...attrs, class: 'file-option keyword-option', 'data-keyword': name, title: `#${name}: ${description}` }, h('span', { class: 'keyword-name' }, `#${name}`), h('span', { class: 'keyword-description' }, description));
      }),
    );
    this.el.hidden = false;
    this.input.setAttribute('aria-activedescendant', `file-option-${this.active}`);
  }
}
