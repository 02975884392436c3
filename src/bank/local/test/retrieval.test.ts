import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cosineAll, topIndices } from '../..';
import { randomUnitVectors } from '../../../bench/retrievalBench';
import { cosine } from '../../../core/util/vectorMath';
import { prng } from '../../../../test/fixtures/bankData';

describe('retrieval', () => {
  it('topIndices equals a full stable sort, ties in bank order, for every n', () => {
    const rand = prng(21);
    const scores = Float32Array.from({ length: 200 }, () => Math.round(rand() * 20) / 20);
    const sorted = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]! || a - b);
    for (const n of [0, 1, 7, 50, 199, 200, 500]) assert.deepEqual(topIndices(scores, n), sorted.slice(0, n), `n = ${n}`);
  });

  it('cosineAll matches double-precision cosine for any non-zero query and rejects a zero query', () => {
    const dim = 13;
    const vectors = randomUnitVectors(40, dim, 5);
    const query = Float32Array.from({ length: dim }, (_, k) => (k % 3) - 1.5);
    const sims = cosineAll(vectors, 40, dim, query);
    for (let i = 0; i < 40; i++) assert.ok(Math.abs(sims[i]! - cosine(vectors.subarray(i * dim, (i + 1) * dim), query)) < 1e-6);
    assert.throws(() => cosineAll(vectors, 40, dim, new Float32Array(dim)), /non-zero/);
  });
});
