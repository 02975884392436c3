import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FAKE_MODELS, withWorkbench } from './workbench';

/** The text of every SMCS output-channel log file code-server wrote. */
function smcsLogText(userDataDir: string): string {
  const logs = path.join(userDataDir, 'logs');
  if (!existsSync(logs)) return '';
  return readdirSync(logs, { recursive: true })
    .map(String)
    .filter((name) => /SMCS\.log$/.test(name))
    .map((name) => readFileSync(path.join(logs, name), 'utf8'))
    .join('\n');
}

async function until(probe: () => boolean, what: string, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a gateway that echoes the Authorization header: the key reaches neither the panel nor the SMCS log', async () => {
  // A key of no recognisable shape: only the registry of resolved keys can know it is one.
  const key = 'e2e-gateway-key-5d4c3b2a1f0e';
  const [, echoing] = FAKE_MODELS;
  await withWorkbench('secrets', { apiKey: key }, async (wb) => {
    wb.fake.script(echoing, { echoCredentials: { status: 400 } });
    await wb.openPanel();
    await wb.askInPanel('How do I reverse a list in Python?');
    const run = wb.panel().locator('[data-testid="run"][data-status="done"]');
    await run.waitFor();
    await run.locator(`[data-testid="referencer"][data-model="${echoing}"]`).waitFor({ state: 'attached' });
    assert.ok(wb.fake.requests.some((r) => wb.fake.sentKey(r, key)), 'the key was sent to the server');

    const html = await (await wb.panelFrame()).content();
    assert.match(html, /Authorization: Bearer \[redacted\]/, 'the echo reached the panel (the failed reference\'s details), without the key');
    assert.ok(!html.includes(key), 'the key is not in the panel');
    await until(() => smcsLogText(wb.server.userDataDir).includes(`${echoing} failed`), 'the failure reached the SMCS log');
    const log = smcsLogText(wb.server.userDataDir);
    assert.match(log, /Authorization: Bearer \[redacted\]/, 'the echo is logged, without the key');
    assert.ok(!log.includes(key), 'the key is not in the log');
  });
});
