import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, type Rng } from '../../util/rng';
import { computePriors, scanSupport, routeFromSupport } from '../rps';
import { ALPHA_GRID, alphaSamplePositions, alphaSampleSize, effectiveSize, estimateAlpha, type AlphaSample, type ModelCounts } from '../shrinkage';

const counts = (entries: Record<string, [number, number]>): Map<string, ModelCounts> => new Map(Object.entries(entries).map(([m, [correct, labelled]]) => [m, { correct, labelled }]));

test('effective size: equal similarities are worth every question, uneven ones fewer, none nothing', () => {
  assert.equal(effectiveSize([0.8, 0.8, 0.8, 0.8]), 4);
  // (1 + 4·0.1)² / (1 + 4·0.01) = 1.96 / 1.04.
  assert.ok(Math.abs(effectiveSize([1, 0.1, 0.1, 0.1, 0.1]) - 1.96 / 1.04) < 1e-12);
  assert.equal(effectiveSize([]), 0);
  assert.equal(effectiveSize([0, 0]), 0);
});

test('α = 0 gives the paper\'s priors exactly, bit for bit, with partial labels, unprofiled models and negative similarities', () => {
  const rng = createRng(3);
  for (let trial = 0; trial < 50; trial++) {
    const n = 1 + Math.floor(rng.next() * 40);
    const sims = Array.from({ length: n }, () => rng.next() * 1.2 - 0.2);
    const column = (labelled: number) => Array.from({ length: n }, () => (rng.next() < labelled ? (rng.next() < 0.6 ? 1 : 0) : -1));
    const labels = new Map([
      ['a', column(1)],
      ['b', column(0.5)],
      ['c', column(0.1)],
    ]);
    const support = Array.from({ length: n }, (_, i) => i).filter(() => rng.next() < 0.8);
    const models = ['a', 'b', 'c', 'd'];
    const paper = computePriors(sims, support, labels, models);
    assert.deepEqual(computePriors(sims, support, labels, models, { alpha: 0, overall: counts({ a: [10, 20], b: [1, 20], c: [19, 20] }) }), paper);
  }
});

test('α > 0 on a fully labelled support: the prior is Σ s · (n_eff·a + α·p) / (n_eff + α)', () => {
  const sims = [0.9, 0.7, 0.6, 0.5];
  const right = [1, 0, 1, 1];
  const [prior] = computePriors(sims, [0, 1, 2, 3], new Map([['m', right]]), ['m'], { alpha: 3, overall: counts({ m: [30, 100] }) });
  const weight = sims.reduce((a, b) => a + b, 0);
  const local = sims.reduce((a, s, i) => a + s * right[i]!, 0) / weight;
  const nEff = weight ** 2 / sims.reduce((a, s) => a + s * s, 0);
  assert.ok(Math.abs((prior?.prior ?? 0) - (weight * (nEff * local + 3 * 0.3)) / (nEff + 3)) < 1e-12);
});

test('a tiny support set pulls each model toward its bank-wide share right, and can reorder the models', () => {
  // Two loosely similar questions: `lucky` got both, `solid` neither; over the bank `solid` is right 80 %, `lucky` 20 %.
  const labels = new Map([
    ['lucky', [1, 1]],
    ['solid', [0, 0]],
  ]);
  const { support } = scanSupport([0.3, 0.3], labels, { nBase: 400, gamma: 0.95, models: ['lucky', 'solid'] });
  const paper = routeFromSupport(support, ['lucky', 'solid'], 1);
  assert.deepEqual(paper.referencers, ['lucky']);
  const shrunk = routeFromSupport(support, ['lucky', 'solid'], 1, { alpha: 8, overall: counts({ lucky: [200, 1000], solid: [800, 1000] }) });
  assert.deepEqual(shrunk.referencers, ['solid']);
  // n_eff = 2, w = 2/10: lucky 0.2·1 + 0.8·0.2 = 0.36 of Σ s = 0.6, solid 0.8·0.8 = 0.64 of it.
  assert.ok(Math.abs((shrunk.priors[0]?.prior ?? 0) - 0.36 * 0.6) < 1e-12);
  assert.ok(Math.abs((shrunk.priors[1]?.prior ?? 0) - 0.64 * 0.6) < 1e-12);
  assert.equal(shrunk.supportEffective, 2);
});

test('a large, strongly similar support set barely moves: the prior stays within 1.5 % of the paper\'s', () => {
  const rng = createRng(9);
  const n = 400;
  const sims = Array.from({ length: n }, () => 0.85 + 0.1 * rng.next());
  const labels = new Map([['m', Array.from({ length: n }, (_, i) => (i % 10 < 7 ? 1 : 0))]]);
  const support = Array.from({ length: n }, (_, i) => i);
  const [paper] = computePriors(sims, support, labels, ['m']);
  const [shrunk] = computePriors(sims, support, labels, ['m'], { alpha: 8, overall: counts({ m: [400, 1000] }) });
  const moved = Math.abs((shrunk?.prior ?? 0) - (paper?.prior ?? 0)) / (paper?.prior ?? 1);
  assert.ok(moved > 0 && moved < 0.015, `moved ${moved}`);
});

test('a model without bank-wide counts keeps its paper prior; an unprofiled one still gets the mean', () => {
  const labels = new Map([
    ['a', [1, 0]],
    ['b', [0, 0]],
  ]);
  const priors = computePriors([0.5, 0.5], [0, 1], labels, ['a', 'b', 'c'], { alpha: 4, overall: counts({ b: [9, 10] }) });
  assert.equal(priors[0]?.prior, 0.5);
  // b: n_eff 2, w = 1/3 → (0 + 2/3 · 0.9) · 1.
  assert.ok(Math.abs((priors[1]?.prior ?? 0) - 0.6) < 1e-12);
  assert.ok(Math.abs((priors[2]?.prior ?? 0) - 0.55) < 1e-12);
  assert.equal(priors[2]?.unprofiled, true);
});

/**
 * Sampled bank questions as `estimateAlpha` receives them: each routed to `support` questions of its own region at
 * similarity 0.9, every model right there with the chance `rate(model, region)`.
 */
function samples(rng: Rng, rate: (model: string, region: number) => number, support: number, questions: number): { list: AlphaSample[]; overall: Map<string, ModelCounts> } {
  const models = ['a', 'b'];
  const overall = new Map(models.map((m) => [m, { correct: 0, labelled: 0 }]));
  const draw = (m: string, region: number) => {
    const c = rng.next() < rate(m, region) ? 1 : 0;
    const o = overall.get(m)!;
    o.correct += c;
    o.labelled++;
    return c;
  };
  const list = Array.from({ length: questions }, (_, q) => {
    const region = q % 2;
    const columns = new Map(models.map((m) => [m, Array.from({ length: support }, () => draw(m, region))]));
    const labels = new Map(models.map((m) => [m, draw(m, region)]));
    return { similarities: Array(support).fill(0.9), columns, labels };
  });
  return { list, overall };
}

test('α is small where models really differ by region, and large where local shares are binomial noise', () => {
  const specialists = samples(createRng(1), (m, region) => ((m === 'a') === (region === 0) ? 0.95 : 0.05), 30, 200);
  const varied = estimateAlpha(specialists.list, specialists.overall);
  assert.equal(varied.labels, 400);
  assert.ok(varied.alpha <= 2, `α ${varied.alpha} where the regions decide`);
  const alike = samples(createRng(2), (m) => (m === 'a' ? 0.7 : 0.4), 4, 800);
  const noise = estimateAlpha(alike.list, alike.overall);
  assert.ok(noise.alpha >= 16, `α ${noise.alpha} where nothing but noise varies`);
  assert.ok(ALPHA_GRID.includes(noise.alpha));
});

test('an α that wins by less than one standard error over the questions gives way to the smaller one', () => {
  // Each question's one support question was right. Five are right too (the local share predicted them), two wrong:
  // shrinking toward 50 % lowers the total error a little (+0.25 on five, −0.75 on two) but not beyond the noise.
  const sample = (c: number): AlphaSample => ({ similarities: [1], columns: new Map([['a', [1]]]), labels: new Map([['a', c]]) });
  const list = [1, 1, 1, 1, 1, 0, 0].map(sample);
  const overall = counts({ a: [500, 1000] });
  const error = (alpha: number) => list.reduce((sum, q) => {
    const c = q.labels.get('a')!;
    const share = (1 + (alpha * (500 - c)) / 999) / (1 + alpha);
    return sum + (c - share) ** 2;
  }, 0);
  assert.ok(ALPHA_GRID.some((alpha) => error(alpha) < error(0)), 'some α > 0 has the least error');
  assert.equal(estimateAlpha(list, overall).alpha, 0);
  // Six times the questions, the same split: now the gain is beyond one standard error.
  assert.ok(estimateAlpha([...list, ...list, ...list, ...list, ...list, ...list], overall).alpha > 0);
});

test('α with nothing to judge on is 0, the paper\'s priors', () => {
  assert.deepEqual(estimateAlpha([], counts({ a: [5, 10] })), { alpha: 0, labels: 0 });
  const unlabelled: AlphaSample = { similarities: [0.9], columns: new Map([['a', [-1]]]), labels: new Map([['a', 1]]) };
  assert.deepEqual(estimateAlpha([unlabelled], counts({ a: [5, 10] })), { alpha: 0, labels: 0 });
});

test('the sample: all of a small bank, fewer questions from a large one, spread evenly', () => {
  assert.equal(alphaSampleSize(10), 10);
  assert.equal(alphaSampleSize(380), 256);
  assert.equal(alphaSampleSize(12_032), 83);
  assert.equal(alphaSampleSize(100_000), 16);
  assert.equal(alphaSampleSize(1_000_000), 16);
  assert.deepEqual(alphaSamplePositions(10, 10), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(alphaSamplePositions(100, 4), [12, 37, 62, 87]);
});
