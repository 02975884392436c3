/**
 * Code answers picked by running them (issues 15 and 32), as a person sees it in a real workbench: a question in
 * AtCoder's format with three samples, three referencers (one right, one wrong, one looping on a sample) and two
 * candidates that fail, all run in the real sandbox. Each card's check line, its failing samples opened (expected vs
 * got, a long error wrapped inside the card), and the answer: DeepSeek-Coder's own reply, which passes every sample
 * while the aggregations fail, named as chosen by the checks, at 300 and 700 px in the dark, light and high-contrast
 * themes; the order the checks ranked the replies in, opened under the answer; then the best candidate taken instead,
 * still taken after a reload, and "Revert to the answer" bringing the reference back.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import type { RecordedRequest } from '../fixtures/loopbackUpstream';
import { SUM_OF_INTEGERS as QUESTION } from '../fixtures/statements';
import { contrastProblems, cutNameProblems, overflowProblems, overlapProblems } from './panelGeometry';
import { lookInEveryView } from './views';
import { sharedWorkbench, type Workbench } from './workbench';

const DEEPSEEK = 'deepseek/DeepSeek-Coder';
const QWEN = 'qwen/qwen-2.5-coder-32b-instruct';
const LLAMA = 'meta-llama/Meta-Llama-3.1-70B-Instruct';
const MODELS = [DEEPSEEK, QWEN, LLAMA];

const program = (who: string, body: string): string => `Here is a solution.\n\n\`\`\`python\n# reply by ${who}\nn = int(input())\na = list(map(int, input().split()))\n${body}\n\`\`\`\n`;

/** What each referencer answers: right; off by one on every sample; right, but looping forever when N = 1. */
const REFERENCES: Record<string, string> = {
  [DEEPSEEK]: program('deepseek', 'print(sum(a))'),
  [QWEN]: program('qwen', 'print(sum(a) + 1)'),
  [LLAMA]: program('llama', 'while n == 1:\n    pass\nprint(sum(a))'),
};

/** The candidates the aggregator writes: the largest number (right on sample 2 only), and a crash with a long message. */
const CANDIDATES = [program('candidate max', 'print(max(a))'), program('candidate crash', `raise ValueError("cannot sum " + "x" * 300)`)];

const isAggregation = (request: RecordedRequest): boolean => /# reply by /.test(JSON.stringify(request.body));

function scriptModels(wb: Workbench): void {
  let candidates = 0;
  for (const model of MODELS) {
    wb.fake.script(model, {
      chunkDelayMs: 5,
      reply: (request) => {
        if (!isAggregation(request)) return REFERENCES[model] ?? '';
        return CANDIDATES[candidates++ % CANDIDATES.length] ?? '';
      },
    });
  }
}

/** A failure block, or a row of the replies' ranking, that sticks out of its card, or is cut sideways instead of wrapping. */
async function checkBlockProblems(frame: Frame): Promise<string[]> {
  return frame.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.check-line, .check-output, .check-offer, .answer-checks, .answer-ranking > summary, .ranking-row, .ranking-name, .ranking-text, .ranking-head .badge')]
      .filter((el) => el.getBoundingClientRect().width > 0)
      .flatMap((el) => {
        const r = el.getBoundingClientRect();
        const box = (el.closest('.card') ?? el.closest('.answer') ?? document.body).getBoundingClientRect();
        const name = `${el.className} "${(el.textContent ?? '').slice(0, 30)}"`;
        return [
          ...(r.left < box.left - 0.5 || r.right > box.right + 0.5 ? [`${name} spans ${r.left.toFixed(0)}–${r.right.toFixed(0)} px, outside its box ${box.left.toFixed(0)}–${box.right.toFixed(0)} px`] : []),
          ...(el.scrollWidth > el.clientWidth + 1 ? [`${name} is cut sideways (${el.scrollWidth} px of text in ${el.clientWidth} px)`] : []),
        ];
      }),
  );
}

/** Shows the state at every width and theme: scrolls to it, checks the geometry and the check blocks, keeps a screenshot. */
async function captureState(wb: Workbench, state: string, scrollTo: string): Promise<void> {
  await lookInEveryView(wb, state, scrollTo, async (frame) => [
    ...(await overflowProblems(frame)),
    ...(await overlapProblems(frame)),
    ...(await contrastProblems(frame)),
    ...(await cutNameProblems(frame)),
    ...(await checkBlockProblems(frame)),
  ]);
}

/** The window the UI files on the default host share (workbench.ts sharedWorkbench), configured for this file's models and settings. */
const inSharedWindow = sharedWorkbench('default window', { models: MODELS, settings: { 'smcs.k': 3, 'smcs.n': 2, 'smcs.aggregator': LLAMA } });

test('code replies are run on the question’s samples: check lines, failing samples one click away, the reply that passes them all as the answer, at 300 and 700 px in three themes', async () => {
  await inSharedWindow('panel checks', async (wb) => {
    scriptModels(wb);
    await wb.openPanel();
    await wb.askInPanel(QUESTION);

    // While Llama's reply loops on sample 2 (until the sandbox's time limit), its card says the checks are running.
    const running = wb.panel().locator('[data-testid="run"][data-status="running"]');
    const llamaLine = running.locator(`[data-testid="referencer"][data-model="${LLAMA}"] [data-testid="check-line"][data-state="running"]`);
    await llamaLine.waitFor({ timeout: 60_000 });
    assert.equal(await llamaLine.innerText(), '○running 3 examples…');
    await wb.screenshot('checks-running-300-dark', { sidebar: true });

    const run = wb.panel().locator('[data-testid="run"][data-status="done"]');
    await run.waitFor({ timeout: 90_000 });
    const lineOf = (scope: string): Promise<string> => run.locator(`${scope} [data-testid="check-text"]`).innerText();
    // The references fold when the answer is in: open them.
    await run.locator('[data-testid="referencers"] > summary').click();
    assert.equal(await lineOf(`[data-testid="referencer"][data-model="${DEEPSEEK}"]`), 'passes 3/3 examples');
    assert.equal(await lineOf(`[data-testid="referencer"][data-model="${QWEN}"]`), 'passes 0/3 examples');
    assert.equal(await lineOf(`[data-testid="referencer"][data-model="${LLAMA}"]`), 'passes 2/3 examples · 1 timed out');

    // DeepSeek-Coder's reply passes every sample and no aggregation does: its own reply is the answer, said so.
    const answer = run.locator('[data-testid="answer"]');
    assert.match(await answer.innerText(), /# reply by deepseek/);
    assert.equal(await answer.getAttribute('data-candidate'), '-1');
    assert.equal(await run.locator('[data-testid="answer-reference"]').innerText(), 'Reply of DeepSeek-Coder — chosen by the checks');
    assert.equal(await run.locator('[data-testid="answer-checks"]').innerText(), "Answer: DeepSeek-Coder's reply — passes 3/3 examples; the aggregations pass at most 1.");
    assert.equal(await run.locator('[data-testid="check-offer"], [data-testid="use-reference"]').count(), 0, 'nothing to offer: the reply is the answer');
    assert.equal(await run.locator(`[data-testid="referencer"][data-model="${DEEPSEEK}"] [data-testid="answer-badge"]`).innerText(), 'The answer');
    assert.equal(await run.locator('[data-testid="stage-score"] .stage-count').innerText(), 'reference wins');

    // The candidate that prints the largest number passes sample 2 only: the best candidate, neutrally labelled.
    const best = run.locator('[data-testid="candidate"][data-winner="true"]');
    const bestIndex = Number(await best.getAttribute('data-index'));
    assert.equal(await lineOf('[data-testid="candidate"][data-winner="true"]'), 'passes 1/3 examples');
    assert.equal(await lineOf('[data-testid="candidate"][data-winner="false"]'), 'passes 0/3 examples · 3 errors');
    assert.equal(await best.locator('[data-testid="winner-badge"]').innerText(), 'Best candidate');
    assert.equal(await best.getAttribute('data-chosen'), 'false');
    assert.equal(await run.locator('[data-testid="checks-badge"], [data-testid="tie-note"], [data-testid="answer-tie"]').count(), 0);

    // A failing sample is one click away: what the program was given, what it should print, and what it printed.
    await best.locator('[data-testid="check-summary"]').click();
    const failures = best.locator('[data-testid="check-failure"]');
    assert.equal(await failures.count(), 2);
    const first = failures.first();
    assert.match(await first.innerText(), /^Sample Input 1 — wrong output/);
    assert.equal(await first.locator('[data-testid="check-given"]').innerText(), '3\n1 2 3');
    assert.equal(await first.locator('[data-testid="check-expected"]').innerText(), '6');
    assert.equal(await first.locator('[data-testid="check-actual"]').innerText(), '3');
    // The crashing candidate's traceback, with a 300-character word, wraps inside its card.
    const crashing = run.locator('[data-testid="candidate"][data-winner="false"]');
    await crashing.locator('[data-testid="check-summary"]').click();
    assert.match(await crashing.locator('[data-testid="check-error"]').first().innerText(), /ValueError: cannot sum x{300}/);
    await captureState(wb, 'checks-candidates', '[data-testid="candidates"]');

    // The references, with Llama's timed-out sample opened.
    const llama = run.locator(`[data-testid="referencer"][data-model="${LLAMA}"]`);
    await llama.locator('[data-testid="check-summary"]').click();
    assert.match(await llama.locator('[data-testid="check-failure"]').innerText(), /^Sample Input 2 — timed out/);
    assert.match(await llama.locator('[data-testid="check-error"]').innerText(), /time limit/);
    await captureState(wb, 'checks-references', `[data-testid="referencer"][data-model="${QWEN}"]`);
    await captureState(wb, 'checks-answering-reference', `[data-testid="referencer"][data-model="${DEEPSEEK}"]`);

    await captureState(wb, 'checks-answer', '[data-testid="answer"]');

    // How the replies ranked, folded under the answer's note: DeepSeek-Coder's reply first and marked as the answer,
    // then by the samples each passes — Llama's reply above the best candidate, a candidate above a reference it ties with.
    const ranking = run.locator('[data-testid="answer-ranking"]');
    assert.equal(await ranking.getAttribute('open'), null, 'folded until asked for');
    assert.equal(await ranking.locator('[data-testid="ranking-summary"]').innerText(), 'How the replies ranked (5)');
    await ranking.locator('[data-testid="ranking-summary"]').click();
    const rankedRows = async (scope: typeof ranking) =>
      scope.locator('[data-testid="ranking-row"]').evaluateAll((rows) =>
        rows.map((row) => [row.querySelector('[data-testid="ranking-name"]')?.textContent, row.querySelector('[data-testid="ranking-text"]')?.textContent, row.querySelector('[data-testid="ranking-answer"]')?.textContent ?? '']),
      );
    const ranked = [
      ["DeepSeek-Coder's reply", 'passes 3/3 examples', 'The answer'],
      ["Meta-Llama-3.1-70B-Instruct's reply", 'passes 2/3 examples', ''],
      [`Candidate ${bestIndex + 1}`, 'passes 1/3 examples', ''],
      [`Candidate ${2 - bestIndex}`, 'passes 0/3 examples', ''],
      ["qwen-2.5-coder-32b-instruct's reply", 'passes 0/3 examples', ''],
    ];
    assert.deepEqual(await rankedRows(ranking), ranked);
    await captureState(wb, 'checks-ranking', '[data-testid="answer-ranking"]');

    // The best candidate can still be taken, through the host, and stays taken after a reload.
    await best.locator('[data-testid="use-reply"]').click();
    await answer.filter({ hasText: '# reply by candidate max' }).waitFor();
    assert.equal(await run.locator('[data-testid="answer-chosen"]').innerText(), `Your choice: candidate ${bestIndex + 1}`);
    assert.equal(await run.locator('[data-testid="answer-revert"]').innerText(), 'Revert to the answer');
    assert.equal(await run.locator(`[data-testid="referencer"][data-model="${DEEPSEEK}"] [data-testid="answer-badge"]`).isVisible(), false);
    await captureState(wb, 'checks-chosen', '[data-testid="answer"]');

    await wb.reload();
    await wb.openPanel();
    const restored = wb.panel().locator('[data-testid="run"][data-status="done"]');
    const restoredAnswer = restored.locator('[data-testid="answer"]');
    await restoredAnswer.filter({ hasText: '# reply by candidate max' }).waitFor();
    assert.equal(await restored.locator('[data-testid="answer-chosen"]').innerText(), `Your choice: candidate ${bestIndex + 1}`);
    // The restored run still knows the checks answered with DeepSeek-Coder's reply: Revert brings it back.
    await restored.locator('[data-testid="answer-revert"]', { hasText: 'Revert to the answer' }).click();
    await restoredAnswer.filter({ hasText: '# reply by deepseek' }).waitFor();
    assert.equal(await restored.locator('[data-testid="answer-reference"]').innerText(), 'Reply of DeepSeek-Coder — chosen by the checks');
    assert.equal(await restored.locator('[data-testid="answer-checks"]').innerText(), "Answer: DeepSeek-Coder's reply — passes 3/3 examples; the aggregations pass at most 1.");
    assert.equal(await restored.locator('[data-testid="answer-chosen"], [data-testid="answer-revert"]').count(), 0);
    // The ranking is kept with the run.
    assert.deepEqual(await rankedRows(restored.locator('[data-testid="answer-ranking"]')), ranked);
  });
});
