/** An element showing markdown (rendered and sanitised) or, while a reply streams, its plain text. */
import type { MarkdownRenderer } from './markdown';
import { h, setText } from './dom';
import { applyMathStyles } from './math';

/** Renders markdown into an element only when the source changed. */
export class MarkdownBox {
  readonly el = h('div', { class: 'markdown' });
  private source: string | undefined;

  constructor(private readonly render: MarkdownRenderer) {}

  show(markdown: string): void {
    if (markdown === this.source) return;
    this.source = markdown;
    this.el.classList.remove('streaming-text');
    this.el.innerHTML = this.render(markdown);
    applyMathStyles(this.el);
  }

  /** Shows text as it streams in (plain text, no markdown yet). */
  stream(text: string): void {
    this.source = undefined;
    this.el.classList.add('streaming-text');
    setText(this.el, text);
  }
}

/** A closed "Reasoning" disclosure: a model's reasoning is kept apart from its answer and shown only on request. */
export class ReasoningBox {
  readonly el: HTMLDetailsElement;
  private readonly body = h('div', { class: 'streaming-text' });

  constructor() {
    this.el = h('details', { class: 'reasoning', 'data-testid': 'reasoning' }, h('summary', {}, 'Reasoning'), this.body);
    this.el.hidden = true;
  }

  update(reasoning: string | undefined): void {
    const text = reasoning ?? '';
    this.el.hidden = text === '';
    setText(this.body, text);
  }
}
