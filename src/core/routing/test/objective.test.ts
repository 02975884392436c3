import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateModels, expectedAccuracy, expectedTokens, objectiveOrder, objectiveScores, rankingCosts, replyCost } from '../objective';
import type { TokenColumn } from '../../contracts/priorSource';

const NaN_ = Number.NaN;
const column = (prompt: number[], completion: number[]): TokenColumn => ({ prompt, completion });

test('expected accuracy is the prior normalised by the support weights of the labelled questions', () => {
  // Support {0, 1, 2}; question 1 is unlabelled. (0.9·1 + 0.5·0) / (0.9 + 0.5) = 0.643; question 3 is outside.
  const r = expectedAccuracy([0.9, 0.8, 0.5, 0.99], [0, 1, 2], [1, -1, 0, 1]);
  assert.equal(r.labelled, 2);
  assert.ok(Math.abs((r.accuracy ?? 0) - 0.9 / 1.4) < 1e-12);
  assert.deepEqual(expectedAccuracy([0.9], [0], [-1]), { accuracy: null, labelled: 0 });
});

test('expected tokens are similarity-weighted means over the recorded replies', () => {
  const t = expectedTokens([0.8, 0.2, 0.5], [0, 1, 2], [column([100, 300, NaN_], [10, 50, 999])]);
  assert.deepEqual(t, { prompt: (0.8 * 100 + 0.2 * 300) / 1.0, completion: (0.8 * 10 + 0.2 * 50) / 1.0 });
  assert.equal(expectedTokens([0.8], [0], [column([NaN_], [NaN_])]), null);
});

test('estimates say where tokens come from, and an unknown price leaves the cost unknown (never 0)', () => {
  const price = { prompt: 1e-6, completion: 2e-6 };
  const estimates = estimateModels({
    similarities: [1, 1],
    support: [0, 1],
    labels: new Map([
      ['own', [1, 1]],
      ['borrow', [1, 0]],
      ['local', [0, 0]],
    ]),
    tokens: new Map([['own', column([100, 300], [40, 60])]]),
    models: ['own', 'borrow', 'local', 'new'],
    price: (m) => (m === 'local' ? undefined : price),
  });
  const [own, borrow, local, fresh] = estimates;
  assert.deepEqual(own?.tokens, { prompt: 200, completion: 50 });
  assert.equal(own?.tokensFrom, 'support');
  assert.ok(Math.abs((own?.costUsd ?? 0) - (200e-6 + 100e-6)) < 1e-15);
  assert.equal(borrow?.tokensFrom, 'others');
  assert.deepEqual(borrow?.tokens, own?.tokens);
  assert.equal(borrow?.accuracy, 0.5);
  assert.equal(local?.costUsd, null, 'no price: cost unknown');
  assert.equal(fresh?.unprofiled, true);
  assert.equal(fresh?.accuracy, (1 + 0.5 + 0) / 3, 'unprofiled: the mean of the profiled');
});

test('without any recorded reply the caller\'s assumption is used and marked, else the cost is unknown', () => {
  const input = { similarities: [1], support: [0], labels: new Map([['a', [1]]]), tokens: new Map<string, TokenColumn>(), models: ['a'], price: () => ({ prompt: 1e-6, completion: 1e-6 }) };
  const [none] = estimateModels(input);
  assert.equal(none?.tokensFrom, 'none');
  assert.equal(none?.costUsd, null);
  const [assumed] = estimateModels({ ...input, assumed: { prompt: 10, completion: 8192 } });
  assert.equal(assumed?.tokensFrom, 'assumed');
  assert.ok(Math.abs((assumed?.costUsd ?? 0) - 8202e-6) < 1e-15);
});

test('the objective trades accuracy against cost: a cheap model a little less accurate wins once w is large enough', () => {
  const accuracy = [0.72, 0.69];
  const cost = [0.01, 0.001];
  // Break-even at w = 0.03 / 0.009 = 3.33 per USD.
  assert.deepEqual(objectiveOrder(objectiveScores(accuracy, cost, 0), cost), [0, 1]);
  assert.deepEqual(objectiveOrder(objectiveScores(accuracy, cost, 3), cost), [0, 1]);
  assert.deepEqual(objectiveOrder(objectiveScores(accuracy, cost, 4), cost), [1, 0]);
  // Equal scores: the cheaper first, then the configured order.
  assert.deepEqual(objectiveOrder([0.5, 0.5, 0.5], [0.02, 0.01, 0.01]), [1, 2, 0]);
});

test('an unknown cost is ranked as the dearest known one, and with no cost known the objective is accuracy', () => {
  assert.deepEqual(rankingCosts([0.001, null, 0.004]), [0.001, 0.004, 0.004]);
  assert.equal(rankingCosts([null, null]), null);
  // The unpriced model is slightly more accurate but is not taken for free: it is ranked at 0.002, not 0.
  const accuracy = [0.6, 0.61, 0.3];
  const costs = [0.001, null, 0.002];
  assert.deepEqual(objectiveOrder(objectiveScores(accuracy, costs, 100), costs), [0, 1, 2]);
  assert.deepEqual(objectiveScores(accuracy, [null, null, null], 100), accuracy);
  assert.equal(replyCost({ prompt: 1, completion: 1 }, undefined), null);
});

test('counts estimated at import: said so, and outweighed by the model\'s own replies here once it has three', () => {
  const imported: TokenColumn = { prompt: [100, 100], completion: [600, 600], estimated: [1, 1] };
  const measured: TokenColumn = { prompt: [100, 100], completion: [600, 600], estimated: [0, Number.NaN] };
  const estimate = (column: TokenColumn, calls: number) =>
    estimateModels({
      similarities: [1, 1],
      support: [0, 1],
      labels: new Map([['m', [1, 1]]]),
      tokens: new Map([['m', column]]),
      models: ['m'],
      price: () => ({ prompt: 1e-6, completion: 1e-6 }),
      assumed: { prompt: 50, completion: 500 },
      history: () => (calls === 0 ? null : { prompt: 80, completion: 250, calls }),
    })[0]!;
  assert.deepEqual([estimate(imported, 0).tokensFrom, estimate(imported, 0).tokens], ['imported', { prompt: 100, completion: 600 }]);
  assert.equal(estimate(imported, 2).tokensFrom, 'imported', 'two past replies are not yet enough');
  const learned = estimate(imported, 3);
  assert.equal(learned.tokensFrom, 'history');
  assert.deepEqual(learned.tokens, { prompt: 50, completion: 250 }, "what it wrote here, with this ask's prompt");
  assert.deepEqual([estimate(measured, 20).tokensFrom, estimate(measured, 20).tokens], ['support', { prompt: 100, completion: 600 }], "a server's counts keep coming first");
});
