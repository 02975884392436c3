/**
 * The HTML shell of the SMCS panel: a strict Content-Security-Policy with a per-load nonce, KaTeX's stylesheet and the
 * panel's (both shipped with the extension; KaTeX's fonts load from beside its stylesheet), and one bundled script.
 * Pure, so the policy can be tested without VS Code.
 */

export interface PanelHtmlInput {
  /** `webview.cspSource`: the origin allowed for styles, fonts and images shipped with the extension. */
  cspSource: string;
  /** Random per-load value; the only script allowed to run carries it. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** KaTeX's stylesheet (dist/katex/katex.css), for LaTeX in replies. */
  mathStyleUri: string;
}

/** The Content-Security-Policy of the panel: no inline or eval'd script, nothing fetched from the network. */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The panel's HTML document. */
export function panelHtml(input: PanelHtmlInput): string {
  const csp = panelCsp(input.cspSource, input.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(input.mathStyleUri)}">
<link rel="stylesheet" href="${escapeAttr(input.styleUri)}">
<title>SMCS</title>
</head>
<body>
<main id="app" aria-label="SMCS multi-model answers"></main>
<script nonce="${escapeAttr(input.nonce)}" src="${escapeAttr(input.scriptUri)}"></script>
</body>
</html>`;
}

/** A random nonce (base64url of 18 bytes from the given random source). */
export function makeNonce(randomBytes: (n: number) => Uint8Array): string {
  return Buffer.from(randomBytes(18)).toString('base64url');
}
