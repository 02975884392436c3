/** The sample of a bank that `priorShrinkage: auto` and `near` are judged on: each sampled question is left out of its own support set. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BankRecord } from '../../core/contracts/types';
import type { PriorSource, SupportSet } from '../../core/contracts/priorSource';
import { estimateAlpha } from '../../core/routing/shrinkage';
import { bankSamples, calibrateBank } from '../shrinkageEstimate';

/** Six questions in two groups of three; `m` is right on group 0 only; `n` right everywhere but question 5. */
const records: BankRecord[] = Array.from({ length: 6 }, (_, i) => ({
  id: `q${i}`,
  question: `question ${i}`,
  embedding: [i < 3 ? 1 : 0, i < 3 ? 0 : 1],
  correct: { m: i < 3 ? 1 : 0, n: i === 5 ? 0 : 1 },
}));

/** The bank's reads: a scan without embeddings, and a lookup that gives them. */
function bankOf(list: readonly BankRecord[]) {
  return {
    count: async () => list.length,
    scan: async function* () {
      for (const { embedding: _, ...record } of list) yield record;
    },
    lookup: async (ids: readonly string[], options?: { embedding?: boolean }) =>
      new Map(list.filter((r) => ids.includes(r.id)).map((r) => [r.id, options?.embedding ? r : { ...r, embedding: undefined }])),
  };
}
const bank = bankOf(records);

/** Every question with similarity 1 in its own group (the query itself among them), 0.2 across. */
const source: PriorSource = {
  supportSet: async (query): Promise<SupportSet> => ({
    bankSize: records.length,
    ids: records.map((r) => r.id),
    similarities: records.map((r) => (r.embedding![0] === query[0] ? 1 : 0.2)),
    columns: new Map(['m', 'n'].map((model) => [model, { correct: records.map((r) => r.correct![model]!) }])),
  }),
};

test('every question of a small bank is sampled and routed over the others, never over itself', async () => {
  const coverage = [
    { model: 'm', labelled: 6, correct: 3 },
    { model: 'n', labelled: 6, correct: 5 },
  ];
  const found = await calibrateBank(bank, source, { nBase: 400, gamma: 0.95, models: ['m', 'n'] }, coverage, 'auto');
  const overall = new Map(coverage.map((c) => [c.model, { correct: c.correct, labelled: c.labelled }]));
  const without = records.map((question, q) => {
    const others = records.filter((_, i) => i !== q);
    return {
      similarities: others.map((r) => (r.embedding![0] === question.embedding![0] ? 1 : 0.2)),
      columns: new Map(['m', 'n'].map((model) => [model, others.map((r) => r.correct![model]!)])),
      labels: new Map(Object.entries(question.correct!)),
    };
  });
  const samples = (await bankSamples(bank, source, { nBase: 400, gamma: 0.95, models: ['m', 'n'] })).alpha;
  assert.deepEqual(samples.map((s) => ({ similarities: Array.from(s.similarities), columns: new Map([...s.columns].map(([m, c]) => [m, Array.from(c)])), labels: s.labels })), without);
  assert.deepEqual(found.estimate, { ...estimateAlpha(without, overall), questions: 6 });
  assert.equal(found.alpha, found.estimate?.alpha);
  assert.equal(found.estimate?.labels, 12);
});

test('near: each sampled question\'s nearest other question, itself left out, and none from a bank too small to say; a set α is kept', async () => {
  // Two questions alike (1), the rest of the bank across groups (0.2): without itself, q0's nearest is 1.
  const found = await calibrateBank(bank, source, { nBase: 400, gamma: 0.95, models: ['m'] }, [{ model: 'm', labelled: 6, correct: 3 }], 4);
  // Six questions are too few to read a 1-in-20 quantile from: near stays null (never far).
  assert.deepEqual(found, { alpha: 4, near: null });
  const alone = bankOf([{ id: 'a', question: 'a', embedding: [1, 0] }, { id: 'b', question: 'b', embedding: [0, 1] }]);
  const across: PriorSource = { supportSet: async (query) => ({ bankSize: 2, ids: ['a', 'b'], similarities: [query[0]!, query[1]!].map((x) => (x === 1 ? 1 : 0.3)), columns: new Map() }) };
  const sample = await bankSamples(alone, across, { nBase: 400, gamma: 0.95, models: ['m'] });
  assert.deepEqual(sample.nearest, [0.3, 0.3], 'the nearest other, never the question itself');
  assert.deepEqual(sample.alpha, [], 'unlabelled questions count for near only');
});

test('only the configured models\' labels count, and a question without labels is not sampled', async () => {
  const unlabelled = bankOf([{ id: 'x', question: 'x', embedding: [1, 0] }, ...records.slice(0, 1)]);
  const samples = (await bankSamples(unlabelled, source, { nBase: 400, gamma: 0.95, models: ['m'] })).alpha;
  assert.equal(samples.length, 1);
  assert.deepEqual([...samples[0]!.labels], [['m', 1]]);
});
