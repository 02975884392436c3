import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../contracts/config';
import { routeWithPrices, type PriceRoutingInput } from '../priceRouting';
import { scanSupport, routeFromSupport } from '../rps';
import type { ModelColumns } from '../../contracts/priorSource';
import type { TokenColumn } from '../../contracts/priorSource';

/** Four models on a support of 10 questions: `dear` is best, `cheap` nearly as good at a 20th of the price. */
function input(overrides: Partial<PriceRoutingInput> = {}): PriceRoutingInput {
  const n = 10;
  const col = (right: number) => Array.from({ length: n }, (_, i) => (i < right ? 1 : 0));
  const tokens = (completion: number): TokenColumn => ({ prompt: Array(n).fill(500), completion: Array(n).fill(completion) });
  const prices: Record<string, { prompt: number; completion: number }> = {
    dear: { prompt: 10e-6, completion: 30e-6 },
    cheap: { prompt: 0.5e-6, completion: 1.5e-6 },
    mid: { prompt: 2e-6, completion: 6e-6 },
    weak: { prompt: 0.1e-6, completion: 0.1e-6 },
  };
  const labels = new Map([
    ['dear', col(9)],
    ['cheap', col(8)],
    ['mid', col(8)],
    ['weak', col(3)],
  ]);
  const models = ['dear', 'cheap', 'mid', 'weak'];
  // The support set as a store returns it: each model's labels with the tokens of the replies they came from.
  const { support } = scanSupport(Array(n).fill(0.8), labels, { nBase: 400, gamma: 0.95, models });
  const columns = new Map<string, ModelColumns>([...support.columns].map(([model, c]) => [model, { ...c, tokens: tokens(400) }]));
  return {
    support: { ...support, columns },
    models,
    k: 2,
    price: (m) => prices[m],
    routing: { mode: 'quality', costWeight: 0, maxCostPerQuestion: null },
    aggregator: {
      auto: new Map([
        ['dear', { correct: 900, labelled: 1000 }],
        ['cheap', { correct: 880, labelled: 1000 }],
      ]),
      fallback: 'dear',
    },
    n: 4,
    kDrop: 1,
    aggregationPromptTokens: 600,
    ...overrides,
  };
}

test('quality is RPS exactly: the referencers by prior and the aggregator by accuracy alone', () => {
  const r = routeWithPrices(input());
  const n = 10;
  assert.deepEqual(r.referencers, routeFromSupport(scanSupport(Array(n).fill(0.8), new Map([...input().support.columns].map(([m, c]) => [m, c.correct])), { nBase: 400, gamma: 0.95, models: input().models }).support, input().models, 2).referencers);
  assert.deepEqual(r.referencers, ['dear', 'cheap']);
  assert.equal(r.aggregator, 'dear');
  assert.equal(r.aggregations, 4);
  assert.equal(r.expectedUsd, r.qualityUsd);
  const dear = r.estimates.find((e) => e.model === 'dear');
  assert.equal(dear?.accuracy, 0.9);
  assert.equal(dear?.labelled, 10);
  assert.ok(Math.abs((dear?.costUsd ?? 0) - (500 * 10e-6 + 400 * 30e-6)) < 1e-12);
});

test('with a cost weight the cheaper models and aggregator are chosen, and the saving against quality shows', () => {
  const r = routeWithPrices(input({ routing: { mode: 'balanced', costWeight: 20, maxCostPerQuestion: null } }));
  // dear: 0.9 − 20·0.017 = 0.56; cheap: 0.8 − 20·0.00085 = 0.783; mid: 0.8 − 20·0.0034 = 0.732.
  assert.deepEqual(r.referencers, ['cheap', 'mid']);
  assert.equal(r.aggregator, 'cheap');
  assert.ok(r.expectedUsd !== null && r.qualityUsd !== null && r.expectedUsd < r.qualityUsd / 5, `${r.expectedUsd} vs ${r.qualityUsd}`);
});

test('maxCostPerQuestion is a hard limit: the best set that fits, fewer aggregations, or a refusal naming the setting', () => {
  // Quality's set (dear, cheap) with 4 aggregations by dear costs ≈ 0.0178 + 4·(…) ≫ 0.01: dear does not fit.
  const fitted = routeWithPrices(input({ routing: { mode: 'quality', costWeight: 0, maxCostPerQuestion: 0.01 } }));
  assert.ok(fitted.budget);
  assert.ok(fitted.budget.estimatedUsd <= 0.01);
  assert.ok(!fitted.referencers.includes('dear'));
  assert.deepEqual(fitted.budget.leftOut, [{ model: 'dear', reason: 'over-budget' }]);
  assert.throws(
    () => routeWithPrices(input({ routing: { mode: 'budget', costWeight: 100, maxCostPerQuestion: 0.00001 } })),
    (err: unknown) => err instanceof ConfigError && err.field === 'maxCostPerQuestion' && /weak alone without aggregation/.test(err.message) && /nothing was sent/.test(err.message),
  );
});

test('the routing settings carry the prior shrinkage to RPS: ten questions say less than a model\'s record on the whole bank', () => {
  const overall = new Map([
    ['dear', { correct: 300, labelled: 1000 }],
    ['cheap', { correct: 300, labelled: 1000 }],
    ['mid', { correct: 300, labelled: 1000 }],
    ['weak', { correct: 950, labelled: 1000 }],
  ]);
  const r = routeWithPrices(input({ routing: { mode: 'quality', costWeight: 0, maxCostPerQuestion: null, priorShrinkage: { alpha: 64, overall } } }));
  // n_eff = 10, w = 10/74: weak 10/74·0.3 + 64/74·0.95 ≈ 0.86 of Σ s; dear 10/74·0.9 + 64/74·0.3 ≈ 0.38.
  assert.deepEqual(r.referencers, ['weak', 'dear']);
  assert.ok(Math.abs(r.supportEffective - 10) < 1e-9);
  assert.deepEqual(routeWithPrices(input({ routing: { mode: 'quality', costWeight: 0, maxCostPerQuestion: null, priorShrinkage: { alpha: 0, overall } } })).referencers, ['dear', 'cheap']);
});

test('"Use them anyway": an included model the routing leaves out joins the referencers after its choice, in every mode', () => {
  const base = input();
  const models = [...base.models, 'fresh'];
  const withFresh = (overrides: Partial<PriceRoutingInput>) => input({ models, price: (m) => (m === 'fresh' ? { prompt: 1e-6, completion: 3e-6 } : base.price(m)), ...overrides });
  const plain = routeWithPrices(withFresh({}));
  assert.deepEqual(plain.referencers, ['dear', 'cheap'], 'without labels, fresh is ranked with the mean and left out');
  assert.equal(plain.priors.find((p) => p.model === 'fresh')?.unprofiled, true);
  const used = routeWithPrices(withFresh({ include: ['fresh', 'dear', 'not-configured'] }));
  assert.deepEqual(used.referencers, ['dear', 'cheap', 'fresh'], 'the chosen ones stay, fresh is added, an unknown name is ignored');
  assert.ok(used.expectedUsd !== null && plain.expectedUsd !== null && used.expectedUsd > plain.expectedUsd, 'the expected cost counts the added reply');
  assert.equal(used.qualityUsd, used.expectedUsd, "quality's choice is compared with the same model added");
  const balanced = routeWithPrices(withFresh({ include: ['fresh'], routing: { mode: 'balanced', costWeight: 5, maxCostPerQuestion: null } }));
  assert.ok(balanced.referencers.includes('fresh') && balanced.referencers.length === 3, `balanced keeps its two and adds fresh: ${balanced.referencers.join(', ')}`);
});
