import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callCost, estimateAskCost, totalCost, totalTokens } from '../costs';
import type { CallRecord } from '../../contracts/types';

const call = (costUsd: number | null, prompt = 10, completion = 5): CallRecord => ({
  stage: 'referencer',
  model: 'm',
  tokens: { prompt, completion },
  costUsd,
  latencyMs: 1,
  estimated: false,
});

describe('call costs', () => {
  it('price tokens per token, and total the priced calls (null when none is priced)', () => {
    const cost = callCost({ prompt: 1000, completion: 100 }, { prompt: 0.000001, completion: 0.000002 });
    assert.ok(cost !== null && Math.abs(cost - 0.0012) < 1e-15, String(cost));
    assert.equal(callCost({ prompt: 1000, completion: 100 }, undefined), null);
    assert.equal(totalCost([call(null), call(null)]), null);
    assert.equal(totalCost([call(0.5), call(null), call(0.25)]), 0.75);
    assert.deepEqual(totalTokens([call(null, 10, 5), call(1, 7, 3)]), { prompt: 17, completion: 8 });
  });
});

describe('the estimate before sending', () => {
  const price = (usdPerMillion: number) => ({ prompt: usdPerMillion / 1e6, completion: (2 * usdPerMillion) / 1e6 });

  it('bounds the cost with the K priciest models and one aggregation per possible subset (at most n) at the output limit', () => {
    const est = estimateAskCost({
      promptTokens: 100,
      instructionTokens: 50,
      k: 2,
      kDrop: 1,
      n: 3,
      maxTokens: 1000,
      referencerPrices: [price(1), price(10), price(5)],
      aggregatorPrice: price(1),
    });
    const referencers = (100 * 10 + 1000 * 20) / 1e6 + (100 * 5 + 1000 * 10) / 1e6;
    const aggregation = ((50 + 100 + 1 * 1000) * 1 + 1000 * 2) / 1e6;
    // K = 2, Kdrop = 1: two distinct subsets, so three draws need two aggregations.
    assert.ok(est.maxUsd !== null && Math.abs(est.maxUsd - (referencers + 2 * aggregation)) < 1e-12);
    assert.equal(est.partial, false);
  });

  it('is null for unpriced models and partial when only some are priced', () => {
    const base = { promptTokens: 10, instructionTokens: 10, k: 2, kDrop: 1, n: 1, maxTokens: 10 };
    assert.deepEqual(estimateAskCost({ ...base, referencerPrices: [undefined, undefined], aggregatorPrice: undefined }), { maxUsd: null, partial: true });
    const mixed = estimateAskCost({ ...base, referencerPrices: [undefined, price(1)], aggregatorPrice: undefined });
    assert.equal(mixed.partial, true);
    assert.ok(mixed.maxUsd !== null && mixed.maxUsd > 0);
  });
});
