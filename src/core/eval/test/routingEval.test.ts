import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alphaSampleOf, combine, createScratch, emptyPartial, evaluateQuestion, foldAlpha, foldsOf, planShrinkage, trainingCounts, type RoutingData, type RoutingParams, type RoutingPartial, type ShrinkagePlan } from '../routingEval';
import { ALPHA_GRID } from '../../routing/shrinkage';
import { runRoutingEval } from '../../../cli/routingRunner';
import { specialistBank } from '../../../../test/fixtures/routingData';
import type { BankRecord } from '../../contracts/types';

function toData(records: BankRecord[]): RoutingData {
  const models = [...new Set(records.flatMap((r) => Object.keys(r.correct ?? {})))];
  const n = records.length;
  const dim = records[0]?.embedding?.length ?? 0;
  const embeddings = new Float64Array(n * dim);
  records.forEach((r, i) => embeddings.set(r.embedding ?? [], i * dim));
  const labels = new Int8Array(models.length * n).fill(-1);
  models.forEach((m, mi) => records.forEach((r, q) => {
    const c = r.correct?.[m];
    if (c !== undefined) labels[mi * n + q] = c;
  }));
  return { n, dim, embeddings, models, labels, folds: Int32Array.from(records, (r) => r.fold ?? 0) };
}

/** The similarity row of question `q` to every question, by plain dot products: what the CLI's matrix product is checked against. */
function similarityRow(data: RoutingData, q: number): Float64Array {
  const { n, dim, embeddings } = data;
  return Float64Array.from({ length: n }, (_, i) => {
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += embeddings[q * dim + d]! * embeddings[i * dim + d]!;
    return dot;
  });
}

/** Held-out questions [from, to) routed by the core's `evaluateQuestion` over plain dot products; with `plan`, the shrunk priors too. */
function evaluateRange(data: RoutingData, params: RoutingParams, from: number, to: number, plan?: ShrinkagePlan): RoutingPartial {
  const partial = emptyPartial();
  const scratch = createScratch(data);
  for (let q = from; q < to; q++) evaluateQuestion(data, params, q, similarityRow(data, q), scratch, partial, undefined, plan?.get(data.folds[q]!));
  return partial;
}

/** A deliberately plain re-statement of RPS (paper §3.1; sorting instead of selection) to cross-check the engine. */
function referenceTop1AnyK(records: BankRecord[], models: string[], k: number, nBase: number, gamma: number) {
  let top1 = 0;
  let anyK = 0;
  let agree = 0;
  let pairs = 0;
  for (const q of records) {
    const train = records.filter((r) => r.fold !== q.fold);
    const s = train.map((r) => r.embedding!.reduce((a, x, d) => a + x * q.embedding![d]!, 0));
    const sorted = [...s].sort((a, b) => b - a);
    const sBase = sorted[Math.min(nBase, s.length) - 1]!;
    const support = sBase <= 0
      ? s.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, nBase).map(([, i]) => i)
      : s.flatMap((v, i) => (v >= gamma * sBase ? [i] : []));
    const raw = models.map((m) => {
      const lab = support.filter((i) => train[i]!.correct?.[m] !== undefined);
      if (lab.length === 0) return null;
      return (lab.reduce((a, i) => a + s[i]! * train[i]!.correct![m]!, 0) * support.length) / lab.length;
    });
    const prof = raw.filter((v): v is number => v !== null);
    const priors = raw.map((v) => v ?? prof.reduce((a, b) => a + b, 0) / prof.length);
    const order = models.map((_, i) => i).sort((a, b) => priors[b]! - priors[a]! || a - b).slice(0, k);
    if (q.correct?.[models[order[0]!]!] === 1) top1++;
    if (order.some((i) => q.correct?.[models[i]!] === 1)) anyK++;
    // Eq. 8: (correct, wrong) pairs ranked strictly right, over |correct| × |wrong|, pooled over questions.
    const right = models.flatMap((m, i) => (q.correct?.[m] === 1 ? [i] : []));
    const wrong = models.flatMap((m, i) => (q.correct?.[m] === 1 ? [] : [i]));
    for (const c of right) for (const w of wrong) if (priors[c]! > priors[w]!) agree++;
    pairs += right.length * wrong.length;
  }
  return { top1: top1 / records.length, anyK: anyK / records.length, rankScore: agree / pairs };
}

test('RPS routing beats the best single model when models specialise by topic', () => {
  const records = specialistBank({ questions: 600, topics: 4, dim: 24, seed: 11, folds: 5 });
  const data = toData(records);
  const report = combine(data, evaluateRange(data, { k: 2, nBase: 40, gamma: 0.95 }, 0, data.n));
  assert.equal(report.n, 600);
  assert.equal(report.folds, 5);
  assert.equal(report.bestModel, 'generalist');
  assert.ok(report.top1 > report.bestSingle + 0.2, `top1 ${report.top1} vs bestSingle ${report.bestSingle}`);
  assert.ok(report.anyK >= report.top1 && report.oracle >= report.anyK);
  assert.ok(report.random < report.bestSingle);
  assert.ok(report.rankScore > 0.7, `rankScore ${report.rankScore}`);
});

test('top1 and anyK equal a plain re-implementation of RPS, including partial labels', () => {
  const records = specialistBank({ questions: 150, topics: 3, dim: 8, seed: 5, folds: 3 });
  records.forEach((r, i) => {
    if (i % 7 === 0) delete r.correct!['specialist-1'];
  });
  const data = toData(records);
  for (const [k, nBase, gamma] of [[1, 10, 0.95], [3, 400, 0.5], [2, 5, 1]] as const) {
    const report = combine(data, evaluateRange(data, { k, nBase, gamma }, 0, data.n));
    const ref = referenceTop1AnyK(records, [...data.models], k, nBase, gamma);
    assert.equal(report.top1, ref.top1, `top1 k=${k} nBase=${nBase}`);
    assert.equal(report.anyK, ref.anyK, `anyK k=${k} nBase=${nBase}`);
    assert.ok(Math.abs(report.rankScore - ref.rankScore) < 1e-12, `rankScore k=${k} nBase=${nBase}: ${report.rankScore} vs ${ref.rankScore}`);
  }
});

test('rankScore is Eq. 8: pooled over questions, ties count 0; the per-question average (ties ½) is kept apart', () => {
  // Two questions, three models, one training question per fold so the priors are known exactly.
  // Fold 0 holds q0 and q1 (held out together); fold 1 holds the training question t, similar to both.
  const models = ['a', 'b', 'c'];
  const data: RoutingData = {
    n: 3,
    dim: 2,
    embeddings: Float64Array.from([1, 0, 1, 0, 1, 0]),
    models,
    // rows: model × [q0, q1, t]; t labels give priors a = b = 1 > c = 0 for both held-out questions.
    labels: Int8Array.from([1, 0, 1, /* b */ 0, 1, 1, /* c */ 0, 0, 0]),
    folds: Int32Array.from([0, 0, 1]),
  };
  const report = combine(data, evaluateRange(data, { k: 1, nBase: 1, gamma: 1 }, 0, 2));
  // q0: correct {a}, wrong {b, c}: a>c strict, a=b tie → 1 of 2.  q1: correct {b}, wrong {a, c}: b>c, b=a tie → 1 of 2.
  assert.equal(report.rankScore, 2 / 4);
  assert.equal(report.rankScorePerQuestion, 0.75);
});

test('the CLI path (float64 matrix product in blocks) gives the same report as plain dot products', async () => {
  const records = specialistBank({ questions: 900, topics: 3, dim: 16, seed: 2, folds: 5 });
  const data = toData(records);
  const params = { k: 3, nBase: 50, gamma: 0.95 };
  const plain = combine(data, evaluateRange(data, params, 0, data.n));
  const blocked = await runRoutingEval(data, params, { blockRows: 128 });
  assert.equal(blocked.top1, plain.top1);
  assert.equal(blocked.anyK, plain.anyK);
  assert.deepEqual({ ...blocked, rankScore: 0, rankScorePerQuestion: 0 }, { ...plain, rankScore: 0, rankScorePerQuestion: 0 });
  assert.ok(Math.abs(blocked.rankScore - plain.rankScore) < 1e-9);
  assert.ok(Math.abs(blocked.rankScorePerQuestion - plain.rankScorePerQuestion) < 1e-9);
});

/** Each fold's auto α by plain dot products, as the CLI's matrix product computes it. */
function autoPlan(data: RoutingData, params: { k: number; nBase: number; gamma: number }) {
  return planShrinkage(data, 'auto', (fold) => foldAlpha(data, params, fold, alphaSampleOf(data, fold).map((q) => similarityRow(data, q))));
}

test('shrunk priors with α = 0 route exactly as the paper\'s; the report keeps every field of the paper\'s beside them', () => {
  const records = specialistBank({ questions: 300, topics: 3, dim: 12, seed: 4, folds: 5 });
  const data = toData(records);
  const params = { k: 2, nBase: 30, gamma: 0.95 };
  const plan = planShrinkage(data, 0, () => 99);
  const report = combine(data, evaluateRange(data, params, 0, data.n, plan), plan);
  const plain = combine(data, evaluateRange(data, params, 0, data.n));
  assert.deepEqual({ ...report, shrunk: undefined }, { ...plain, shrunk: undefined });
  assert.deepEqual(report.shrunk, { alpha: 0, alphaByFold: [0, 0, 0, 0, 0], top1: plain.top1, anyK: plain.anyK, rankScore: plain.rankScore, topDiffers: 0, setDiffers: 0 });
});

test('shrunk priors with a huge α route every question to the model best over the other folds', () => {
  // The generalist (70 %) beats every specialist (90 % on its topic, 30 % elsewhere: 50 %) in every fold.
  const records = specialistBank({ questions: 300, topics: 3, dim: 12, seed: 6, folds: 5, generalist: 0.7 });
  const data = toData(records);
  const plan = planShrinkage(data, 1_000_000, () => 0);
  const report = combine(data, evaluateRange(data, { k: 1, nBase: 30, gamma: 0.95 }, 0, data.n, plan), plan);
  for (const fold of foldsOf(data)) {
    const share = (m: string) => trainingCounts(data, fold).get(m)!.correct / trainingCounts(data, fold).get(m)!.labelled;
    assert.ok(data.models.every((m) => m === 'generalist' || share(m) < share('generalist')), `fold ${fold}`);
  }
  assert.equal(report.bestModel, 'generalist');
  assert.equal(report.shrunk?.top1, report.bestSingle);
  assert.equal(report.shrunk?.alpha, 1_000_000);
  assert.ok(report.top1 > report.bestSingle, 'the paper\'s priors pick the specialists');
  assert.ok((report.shrunk?.topDiffers ?? 0) > 0.5, 'which give way to the generalist');
  assert.equal(report.shrunk?.topDiffers, report.shrunk?.setDiffers, 'with K = 1 the set is the top model');
});

test('auto: each fold chooses α on its own sample; where specialists differ by topic it stays small and routing keeps its gain', () => {
  const records = specialistBank({ questions: 400, topics: 4, dim: 16, seed: 8, folds: 5 });
  const data = toData(records);
  const params = { k: 2, nBase: 40, gamma: 0.95 };
  const plan = autoPlan(data, params);
  assert.deepEqual([...plan.keys()], foldsOf(data));
  const report = combine(data, evaluateRange(data, params, 0, data.n, plan), plan);
  const shrunk = report.shrunk!;
  assert.equal(shrunk.alphaByFold.length, 5);
  for (const alpha of shrunk.alphaByFold) assert.ok(ALPHA_GRID.includes(alpha) && alpha <= 8, `α ${alpha}`);
  assert.ok(shrunk.top1 > report.bestSingle + 0.2, `shrunk top1 ${shrunk.top1} vs bestSingle ${report.bestSingle}`);
  // A fold's sample is drawn from the other folds only: its own questions' labels never choose its α.
  for (const fold of foldsOf(data)) assert.ok(alphaSampleOf(data, fold).every((q) => data.folds[q] !== fold));
});

test('the CLI path gives the same shrunk report as plain dot products, auto α included', async () => {
  const records = specialistBank({ questions: 500, topics: 3, dim: 16, seed: 12, folds: 5 });
  const data = toData(records);
  const params = { k: 3, nBase: 50, gamma: 0.95 };
  const plan = autoPlan(data, params);
  const plain = combine(data, evaluateRange(data, params, 0, data.n, plan), plan);
  const blocked = await runRoutingEval(data, params, { blockRows: 128, priorShrinkage: 'auto' });
  assert.deepEqual(blocked.shrunk?.alphaByFold, plain.shrunk?.alphaByFold);
  assert.equal(blocked.shrunk?.top1, plain.shrunk?.top1);
  assert.equal(blocked.shrunk?.anyK, plain.shrunk?.anyK);
  assert.equal(blocked.shrunk?.setDiffers, plain.shrunk?.setDiffers);
  assert.ok(Math.abs((blocked.shrunk?.rankScore ?? 0) - (plain.shrunk?.rankScore ?? 1)) < 1e-9);
});
