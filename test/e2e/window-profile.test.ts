/**
 * The browser profile the UI suite's windows share on one host (scripts/testHarness.mjs `launchWindowProfile`): a window
 * that follows another finds nothing the first stored for the origin — local storage, IndexedDB (where a web
 * workbench keeps its global state and secrets), a granted permission — while the HTTP cache they share still serves
 * what the first loaded.
 */
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type * as HarnessScript from '../../scripts/testHarness.mjs' with { 'resolution-mode': 'import' };

const loadHarness = (): Promise<typeof HarnessScript> => import('../../scripts/testHarness.mjs');

/** A page and a cacheable script; counts the script's requests. */
function serve(): Promise<{ server: Server; origin: string; scriptRequests: () => number }> {
  let scripts = 0;
  const server = createServer((req, res) => {
    if (req.url === '/app.js') {
      scripts++;
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'public, max-age=3600' });
      res.end('window.loaded = true;');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><script src="/app.js"></script>');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, scriptRequests: () => scripts })));
}

/** What the page at `origin` finds stored for it: a local-storage item, the IndexedDB databases, the clipboard permission. */
function stored(page: Page): Promise<{ item: string | null; databases: string[]; clipboard: string }> {
  return page.evaluate(async () => ({
    item: localStorage.getItem('left'),
    databases: (await indexedDB.databases()).map((d) => d.name ?? ''),
    clipboard: (await navigator.permissions.query({ name: 'clipboard-read' as PermissionName })).state,
  }));
}

test('a window after another on the same profile finds nothing the first stored, and the shared HTTP cache serves what it loaded', async () => {
  const { launchWindowProfile } = await loadHarness();
  const { ensureChromium } = await import('../../scripts/codeServer.mjs');
  await ensureChromium();
  const { server, origin, scriptRequests } = await serve();
  const profile = await launchWindowProfile({ viewport: { width: 800, height: 600 } });
  try {
    const first = await profile.context.newPage();
    await first.goto(origin);
    await profile.context.grantPermissions(['clipboard-read'], { origin });
    await first.evaluate(
      () =>
        new Promise<void>((done, fail) => {
          localStorage.setItem('left', 'by the first window');
          const open = indexedDB.open('vscode-web-state-db-global', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('ItemTable');
          open.onerror = () => fail(new Error(`IndexedDB: ${open.error?.message ?? 'not opened'}`));
          open.onsuccess = () => {
            const tx = open.result.transaction('ItemTable', 'readwrite');
            tx.objectStore('ItemTable').put('secret', 'key');
            tx.oncomplete = () => {
              open.result.close();
              done();
            };
          };
        }),
    );
    assert.deepEqual(await stored(first), { item: 'by the first window', databases: ['vscode-web-state-db-global'], clipboard: 'granted' }, 'the first window stored what the check looks for');
    await first.goto('about:blank');
    await profile.clearWindow(first, origin);
    await first.close();

    const second = await profile.context.newPage();
    await second.goto(origin);
    assert.deepEqual(await stored(second), { item: null, databases: [], clipboard: 'prompt' });
    assert.equal(await second.evaluate(() => (window as unknown as { loaded?: boolean }).loaded), true);
    assert.equal(scriptRequests(), 1, 'the second window took the script from the shared cache');
  } finally {
    await profile.close();
    server.close();
  }
});
