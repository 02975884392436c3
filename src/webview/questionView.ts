/**
 * The question of a run, as the user wrote it, its math typeset as in the answer. A long question (an 8-option multiple-choice one takes a screen) is
 * cut to its first lines (`.question-text.collapsed.capped` in the stylesheet) behind "Show more"; the button appears,
 * and the text is cut, only when the text is taller than that, measured again whenever the panel's width changes.
 */
import { h, setAttr, setText } from './dom';
import type { MarkdownRenderer } from './markdown';
import { applyMathStyles } from './math';

let nextId = 0;

export class QuestionView {
  readonly el: HTMLElement;
  private readonly text: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private expanded = false;
  /** Whether the collapsed text hides part of the question (last measured while collapsed). */
  private overflows = false;

  constructor(question: string, render: MarkdownRenderer) {
    const id = `question-text-${nextId++}`;
    this.text = h('div', { class: 'question-text collapsed', id, 'data-testid': 'question-text' });
    // Its math typeset as the answer's is; the rest of the text exactly as written (sanitised like a reply).
    this.text.innerHTML = render.question(question);
    applyMathStyles(this.text);
    this.toggle = h('button', { type: 'button', class: 'link-button question-toggle', 'aria-controls': id, 'aria-expanded': 'false', 'data-testid': 'question-toggle' }, 'Show more');
    this.toggle.hidden = true;
    this.toggle.addEventListener('click', () => this.setExpanded(!this.expanded));
    this.el = h(
      'div',
      { class: 'question', 'data-testid': 'question' },
      this.text,
      this.toggle,
    );
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(() => this.measure()).observe(this.text);
  }

  private setExpanded(expanded: boolean): void {
    this.expanded = expanded;
    this.text.classList.toggle('collapsed', !expanded);
    setAttr(this.toggle, 'aria-expanded', String(expanded));
    setText(this.toggle, expanded ? 'Show less' : 'Show more');
    this.measure();
  }

  /**
   * Whether the question is taller than the collapsed height (its `max-height`): only then is it cut, and only then
   * does it clip — an inline fraction reaching a few pixels below a one-line question is neither more text nor cut off.
   */
  private measure(): void {
    if (!this.expanded) {
      const cap = Number.parseFloat(getComputedStyle(this.text).maxHeight);
      this.overflows = Number.isFinite(cap) && this.text.scrollHeight > cap + 1;
    }
    this.text.classList.toggle('capped', this.overflows && !this.expanded);
    this.toggle.hidden = !this.overflows;
  }
}
