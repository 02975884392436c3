/**
 * LaTeX in replies, typeset with KaTeX: markdown-it rules for the delimiters models write (`\( … \)` and `$…$` inline,
 * `\[ … \]` and `$$…$$` displayed, on lines of their own or within a paragraph), and the styles KaTeX's layout needs,
 * applied in a way the panel's Content-Security-Policy allows.
 *
 * Without these rules markdown reads `\[` as an escaped `[` and the formula loses its backslashes. Code spans and code
 * blocks are parsed before them or stop them, so a `$` in shell code is never math. KaTeX runs with `trust: false`
 * (no \href, \url, \includegraphics or \html… commands) and bounded sizes and macro expansion; its HTML is sanitised by
 * DOMPurify with the rest of the reply. KaTeX positions its boxes with inline `style` attributes, which the CSP
 * (no 'unsafe-inline') would drop: they are carried as `data-math-style` through the sanitiser and set back through
 * the CSSOM by `applyMathStyles`, declaration by declaration against an allow-list of what KaTeX writes.
 */
import katex from 'katex';
import type { default as MarkdownIt, StateBlock, StateInline } from 'markdown-it';

/** The attribute that carries KaTeX's inline styles past the sanitiser. */
export const MATH_STYLE_ATTR = 'data-math-style';

/** Largest size (em) a formula may ask for (`\rule`, `\kern`, `\hspace`), and most macro expansions. */
const MAX_SIZE_EM = 10;
const MAX_EXPAND = 1000;

/** Typesets `tex`; a formula KaTeX cannot read is shown as its source, marked as an error, never thrown. */
export function renderMath(tex: string, display: boolean): string {
  const html = katex.renderToString(tex.trim(), { displayMode: display, throwOnError: false, trust: false, strict: 'ignore', maxSize: MAX_SIZE_EM, maxExpand: MAX_EXPAND, output: 'htmlAndMathml' });
  // KaTeX escapes `"` in attribute values and text, so ` style="` only ever starts one of its own style attributes.
  return html.replace(/ style="/g, ` ${MATH_STYLE_ATTR}="`);
}

/** Display delimiters (a formula set apart) and inline ones, as models write them. */
const DISPLAY = [
  { open: '$$', close: '$$' },
  { open: '\\[', close: '\\]' },
] as const;
const INLINE_PAREN = { open: '\\(', close: '\\)' } as const;

const isSpace = (c: string | undefined): boolean => c === undefined || /\s/.test(c);
const isWordChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

/** Whether the `\` at `pos` is itself escaped (an odd run of backslashes before it). */
function escaped(src: string, pos: number): boolean {
  let n = 0;
  for (let i = pos - 1; i >= 0 && src[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

/**
 * The index of the first `close` at or after `from` that is not escaped and comes before `end`, or -1. A code span
 * (a backtick) in between ends the search: code takes precedence over math.
 */
function findClose(src: string, close: string, from: number, end: number): number {
  for (let i = from; i + close.length <= end; i++) {
    if (src[i] === '`') return -1;
    if (src.startsWith(close, i) && !escaped(src, i)) return i;
  }
  return -1;
}

/**
 * A `$` closes inline math when it follows a non-space and is not followed by a letter or digit; one opens it when
 * it is followed by a non-space and not preceded by a letter or digit ("$5 and $10", "$HOME/$USER" stay text).
 */
function dollarInline(state: StateInline, silent: boolean): boolean {
  const { src, pos, posMax } = state;
  if (src[pos] !== '$' || src[pos + 1] === '$' || isSpace(src[pos + 1]) || isWordChar(src[pos - 1]) || src[pos - 1] === '$') return false;
  for (let i = pos + 1; i < posMax; i++) {
    if (src[i] === '`') return false;
    if (src[i] !== '$' || escaped(src, i)) continue;
    if (isSpace(src[i - 1]) || isWordChar(src[i + 1]) || src[i + 1] === '$') continue;
    if (!silent) pushMath(state, 'math_inline', src.slice(pos + 1, i));
    state.pos = i + 1;
    return true;
  }
  return false;
}

/** `\( … \)`, `\[ … \]` and `$$ … $$` within a line of text. */
function delimitedInline(state: StateInline, silent: boolean): boolean {
  const { src, pos, posMax } = state;
  for (const [delim, type] of [[INLINE_PAREN, 'math_inline'], ...DISPLAY.map((d) => [d, 'math_display'] as const)] as const) {
    if (!src.startsWith(delim.open, pos) || escaped(src, pos)) continue;
    const close = findClose(src, delim.close, pos + delim.open.length, posMax);
    if (close < 0 || src.slice(pos + delim.open.length, close).trim() === '') return false;
    if (!silent) pushMath(state, type, src.slice(pos + delim.open.length, close));
    state.pos = close + delim.close.length;
    return true;
  }
  return false;
}

function pushMath(state: StateInline, type: 'math_inline' | 'math_display', tex: string): void {
  const token = state.push(type, 'math', 0);
  token.content = tex;
}

/**
 * A formula set apart: a line starting with `$$` or `\[` up to the line that ends with the closing delimiter (the same
 * line or a later one, before any blank line). Indented four spaces it is code, as markdown says.
 */
function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if ((state.sCount[startLine] ?? 0) - state.blkIndent >= 4) return false;
  const lineText = (line: number): string => state.src.slice((state.bMarks[line] ?? 0) + (state.tShift[line] ?? 0), state.eMarks[line] ?? 0);
  const first = lineText(startLine);
  const delim = DISPLAY.find((d) => first.startsWith(d.open));
  if (!delim) return false;
  const parts: string[] = [];
  let text = first.slice(delim.open.length);
  for (let line = startLine; line < endLine; line++) {
    if (line > startLine) {
      text = lineText(line);
      if (text.trim() === '' || (state.sCount[line] ?? 0) < state.blkIndent) return false;
    }
    const close = findClose(text, delim.close, 0, text.length);
    if (close < 0) {
      parts.push(text);
      continue;
    }
    if (text.slice(close + delim.close.length).trim() !== '') return false;
    parts.push(text.slice(0, close));
    const tex = parts.join('\n');
    if (tex.trim() === '') return false;
    if (silent) return true;
    const token = state.push('math_block', 'math', 0);
    token.block = true;
    token.content = tex;
    token.map = [startLine, line + 1];
    state.line = line + 1;
    return true;
  }
  return false;
}

/** Adds the math rules and renderers to a markdown-it instance. */
export function mathPlugin(md: MarkdownIt): void {
  // Before `escape`, which would otherwise read `\[` and `\(` as escaped brackets.
  md.inline.ruler.before('escape', 'math_delimited', delimitedInline);
  md.inline.ruler.before('escape', 'math_dollar', dollarInline);
  md.block.ruler.before('paragraph', 'math_block', mathBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  md.renderer.rules.math_inline = (tokens, idx) => renderMath(tokens[idx]?.content ?? '', false);
  md.renderer.rules.math_display = (tokens, idx) => renderMath(tokens[idx]?.content ?? '', true);
  md.renderer.rules.math_block = (tokens, idx) => `<div class="math-block">${renderMath(tokens[idx]?.content ?? '', true)}</div>\n`;
}

/** A length in em as KaTeX writes them (`0.6444em`, `-2.655em`, `0em`), or a bare zero. */
const LENGTH = /^(?:-?(?:\d+\.?\d*|\.\d+)em|0)$/;
/** A colour as KaTeX accepts them: a name or a hex code. */
const COLOUR = /^(?:#[0-9a-f]{3,8}|[a-z]+)$/i;

/** The style properties KaTeX's HTML output sets, each with the values it may take. */
const ALLOWED: Readonly<Record<string, (value: string) => boolean>> = {
  height: (v) => LENGTH.test(v),
  width: (v) => LENGTH.test(v),
  'min-width': (v) => LENGTH.test(v),
  'vertical-align': (v) => LENGTH.test(v),
  top: (v) => LENGTH.test(v),
  bottom: (v) => LENGTH.test(v),
  left: (v) => LENGTH.test(v),
  'margin-left': (v) => LENGTH.test(v),
  'margin-right': (v) => LENGTH.test(v),
  'padding-left': (v) => LENGTH.test(v),
  'border-width': (v) => LENGTH.test(v),
  'border-top-width': (v) => LENGTH.test(v),
  'border-right-width': (v) => LENGTH.test(v),
  'border-bottom-width': (v) => LENGTH.test(v),
  'border-style': (v) => v === 'solid',
  'border-color': (v) => COLOUR.test(v),
  border: (v) => {
    const [width = '', style = '', colour = '', ...rest] = v.split(/\s+/);
    return rest.length === 0 && LENGTH.test(width) && style === 'solid' && COLOUR.test(colour);
  },
  color: (v) => COLOUR.test(v),
  'background-color': (v) => COLOUR.test(v),
  position: (v) => v === 'relative',
};

/**
 * Sets the styles KaTeX wrote (carried in `data-math-style`) on the elements under `root`, through the CSSOM, which
 * the CSP allows; a declaration that is not one KaTeX writes, in the shape it writes it, is dropped.
 */
export function applyMathStyles(root: Element): void {
  for (const el of root.querySelectorAll<HTMLElement>(`[${MATH_STYLE_ATTR}]`)) {
    const declarations = el.getAttribute(MATH_STYLE_ATTR) ?? '';
    el.removeAttribute(MATH_STYLE_ATTR);
    if (el.closest('.katex, .katex-error') === null) continue;
    for (const declaration of declarations.split(';')) {
      const colon = declaration.indexOf(':');
      if (colon < 0) continue;
      const property = declaration.slice(0, colon).trim().toLowerCase();
      const value = declaration.slice(colon + 1).trim();
      if (ALLOWED[property]?.(value) === true) el.style.setProperty(property, value);
    }
  }
}
