import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawSubsets, drawWithoutReplacement, dropDistribution } from '../priorDrop';
import { createRng } from '../rng';

const close = (a: number, b: number, eps = 1e-4) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

test('drop distribution is the softmax of z-scored priors', () => {
  // mean 2, population std √(2/3); z = [−1.2247, 0, 1.2247]; e^z = [0.29384, 1, 3.40328] / 4.69712.
  const d = dropDistribution([1, 2, 3]);
  close(d[0] as number, 0.06256);
  close(d[1] as number, 0.2129);
  close(d[2] as number, 0.72455);
  assert.deepEqual(dropDistribution([4, 4, 4]), [1 / 3, 1 / 3, 1 / 3]);
});

/** Exact probability that each index is included when drawing `size` without replacement with renormalisation. */
function exactInclusion(weights: number[], size: number): number[] {
  const incl = weights.map(() => 0);
  const walk = (remaining: number[], picked: number[], p: number) => {
    if (picked.length === size) {
      for (const i of picked) incl[i] = (incl[i] as number) + p;
      return;
    }
    const total = remaining.reduce((a, i) => a + (weights[i] as number), 0);
    for (const i of remaining) {
      walk(
        remaining.filter((j) => j !== i),
        [...picked, i],
        (p * (weights[i] as number)) / total,
      );
    }
  };
  walk(
    weights.map((_, i) => i),
    [],
    1,
  );
  return incl;
}

test('inclusion frequencies match their exact values', () => {
  const priors = [0.2, 1.5, 0.9, 2.4, 0.1];
  const dist = dropDistribution(priors);
  const size = 3;
  const exact = exactInclusion(dist, size);
  assert.ok(Math.abs(exact.reduce((a, b) => a + b, 0) - size) < 1e-9);
  const rng = createRng(42);
  const trials = 100_000;
  const counts = priors.map(() => 0);
  const firstCounts = priors.map(() => 0);
  for (let t = 0; t < trials; t++) {
    const subset = drawWithoutReplacement(dist, size, rng);
    assert.equal(new Set(subset).size, size);
    for (const i of subset) counts[i] = (counts[i] as number) + 1;
    firstCounts[subset[0] as number] = (firstCounts[subset[0] as number] as number) + 1;
  }
  counts.forEach((c, i) => {
    const p = exact[i] as number;
    const sigma = Math.sqrt((p * (1 - p)) / trials);
    assert.ok(Math.abs(c / trials - p) < 5 * sigma + 1e-9, `index ${i}: ${c / trials} vs exact ${p}`);
  });
  // The first draw follows D itself.
  firstCounts.forEach((c, i) => {
    const p = dist[i] as number;
    assert.ok(Math.abs(c / trials - p) < 5 * Math.sqrt((p * (1 - p)) / trials));
  });
});

test('subsets keep K′ − Kdrop references, are reproducible from the seed, and all of O when K′ − Kdrop < 1', () => {
  const a = drawSubsets([1, 2, 3, 4], 1, 8, createRng(3));
  const b = drawSubsets([1, 2, 3, 4], 1, 8, createRng(3));
  assert.equal(a.length, 8);
  assert.ok(a.every((s) => s.length === 3 && new Set(s).size === 3));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, drawSubsets([1, 2, 3, 4], 1, 8, createRng(4)));
  assert.deepEqual(drawSubsets([5], 1, 2, createRng(1)), [[0], [0]]);
  assert.deepEqual(drawSubsets([5, 6], 3, 1, createRng(1)), [[0, 1]]);
});
