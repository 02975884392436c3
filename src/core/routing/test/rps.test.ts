import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LabelColumn } from '../../contracts/priorSource';
import { computePriors, kthLargest, scanSupport, routeFromSupport, supportSet, topK } from '../rps';

/** RPS over a full scan, composed as the local store and the pipeline compose it: the support set, then the selection. */
function selectReferencers(input: { similarities: ArrayLike<number>; labels: ReadonlyMap<string, LabelColumn>; models: readonly string[]; k: number; nBase: number; gamma: number }) {
  const { indices, support } = scanSupport(input.similarities, input.labels, input);
  return { support: indices, ...routeFromSupport(support, input.models, input.k) };
}
import { createRng } from '../../util/rng';

const labels = (entries: Record<string, number[]>) => new Map(Object.entries(entries));

test('support set: t = γ·s_(Nbase), I = {s_i ≥ t}', () => {
  // s_(2) = 0.8, t = 0.72 → indices 0 and 1; 0.7 falls just below.
  assert.deepEqual(supportSet([0.9, 0.8, 0.7, 0.1, -0.2], 2, 0.9), [0, 1]);
  // γ < 1 can admit questions ranked below Nbase: t = 0.95·0.8 = 0.76 admits 0.78.
  assert.deepEqual(supportSet([0.9, 0.8, 0.78, 0.1], 2, 0.95), [0, 1, 2]);
});

test('support set: N < Nbase uses the smallest similarity', () => {
  assert.deepEqual(supportSet([0.5, 0.4], 400, 0.95), [0, 1]);
});

test('support set: s_(Nbase) ≤ 0 falls back to the top Nbase', () => {
  assert.deepEqual(supportSet([-0.1, -0.5, 0.3], 2, 0.95), [0, 2]);
});

test('kthLargest agrees with sorting on random data with duplicates', () => {
  const rng = createRng(7);
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + Math.floor(rng.next() * 60);
    const values = Array.from({ length: n }, () => Math.round(rng.next() * 10) / 10 - 0.3);
    const sorted = values.slice().sort((a, b) => b - a);
    const rank = 1 + Math.floor(rng.next() * (n + 3));
    assert.equal(kthLargest(values, rank), sorted[Math.min(rank, n) - 1]);
  }
});

test('priors: V = Σ s·c with coverage scaling and unprofiled models at the mean', () => {
  const sims = [0.9, 0.8, 0.5, 0.1, -0.2];
  const support = [0, 1];
  const priors = computePriors(
    sims,
    support,
    labels({ A: [1, 0, 1, 1, 1], B: [-1, 1, 0, 0, 0], C: [-1, -1, 1, 1, 1] }),
    ['A', 'B', 'C', 'D'],
  );
  // A: 0.9·1 + 0.8·0 = 0.9. B: labelled on 1 of 2 → 0.8 · 2/1 = 1.6. C and D: unprofiled → (0.9 + 1.6)/2.
  assert.equal(priors[0]?.prior, 0.9);
  assert.ok(Math.abs((priors[1]?.prior ?? 0) - 1.6) < 1e-12);
  assert.ok(Math.abs((priors[2]?.prior ?? 0) - 1.25) < 1e-12);
  assert.deepEqual(
    priors.map((p) => p.unprofiled),
    [false, false, true, true],
  );
});

test('RPS over a full scan picks the K largest priors', () => {
  const result = selectReferencers({
    similarities: [0.9, 0.8, 0.5, 0.1, -0.2],
    labels: labels({ A: [1, 0, 1, 1, 1], B: [-1, 1, 0, 0, 0], C: [-1, -1, 1, 1, 1] }),
    models: ['A', 'B', 'C'],
    k: 2,
    nBase: 2,
    gamma: 0.9,
  });
  assert.deepEqual(result.support, [0, 1]);
  assert.deepEqual(result.referencers, ['B', 'C']);
  assert.equal(result.fallback, undefined);
});

test('ties keep the configured model order', () => {
  assert.deepEqual(topK([1, 2, 2, 1, 2], 3), [1, 2, 4]);
  const result = selectReferencers({
    similarities: [0.5, 0.5],
    labels: labels({ x: [1, 1], y: [1, 1], z: [1, 1], w: [0, 0] }),
    models: ['w', 'z', 'y', 'x'],
    k: 2,
    nBase: 400,
    gamma: 0.95,
  });
  assert.deepEqual(result.referencers, ['z', 'y']);
});

test('empty bank and unprofiled models fall back to the first K configured models', () => {
  const empty = selectReferencers({ similarities: [], labels: labels({}), models: ['a', 'b', 'c'], k: 2, nBase: 4, gamma: 0.95 });
  assert.equal(empty.fallback, 'empty-bank');
  assert.deepEqual(empty.referencers, ['a', 'b']);
  const none = selectReferencers({ similarities: [0.3, 0.2], labels: labels({ other: [1, 0] }), models: ['a', 'b', 'c'], k: 2, nBase: 4, gamma: 0.95 });
  assert.equal(none.fallback, 'no-profiled-model');
  assert.deepEqual(none.referencers, ['a', 'b']);
  assert.ok(none.priors.every((p) => p.unprofiled && p.prior === 0));
});
