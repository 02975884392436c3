/**
 * The turn's notice names exactly the models "Why these models" marks unprofiled (one list, presentation/unprofiled), including
 * models the bank has labels for but none among this question's similar ones — the notice used to list only models
 * without any bank label, so Why and the notice disagreed.
 */
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createRun, reduceRun, type RunState } from '../../presentation/runState';
import { leftOutUnprofiled, unprofiledModels } from '../../presentation/unprofiled';
import { routeWithPrices } from '../../core/routing/priceRouting';
import { scanSupport } from '../../core/routing/rps';
import { byTestId, installPanelDom } from '../../../test/fixtures/panelDom';
import { UnprofiledNotice } from '../unprofiledNotice';
import { WhyPanel } from '../whyPanel';

before(() => {
  installPanelDom();
});

const MODELS = ['d', 'a', 'e', 'b', 'c'];

/**
 * A finished run routed by the real RPS over a bank of 20 questions: d and e are labelled on all of them, a, b and c
 * only on questions unlike this one (outside its support set), so the bank knows them and this question does not.
 */
function finishedRun(k: number): RunState {
  const n = 20;
  const similarities = Array.from({ length: n }, (_, i) => (i < 10 ? 0.9 : 0.1));
  const labels = new Map<string, number[]>([
    ['d', Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : 1))],
    ['e', Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 0 : 1))],
    ...['a', 'b', 'c'].map((m): [string, number[]] => [m, Array.from({ length: n }, (_, i) => (i < 10 ? -1 : 1))]),
  ]);
  const { support } = scanSupport(similarities, labels, { nBase: 10, gamma: 0.95, models: MODELS });
  const routed = routeWithPrices({ support, models: MODELS, k, price: () => undefined, routing: { mode: 'quality', costWeight: 0, maxCostPerQuestion: null }, aggregator: { model: 'd' }, n: 2, kDrop: 1, aggregationPromptTokens: 100 });
  const run = reduceRun(createRun('run-1', 'How do I reverse a list?', 1000), {
    type: 'event',
    at: 1010,
    event: { type: 'retrieve', ms: 10, supportCount: routed.supportCount, priors: routed.priors, referencers: routed.referencers, estimates: routed.estimates, routing: { mode: routed.mode, costWeight: routed.costWeight, expectedUsd: routed.expectedUsd, qualityUsd: routed.qualityUsd, worstUsd: routed.worstUsd, estimates: routed.estimates } },
  });
  return { ...run, status: 'done' };
}

const modelsOf = (root: Element, testId: string): string[] => byTestId(root, testId).map((el) => el.getAttribute('data-model') ?? '');

test('the notice lists exactly the models Why marks unprofiled, and which of them the run left out', () => {
  const run = finishedRun(1);
  assert.deepEqual(unprofiledModels(run), ['a', 'b', 'c'], 'labelled in the bank, but not among the similar questions');
  const why = new WhyPanel();
  why.update(run);
  const whyUnprofiled = [...why.el.querySelectorAll('[data-testid="prior"][data-unprofiled="true"]')].map((el) => el.getAttribute('data-model'));
  const notice = new UnprofiledNotice();
  notice.update(run);
  assert.equal(notice.el.hidden, false);
  assert.deepEqual(modelsOf(notice.el, 'unprofiled-model').sort(), [...whyUnprofiled].sort());
  assert.deepEqual(modelsOf(notice.el, 'unprofiled-left-out'), [], 'every one of them was left out: the sentence says so once');
  assert.equal(notice.el.textContent, "a, b and c have no label among the similar questions, so they were ranked with the others' mean and left out. Profile them · Use them anyway");
  const button = byTestId(notice.el, 'unprofiled-use-anyway')[0];
  assert.equal(button?.getAttribute('data-action'), 'ask-again-with');
  assert.equal(button?.getAttribute('data-run-id'), 'run-1');
  assert.deepEqual(JSON.parse(button?.getAttribute('data-models') ?? '[]'), ['a', 'b', 'c']);
  assert.equal(byTestId(notice.el, 'unprofiled-profile')[0]?.getAttribute('data-command'), 'smcs.profileModels');
});

test('when some unprofiled models answered, the notice still names all of them and offers the ones left out', () => {
  const run = finishedRun(2);
  const asked = run.referencers.map((r) => r.model);
  assert.ok(asked.some((m) => ['a', 'b', 'c'].includes(m)), `K = 2 takes one of them, whose mean prior beats e's: ${asked.join(', ')}`);
  const notice = new UnprofiledNotice();
  notice.update(run);
  assert.deepEqual(modelsOf(notice.el, 'unprofiled-model'), unprofiledModels(run));
  assert.deepEqual(modelsOf(notice.el, 'unprofiled-left-out'), leftOutUnprofiled(run));
  assert.deepEqual(JSON.parse(byTestId(notice.el, 'unprofiled-use-anyway')[0]?.getAttribute('data-models') ?? '[]'), leftOutUnprofiled(run));
});

test('no offer while the run is answering, none once it was asked again, and the new run names what it added', () => {
  const run = finishedRun(1);
  const notice = new UnprofiledNotice();
  notice.update({ ...run, status: 'running' });
  assert.equal(notice.el.hidden, true);
  notice.update(run);
  assert.equal(notice.el.hidden, false);
  notice.markAskedAgain();
  notice.update(run);
  assert.equal(notice.el.hidden, true);
  const again = new UnprofiledNotice();
  again.update({ ...finishedRun(5), id: 'run-2', askedAgain: { runId: 'run-1', models: ['a', 'b', 'c'] } });
  assert.equal(again.el.hidden, false);
  assert.deepEqual(modelsOf(again.el, 'unprofiled-added'), ['a', 'b', 'c']);
  assert.equal(byTestId(again.el, 'unprofiled-use-anyway').length, 0);
});
