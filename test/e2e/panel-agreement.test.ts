/**
 * Issue 44, item 3, as a person sees it: on a multiple-choice question each reply's final answer is a badge on its
 * card, and one line above the answer says where the models agree — "2 of 3 models answer (C); 1 gives no final
 * answer", or the split and why (most models; the working that arrives at the chosen option's value), with "models
 * disagree" when the choice was close. Screenshots `agreement-unanimous-<width>-<theme>.png`,
 * `agreement-split-<width>-<theme>.png` and `agreement-worked-<width>-<theme>.png`, at a 300 and a 700 px side bar in
 * three themes.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import type { RecordedRequest } from '../fixtures/loopbackUpstream';
import { lastRun, lookAt } from './answerScenario';
import { FAKE_MODELS, sharedWorkbench, type Workbench } from './workbench';

const QUESTION = ['Which of these sorting algorithms is stable?', 'A. heapsort', 'B. quicksort', 'C. mergesort', 'D. selection sort'].join('\n');
const COST = ['A wholesaler sold his goods for $1,288, at a loss of 8 % of their original cost. What was the original cost?', 'A. $1,350', 'B. $1,400', 'C. $1,250', 'D. $1,600'].join('\n');
const isAggregation = (request: RecordedRequest): boolean => /Reference from /.test(JSON.stringify(request.body));
/** The window the UI files on the default host share (workbench.ts sharedWorkbench), with the default endpoint. */
const inSharedWindow = sharedWorkbench('default window', {});

/** Each model answers as a referencer with `says[model]`, and as the aggregator with `aggregate`. */
function script(wb: Workbench, says: Record<string, string>, aggregate: string): void {
  for (const model of FAKE_MODELS) {
    wb.fake.script(model, { reply: (request) => (isAggregation(request) ? aggregate : `Reference from ${model}: ${says[model] ?? ''}`) });
  }
}

/**
 * Problems a person would see with the line and the badges of the last run: a badge outside its card or cut, the line
 * wider than the answer, or not above the answer's text and the winner's card.
 */
async function agreementGeometry(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const run = [...document.querySelectorAll('[data-testid="run"]')].pop();
    const problems: string[] = [];
    const badges = [...(run?.querySelectorAll<HTMLElement>('[data-testid="final-answer"]') ?? [])].filter((b) => b.offsetParent !== null);
    if (badges.length === 0) problems.push('no final-answer badge shows');
    for (const badge of badges) {
      const r = badge.getBoundingClientRect();
      const card = badge.closest<HTMLElement>('.card')?.getBoundingClientRect();
      const what = `badge "${badge.textContent ?? ''}"`;
      if (r.width === 0 || r.height === 0) problems.push(`${what} takes no room`);
      if (!card || r.left < card.left - 0.5 || r.right > card.right + 0.5 || r.top < card.top - 0.5 || r.bottom > card.bottom + 0.5) problems.push(`${what} lies outside its card`);
      if (badge.scrollWidth > badge.clientWidth + 1) problems.push(`${what} is cut`);
    }
    const line = run?.querySelector<HTMLElement>('[data-testid="agreement-line"]');
    const answer = run?.querySelector<HTMLElement>('[data-testid="answer"]');
    const text = answer?.querySelector<HTMLElement>(':scope > .markdown');
    const winner = run?.querySelector<HTMLElement>('[data-testid="candidate"][data-winner="true"]');
    if (!line || line.hidden || !answer || !text) return [...problems, 'no agreement line in the answer'];
    const l = line.getBoundingClientRect();
    const a = answer.getBoundingClientRect();
    if (l.left < a.left - 0.5 || l.right > a.right + 0.5) problems.push(`the line (${Math.round(l.left)}–${Math.round(l.right)}) is wider than the answer (${Math.round(a.left)}–${Math.round(a.right)})`);
    if (l.bottom > text.getBoundingClientRect().top + 0.5) problems.push("the line is not above the answer's text");
    if (winner && l.bottom > winner.getBoundingClientRect().top + 0.5) problems.push("the line is not above the winner's card");
    for (const part of [...line.children] as HTMLElement[]) if (!part.hidden && part.scrollWidth > part.clientWidth + 1) problems.push(`"${(part.textContent ?? '').slice(0, 40)}" is cut`);
    return problems;
  });
}

/** The texts of the badges of the last run's reference cards, by model. */
async function referenceBadges(wb: Workbench): Promise<Record<string, string>> {
  const cards = wb.panel().locator('[data-testid="run"]').last().locator('[data-testid="referencer"]');
  const pairs = await cards.evaluateAll((all) => all.map((c) => [c.getAttribute('data-model') ?? '', c.querySelector('[data-testid="final-answer"]')?.textContent ?? '—']));
  return Object.fromEntries(pairs);
}

test("each reply's final answer is a badge; one line above the answer says where the models agree", async () => {
  await inSharedWindow('panel agreement', async (wb) => {
    await wb.openPanel();
    const [alpha, beta, gamma] = FAKE_MODELS;
    script(wb, { [alpha]: 'Mergesort keeps equal keys in order. The answer is (C).', [beta]: 'Answer: C', [gamma]: 'It depends on the implementation.' }, 'Mergesort is stable: the answer is (C).');
    await wb.askInPanel(QUESTION);
    await lastRun(wb, 'done');
    const run = wb.panel().locator('[data-testid="run"]').last();
    assert.equal(await run.locator('[data-testid="agreement-text"]').innerText(), '2 of 3 models answer (C); 1 gives no final answer');
    assert.equal(await run.locator('[data-testid="models-disagree"]').isVisible(), false, 'one answer is no disagreement');
    assert.deepEqual(await referenceBadges(wb), { [alpha]: '(C)', [beta]: '(C)', [gamma]: '—' }, 'a reply without a final answer has no badge');
    const candidateBadges = await run.locator('[data-testid="candidate"] [data-testid="final-answer"]').allInnerTexts();
    assert.ok(candidateBadges.length > 0 && candidateBadges.every((b) => b === '(C)'), `every candidate card shows (C): ${candidateBadges.join(', ')}`);
    await run.locator('[data-testid="referencers"] > summary').click();
    await lookAt(wb, 'agreement-unanimous', { scrollTo: '[data-testid="run"]:last-of-type [data-testid="answer"]', check: agreementGeometry });

    // Two say (D), one (B): with no bank every model weighs the same, so the pair wins — by too little to call it clear.
    script(wb, { [alpha]: 'Heapsort is not; quicksort is not. The answer is (B).', [beta]: 'Selection sort. The answer is (D).', [gamma]: '**Answer: D**' }, 'Selection sort, as most references say: the answer is (D).');
    await wb.askInPanel(QUESTION);
    await wb.panel().locator('[data-testid="run"][data-status="done"]').nth(1).waitFor();
    const split = wb.panel().locator('[data-testid="run"]').last();
    assert.equal(await split.locator('[data-testid="agreement-text"]').innerText(), `${beta} and ${gamma} answer (D) · ${alpha} answers (B) — chose (D): most models answer it`);
    assert.equal(await split.locator('[data-testid="models-disagree"]').innerText(), 'models disagree: a close choice between (D) and (B)');
    assert.deepEqual(await referenceBadges(wb), { [alpha]: '(B)', [beta]: '(D)', [gamma]: '(D)' });
    await split.locator('[data-testid="referencers"] > summary').click();
    await lookAt(wb, 'agreement-split', { scrollTo: '[data-testid="run"]:last-of-type [data-testid="answer"]', check: agreementGeometry });

    // Three answers of equal weight: the one whose working arrives at its option's value is chosen, and the line says why.
    script(
      wb,
      { [alpha]: 'The answer is (A).', [beta]: 'The price is 92 % of the cost: 0.92x = 1288, so x = 1288 / 0.92 = 1400.\n\nThe answer is (B).', [gamma]: 'At a loss it cost more than 1288 + 8 = 1296. The answer is (D).' },
      'As the working shows, 1288 / 0.92 = 1400: the answer is (B).',
    );
    await wb.askInPanel(COST);
    await wb.panel().locator('[data-testid="run"][data-status="done"]').nth(2).waitFor();
    const worked = wb.panel().locator('[data-testid="run"]').last();
    assert.equal(await worked.locator('[data-testid="agreement-text"]').innerText(), `${beta} answers (B) · ${alpha} answers (A) · ${gamma} answers (D) — chose (B): the working of ${beta} arrives at the value of (B)`);
    assert.equal(await worked.locator('[data-testid="models-disagree"]').innerText(), 'models disagree: a close choice between (B) and (A)');
    assert.deepEqual(await referenceBadges(wb), { [alpha]: '(A)', [beta]: '(B)', [gamma]: '(D)' });
    await worked.locator('[data-testid="referencers"] > summary').click();
    await lookAt(wb, 'agreement-worked', { scrollTo: '[data-testid="run"]:last-of-type [data-testid="answer"]', check: agreementGeometry });
  });
});
