import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import createDOMPurify from 'dompurify';
import { codeOfBlock, createMarkdownRenderer, fenceInfoLanguage } from '../markdown';

const window = new JSDOM('<!DOCTYPE html><body></body>').window;
const purify = createDOMPurify(window);
const render = createMarkdownRenderer(purify);

function dom(markdown: string): Document {
  const doc = new JSDOM('<!DOCTYPE html><body></body>').window.document;
  doc.body.innerHTML = render(markdown);
  return doc;
}

/** Every attribute of every element, to look for event handlers and script URLs. */
function attributes(doc: Document): { name: string; value: string }[] {
  return [...doc.body.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => ({ name: a.name, value: a.value })));
}

test('markdown renders with highlighted code and a toolbar per code block', () => {
  const doc = dom('Use this:\n\n```ts\nconst x: number = 1;\n```\n\nand\n\n```\nplain\n```');
  const blocks = doc.querySelectorAll('[data-testid="code-block"]');
  assert.equal(blocks.length, 2);
  assert.equal(blocks[0]!.getAttribute('data-lang'), 'ts');
  assert.ok(blocks[0]!.querySelector('.hljs-keyword'), 'TypeScript keywords are highlighted');
  for (const block of blocks) {
    assert.deepEqual([...block.querySelectorAll('button')].map((b) => b.getAttribute('data-testid')), ['code-copy', 'code-insert', 'code-open', 'code-wrap']);
  }
  const copy = blocks[0]!.querySelector('[data-testid="code-copy"]');
  assert.ok(copy);
  assert.deepEqual(codeOfBlock(copy), { code: 'const x: number = 1;\n', language: 'ts' });
});

test('a <script> in a reply is shown as text, never as an element', () => {
  const doc = dom('Hello <script>window.pwned = 1</script> there\n\n<script>alert(1)</script>');
  assert.equal(doc.querySelectorAll('script').length, 0);
  assert.match(doc.body.textContent ?? '', /<script>alert\(1\)<\/script>/);
});

test('an <img onerror> payload produces no img and no event handler', () => {
  const doc = dom('<img src=x onerror="alert(1)">\n\n![x](javascript:alert(1))\n\n![y](x" onerror="alert(2))');
  for (const a of attributes(doc)) {
    assert.doesNotMatch(a.name, /^on/i, `event handler attribute ${a.name}`);
    assert.doesNotMatch(a.value, /^\s*javascript:/i, `script URL in ${a.name}`);
  }
  for (const img of doc.querySelectorAll('img')) assert.doesNotMatch(img.getAttribute('src') ?? '', /javascript:|^x$/);
});

test('javascript: and data: links lose their href; http links keep it', () => {
  const doc = dom('[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [ok](https://example.com/a) <a href="javascript:alert(2)">raw</a>');
  const hrefs = [...doc.querySelectorAll('a')].map((a) => a.getAttribute('href'));
  assert.deepEqual(hrefs, ['https://example.com/a']);
  assert.equal(doc.querySelectorAll('[href^="javascript" i], [src^="javascript" i]').length, 0);
  assert.match(doc.body.textContent ?? '', /raw/);
});

test('raw HTML and styles in a reply are escaped: no iframes, forms or inline styles', () => {
  const doc = dom('<iframe src="https://evil"></iframe><form action="x"><input></form><div style="position:fixed">x</div><svg onload="alert(1)"></svg>');
  assert.equal(doc.querySelectorAll('iframe, form, input, svg, [style]').length, 0);
});

test('a reply cannot forge code-block buttons through raw HTML', () => {
  const doc = dom('<button data-action="code-insert">Insert</button>');
  assert.equal(doc.querySelectorAll('button').length, 0);
});

test('fence info strings are reduced to a safe language name', () => {
  assert.equal(fenceInfoLanguage('TypeScript title="a.ts"'), 'typescript');
  assert.equal(fenceInfoLanguage('c++'), 'c++');
  assert.equal(fenceInfoLanguage('"><img src=x onerror=alert(1)>'), '');
  assert.equal(fenceInfoLanguage(''), '');
  const doc = dom('```"><img src=x onerror=alert(1)>\ncode\n```');
  assert.equal(doc.querySelectorAll('img').length, 0);
  assert.equal(doc.querySelector('[data-testid="code-block"]')?.getAttribute('data-lang'), '');
});

test('images are never loaded: a remote one is a link to it (text = alt or the URL), a data: URI only its description', () => {
  const doc = dom(
    'See ![the diagram](https://example.com/d.png "Diagram") and ![](http://example.com/x.gif).\n\n' +
      '![tracking pixel](data:image/png;base64,iVBORw0KGgo=) ![](data:image/gif;base64,R0lGOD==) ![rel](./local.png)',
  );
  assert.equal(doc.querySelectorAll('img').length, 0);
  const links = [...doc.querySelectorAll('a')].map((a) => ({ href: a.getAttribute('href'), text: a.textContent }));
  assert.deepEqual(links, [
    { href: 'https://example.com/d.png', text: 'the diagram' },
    { href: 'http://example.com/x.gif', text: 'http://example.com/x.gif' },
  ]);
  assert.deepEqual([...doc.querySelectorAll('span.md-image')].map((s) => s.textContent), ['[image: tracking pixel]', '[image]', '[image: rel]']);
  assert.ok(!attributes(doc).some((a) => a.value.startsWith('data:')), 'no data: URI survives');
});
