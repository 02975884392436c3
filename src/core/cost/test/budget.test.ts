import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitToBudget, setCost, type AggregationCostInput, type BudgetCandidate } from '../budget';

const c = (model: string, costUsd: number | null, completion = 100): BudgetCandidate => ({ model, costUsd, tokens: { prompt: 50, completion } });
const free: AggregationCostInput = { fixedPromptTokens: 0, completionTokens: 0, price: { prompt: 0, completion: 0 } };

test('set cost: the replies plus one aggregation per distinct subset of n draws, each reading K − Kdrop of the replies and writing its own', () => {
  const agg: AggregationCostInput = { fixedPromptTokens: 1000, completionTokens: 200, price: { prompt: 1e-6, completion: 2e-6 } };
  const set = [c('a', 0.01, 300), c('b', 0.02, 100)];
  // Each aggregation reads (2 − 1)/2 of the 400 reply tokens: (1000 + 200)·1e-6 + 200·2e-6 = 0.0016.
  // Two replies with Kdrop 1 allow two distinct subsets: three draws run two aggregations.
  assert.ok(Math.abs(setCost(set, 3, 1, agg) - (0.03 + 2 * 0.0016)) < 1e-12);
  assert.ok(Math.abs(setCost(set, 1, 1, agg) - (0.03 + 0.0016)) < 1e-12);
  assert.ok(Math.abs(setCost([...set, c('c', 0.01, 100)], 8, 1, agg) - setCost([...set, c('c', 0.01, 100)], 3, 1, agg)) < 1e-12, 'three replies: at most three aggregations');
});

test('the best-ranked models that fit are taken, skipping one that does not (and one without a price)', () => {
  const choice = fitToBudget({ candidates: [c('best', 0.05), c('dear', 0.2), c('nameless', null), c('third', 0.04), c('fourth', 0.03)], k: 3, kDrop: 1, n: 2, aggregation: free, maxUsd: 0.1 });
  assert.ok(choice);
  assert.deepEqual(choice.chosen, [0, 3]);
  assert.equal(choice.aggregations, 2);
  assert.ok(Math.abs(choice.estimatedUsd - 0.09) < 1e-12);
  assert.deepEqual(choice.leftOut, [
    { model: 'dear', reason: 'over-budget' },
    { model: 'nameless', reason: 'no-price' },
  ]);
});

test('when no model fits with every aggregation, fewer aggregations; with none, one model answers alone', () => {
  const agg: AggregationCostInput = { fixedPromptTokens: 0, completionTokens: 1000, price: { prompt: 0, completion: 1e-5 } };
  // One aggregation costs 0.01: a and b need two (0.011 + 0.02 > 0.02); a alone needs one however often it is drawn.
  const one = fitToBudget({ candidates: [c('a', 0.005), c('b', 0.006)], k: 2, kDrop: 1, n: 4, aggregation: agg, maxUsd: 0.02 });
  assert.equal(one?.aggregations, 4);
  assert.deepEqual(one?.chosen, [0]);
  assert.ok(Math.abs((one?.estimatedUsd ?? 0) - 0.015) < 1e-12);
  const none = fitToBudget({ candidates: [c('a', 0.005), c('b', 0.004)], k: 2, kDrop: 1, n: 4, aggregation: agg, maxUsd: 0.0055 });
  assert.equal(none?.aggregations, 0);
  assert.deepEqual(none?.chosen, [0]);
});

test('nothing fits: null (not even the cheapest model alone)', () => {
  assert.equal(fitToBudget({ candidates: [c('a', 0.5), c('b', 0.3), c('c', null)], k: 2, kDrop: 1, n: 2, aggregation: free, maxUsd: 0.1 }), null);
});
