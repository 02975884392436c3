/** KaTeX's assets as the panel loads them: every font the stylesheet names is copied beside it, and only woff2. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as KatexAssets from '../katexAssets.mjs' with { 'resolution-mode': 'import' };

const REPO = path.resolve(__dirname, '..', '..');

test('the copied stylesheet names only woff2 fonts, and every one of them is there', async () => {
  const { copyKatexAssets }: typeof KatexAssets = await import('../katexAssets.mjs');
  const target = mkdtempSync(path.join(os.tmpdir(), 'smcs-katex-'));
  try {
    const copied = copyKatexAssets(REPO, target);
    const urls = [...readFileSync(path.join(target, 'katex.css'), 'utf8').matchAll(/url\(([^)]+)\)/g)].map((m) => m[1] ?? '');
    assert.ok(urls.length >= 20, `${urls.length} fonts named`);
    assert.equal(copied, urls.length);
    for (const url of urls) {
      assert.match(url, /^fonts\/KaTeX_[\w-]+\.woff2$/);
      assert.ok(existsSync(path.join(target, url)), `${url} is copied`);
    }
  } finally {
    rmSync(target, { recursive: true, force: true });
  }
});
