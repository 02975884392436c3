/**
 * Issue 27, item 3, as a person meets it in the panel: a question over `smcs.maxCostPerQuestion` asks first; Cancel
 * keeps the typed (multi-line) question in the box, Send Anyway answers it and the answer says by how much it went
 * over the limit. Screenshots `cost-limit-<width>-<theme>.png` at 300 and 700 px in three themes.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordedRequest } from '../fixtures/loopbackUpstream';
import { formatUsd } from '../../src/presentation/format';
import { dialog } from './firstRun';
import { until } from './polling';
import { captureState } from './panelStates';
import { FAKE_MODELS, sharedWorkbench } from './workbench';

const LIMIT = 0.001;
/** USD per token: dear enough that one answer costs several times the limit. */
const PRICE = { prompt: 0.00001, completion: 0.00003 };
const QUESTION = 'My Python service caches results in a dict.\nIt grows without bound under load.\n\nHow do I cap its memory?';

const costOf = (r: RecordedRequest): number => (r.usage ? r.usage.prompt_tokens * PRICE.prompt + r.usage.completion_tokens * PRICE.completion : 0);

/** The window the UI files on the default host share (workbench.ts sharedWorkbench), configured for this file's models and settings. */
const inSharedWindow = sharedWorkbench('default window', { fake: { models: FAKE_MODELS.map((id) => ({ id, pricing: PRICE })) }, settings: { 'smcs.maxCostPerQuestion': LIMIT } });

test('over smcs.maxCostPerQuestion: Cancel keeps the multi-line question in the box; Send Anyway answers and says by how much it went over', async () => {
  await inSharedWindow('cost limit', async (wb) => {
      for (const model of FAKE_MODELS) wb.fake.script(model, { reply: `${model}: use functools.lru_cache with a maxsize, which evicts the least recently used results.` });
      await wb.openPanel();
      const input = wb.byTestId('input');
      await input.fill(QUESTION);
      await input.press('Enter');
      const overBudget = dialog(wb, 'smcs.maxCostPerQuestion');
      await overBudget.waitFor({ state: 'visible' });
      assert.match(await overBudget.innerText(), new RegExp(`above your limit of \\${formatUsd(LIMIT)}`));
      await overBudget.getByRole('button', { name: 'Cancel' }).click();
      await overBudget.waitFor({ state: 'hidden' });
      // The box empties when a question is sent; Cancel gives it back.
      await until(async () => (await input.inputValue()) !== '', 'the question came back into the box');
      assert.equal(await input.inputValue(), QUESTION, 'Cancel keeps the question as typed');
      assert.equal(await wb.byTestId('run').count(), 0, 'nothing was asked');
      assert.equal(wb.fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 0, 'no model was called');

      await input.press('Enter');
      await overBudget.waitFor({ state: 'visible' });
      await overBudget.getByRole('button', { name: 'Send Anyway' }).click();
      const run = wb.panel().locator('[data-testid="run"][data-status="done"]');
      await run.waitFor();
      assert.equal(await input.inputValue(), '', 'the question left the box once sent');
      const total = wb.fake.requests.filter((r) => r.path.endsWith('/chat/completions')).reduce((sum, r) => sum + costOf(r), 0);
      assert.ok(total > LIMIT, `the answer cost ${total}, over the limit`);
      const summary = await run.locator('[data-testid="cost-summary"]').innerText();
      assert.ok(summary.startsWith(formatUsd(total)), `the cost line "${summary}" starts with ${formatUsd(total)}`);
      assert.ok(summary.endsWith(`over your ${formatUsd(LIMIT)} limit by ${formatUsd(total - LIMIT)} (sent anyway)`), `the cost line "${summary}" says by how much it went over`);
      await captureState(wb, 'cost-limit', { scrollTo: '[data-testid="run"]' });
    },
  );
});
