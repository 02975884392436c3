import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combine, evaluateRange, type RoutingData } from '../routingEval';
import { runRoutingEval } from '../../cli/routingRunner';
import { specialistBank } from '../../../test/fixtures/routingData';
import type { BankRecord } from '../types';

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

/** A deliberately plain re-statement of DESIGN §2 (sorting instead of selection) to cross-check the engine. */
function referenceTop1AnyK(records: BankRecord[], models: string[], k: number, nBase: number, gamma: number) {
  let top1 = 0;
  let anyK = 0;
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
  }
  return { top1: top1 / records.length, anyK: anyK / records.length };
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

test('top1 and anyK equal a plain re-implementation of DESIGN §2, including partial labels', () => {
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
  }
});

test('the CLI path (float64 matrix product in blocks) gives the same report as plain dot products', async () => {
  const records = specialistBank({ questions: 900, topics: 3, dim: 16, seed: 2, folds: 5 });
  const data = toData(records);
  const params = { k: 3, nBase: 50, gamma: 0.95 };
  const plain = combine(data, evaluateRange(data, params, 0, data.n));
  const blocked = await runRoutingEval(data, params, { blockRows: 128 });
  assert.equal(blocked.top1, plain.top1);
  assert.equal(blocked.anyK, plain.anyK);
  assert.deepEqual({ ...blocked, rankScore: 0 }, { ...plain, rankScore: 0 });
  assert.ok(Math.abs(blocked.rankScore - plain.rankScore) < 1e-9);
});
