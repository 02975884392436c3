/**
 * Issue 27, item 1, as a new user meets it: a second server serves a model name the first already serves. Add vLLM
 * Server asks there how to settle it (alias them, keep only one, skip them) instead of saving an endpoint list that
 * every ask and Profile Models then refuses. "Alias" keeps both under `<model>@<endpoint>` and the models answer;
 * "Skip" adds a third server without its clashing model.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { startLoopbackUpstream, type LoopbackUpstream } from '../fixtures/loopbackUpstream';
import { acceptBox, answerBox, dialog, toast } from './firstRun';
import { FAKE_MODELS, withWorkbench, type Workbench } from './workbench';

const [ALPHA, BETA] = FAKE_MODELS;
const ADD_TITLE = 'SMCS: Add vLLM Server';
const CLASH = 'already served by another endpoint';

interface EndpointSetting {
  id: string;
  baseUrl: string;
  models: (string | { id: string; alias?: string })[];
}

function endpoints(wb: Workbench): EndpointSetting[] {
  return (JSON.parse(wb.userSettingsText()) as { 'smcs.endpoints': EndpointSetting[] })['smcs.endpoints'];
}

/** Add vLLM Server with `server`'s URL, every model it serves and the id `id`, up to the question about the clash. */
async function addServer(wb: Workbench, server: LoopbackUpstream, id: string): Promise<void> {
  await wb.runCommand('smcs.addVllmServer');
  await answerBox(wb, ADD_TITLE, server.baseUrl);
  await acceptBox(wb, `Models served at ${server.baseUrl}`);
  await answerBox(wb, 'SMCS: endpoint id', id);
}

test('adding a server that serves a model name another endpoint serves: the choice is offered there; Alias keeps both and the models answer, Skip leaves the clashing one out', async () => {
  const second = await startLoopbackUpstream({ models: [{ id: ALPHA }, { id: 'delta-coder' }] });
  const third = await startLoopbackUpstream({ models: [{ id: BETA }, { id: 'epsilon-coder' }] });
  try {
    await withWorkbench('model key clash', {}, async (wb) => {
      await wb.openPanel();
      await addServer(wb, second, 'second');
      const question = dialog(wb, CLASH);
      await question.waitFor({ state: 'visible' });
      assert.match((await question.innerText()) ?? '', new RegExp(`a model of second is already served by another endpoint: ${ALPHA} \\(fake\\)`));
      await wb.screenshot('model-key-clash-dialog');
      await question.getByRole('button', { name: 'Alias Them (…@second)' }).click();
      await toast(wb, 'added second with 2 models').waitFor({ state: 'visible' });
      const aliased = endpoints(wb).find((e) => e.id === 'second');
      assert.deepEqual(aliased?.models, [{ id: ALPHA, alias: `${ALPHA}@second` }, 'delta-coder']);
      assert.equal(aliased?.baseUrl, second.baseUrl);
      assert.deepEqual(endpoints(wb).find((e) => e.id === 'fake')?.models, FAKE_MODELS, 'the first endpoint is unchanged');

      // The settings name each model once: the panel shows no settings error and a question is answered, the aliased
      // model among the models listed (before, every ask failed on `model key "alpha-coder" is used by both…`).
      await wb.askInPanel('How do I reverse a list in Python?');
      const run = wb.panel().locator('[data-testid="run"][data-status="done"]');
      await run.waitFor();
      assert.equal(await wb.byTestId('config-error').isVisible(), false);
      await run.locator('[data-testid="why"] > summary').click();
      const listed = await run.locator('[data-testid="prior"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-model')));
      assert.ok(listed.includes(`${ALPHA}@second`) && listed.includes(ALPHA) && listed.includes('delta-coder'), `the models listed: ${listed.join(', ')}`);

      // Skip: the third server is added without the model the first one serves.
      await addServer(wb, third, 'third');
      await dialog(wb, CLASH).getByRole('button', { name: 'Skip Them' }).click();
      await toast(wb, 'added third with 1 model').waitFor({ state: 'visible' });
      assert.deepEqual(endpoints(wb).find((e) => e.id === 'third')?.models, ['epsilon-coder']);
      assert.deepEqual(endpoints(wb).map((e) => e.id), ['fake', 'second', 'third']);
    });
  } finally {
    await second.close();
    await third.close();
  }
});
