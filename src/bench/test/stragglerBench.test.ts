/**
 * The straggler benchmark on a tiny hand-made replay set (plain questions, so no code runs): models a, b and c answer
 * fast and wrong, `slow` answers right. With `slow` 25× slower than c, the deadline leaves it out of every ask, the times
 * follow the pipeline's rule, the re-asked pipeline shows it as a failed call, and waiting for all scores what
 * `smcs eval e2e` scores on the same set. With every reply inside the window the deadline changes nothing.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { answerMs, benchmarkStragglers, deadlineTiming, heavyTailedLatencies, MEDIAN_RANGE_MS, type LatencyModel } from '../stragglerBench';
import type { E2eTask } from '../../core/eval/e2eEval';
import { LexicalEmbedder } from '../../embed/lexical';
import { runCliHere } from '../../../test/fixtures/cliRun';
import { tempDir } from '../../../test/fixtures/bankData';

const temp = tempDir('smcs-stragglers-');
after(() => temp.cleanup());

const TOPICS = ['apples in a basket', 'trains leaving a station', 'pages in a book', 'steps on a stair', 'eggs in a box', 'coins in a jar', 'birds on a wire', 'chairs in a hall'];

const TASKS: E2eTask[] = TOPICS.map((topic, i) => ({
  id: `q${i}`,
  question: `How many ${topic} are there when the count doubles from ${i + 3}?`,
  replies: {
    a: `There are ${i + 3} ${topic}; doubling does not change a count.`,
    b: `Add three: ${i + 6} ${topic}, since doubling adds the first number.`,
    c: `It is ${(i + 3) * 3} ${topic} after tripling the count.`,
    slow: `Doubling ${i + 3} gives ${(i + 3) * 2} ${topic}.`,
  },
  correct: { a: 0, b: 0, c: 0, slow: 1 },
}));

/** Fixed times: each model always takes its own, every aggregation 3 s. */
const fixed = (ms: Record<string, number>): LatencyModel => ({
  referencerMs: (model) => ms[model] ?? Number.NaN,
  aggregationMs: () => 3000,
  medianMs: (model) => ms[model] ?? 0,
});

const options = { tasks: TASKS, embedder: new LexicalEmbedder(), k: 4, n: 8, kDrop: 1, folds: 2, seeds: [0, 1] };

test('a model 25× slower is left out of every ask, the times follow the rule, and waiting scores as eval e2e does', async () => {
  const bench = await benchmarkStragglers({ ...options, latencies: () => fixed({ a: 1000, b: 1200, c: 1600, slow: 40_000 }) });
  assert.equal(bench.asks, 16);
  // K − Kdrop = 3 replies are in at 1.6 s; the others get max(2 s, 1 × 1.6 s): the deadline is at 3.6 s.
  for (const o of bench.outcomes) {
    assert.deepEqual(o.routed.slice().sort(), ['a', 'b', 'c', 'slow']);
    assert.deepEqual(o.late, ['slow'], o.id);
    assert.deepEqual([o.waitMs, o.deadlineMs, o.enoughMs], [40_000 + 3000, 3600 + 3000, 1600 + 3000], o.id);
    assert.deepEqual(o.referencersMs, { wait: 40_000, deadline: 3600, enough: 1600 }, o.id);
    assert.equal(o.deadlineSolved, false, 'the one right reply never came');
    assert.notEqual(o.deadlineAnswer, 'slow');
  }
  const [wait, deadline] = bench.policies;
  assert.deepEqual([wait.p50Ms, wait.p90Ms, deadline.p50Ms, deadline.p90Ms], [43_000, 43_000, 6600, 6600]);
  assert.deepEqual([deadline.lateModelsPerAsk, deadline.asksWithLate, wait.lateModelsPerAsk], [1, 16, 0]);
  assert.ok(wait.solved > 0, 'waiting for the right model wins some asks');
  assert.equal(deadline.solved, 0);
  assert.equal(bench.goal.p90Ratio, 6600 / 4600);
  assert.equal(bench.goal.accuracyDropPoints, wait.accuracy * 100);
  assert.equal(bench.goal.met, false);

  const file = path.join(temp.dir, 'set.jsonl');
  await writeFile(file, TASKS.map((t) => JSON.stringify(t)).join('\n'));
  const e2e = await runCliHere(['eval', 'e2e', file, '--k', '4', '--n', '8', '--k-drop', '1', '--folds', '2', '--seeds', '0,1', '--json']);
  assert.equal(e2e.code, 0, e2e.stderr);
  const runs = (JSON.parse(e2e.stdout) as { runs: { seed: number; solved: number }[] }).runs;
  assert.deepEqual(bench.bySeed.map((b) => [b.seed, b.waitSolved]), runs.map((run) => [run.seed, run.solved]));
  assert.deepEqual(bench.bySeed.map((b) => [b.asks, b.deadlineSolved, b.asksWithLate]), [[8, 0, 8], [8, 0, 8]]);
});

test('with every reply inside the window the deadline leaves nothing out and changes no answer', async () => {
  const bench = await benchmarkStragglers({ ...options, latencies: () => fixed({ a: 1000, b: 1200, c: 1600, slow: 3500 }) });
  for (const o of bench.outcomes) {
    assert.deepEqual(o.late, [], o.id);
    assert.deepEqual([o.waitMs, o.deadlineMs, o.enoughMs], [3500 + 3000, 3500 + 3000, 1600 + 3000], o.id);
    assert.deepEqual(o.referencersMs, { wait: 3500, deadline: 3500, enough: 1600 }, o.id);
    assert.equal(o.deadlineAnswer, o.waitAnswer, o.id);
    assert.equal(o.deadlineSolved, o.waitSolved, o.id);
  }
  assert.equal(bench.policies[1].solved, bench.policies[0].solved);
  assert.equal(bench.goal.accuracyDropPoints, 0);
});

test('the deadline rule: at least 2 s, factor × the time of the K − Kdrop-th reply, never with Kdrop 0 or factor 0', () => {
  const arrivals = [{ model: 'a', ms: 500 }, { model: 'b', ms: 900 }, { model: 'c', ms: 2600 }, { model: 'd', ms: 3000 }];
  assert.deepEqual(deadlineTiming(arrivals, 4, 1, 1), { enoughMs: 2600, referencersMs: 3000, late: [] }, 'd comes within 2.6 s × 2');
  assert.deepEqual(deadlineTiming(arrivals, 4, 2, 1), { enoughMs: 900, referencersMs: 2900, late: ['d'] }, 'the 2 s floor after 0.9 s: c comes in time, d not');
  assert.deepEqual(deadlineTiming(arrivals, 4, 2, 3), { enoughMs: 900, referencersMs: 3000, late: [] }, '3 × 0.9 s: both come');
  assert.deepEqual(deadlineTiming(arrivals, 4, 0, 1), { enoughMs: 3000, referencersMs: 3000, late: [] });
  assert.deepEqual(deadlineTiming(arrivals, 4, 3, 0), { enoughMs: 500, referencersMs: 3000, late: [] });
  assert.deepEqual(deadlineTiming(arrivals.slice(0, 2), 4, 1, 1), { enoughMs: 900, referencersMs: 900, late: [] }, 'two calls failed: three replies never came, no deadline');
});

test('an aggregation starts once its references are in; after a redraw, all start at the deadline', () => {
  const latency: LatencyModel = { referencerMs: () => 0, aggregationMs: (_, index) => [10_000, 500][index] ?? 0, medianMs: () => 0 };
  const arrivals = new Map([['a', 1000], ['b', 2000], ['c', 9000]]);
  const candidates = [{ index: 0, subset: ['a', 'b'] }, { index: 1, subset: ['a', 'c'] }];
  assert.equal(answerMs(candidates, 'q', latency, arrivals, 9000), 12_000, 'aggregation 0 started at 2 s, before c came; 1 ends at 9.5 s');
  assert.equal(answerMs(candidates, 'q', latency, arrivals, 9000, 5000), 15_000, 'drawn again at a 5 s deadline');
  assert.equal(answerMs([], 'q', latency, arrivals, 9000), 9000, 'no aggregation: the referencer stage');
});

test('the simulated latencies are seeded, per call, with medians in range and a heavy tail', () => {
  const one = heavyTailedLatencies(7);
  const again = heavyTailedLatencies(7);
  assert.equal(one.referencerMs('m', 'q1'), again.referencerMs('m', 'q1'));
  assert.notEqual(one.referencerMs('m', 'q1'), heavyTailedLatencies(8).referencerMs('m', 'q1'));
  const models = Array.from({ length: 50 }, (_, i) => `model-${i}`);
  for (const m of models) assert.ok(one.medianMs(m) >= MEDIAN_RANGE_MS[0] && one.medianMs(m) <= MEDIAN_RANGE_MS[1], m);
  const ratios = models.flatMap((m) => Array.from({ length: 200 }, (_, q) => one.referencerMs(m, `q${q}`) / one.medianMs(m))).sort((x, y) => x - y);
  const median = ratios[Math.floor(ratios.length / 2)]!;
  assert.ok(median > 0.9 && median < 1.15, `the median call takes about the model's median (${median})`);
  const beyond = ratios.filter((r) => r > 8).length / ratios.length;
  // Log-normal alone (σ 0.8) passes 8× on 0.5 % of calls; the tail adds about 3 %.
  assert.ok(beyond > 0.02 && beyond < 0.04, `share of calls past 8× the median: ${beyond}`);
  assert.ok(one.aggregationMs('q1', 0) > 0 && one.aggregationMs('q1', 0) !== one.aggregationMs('q1', 1));
});

test('bench --stragglers names the option when the set is missing, and prints the table and the goal', async () => {
  const missing = await runCliHere(['bench', '--stragglers', path.join(temp.dir, 'nowhere.jsonl')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--stragglers \S*nowhere\.jsonl: no such file/);
  const file = path.join(temp.dir, 'cli-set.jsonl');
  await writeFile(file, TASKS.map((t) => JSON.stringify(t)).join('\n'));
  const run = await runCliHere(['bench', '--stragglers', file, '--k', '4']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /8 questions × 1 seed \(0\) = 8 asks, 4 models, K=4, Kdrop=1, n=8, 2 folds/);
  assert.match(run.stdout, /policy +p50 s +p90 s +accuracy % +late models\/ask/);
  assert.match(run.stdout, /wait for all +\d+\.\d +\d+\.\d +\d+\.\d +0\.00/);
  assert.match(run.stdout, /deadline \(×1\) +\d+\.\d/);
  assert.match(run.stdout, /the referencer stage alone: p90 \d+\.\d s waiting, \d+\.\d s with the deadline, \d+\.\d s to the K − Kdrop-th reply/);
  assert.match(run.stdout, /by seed, accuracy % waiting → with the deadline \(asks with a late model\): 0: \d+\.\d → \d+\.\d \(\d\)/);
  assert.match(run.stdout, /goal: deadline p90 .*: (met|NOT met)/);
  const json = await runCliHere(['bench', '--stragglers', file, '--k', '4', '--seeds', '3', '--json']);
  assert.equal(json.code, 0, json.stderr);
  const doc = JSON.parse(json.stdout) as { stragglers: { set: string; seeds: number[]; asks: number; policies: { policy: string }[] } };
  assert.deepEqual([doc.stragglers.set, doc.stragglers.seeds, doc.stragglers.asks, doc.stragglers.policies.map((p) => p.policy)], ['cli-set.jsonl', [3], 8, ['wait', 'deadline']]);
});
