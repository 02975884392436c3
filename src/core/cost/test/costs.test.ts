import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callCost, totalCost, totalTokens } from '../costs';
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
