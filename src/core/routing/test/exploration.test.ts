import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SupportSet } from '../../contracts/priorSource';
import { explorePriors, farQuestion, nearSimilarity } from '../exploration';
import { routeWithPrices, type PriceRoutingInput } from '../priceRouting';
import { routeFromSupport } from '../rps';

/**
 * A support set of `similarities` where the multiple-choice models are labelled — mc1 right on all, mc2 on all but the
 * last, mc3 on all but the last two, mc4 on none, so three of them are above their mean — and code1, code2 never are.
 */
function mcBank(similarities: number[]): SupportSet {
  const n = similarities.length;
  const column = (right: number) => ({ correct: Int8Array.from({ length: n }, (_, i) => (i < right ? 1 : 0)) });
  return { bankSize: 100, ids: similarities.map((_, i) => `q${i}`), similarities, columns: new Map([['mc1', column(n)], ['mc2', column(n - 1)], ['mc3', column(n - 2)], ['mc4', column(0)]]) };
}
const MODELS = ['mc1', 'mc2', 'mc3', 'mc4', 'code1', 'code2'];

test('near is the 5th percentile of the bank questions\' nearest similarities; none to judge on: null', () => {
  const nearest = Array.from({ length: 100 }, (_, i) => (i + 1) / 100);
  assert.equal(nearSimilarity(nearest), 0.06, 'the 6th smallest of 100: 5 of them lie below it');
  assert.equal(nearSimilarity([0.4]), null, 'one question says nothing of a 1-in-20 quantile');
  assert.equal(nearSimilarity(Array.from({ length: 19 }, (_, i) => 0.2 + i / 100)), null, 'nor do 19');
  const twenty = Array.from({ length: 20 }, (_, i) => 0.2 + i / 100);
  assert.equal(nearSimilarity(twenty), twenty[1], 'of 20 the second least: one lies below it');
  assert.equal(nearSimilarity([]), null);
  assert.equal(nearSimilarity([Number.NaN]), null);
});

test('a question is far when its most similar bank question is below near', () => {
  assert.deepEqual(farQuestion([0.1, 0.15, 0.12], 0.2), { nearest: 0.15, near: 0.2 });
  assert.equal(farQuestion([0.1, 0.25], 0.2), undefined, 'one close bank question is enough');
  assert.equal(farQuestion([0.1, 0.2], 0.2), undefined, 'at near is not far');
  assert.equal(farQuestion([0.1], undefined), undefined, 'no threshold: never far');
  assert.equal(farQuestion([], 0.2), undefined);
});

test('explored priors: unprofiled models at the best profiled prior, profiled ones unchanged', () => {
  const priors = [
    { model: 'a', prior: 3, unprofiled: false },
    { model: 'b', prior: 1, unprofiled: false },
    { model: 'c', prior: 2, unprofiled: true },
  ];
  assert.deepEqual(explorePriors(priors).map((p) => p.prior), [3, 1, 3]);
  const none = [{ model: 'a', prior: 0, unprofiled: true }];
  assert.deepEqual(explorePriors(none), none);
});

test('a bank of multiple-choice questions asked a far question: the code models it never saw are chosen beside the best it knows', () => {
  const far = mcBank([0.12, 0.11, 0.1, 0.1, 0.1, 0.1]);
  const before = routeFromSupport(far, MODELS, 3);
  assert.deepEqual(before.referencers, ['mc1', 'mc2', 'mc3'], 'with the mean prior the code models are left out');
  assert.equal(before.far, undefined);
  const after = routeFromSupport(far, MODELS, 3, undefined, 0.2);
  assert.deepEqual(after.referencers, ['mc1', 'code1', 'code2']);
  assert.deepEqual(after.far, { nearest: 0.12, near: 0.2 });
  assert.deepEqual(after.priors.filter((p) => p.unprofiled).map((p) => p.model), ['code1', 'code2'], 'still marked unprofiled');
});

test('a question close to the bank keeps the paper\'s priors: unprofiled models at the mean', () => {
  const near = mcBank([0.5, 0.45, 0.4, 0.3, 0.3, 0.3]);
  const routed = routeFromSupport(near, MODELS, 3, undefined, 0.2);
  assert.deepEqual(routed.referencers, ['mc1', 'mc2', 'mc3']);
  assert.equal(routed.far, undefined);
  assert.deepEqual(routed, routeFromSupport(near, MODELS, 3));
});

test('far with every model profiled changes nothing', () => {
  const far = mcBank([0.12, 0.11]);
  const models = ['mc4', 'mc3', 'mc2', 'mc1'];
  assert.deepEqual(routeFromSupport(far, models, 2, undefined, 0.2), routeFromSupport(far, models, 2));
});

test('price routing far from the bank: balanced routing tries the unprofiled models too, and says the question was far', () => {
  const input = (nearSimilarity?: number): PriceRoutingInput => ({
    support: mcBank([0.12, 0.11, 0.1, 0.1, 0.1, 0.1]),
    models: MODELS,
    k: 3,
    price: () => ({ prompt: 1e-6, completion: 1e-6 }),
    routing: { mode: 'balanced', costWeight: 5, maxCostPerQuestion: null, ...(nearSimilarity !== undefined ? { nearSimilarity } : {}) },
    aggregator: { model: 'mc1' },
    n: 1,
    kDrop: 1,
    aggregationPromptTokens: 100,
    assumedTokens: { prompt: 100, completion: 500 },
  });
  assert.deepEqual(routeWithPrices(input()).referencers, ['mc1', 'mc2', 'mc3']);
  const far = routeWithPrices(input(0.2));
  assert.deepEqual(far.referencers, ['mc1', 'code1', 'code2']);
  assert.deepEqual(far.far, { nearest: 0.12, near: 0.2 });
  const paper = routeWithPrices(input()).estimates;
  assert.deepEqual(far.estimates.slice(0, 4), paper.slice(0, 4), 'the profiled models as they were');
  assert.deepEqual(far.estimates.slice(4).map((e) => [e.accuracy, e.unprofiled]), [[1, true], [1, true]], 'the unprofiled ones at the best accuracy, still marked');
});
