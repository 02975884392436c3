/**
 * The first run against servers a new user meets: the welcome, then Add vLLM Server on a server started with
 * `--api-key` (401) asks for the key, keeps it in SecretStorage and saves the endpoint; a wrong port keeps the typed
 * URL and offers Retry, and a server slow to list its models shows a progress notification with Cancel — what those
 * do is checked without a workbench (test/integration/endpointCommands.test.ts), how they look here. Screenshots of
 * the welcome and of the key question at a 300 and a 700 px side bar in three themes (`first-run-…`), of the wrong
 * port's and the slow server's notices and of the dialog about a model another endpoint serves.
 */
import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { startLoopbackUpstream } from '../fixtures/loopbackUpstream';
import { acceptBox, answerBox, closedPort, dialog, quickInput, toast, toastShown } from './firstRun';
import { EVERY_VIEW, type View } from './views';
import { FAKE_MODELS, withWorkbench, type Workbench } from './workbench';

const KEY = 'vllm-e2e-key-7f3a91c2';
const ADD_TITLE = 'SMCS: Add vLLM Server';
const KEY_PROMPT = 'needs an API key';

async function setView(wb: Workbench, view: View): Promise<void> {
  await wb.setTheme(view.theme);
  await wb.setSidebarWidth(view.width);
}

/** The chat requests the fake server answered, each of which must have carried `KEY`. */
function chatRequests(wb: Workbench) {
  return wb.fake.requests.filter((r) => r.path === '/v1/chat/completions');
}

test('first run: Add vLLM Server on a server that answers 401 asks for the key, keeps it out of the settings, and the endpoint answers with it', async () => {
  await withWorkbench('add keyed server', { endpoints: false, fake: { requireKey: { key: KEY } } }, async (wb) => {
    await wb.openPanel();
    await wb.byTestId('welcome').waitFor({ state: 'visible' });
    for (const view of EVERY_VIEW) {
      await setView(wb, view);
      await wb.screenshot(`first-run-welcome-${view.width}-${view.theme}`);
    }
    // The key question in every view: closing it leaves the server waiting for its key; Add vLLM Server offers the URL typed last.
    for (const [i, view] of EVERY_VIEW.entries()) {
      await setView(wb, view);
      if (i === 0) await wb.byTestId('welcome-add-vllm').click();
      else await wb.runCommand('smcs.addVllmServer');
      await answerBox(wb, ADD_TITLE, wb.fake.baseUrl);
      const keyBox = quickInput(wb, KEY_PROMPT);
      await keyBox.waitFor({ state: 'visible' });
      assert.match((await keyBox.textContent()) ?? '', /HTTP 401/);
      assert.equal(await keyBox.locator('.quick-input-box input').getAttribute('type'), 'password');
      await wb.screenshot(`first-run-key-${view.width}-${view.theme}`);
      if (i < EVERY_VIEW.length - 1) {
        await wb.page.keyboard.press('Escape');
        await keyBox.waitFor({ state: 'hidden' });
        await toast(wb, `${wb.fake.baseUrl} needs an API key to list its models`).first().waitFor({ state: 'visible' });
      }
    }
    await answerBox(wb, KEY_PROMPT, KEY);
    await acceptBox(wb, `Models served at ${wb.fake.baseUrl}`);
    const id = `vllm-127-0-0-1-${wb.fake.port}`;
    await answerBox(wb, 'SMCS: endpoint id', id);
    await toast(wb, `added ${id} with 3 models; its API key is in VS Code's secret storage`).waitFor({ state: 'visible' });

    const settings = wb.userSettingsText();
    assert.match(settings, new RegExp(`"baseUrl":\\s*"${wb.fake.baseUrl.replace(/[.:/]/g, '\\$&')}"`));
    assert.ok(!settings.includes(KEY), 'the key is not in the settings');
    await wb.byTestId('input').waitFor({ state: 'visible' });
    await wb.askInPanel('How do I reverse a list in Python?');
    await wb.panel().locator('[data-testid="run"][data-status="done"]').waitFor();
    assert.ok(chatRequests(wb).length > 0, 'the models were asked');
    assert.deepEqual(chatRequests(wb).filter((r) => !wb.fake.sentKey(r, KEY)), [], 'every request carried the key');

    // How the other first-run notices look; what they do is checked without pixels (test/integration/endpointCommands.test.ts).
    await wb.setTheme('dark');
    await lookAtOtherNotices(wb);
  });
});

/**
 * Screenshots of what Add vLLM Server shows besides the key box: a wrong port's error with Retry
 * (`first-run-wrong-port`), a slow server's progress with Cancel (`first-run-slow-server`) and the modal asking how to
 * settle a model another endpoint serves (`model-key-clash-dialog`).
 */
async function lookAtOtherNotices(wb: Workbench): Promise<void> {
  const clearNotifications = () => wb.runPaletteEntry('Notifications: Clear All Notifications');
  const wrong = `http://127.0.0.1:${await closedPort()}/v1`;
  await wb.runCommand('smcs.addVllmServer');
  await answerBox(wb, ADD_TITLE, wrong);
  const failed = toast(wb, `could not list the models of ${wrong}`);
  await toastShown(failed);
  await wb.screenshot('first-run-wrong-port');
  await clearNotifications();
  await failed.waitFor({ state: 'detached' });

  // A server that accepts the connection and never answers GET /v1/models; Cancel closes the request.
  let requestClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (requestClosed = resolve));
  const stalled = createServer((req) => req.socket.once('close', requestClosed));
  await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/v1`;
  try {
    await wb.runCommand('smcs.addVllmServer');
    await answerBox(wb, ADD_TITLE, url);
    const progress = toast(wb, `discovering models at ${url}`);
    await toastShown(progress);
    await wb.screenshot('first-run-slow-server');
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await progress.waitFor({ state: 'hidden' });
    // Closed by the extension, not by the server going away (which would say the models could not be listed).
    await closed;
  } finally {
    stalled.closeAllConnections();
    await new Promise((resolve) => stalled.close(resolve));
  }

  // A second server serving a model the endpoint just added serves.
  const second = await startLoopbackUpstream({ models: [{ id: FAKE_MODELS[0] }, { id: 'delta-coder' }] });
  try {
    await wb.runCommand('smcs.addVllmServer');
    await answerBox(wb, ADD_TITLE, second.baseUrl);
    await acceptBox(wb, `Models served at ${second.baseUrl}`);
    await answerBox(wb, 'SMCS: endpoint id', 'second');
    const clash = dialog(wb, 'already served by another endpoint');
    await clash.waitFor({ state: 'visible' });
    await wb.screenshot('model-key-clash-dialog');
    await clash.getByRole('button', { name: 'Cancel' }).click();
    await clash.waitFor({ state: 'hidden' });
  } finally {
    await second.close();
  }
}
