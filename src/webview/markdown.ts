/**
 * Renders untrusted model output as HTML: markdown-it (raw HTML disabled) with highlight.js for code and KaTeX for
 * LaTeX (./math.ts), then DOMPurify. Every fenced code block gets a toolbar with Copy / Insert at Cursor / Open in New
 * Editor buttons and a Wrap toggle for long lines (wired by the panel through event delegation, never inline handlers). Images are never
 * loaded: a remote one becomes a link to it, anything else (a data: URI) its description.
 */
import MarkdownIt from 'markdown-it';
import hljs from 'highlight.js/lib/common';
import type { DOMPurify } from 'dompurify';
import { codeActionOf } from './actions';
import type { CodeAction } from '../presentation/protocol';
import { mathPlugin } from './math';

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The language name of a fence info string, restricted to safe characters (`c++`, `objective-c`, `c#`). */
export function fenceInfoLanguage(info: string): string {
  const word = info.trim().split(/\s+/)[0] ?? '';
  return /^[\w+#.-]{1,32}$/.test(word) ? word.toLowerCase() : '';
}

function highlight(code: string, language: string): string {
  if (language && hljs.getLanguage(language)) {
    return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  }
  return escapeHtml(code);
}

const CODE_ACTIONS: readonly { action: CodeAction; label: string; title: string }[] = [
  { action: 'copy', label: 'Copy', title: 'Copy code' },
  { action: 'insert', label: 'Insert', title: 'Insert code at the cursor' },
  { action: 'open', label: 'Open', title: 'Open code in a new editor' },
];

function codeBlockHtml(code: string, language: string): string {
  const buttons = CODE_ACTIONS.map(
    (a) =>
      `<button type="button" class="code-btn" data-action="${codeActionOf(a.action)}" data-testid="code-${a.action}" title="${a.title}" aria-label="${a.title}">${a.label}</button>`,
  ).join('');
  const wrap = '<button type="button" class="code-btn" data-action="code-wrap" data-testid="code-wrap" aria-pressed="false" title="Wrap long lines" aria-label="Wrap long lines">Wrap</button>';
  const lang = language ? `<span class="code-lang">${escapeHtml(language)}</span>` : '<span class="code-lang"></span>';
  const langClass = language ? ` language-${escapeHtml(language)}` : '';
  return (
    `<div class="code-block" data-testid="code-block" data-lang="${escapeHtml(language)}">` +
    `<div class="code-toolbar" role="toolbar" aria-label="Code actions">${lang}${buttons}${wrap}</div>` +
    `<pre><code class="hljs${langClass}">${highlight(code, language)}</code></pre></div>`
  );
}

/** The token a renderer rule is called for: markdown-it always passes its index, so a miss is a bug (the webview cannot use core's `at`). */
function ruleToken<T>(tokens: readonly T[], idx: number): T {
  const token = tokens[idx];
  if (token === undefined) throw new RangeError(`markdown-it rule called for token ${idx} of ${tokens.length}`);
  return token;
}

/** The URLs a link of a reply may have. */
const LINK_URL = /^(?:https?:|mailto:|#)/i;

/**
 * Renders markdown to sanitised HTML; `purify` is a DOMPurify instance bound to a window. `question` renders a
 * question as the user wrote it: its text as is (line breaks and indentation kept by the stylesheet), with only the
 * math typeset as in a reply, code spans marked (so a `$` in shell code is never math) and fenced code blocks shown as
 * code blocks, highlighted, each line its own (inline parsing alone would make a fence one line of inline code).
 */
export interface MarkdownRenderer {
  (markdown: string): string;
  question: (text: string) => string;
}

/** What the sanitiser lets through of rendered markdown and KaTeX. */
const SANITISE = {
  FORBID_TAGS: ['style', 'form', 'input', 'textarea', 'select', 'iframe', 'object', 'embed'],
  FORBID_ATTR: ['style', 'srcset'],
  // DOMPurify tests every attribute without a known-safe name against this: URLs of the schemes links may use,
  // and values that name no scheme at all (KaTeX's SVG sizes, viewBox and path data).
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
  // KaTeX's MathML (read by screen readers) keeps its TeX source in an annotation, not as text of the formula.
  ADD_TAGS: ['semantics', 'annotation'],
};

/** A question's renderer: inline parsing only (no paragraphs, lists or headings), math and code spans its only rules. */
function questionMarkdown(): MarkdownIt {
  const md = new MarkdownIt('zero', { html: false });
  md.enable(['backticks']);
  md.use(mathPlugin);
  return md;
}

/** A question cut into its fenced code blocks and the text between them (an unclosed fence runs to the end). */
export function questionPieces(text: string): ({ kind: 'text'; text: string } | { kind: 'fence'; code: string; language: string })[] {
  const pieces: ({ kind: 'text'; text: string } | { kind: 'fence'; code: string; language: string })[] = [];
  const lines = text.split('\n');
  let prose: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})([^`]*)$/.exec(lines[i] ?? '');
    if (!open) {
      prose.push(lines[i] ?? '');
      continue;
    }
    const marker = open[1] ?? '```';
    const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !close.test(lines[end] ?? '')) end++;
    if (prose.length > 0) pieces.push({ kind: 'text', text: prose.join('\n') });
    prose = [];
    pieces.push({ kind: 'fence', code: lines.slice(i + 1, end).join('\n'), language: fenceInfoLanguage(open[2] ?? '') });
    i = end;
  }
  if (prose.length > 0) pieces.push({ kind: 'text', text: prose.join('\n') });
  return pieces;
}

/** A question's code block: highlighted like a reply's, without the reply's actions (the code is the user's own). */
function questionCodeHtml(code: string, language: string): string {
  const langClass = language ? ` language-${escapeHtml(language)}` : '';
  return `<pre class="question-code" data-testid="question-code"><code class="hljs${langClass}">${highlight(code, language)}</code></pre>`;
}

/** Creates the renderer. In the webview pass the global DOMPurify; in tests, one bound to a jsdom window. */
export function createMarkdownRenderer(purify: DOMPurify): MarkdownRenderer {
  const md = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });
  md.use(mathPlugin);
  // Links go to the web, a mail address or a place in the reply; any other (javascript:, data:, a relative path into
  // the webview) loses its href.
  md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
    const token = ruleToken(tokens, idx);
    if (!LINK_URL.test((token.attrGet('href') ?? '').trim())) token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'href');
    return self.renderToken(tokens, idx, options);
  };
  md.renderer.rules.fence = (tokens, idx) => {
    const token = ruleToken(tokens, idx);
    return codeBlockHtml(token.content, fenceInfoLanguage(token.info));
  };
  md.renderer.rules.code_block = (tokens, idx) => codeBlockHtml(ruleToken(tokens, idx).content, '');
  md.renderer.rules.image = (tokens, idx, options, env) => {
    const token = ruleToken(tokens, idx);
    const src = token.attrGet('src') ?? '';
    const alt = md.renderer.renderInlineAsText(token.children ?? [], options, env).trim();
    if (/^https?:/i.test(src)) return `<a href="${escapeHtml(src)}" class="md-image" title="Image: ${escapeHtml(src)}">${escapeHtml(alt || src)}</a>`;
    return `<span class="md-image">${escapeHtml(alt ? `[image: ${alt}]` : '[image]')}</span>`;
  };
  if (!purify.isSupported) throw new Error('DOMPurify is not supported in this environment');
  const question = questionMarkdown();
  return Object.assign((markdown: string) => purify.sanitize(md.render(markdown), SANITISE), {
    question: (text: string) =>
      purify.sanitize(
        questionPieces(text)
          .map((piece) => (piece.kind === 'fence' ? questionCodeHtml(piece.code, piece.language) : question.renderInline(piece.text)))
          .join(''),
        SANITISE,
      ),
  });
}

/** Reads the code of the code block containing `el` (the text, not the highlighted HTML). */
export function codeOfBlock(el: Element): { code: string; language: string } | undefined {
  const block = el.closest('.code-block');
  const code = block?.querySelector('pre > code');
  if (!block || !code) return undefined;
  return { code: code.textContent ?? '', language: block.getAttribute('data-lang') ?? '' };
}
