/**
 * A turn's note of the files withheld for their secrets: one line that expands ("13 files withheld: secrets and
 * certificates ▸") to the files and what each is; absent when the turn withheld none (it did not search the workspace).
 */
import { withheldPart, withheldSummary, type WithheldFile } from '../presentation/withheldFiles';
import { h, setAttr, setText } from './dom';

export class WithheldLine {
  private readonly summaryText = h('span', { class: 'withheld-count', 'data-testid': 'withheld-count' });
  private readonly items = h('ul', { class: 'withheld-items', 'data-testid': 'withheld-items' });
  private readonly summary = h('summary', { class: 'withheld-summary' }, this.summaryText);
  readonly el = h('details', { class: 'withheld-line', 'data-testid': 'withheld-line' }, this.summary, this.items);

  update(files: readonly WithheldFile[]): void {
    const summary = withheldSummary(files);
    this.el.hidden = summary === undefined;
    setText(this.summaryText, summary ?? '');
    setAttr(this.summary, 'title', summary);
    const key = JSON.stringify(files);
    if (this.items.dataset.files === key) return;
    this.items.dataset.files = key;
    this.items.replaceChildren(...files.map((f) => h('li', { title: f.path }, withheldPart(f))));
  }
}
