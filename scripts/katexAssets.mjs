// KaTeX's stylesheet and fonts for the panel, copied from the pinned `katex` package into dist/katex/ at build time
// (the webview may load only files of the extension; its CSP allows styles and fonts from there and nowhere else).
// Only the woff2 fonts ship: every browser engine VS Code has used reads them, so the stylesheet names no other format.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The stylesheet's `url(fonts/…woff)` and `url(fonts/…ttf)` fallbacks, removed with the comma before them. */
const FALLBACK_FONTS = /,url\(fonts\/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)/g;

/** Writes katex.css and fonts/*.woff2 into `target` (dist/katex/ by default); returns the number of fonts copied. */
export function copyKatexAssets(root, target = path.join(root, 'dist', 'katex')) {
  const source = path.join(root, 'node_modules', 'katex', 'dist');
  mkdirSync(path.join(target, 'fonts'), { recursive: true });
  const css = readFileSync(path.join(source, 'katex.min.css'), 'utf8').replace(FALLBACK_FONTS, '');
  writeFileSync(path.join(target, 'katex.css'), css);
  const fonts = readdirSync(path.join(source, 'fonts')).filter((f) => f.endsWith('.woff2'));
  for (const font of fonts) copyFileSync(path.join(source, 'fonts', font), path.join(target, 'fonts', font));
  return fonts.length;
}
