import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { makeNonce, panelCsp, panelHtml } from '../panelHtml';

const source = 'https://*.vscode-cdn.net';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values]));
}

test('the CSP allows scripts only by nonce: no unsafe-inline, no unsafe-eval, no hosts', () => {
  const d = directives(panelCsp(source, 'abc123'));
  assert.deepEqual(d.get('default-src'), ["'none'"]);
  assert.deepEqual(d.get('script-src'), ["'nonce-abc123'"]);
  assert.deepEqual(d.get('style-src'), [source]);
  for (const values of d.values()) {
    assert.ok(!values.includes("'unsafe-eval'"));
    assert.ok(!values.includes("'unsafe-inline'"));
    assert.ok(!values.includes('*') && !values.includes('https:') && !values.includes('http:'));
  }
});

test('the HTML loads one nonce-tagged script and no inline handlers or inline scripts', () => {
  const nonce = makeNonce(randomBytes);
  const html = panelHtml({ cspSource: source, nonce, scriptUri: 'https://x/dist/webview.js', styleUri: 'https://x/media/panel.css', mathStyleUri: 'https://x/dist/katex/katex.css' });
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  assert.match(scripts[0]![1]!, new RegExp(`nonce="${nonce}"`));
  assert.match(scripts[0]![1]!, /src="https:\/\/x\/dist\/webview\.js"/);
  assert.equal(scripts[0]![2]!.trim(), '', 'no inline script body');
  assert.doesNotMatch(html, /\son[a-z]+=/i);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="[^"]*script-src 'nonce-/);
});

test('nonces are random and URL-safe', () => {
  const a = makeNonce(randomBytes);
  const b = makeNonce(randomBytes);
  assert.notEqual(a, b);
  assert.match(a, /^[A-Za-z0-9_-]{24}$/);
});

test('attribute values are escaped', () => {
  const html = panelHtml({ cspSource: source, nonce: 'n', scriptUri: 'https://x/a"><script>alert(1)</script>', styleUri: 's', mathStyleUri: 'm' });
  assert.equal([...html.matchAll(/<script\b/g)].length, 1);
});

test('KaTeX\'s stylesheet loads from the extension before the panel\'s own; its fonts, beside it, are what font-src allows', () => {
  const html = panelHtml({ cspSource: source, nonce: 'n', scriptUri: 'https://x/dist/webview.js', styleUri: 'https://x/media/panel.css', mathStyleUri: 'https://x/dist/katex/katex.css' });
  assert.deepEqual([...html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]), ['https://x/dist/katex/katex.css', 'https://x/media/panel.css']);
  const d = directives(panelCsp(source, 'n'));
  assert.deepEqual(d.get('font-src'), [source]);
  assert.deepEqual(d.get('style-src'), [source], 'no inline styles: KaTeX\'s are set through the CSSOM');
});
