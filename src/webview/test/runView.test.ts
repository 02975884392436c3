import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createRun, type RunState } from '../../presentation/runState';
import type { MarkdownRenderer } from '../markdown';
import { byTestId, installPanelDom, oneByTestId } from '../../../test/fixtures/panelDom';
import { RunView } from '../runView';
import { SCORE_HELP } from '../candidateCard';

const L8 = 'meta-llama/Meta-Llama-3.1-8B-Instruct';
const L70 = 'meta-llama/Meta-Llama-3.1-70B-Instruct';
const L405 = 'meta-llama/Meta-Llama-3.1-405B-Instruct';
const FLASH = 'gemini-1.5-flash-002';
const PRO = 'gemini-1.5-pro-002';

let render: MarkdownRenderer;

before(() => {
  render = installPanelDom();
});

const card = (root: Element, index: number): HTMLElement => {
  const found = root.querySelector<HTMLElement>(`[data-testid="candidate"][data-index="${index}"]`);
  assert.ok(found, `candidate ${index}`);
  return found;
};

/** A finished run: three Llama referencers answered, three candidates, candidate 1 (index 0) won. */
function doneRun(): RunState {
  return {
    ...createRun('run-1', 'Which cache?', 1000),
    status: 'done',
    finishedAt: 5000,
    supportCount: 8,
    priors: [
      { model: FLASH, prior: 0.565, unprofiled: false },
      { model: L8, prior: 1.067, unprofiled: false },
      { model: PRO, prior: 1.1, unprofiled: false },
      { model: L405, prior: 1.293, unprofiled: false },
      { model: L70, prior: 1.184, unprofiled: false },
    ],
    referencers: [L405, L70, L8].map((model) => ({ model, status: 'done' as const, text: `Reference from ${model}`, reasoning: model === L405 ? 'First, the keys repeat.' : '' })),
    candidates: [
      { index: 0, subset: [L405, L70], status: 'done', text: 'Use **lru_cache**.', reasoning: 'The aggregator weighed both.', similarity: 0.9, perplexity: 1.5, total: 0.4 },
      { index: 1, subset: [L405, L8], status: 'done', text: 'Use a dict.', reasoning: '', similarity: 0.8, perplexity: 2, total: -0.2 },
      { index: 2, subset: [L70, L8], status: 'done', text: 'Use a list.', similarity: 0.7, perplexity: 2.5, total: -0.8 },
    ],
    winner: 0,
    logprobsUsed: true,
    answer: { reply: { kind: 'candidate', index: 0 }, because: 'score' },
  };
}

test('a candidate card names the reference its subset left out, by its short name, with the whole subset one click away', () => {
  const view = new RunView(doneRun(), render);
  const second = card(view.root, 1);
  const summary = oneByTestId(second, 'left-out');
  assert.equal(summary.textContent, 'without Meta-Llama-3.1-70B-Instruct');
  assert.match(summary.title, new RegExp(`Left out: ${L70.replace(/[.]/g, '\\.')}`));
  const subset = oneByTestId(second, 'subset') as HTMLDetailsElement;
  assert.equal(subset.tagName, 'DETAILS');
  assert.equal(subset.open, false);
  assert.deepEqual(byTestId(second, 'subset-member').map((m) => m.textContent), [L405, L8]);
});

test('compare: every non-winning card offers "Compare with winner" and a menu of the other candidates; the winner only the menu', () => {
  const view = new RunView(doneRun(), render);
  const second = card(view.root, 1);
  const button = oneByTestId(second, 'compare-winner');
  assert.deepEqual([button.dataset.action, button.dataset.runId, button.dataset.left, button.dataset.right], ['compare', 'run-1', '1', '0']);
  const menu = oneByTestId(second, 'compare-with') as HTMLSelectElement;
  assert.deepEqual([...menu.options].map((o) => [o.value, o.textContent]), [['', 'or another…'], ['2', 'Candidate 3']]);
  const winner = card(view.root, 0);
  assert.equal(byTestId(winner, 'compare-winner').length, 0);
  const winnerMenu = oneByTestId(winner, 'compare-with') as HTMLSelectElement;
  assert.deepEqual([...winnerMenu.options].map((o) => o.value), ['', '1', '2']);
  assert.equal(winnerMenu.dataset.left, '0');
});

test('the references are open while a run streams and fold once it ends; a finished run opens with them folded', () => {
  const running: RunState = { ...doneRun(), status: 'running' };
  const view = new RunView(running, render);
  const references = (root: Element) => root.querySelector<HTMLDetailsElement>('[data-testid="referencers"]');
  assert.equal(references(view.root)?.open, true);
  view.update(running, 6000);
  assert.equal(references(view.root)?.open, true, 'still running');
  view.update(doneRun(), 6000);
  assert.equal(references(view.root)?.open, false);
  assert.equal(references(new RunView(doneRun(), render).root)?.open, false);
});

test('a stopped run keeps the replies it received in view: its references stay open, also when shown again later', () => {
  const running: RunState = { ...doneRun(), status: 'running' };
  const stopped: RunState = { ...doneRun(), status: 'cancelled' };
  const view = new RunView(running, render);
  view.update(stopped, 6000);
  const references = (root: Element) => oneByTestId(root, 'referencers') as HTMLDetailsElement;
  assert.match(oneByTestId(view.root, 'run-banner').textContent ?? '', /Replies received so far are kept below/);
  assert.equal(references(view.root).open, true);
  assert.equal(references(view.root).hidden, false);
  assert.equal(references(new RunView(stopped, render).root).open, true);
});

test('compare buttons appear only on a finished run, and never for a failed candidate', () => {
  const running: RunState = { ...doneRun(), status: 'running' };
  const view = new RunView(running, render);
  assert.equal(byTestId(view.root, 'compare-winner').length + byTestId(view.root, 'compare-with').length, 0);
  const failed = doneRun();
  failed.candidates = failed.candidates.map((c) => (c.index === 2 ? { ...c, status: 'failed' as const, error: 'timed out' } : c));
  const after = new RunView(failed, render);
  assert.equal(byTestId(card(after.root, 2), 'compare-winner').length, 0);
  assert.equal(byTestId(card(after.root, 1), 'compare-with').length, 0, 'no menu: the winner has its own button and candidate 3 failed');
  assert.equal(oneByTestId(card(after.root, 1), 'compare-winner').dataset.right, '0');
});

test('a failed candidate shows its error, not scores of zero', () => {
  const failed = doneRun();
  failed.candidates = failed.candidates.map((c) => (c.index === 2 ? { ...c, status: 'failed' as const, error: 'HTTP 500', errorKind: 'server' as const, similarity: 0, total: 0 } : c));
  const failedCard = card(new RunView(failed, render).root, 2);
  assert.equal(oneByTestId(failedCard, 'error-chip').textContent, 'server error');
  for (const id of ['score-total', 'score-similarity']) {
    const shown = byTestId(failedCard, id).filter((el) => el.closest('[hidden]') === null);
    assert.equal(shown.length, 0, `${id} is hidden`);
  }
  const fine = card(new RunView(failed, render).root, 1);
  assert.equal(byTestId(fine, 'score-total').filter((el) => el.closest('[hidden]') === null).length, 1);
});

test('scores explain themselves in plain words on hover; without log-probabilities perplexity says why it is missing', () => {
  const view = new RunView(doneRun(), render);
  const first = card(view.root, 0);
  assert.equal(oneByTestId(first, 'score-similarity').closest<HTMLElement>('.score')?.title, SCORE_HELP.similarity);
  assert.match(SCORE_HELP.similarity, /agreement with the other candidates/i);
  assert.equal(oneByTestId(first, 'score-perplexity').closest<HTMLElement>('.score')?.title, SCORE_HELP.perplexity);
  assert.match(SCORE_HELP.perplexity, /confidence/);
  assert.equal(oneByTestId(first, 'score-total').closest<HTMLElement>('.score')?.title, SCORE_HELP.total);
  assert.match(SCORE_HELP.total, /picks the winner/);
  assert.equal(oneByTestId(first, 'score-total').textContent, '0.400');
  const noLogprobs = new RunView({ ...doneRun(), logprobsUsed: false }, render);
  assert.equal(oneByTestId(noLogprobs.root, 'run-banner').hidden, true, 'no box on the answer: Details says it (costLine.ts)');
  const perplexity = oneByTestId(card(noLogprobs.root, 0), 'score-perplexity');
  assert.equal(perplexity.textContent, 'n/a');
  assert.equal(perplexity.closest<HTMLElement>('.score')?.title, SCORE_HELP.perplexityMissing);
});

test('reasoning of a reference, a candidate and the answer is a closed "Reasoning" disclosure, never the answer', () => {
  const view = new RunView(doneRun(), render);
  const ref = view.root.querySelector<HTMLElement>(`[data-testid="referencer"][data-model="${L405}"]`);
  assert.ok(ref);
  const refReasoning = oneByTestId(ref, 'reasoning') as HTMLDetailsElement;
  assert.equal(refReasoning.hidden, false);
  assert.equal(refReasoning.open, false);
  assert.equal(refReasoning.querySelector('summary')?.textContent, 'Reasoning');
  assert.equal(refReasoning.textContent, 'ReasoningFirst, the keys repeat.');
  assert.doesNotMatch(ref.querySelector('.markdown')?.textContent ?? '', /keys repeat/);
  const plain = view.root.querySelector<HTMLElement>(`[data-testid="referencer"][data-model="${L70}"]`);
  assert.equal(oneByTestId(plain!, 'reasoning').hidden, true, 'no reasoning, no disclosure');

  const first = card(view.root, 0);
  oneByTestId(first, 'show-reply').click();
  const candidateReasoning = oneByTestId(first, 'reasoning') as HTMLDetailsElement;
  assert.equal(candidateReasoning.hidden, false);
  assert.equal(candidateReasoning.open, false);
  assert.match(candidateReasoning.textContent ?? '', /aggregator weighed both/);
  assert.doesNotMatch(oneByTestId(first, 'reply').querySelector('.markdown')?.textContent ?? '', /weighed/);

  const answer = oneByTestId(view.root, 'answer');
  const answerReasoning = oneByTestId(answer, 'reasoning') as HTMLDetailsElement;
  assert.equal(answerReasoning.open, false);
  assert.match(answerReasoning.textContent ?? '', /aggregator weighed both/);
  assert.equal(answer.querySelector('.markdown')?.textContent?.trim(), 'Use lru_cache.');
});

test('Show reply reveals the reply below the card and says so to assistive technology', () => {
  const view = new RunView(doneRun(), render);
  const second = card(view.root, 1);
  const toggle = oneByTestId(second, 'show-reply');
  const reply = oneByTestId(second, 'reply');
  assert.equal(reply.hidden, true);
  assert.equal(toggle.getAttribute('aria-controls'), reply.id);
  toggle.click();
  assert.equal(reply.hidden, false);
  assert.equal(toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(reply.querySelector('.markdown')?.textContent?.trim(), 'Use a dict.');
  toggle.click();
  assert.equal(reply.hidden, true);
});

test('a call waiting before a retry shows "waiting 45 s — rate limited" and counts down; the next delta clears it', () => {
  const run: RunState = { ...doneRun(), status: 'running', referencers: [{ model: L8, status: 'streaming', text: '', reasoning: '', waiting: { ms: 45_000, reason: 'rate limited', at: 10_000 } }] };
  run.candidates = [{ index: 0, subset: [L8], status: 'waiting', text: '', waiting: { ms: 2_000, reason: '', at: 10_000 } }];
  const view = new RunView(run, render);
  view.update(run, 10_000);
  const chip = oneByTestId(view.root.querySelector('[data-testid="referencer"]')!, 'waiting');
  assert.equal(chip.textContent, 'waiting 45 s — rate limited');
  view.tick(25_500);
  assert.equal(chip.textContent, 'waiting 30 s — rate limited');
  assert.equal(oneByTestId(card(view.root, 0), 'waiting').textContent, 'retrying…');
  view.update({ ...run, referencers: [{ model: L8, status: 'streaming', text: 'back', reasoning: '' }] }, 26_000);
  assert.equal(chip.hidden, true);
});

test('an aggregation being written shows its latest words in its card; once done, or with its reply shown, the preview goes', () => {
  const long = `Use functools.lru_cache on the function. ${'It keeps results keyed by the arguments. '.repeat(8)}Then call it twice.`;
  const run: RunState = { ...doneRun(), status: 'running', winner: undefined, candidates: [{ index: 0, subset: [L405, L70], status: 'streaming', text: long }] };
  const view = new RunView(run, render);
  view.update(run, 2000);
  const preview = oneByTestId(card(view.root, 0), 'cand-preview');
  assert.equal(preview.hidden, false);
  assert.ok(preview.textContent?.startsWith('…') && preview.textContent.endsWith('Then call it twice.'), preview.textContent ?? '');
  assert.ok((preview.textContent?.length ?? 0) <= 161, 'a few lines at most');
  oneByTestId(card(view.root, 0), 'show-reply').click();
  assert.equal(preview.hidden, true, 'the reply itself streams once shown');
  const done: RunState = { ...run, candidates: [{ ...run.candidates[0]!, status: 'done' }] };
  view.update(done, 3000);
  oneByTestId(card(view.root, 0), 'show-reply').click();
  assert.equal(preview.hidden, true, 'a finished reply has no preview');
});

test('the stage strip says which referencer it waits for once the others are done, and a late one is counted as late', () => {
  const run: RunState = {
    ...createRun('run-2', 'Which cache?', 1000),
    stages: { retrieve: { status: 'done', startedAt: 1000, endedAt: 1100 }, referencers: { status: 'active', startedAt: 1100 }, aggregate: { status: 'pending' }, score: { status: 'pending' } },
    referencers: [
      { model: L405, status: 'done', text: 'a', reasoning: '', latencyMs: 900 },
      { model: L70, status: 'done', text: 'b', reasoning: '', latencyMs: 1000 },
      { model: L8, status: 'streaming', text: '', reasoning: '' },
    ],
  };
  const view = new RunView(run, render);
  view.update(run, 5200);
  const wait = oneByTestId(view.root, 'stage-wait');
  assert.equal(wait.hidden, false);
  assert.equal(wait.textContent, 'waiting for Meta-Llama-3.1-8B-Instruct, 3.1 s, others done');
  const late: RunState = { ...run, referencers: [run.referencers[0]!, run.referencers[1]!, { ...run.referencers[2]!, status: 'abandoned', lateAfterMs: 2100 }] };
  view.update(late, 5300);
  assert.equal(wait.hidden, true);
  assert.equal(oneByTestId(view.root, 'stage-referencers').querySelector('.stage-count')?.textContent, '2/3 · 1 late');
});

/** Expected accuracy and reply cost per model, as the routing reports them. */
function withEstimates(run: RunState): RunState {
  const e = (model: string, accuracy: number, labelled: number, costUsd: number | null, tokensFrom: 'support' | 'others' | 'assumed' = 'support') => ({
    model,
    accuracy,
    unprofiled: false,
    labelled,
    tokens: { prompt: 400, completion: 300 },
    tokensFrom,
    costUsd,
  });
  return {
    ...run,
    routing: {
      mode: 'balanced',
      costWeight: 5,
      expectedUsd: 0.0041,
      qualityUsd: 0.0203,
      worstUsd: 0.31,
      estimates: [e(FLASH, 0.41, 143, 0.00011), e(L8, 0.55, 143, 0.00002, 'others'), e(PRO, 0.68, 143, 0.0021), e(L405, 0.62, 143, 0.0019), e(L70, 0.6, 140, null)],
    },
  };
}

test('"Why these models" says each model\'s share of similar questions right, of how many, and the cost of a reply, selected first', () => {
  const view = new RunView(withEstimates(doneRun()), render);
  const why = oneByTestId(view.root, 'why');
  const rows = byTestId(why, 'prior');
  assert.deepEqual(rows.map((r) => [r.dataset.model, r.dataset.selected]), [[L405, 'true'], [L70, 'true'], [L8, 'true'], [PRO, 'false'], [FLASH, 'false']]);
  assert.deepEqual(
    rows.map((r) => oneByTestId(r, 'prior-accuracy').textContent),
    ['right on 62 % of 143 similar questions', 'right on 60 % of 140 similar questions', 'right on 55 % of 143 similar questions', 'right on 68 % of 143 similar questions', 'right on 41 % of 143 similar questions'],
  );
  assert.deepEqual(rows.map((r) => r.querySelector('.bar-value')?.textContent), ['62 %', '60 %', '55 %', '68 %', '41 %']);
  assert.deepEqual(rows.map((r) => oneByTestId(r, 'prior-cost').textContent), ['$0.0019', 'no price', '≈ $0.00002', '$0.0021', '$0.00011']);
  const meters = [...why.querySelectorAll<HTMLElement>('[data-bar-group="priors"] [role="meter"]')];
  assert.equal(meters.length, 5);
  for (const m of meters) {
    assert.equal(m.getAttribute('aria-valuemax'), '1.000', 'every bar on the 0–100 % scale');
    assert.match(m.getAttribute('aria-valuetext') ?? '', /^right on \d+ % of \d+ similar questions$/);
  }
  assert.equal(oneByTestId(why, 'routing-saving').textContent, "Expected cost of these models' replies and the aggregations: $0.0041 a question with balanced routing, $0.0162 less than quality's choice (80 % saved).");
  for (const r of rows) {
    const name = r.querySelector<HTMLElement>('.prior-name');
    assert.equal(name?.textContent, r.dataset.model, 'the whole name, never cut');
    assert.equal(name?.title, r.dataset.model);
  }
});

test('"Why these models" never shows a prior as a bare number, also for a run kept from before estimates existed', () => {
  for (const run of [withEstimates(doneRun()), doneRun()]) {
    const why = oneByTestId(new RunView(run, render).root, 'why');
    const text = why.textContent ?? '';
    for (const p of run.priors) assert.ok(!text.includes(p.prior.toFixed(3)), `the prior ${p.prior.toFixed(3)} of ${p.model} shows bare`);
  }
});

test('a long question starts collapsed behind "Show more"', () => {
  const view = new RunView({ ...doneRun(), question: Array.from({ length: 10 }, (_, i) => `(${String.fromCharCode(65 + i)}) option`).join('\n') }, render);
  const text = oneByTestId(view.root, 'question-text');
  assert.ok(text.classList.contains('collapsed'));
  const toggle = oneByTestId(view.root, 'question-toggle');
  assert.equal(toggle.getAttribute('aria-controls'), text.id);
  toggle.click();
  assert.equal(text.classList.contains('collapsed'), false);
  assert.equal(toggle.textContent, 'Show less');
  assert.equal(toggle.getAttribute('aria-expanded'), 'true');
});

test('an answer the referencers agreed on says so and how many calls it saved', () => {
  const run: RunState = { ...doneRun(), candidates: [], winner: -1, answer: { reply: { kind: 'referencer', model: L405 }, because: 'agreement' }, agreement: { basis: 'answer', answer: 'C', agreeing: 3, of: 3 }, savedCalls: 8 };
  const banner = oneByTestId(new RunView(run, render).root, 'run-banner');
  assert.equal(banner.textContent, `The referencers agreed on C (3 of 3): 8 aggregation calls saved; this is the reply of ${L405}.`);
});

test('the stage strip counts the replies that arrived: "5/7 · 2 stopped" after Stop, "all 7 failed" when every one failed', () => {
  const models = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];
  const base = createRun('run-s', 'Which cache?', 1000);
  const stopped: RunState = {
    ...base,
    status: 'cancelled',
    finishedAt: 3000,
    referencers: models.map((model, i) => ({ model, status: i < 5 ? ('done' as const) : ('abandoned' as const), text: i < 5 ? `reply ${i}` : '', reasoning: '' })),
  };
  const strip = (run: RunState) => oneByTestId(new RunView(run, render).root, 'stage-referencers');
  const count = (run: RunState) => strip(run).querySelector('.stage-count')?.textContent;
  assert.equal(count(stopped), '5/7 · 2 stopped');
  assert.match(strip(stopped).getAttribute('aria-label') ?? '', /5\/7 · 2 stopped/);
  const summary = (run: RunState) => oneByTestId(new RunView(run, render).root, 'referencers').querySelector('summary')?.textContent;
  assert.equal(summary(stopped), 'References (5/7 · 2 stopped)');
  const failed: RunState = { ...stopped, status: 'error', referencers: models.map((model) => ({ model, status: 'failed' as const, text: '', reasoning: '', error: 'HTTP 401' })) };
  assert.equal(count(failed), 'all 7 failed');
  const mixed: RunState = { ...stopped, referencers: stopped.referencers.map((r, i) => (i === 0 ? { ...r, status: 'failed' as const } : r)) };
  assert.equal(count(mixed), '4/7 · 1 failed · 2 stopped');
  const running: RunState = { ...base, referencers: models.map((model, i) => ({ model, status: i < 3 ? ('done' as const) : ('streaming' as const), text: '', reasoning: '' })) };
  assert.equal(count(running), '3/7');
});

test('a failed run offers Retry and a stopped one Ask again, each naming the run; a finished one neither', () => {
  const base = createRun('run-r', 'Which cache?', 1000);
  const failed: RunState = { ...base, status: 'error', finishedAt: 2000, error: { message: 'All 3 referencers failed', kind: 'auth', causes: [] } };
  const retry = oneByTestId(new RunView(failed, render).root, 'run-retry');
  assert.deepEqual([retry.textContent, retry.dataset.action, retry.dataset.runId], ['Retry', 'retry', 'run-r']);
  const stopped: RunState = { ...base, status: 'cancelled', finishedAt: 2000 };
  assert.equal(oneByTestId(new RunView(stopped, render).root, 'run-retry').textContent, 'Ask again');
  assert.equal(byTestId(new RunView(doneRun(), render).root, 'run-retry').length, 0);
});
