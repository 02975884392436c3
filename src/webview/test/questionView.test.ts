import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { MarkdownRenderer } from '../markdown';
import { installPanelDom } from '../../../test/fixtures/panelDom';
import { QuestionView } from '../questionView';

let render: MarkdownRenderer;

before(() => {
  render = installPanelDom();
});

const shown = (question: string): HTMLElement => {
  const text = new QuestionView(question, render).el.querySelector<HTMLElement>('[data-testid="question-text"]');
  assert.ok(text);
  return text;
};

test('the question typesets its math as the answer does: inline and displayed formulas become KaTeX, no delimiter is left', () => {
  const text = shown('Why is \\(e^{i\\pi} + 1 = 0\\)? And what is $$\\int_0^1 x^2\\,dx$$ worth?');
  assert.equal(text.querySelectorAll('.katex').length, 2);
  assert.ok(text.querySelector('.katex-display'), 'the $$ formula is displayed');
  // Outside the formulas (whose MathML keeps the TeX source for screen readers) no delimiter or command is left.
  const outside = text.cloneNode(true) as HTMLElement;
  for (const formula of outside.querySelectorAll('.katex')) formula.remove();
  assert.doesNotMatch(outside.textContent ?? '', /\\\(|\\\)|\$\$|\\int/);
  assert.equal(outside.textContent, 'Why is ? And what is  worth?');
  assert.match(text.textContent ?? '', /^Why is /);
  // KaTeX's layout styles are applied (through the CSSOM, not inline attributes the CSP would drop).
  assert.ok(text.querySelector('.katex [style]'), 'a style set');
  assert.equal(text.querySelectorAll('[data-math-style]').length, 0, 'every carried style was applied or dropped');
});

test('the rest of the question is kept as written: line breaks, indentation, dollars in code and prices, markdown marks', () => {
  const question = 'Options:\nA. `echo $HOME` costs $5\n    B. *not emphasis* and $10';
  const text = shown(question);
  assert.equal(text.querySelectorAll('.katex').length, 0);
  assert.equal(text.textContent, question.replace(/`/g, ''));
  assert.equal(text.querySelector('code')?.textContent, 'echo $HOME');
  assert.equal(text.querySelector('em'), null);
});

test('a question is sanitised like a reply: markup in it is text, never an element', () => {
  const text = shown('What does <img src=x onerror=alert(1)> do, and \\(<script>\\)?');
  assert.equal(text.querySelector('img'), null);
  assert.equal(text.querySelector('script'), null);
  assert.match(text.textContent ?? '', /<img src=x onerror=alert\(1\)>/);
});

test('a fenced code block of the question is a code block with its lines, not one line of inline code', () => {
  const question = 'Complete this function:\n\n```python\ndef add(a, b):\n    """\n    >>> add(2, 3)\n    5\n    """\n```\nKeep it short.';
  const text = shown(question);
  const block = text.querySelector<HTMLElement>('pre.question-code > code');
  assert.ok(block, 'a code block');
  assert.equal(block.textContent, 'def add(a, b):\n    """\n    >>> add(2, 3)\n    5\n    """');
  assert.match(block.className, /language-python/);
  assert.ok(block.querySelector('.hljs-keyword'), 'highlighted as the answer is');
  assert.equal(text.querySelector('[data-testid="code-copy"]'), null, 'the user’s own code gets no reply actions');
  assert.match(text.textContent ?? '', /^Complete this function:\n/);
  assert.match(text.textContent ?? '', /Keep it short\.$/);
  // An unclosed fence runs to the end; `<script>` in a block stays text.
  const open = shown('Why?\n~~~\n<script>x()</script>');
  assert.equal(open.querySelector('pre.question-code code')?.textContent, '<script>x()</script>');
  assert.equal(open.querySelector('script'), null);
});
