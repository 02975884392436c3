import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envelope, singleModels, thinFrontier, traceFrontier } from '../costFrontier';
import type { EstimateCollector, RoutingData } from '../routingEval';
import { createRng } from '../../util/rng';

/** A routing data set with given outcomes and recorded tokens, and a collector filled with given estimates. */
function fixture(n: number, models: number, seed: number): { data: RoutingData; collector: EstimateCollector } {
  const rng = createRng(seed);
  const names = Array.from({ length: models }, (_, m) => `m${m}`);
  const labels = Int8Array.from({ length: models * n }, () => (rng.next() < 0.6 ? 1 : 0));
  const prompt = Float32Array.from({ length: models * n }, () => Math.round(100 + 900 * rng.next()));
  const completion = Float32Array.from({ length: models * n }, () => Math.round(50 + 500 * rng.next()));
  const prices = names.map((_, m) => ({ prompt: (m + 1) * 1e-7 * (1 + rng.next()), completion: (m + 1) * 4e-7 }));
  const accuracy = Float64Array.from({ length: n * models }, () => Math.round(rng.next() * 20) / 20);
  const cost = Float64Array.from({ length: n * models }, (_, i) => (i % models) * 1e-4 + Math.round(rng.next() * 10) * 1e-5);
  const data: RoutingData = { n, dim: 1, embeddings: new Float64Array(n), models: names, labels, folds: new Int32Array(n), tokens: { prompt, completion } };
  return { data, collector: { prices, accuracy, cost } };
}

/** Routing evaluated directly at one weight: argmax accuracy − w·cost, ties to the cheaper, then the lower index. */
function direct(data: RoutingData, collector: EstimateCollector, w: number): { accuracy: number; usdPer1kQuestions: number } {
  const M = data.models.length;
  let right = 0;
  let usd = 0;
  for (let q = 0; q < data.n; q++) {
    let best = 0;
    for (let m = 1; m < M; m++) {
      const s = collector.accuracy[q * M + m]! - w * collector.cost[q * M + m]!;
      const b = collector.accuracy[q * M + best]! - w * collector.cost[q * M + best]!;
      if (s > b || (s === b && collector.cost[q * M + m]! < collector.cost[q * M + best]!)) best = m;
    }
    if (data.labels[best * data.n + q] === 1) right++;
    const price = collector.prices[best]!;
    usd += data.tokens!.prompt[best * data.n + q]! * price.prompt + data.tokens!.completion[best * data.n + q]! * price.completion;
  }
  return { accuracy: right / data.n, usdPer1kQuestions: (1000 * usd) / data.n };
}

test('envelope: the model chosen from each weight on is the one a direct argmax picks there', () => {
  const rng = createRng(5);
  for (let trial = 0; trial < 300; trial++) {
    const M = 1 + Math.floor(rng.next() * 7);
    const accuracy = Array.from({ length: M }, () => Math.round(rng.next() * 10) / 10);
    const cost = Array.from({ length: M }, () => Math.round(rng.next() * 8) / 1000);
    const steps = envelope(accuracy, cost);
    for (const w of [0, 0.5, 1, 3, 7, 10, 25, 50, 100, 200, 1000, 1e6]) {
      const step = [...steps].reverse().find((s) => s.from <= w);
      let best = 0;
      for (let m = 1; m < M; m++) {
        const s = accuracy[m]! - w * cost[m]!;
        const b = accuracy[best]! - w * cost[best]!;
        if (s > b + 1e-12 || (Math.abs(s - b) <= 1e-12 && (cost[m]! < cost[best]! || (cost[m] === cost[best] && m < best)))) best = m;
      }
      // Where two models tie exactly at w, either order is the argmax; compare scores, not indices.
      const chosen = step?.model ?? -1;
      assert.ok(Math.abs(accuracy[chosen]! - w * cost[chosen]! - (accuracy[best]! - w * cost[best]!)) < 1e-9, `trial ${trial} w ${w}`);
    }
  }
});

test('the traced frontier is, at each of its weights, exactly what routing with that weight gives', () => {
  const { data, collector } = fixture(400, 6, 3);
  const points = traceFrontier(data, collector);
  assert.ok(points.length > 20, `${points.length} steps`);
  for (const p of points.filter((_, i) => i % 7 === 0)) {
    const d = direct(data, collector, p.costWeight);
    assert.ok(Math.abs(d.accuracy - p.accuracy) < 1e-12, `accuracy at w = ${p.costWeight}`);
    assert.ok(Math.abs(d.usdPer1kQuestions - p.usdPer1kQuestions) < 1e-9, `cost at w = ${p.costWeight}`);
  }
  // Weights grow along the steps.
  for (let i = 1; i < points.length; i++) assert.ok(points[i]!.costWeight > points[i - 1]!.costWeight);
});

test('thinning keeps the ends and every visible move', () => {
  const points = [0, 1, 2, 3, 4, 5].map((i) => ({ costWeight: i, accuracy: 0.7 - (i === 5 ? 0.1 : 0.0001 * i), usdPer1kQuestions: 10 - 0.001 * i }));
  const thin = thinFrontier(points);
  assert.deepEqual(thin.map((p) => p.costWeight), [0, 5]);
});

test('single models: share right over all questions and USD per 1,000 from the recorded tokens', () => {
  const { data, collector } = fixture(50, 2, 9);
  const singles = singleModels(data, collector);
  let right = 0;
  let usd = 0;
  for (let q = 0; q < 50; q++) {
    right += data.labels[50 + q] === 1 ? 1 : 0;
    usd += data.tokens!.prompt[50 + q]! * collector.prices[1]!.prompt + data.tokens!.completion[50 + q]! * collector.prices[1]!.completion;
  }
  assert.deepEqual(singles.m1, { accuracy: right / 50, usdPer1kQuestions: (1000 * usd) / 50 });
});
