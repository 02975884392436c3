/** LaTeX in replies: the delimiters models write, typeset by KaTeX, sanitised, with KaTeX's styles set through the CSSOM. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import createDOMPurify from 'dompurify';
import { createMarkdownRenderer } from '../markdown';
import { applyMathStyles, MATH_STYLE_ATTR } from '../math';

const window = new JSDOM('<!DOCTYPE html><body></body>').window;
const render = createMarkdownRenderer(createDOMPurify(window));

/** The reply as the panel shows it: rendered, sanitised, inserted, styles applied. */
function shown(markdown: string): HTMLElement {
  const el = window.document.createElement('div');
  el.innerHTML = render(markdown);
  applyMathStyles(el);
  return el;
}

/** The TeX source of every formula (KaTeX keeps it in the MathML annotation), with whether it is displayed. */
function formulas(el: HTMLElement): { tex: string; display: boolean }[] {
  return [...el.querySelectorAll('.katex')].map((k) => ({ tex: k.querySelector('annotation')?.textContent ?? '', display: k.parentElement?.classList.contains('katex-display') === true }));
}

test('\\[ … \\] on lines of their own and \\( … \\) in a sentence are typeset, backslashes and all (not "[ 3 \\times 2 ]")', () => {
  const el = shown('The product is\n\\[ 3 \\times 2 = 6 \\]\nso the answer is \\(\\boxed{6}\\).');
  assert.deepEqual(formulas(el), [
    { tex: '3 \\times 2 = 6', display: true },
    { tex: '\\boxed{6}', display: false },
  ]);
  assert.doesNotMatch(el.textContent ?? '', /\[ 3 \\times 2/);
  assert.ok(el.querySelector('.katex-html .mbin')?.textContent === '×', 'the times sign is drawn');
  assert.ok(el.querySelector('.katex .boxpad, .katex .fbox, .katex .stretchy'), '\\boxed draws its box');
});

test('$ … $ inline, $$ … $$ in a sentence or as a block over several lines, and \\[ … \\] over several lines', () => {
  const el = shown('Inline $x^2$ and $$\\frac{a}{b}$$ here.\n\n$$\n\\sum_{i=1}^n i\n$$\n\n\\[\n\\int_0^1 f(x)\\,dx\n\\]');
  assert.deepEqual(formulas(el), [
    { tex: 'x^2', display: false },
    { tex: '\\frac{a}{b}', display: true },
    { tex: '\\sum_{i=1}^n i', display: true },
    { tex: '\\int_0^1 f(x)\\,dx', display: true },
  ]);
});

test('a $ in code, prices and shell variables is not math: code spans and blocks are untouched', () => {
  const el = shown('It costs $5 and $10; US$5; $HOME/$USER; `echo $PATH $(pwd)` and `\\[x\\]`.\n\n```sh\necho "$HOME" $((1 + 2)) \\[x\\] $$y$$\n```\n\n    $$x$$ indented code');
  assert.equal(el.querySelectorAll('.katex').length, 0);
  assert.match(el.querySelector('p')?.textContent ?? '', /It costs \$5 and \$10; US\$5; \$HOME\/\$USER;/);
  assert.deepEqual([...el.querySelectorAll('p > code')].map((c) => c.textContent), ['echo $PATH $(pwd)', '\\[x\\]']);
  assert.deepEqual([...el.querySelectorAll('pre > code')].map((c) => c.textContent), ['echo "$HOME" $((1 + 2)) \\[x\\] $$y$$\n', '$$x$$ indented code\n']);
  // An escaped delimiter is text too.
  assert.equal(shown('a \\$5 and \\$6 b').querySelectorAll('.katex').length, 0);
});

test('a formula KaTeX cannot read shows its source marked as an error; trust-needing commands make no link, style or image', () => {
  const el = shown('Broken $\\frac{$ and $\\href{javascript:alert(1)}{x}$ and $\\htmlStyle{position:fixed}{y}$ and $\\includegraphics{x.png}$');
  const error = el.querySelector<HTMLElement>('.katex-error');
  assert.equal(error?.textContent, '\\frac{');
  assert.equal(error?.style.color, 'rgb(204, 0, 0)', 'the error colour is set through the CSSOM');
  assert.equal(el.querySelectorAll('a, img, [style*="fixed"]').length, 0);
  assert.equal(el.querySelectorAll(`[${MATH_STYLE_ATTR}]`).length, 0, 'every carried style was applied or dropped');
});

test('KaTeX\'s layout styles survive the sanitiser as data, and are set back through the CSSOM (never as a style attribute in the HTML)', () => {
  const html = render('$\\frac{a}{b} + \\sqrt{2}$');
  assert.doesNotMatch(html, /\sstyle="/, 'no inline style attribute reaches the page (the CSP would drop it)');
  assert.match(html, new RegExp(`${MATH_STYLE_ATTR}="height:`));
  const el = shown('$\\frac{a}{b} + \\sqrt{2}$');
  const strut = el.querySelector<HTMLElement>('.katex-strut');
  assert.match(strut?.style.height ?? '', /^\d+(\.\d+)?em$/);
  const svg = el.querySelector('svg');
  assert.ok(svg?.getAttribute('viewBox') && svg.querySelector('path')?.getAttribute('d'), 'the radical\'s SVG keeps its viewBox and path');
});

test('applyMathStyles sets only what KaTeX writes, in the shape it writes it, and only inside a formula', () => {
  const el = window.document.createElement('div');
  el.innerHTML =
    `<span class="katex"><span id="ok" ${MATH_STYLE_ATTR}="height:0.64em;vertical-align:-0.08em;margin-right:-0.2em;color:#12ab34;border:0.04em solid red;"></span>` +
    `<span id="bad" ${MATH_STYLE_ATTR}="position:fixed;top:0;left:0;width:100vw;height:100vh;background:url(https://x/y.png);z-index:9;color:expression(alert(1))"></span></span>` +
    `<span id="outside" ${MATH_STYLE_ATTR}="height:3em"></span>`;
  applyMathStyles(el);
  const style = (id: string) => el.querySelector<HTMLElement>(`#${id}`)?.style;
  assert.equal(style('ok')?.height, '0.64em');
  assert.equal(style('ok')?.verticalAlign, '-0.08em');
  assert.equal(style('ok')?.marginRight, '-0.2em');
  assert.equal(style('ok')?.color, 'rgb(18, 171, 52)');
  assert.equal(style('ok')?.borderStyle, 'solid');
  const bad = style('bad');
  assert.deepEqual([bad?.position, bad?.width, bad?.height, bad?.backgroundImage, bad?.zIndex, bad?.color], ['', '', '', '', '', '']);
  assert.equal(bad?.top, '0px', 'a zero offset is what KaTeX writes too');
  assert.equal(style('outside')?.height, '', 'a carried style outside a formula is dropped');
});
