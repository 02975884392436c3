/**
 * "Use this reply" adds the question to the bank as feedback: the first time, a notification says so, with Forget This
 * Choice (the question is removed again, and the notice closes); it is said once, not at every choice.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordedRequest } from '../fixtures/loopbackUpstream';
import { feedbackQuestions } from './bankFeedback';
import { toast, toastShown, until } from './firstRun';
import { FAKE_MODELS, withWorkbench, type Workbench } from './workbench';

const [ALPHA, BETA, GAMMA] = FAKE_MODELS;
const NOTICE = 'SMCS added this question to your bank';

const isAggregation = (request: RecordedRequest): boolean => /reference:/.test(JSON.stringify(request.body));

/** References that share no words with the candidates, so every referencer gets a label (wrong) from a choice. */
function scriptModels(wb: Workbench): void {
  let candidates = 0;
  wb.fake.script(ALPHA, {
    reply: (request) => {
      if (!isAggregation(request)) return `Alpha reference: ${'use slicing '.repeat(20)}`;
      candidates += 1;
      return `Candidate ${candidates} answer.`;
    },
  });
  wb.fake.script(BETA, { reply: `Beta reference: ${'call reversed '.repeat(20)}` });
  wb.fake.script(GAMMA, { reply: `Gamma reference: ${'use list reverse '.repeat(20)}` });
}

/** Asks in the panel, then uses the candidate that did not win as the reply. */
async function askAndChoose(wb: Workbench, question: string): Promise<void> {
  await wb.askInPanel(question);
  const run = wb.panel().locator('[data-testid="run"][data-status="done"]', { has: wb.panel().locator('[data-testid="question"]', { hasText: question }) });
  await run.waitFor();
  const winner = Number(await run.locator('[data-testid="candidate"][data-winner="true"]').getAttribute('data-index'));
  await run.locator(`[data-testid="candidate"][data-index="${winner === 0 ? 1 : 0}"] [data-testid="use-reply"]`).click();
}

test('"Use this reply" says once that the question went into the bank, and Forget This Choice takes it out again', async () => {
  await withWorkbench('learn notice', {}, async (wb) => {
    scriptModels(wb);
    await wb.openPanel();
    const first = 'How do I reverse a list in Python?';
    await askAndChoose(wb, first);
    const notice = toast(wb, NOTICE).filter({ hasText: '3 referencers labelled by how close their reply is to the one you chose' });
    await toastShown(notice);
    await wb.screenshot('learned-notice-dark');
    assert.deepEqual(await feedbackQuestions(wb), [first]);

    assert.equal(await notice.getByRole('link', { name: 'Undo' }).count(), 0, 'no bare Undo: the link says what it undoes');
    await notice.getByRole('link', { name: 'Forget This Choice' }).click();
    await toast(wb, 'SMCS: the bank forgot this choice; it is as it was before.').waitFor({ state: 'visible' });
    assert.deepEqual(await feedbackQuestions(wb), []);
    await notice.waitFor({ state: 'detached' });

    // The next choice is learned without a word.
    const second = 'How do I sort a list of tuples in Python?';
    await askAndChoose(wb, second);
    // Asked in the same conversation, it is learned after the question before it (issue 27 item 8), never alone.
    await until(async () => (await feedbackQuestions(wb)).some((q) => q.endsWith(second)), 'the second choice was learned');
    await wb.byTestId('bank-headline').filter({ hasText: /^Question bank: 1 question\b/ }).waitFor({ state: 'visible' });
    assert.equal(await toast(wb, NOTICE).count(), 0, 'the notice is shown once');
  });
});
