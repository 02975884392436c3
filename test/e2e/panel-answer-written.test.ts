/**
 * The answer as it is written, in the panel (issue 68): while the run is live, the answer card shows the first candidate
 * to write as its words come, saying it is not chosen yet, with the panel following it at a 300 px side bar; once the run
 * is scored the card is the answer — the same text without another word when that candidate is chosen, the chosen
 * reply with "Chosen instead: …" when it is not; on Stop the card goes, as a stopped run has no answer. The aggregator
 * writes slowly (100 ms a word), and every aggregation but the first waits until the test lets it go, so the run stays
 * live while it is looked at. Screenshots `answer-writing-300-dark.png`, `answer-written-*.png`, `answer-instead-*.png`
 * and `answer-stopped-300-dark.png`.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordedRequest } from '../fixtures/loopbackUpstream';
import { answerCardProblems } from './answerGeometry';
import { LLAMA_405B, MODELS, SERVED, SETTINGS, lastRun, lookAt } from './answerScenario';
import type { Workbench } from './workbench';
import { CHAT_WORKBENCH, withWorkbench } from './workbench';

/** The answer most aggregations write: markdown with a code block, ~50 words (5 s at the aggregator's pace). */
const PAIRS = [
  'Use `itertools.permutations(items, 2)`: it yields every **ordered pair** of two distinct items, so 3 items give 3 × 2 = 6 pairs.',
  '',
  '```python',
  'from itertools import permutations',
  "pairs = list(permutations(['a', 'b', 'c'], 2))",
  '```',
  '',
  'For pairs whose order does not matter, `itertools.combinations(items, 2)` gives the 3 unordered ones.',
].join('\n');
/** Another answer, in other words: written first, it is the odd one out the score passes over. */
const BY_HAND = 'Write it by hand: loop over each first item, then over every other item, and collect each (first, second) tuple into a list — two nested loops.';

const isAggregation = (request: RecordedRequest): boolean => /Reference from /.test(JSON.stringify(request.body));

/**
 * Every model answers as a referencer at once; the aggregator writes `first` in the first aggregation it is asked for and
 * `others` in the rest, which wait until `release`.
 */
function scriptWriting(wb: Workbench, first: string, others: string): { release: () => void } {
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let writer: RecordedRequest | undefined;
  for (const model of MODELS) {
    wb.fake.script(model, {
      reply: (request) => (!isAggregation(request) ? `Reference from ${model}: permutations of 3 items taken 2 at a time give 6 ordered pairs.` : request === writer ? first : others),
      ...(model === LLAMA_405B
        ? {
            chunkDelayMs: 100,
            holdUntil: (request: RecordedRequest) => {
              if (!isAggregation(request)) return undefined;
              writer ??= request;
              return request === writer ? undefined : gate;
            },
          }
        : {}),
    });
  }
  return { release: () => release() };
}

test('the answer card shows the first candidate as it writes, before the run is scored; the chosen answer replaces it, saying why when it is another', async () => {
  // The score alone (λ 0: similarity, no perplexity) passes over the odd reply; no straggler is left out while the run is held.
  const settings = { ...SETTINGS, 'smcs.lambda': 0, 'smcs.stragglerFactor': 0 };
  // Today's VS Code, as a new user meets it (the other panel tests run in 1.104).
  await withWorkbench('panel answer as written', { models: MODELS, fake: { models: SERVED }, settings, vscode: CHAT_WORKBENCH }, async (wb) => {
    await wb.openPanel();
    await wb.setSidebarWidth(300);

    // The first candidate to write is chosen: the card grows while the run is live, then is the answer as it was.
    const chosen = scriptWriting(wb, PAIRS, PAIRS);
    await wb.askInPanel('How do I list the ordered pairs of 3 items in Python?');
    const run = wb.byTestId('run').last();
    const answer = run.locator('[data-testid="answer"]');
    const text = answer.locator('.markdown');
    await text.filter({ hasText: 'Use itertools' }).waitFor();
    const firstWords = await text.innerText();
    assert.equal(await run.getAttribute('data-status'), 'running', 'the first words show before the run is scored');
    assert.notEqual(await run.locator('[data-testid="stage-score"]').getAttribute('data-status'), 'done');
    assert.equal(await answer.getAttribute('data-writing'), 'writing');
    assert.doesNotMatch(firstWords, /unordered ones/, `the words so far, not the whole reply: ${firstWords}`);
    const writing = await answer.locator('[data-testid="answer-writing"]').innerText();
    const writer = /^Being written by candidate (\d+); the choice comes when every candidate is scored$/.exec(writing)?.[1];
    assert.ok(writer !== undefined, writing);
    await wb.screenshot('answer-writing-300-dark', { sidebar: true });

    // Written whole, the others still held: the panel followed it (its head on screen, nothing scrolled by the test).
    await answer.locator('[data-testid="answer-writing"]', { hasText: new RegExp(`^Written by candidate ${writer};`) }).waitFor();
    assert.deepEqual(await answerCardProblems(await wb.panelFrame()), [], 'the panel keeps the answer being written in view');
    assert.equal(await text.locator('[data-testid="code-block"]').count(), 1, 'its markdown is rendered as it comes');
    assert.equal(await answer.locator('[data-testid="code-apply"]').count(), 0, 'no Apply before it is chosen');
    await lookAt(wb, 'answer-written', { scrollTo: '[data-testid="run"]', check: answerCardProblems });
    assert.equal(await run.getAttribute('data-status'), 'running', 'the run was live for its screenshots');
    const streamed = await text.locator('p, pre code').allInnerTexts();
    chosen.release();
    await lastRun(wb, 'done');
    assert.equal(await answer.getAttribute('data-writing'), null);
    assert.match(await answer.locator('[data-testid="answer-winner"]').innerText(), /^Winner: /);
    assert.equal(await answer.locator('[data-testid="answer-instead"]').isVisible(), false, 'the answer is what was shown: no line says otherwise');
    assert.deepEqual(await text.locator('p, pre code').allInnerTexts(), streamed, 'the card kept its text');
    assert.equal(await answer.locator('[data-testid="code-apply"]').count(), 1, 'chosen, its code can be applied');

    // Another candidate chosen: the card swaps to it and says why, in the words @smcs and `smcs serve` use.
    const passedOver = scriptWriting(wb, BY_HAND, PAIRS);
    await wb.askInPanel('And how would I write that without a library?');
    const second = wb.byTestId('run').last();
    const secondAnswer = second.locator('[data-testid="answer"]');
    await secondAnswer.locator('.markdown', { hasText: 'Write it by hand' }).waitFor();
    const head = await secondAnswer.locator('[data-testid="answer-writing"]').innerText();
    const shown = /^(?:Being written|Written) by candidate (\d+);/.exec(head)?.[1];
    assert.ok(shown !== undefined, head);
    assert.equal(await second.getAttribute('data-status'), 'running');
    passedOver.release();
    await lastRun(wb, 'done');
    const instead = secondAnswer.locator('[data-testid="answer-instead"]');
    assert.match(await instead.innerText(), new RegExp(`^Chosen instead: candidate \\d+, which the hybrid score ranks first; candidate ${shown}, shown while it was written, was not chosen\\.$`));
    const finalText = await secondAnswer.locator('.markdown').innerText();
    assert.match(finalText, /itertools\.permutations/);
    assert.doesNotMatch(finalText, /by hand/, 'the reply passed over is no longer shown as the answer');
    await lookAt(wb, 'answer-instead', { scrollTo: '[data-testid="run"]:last-of-type', check: answerCardProblems });

    // Stopped while it is written: a stopped run has no answer, so the card goes; the banner says what was kept.
    await wb.setSidebarWidth(300);
    const stopped = scriptWriting(wb, PAIRS, PAIRS);
    await wb.askInPanel('And for 4 items?');
    const third = wb.byTestId('run').last();
    await third.locator('[data-testid="answer"][data-writing="writing"] .markdown', { hasText: 'Use' }).waitFor();
    await third.locator('[data-testid="stop"]').click();
    await lastRun(wb, 'cancelled');
    stopped.release();
    assert.equal(await third.locator('[data-testid="answer"]').isVisible(), false, 'words cut short are not the answer');
    assert.match(await third.locator('[data-testid="run-banner"]').innerText(), /^Stopped/);
    await (await wb.panelFrame()).evaluate(() => [...document.querySelectorAll('[data-testid="run"]')].pop()?.scrollIntoView({ block: 'start' }));
    await wb.screenshot('answer-stopped-300-dark', { sidebar: true });
  });
});
