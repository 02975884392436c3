/**
 * The expected cost is an expectation: ten models' published HumanEval solutions replayed by a loopback upstream
 * (each model answers a task with its own recorded solution, the aggregator too), a bank of the other tasks imported
 * without token counts, K = 7, n = 8, ten asks in a row through one engine. After the first three asks the plan's
 * expected cost is within 2× of what each ask then cost (median within 0.5–2, none off by 4×), where the old estimate
 * (every reply at maxTokens) was off by two orders of magnitude. The run executes the plan it was shown.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { startLoopbackUpstream, type RecordedRequest } from '../../../test/fixtures/loopbackUpstream';
import { buildBank, collect, startEngine } from '../../../test/fixtures/askHarness';
import { tempDir } from '../../../test/fixtures/bankData';
import { pricedModels, replaySet } from '../../../test/fixtures/replaySets';
import type { AskResult } from '../../core/contracts/events';

interface Task {
  id: string;
  question: string;
  entryPoint: string;
  replies: Record<string, string>;
  correct: Record<string, 0 | 1>;
}

const tasks = replaySet<Task>('humaneval-replay.jsonl');
const MODELS = Object.keys(tasks[0]?.replies ?? {});
const AGGREGATOR = 'gpt-4-1106-preview';
/** Prices per million tokens, spread as OpenRouter's are (0.1 to 10 USD prompt, 3× for completion). */
const PRICED = pricedModels(MODELS, [0.1, 0.2, 0.5, 1, 2, 3, 5, 8, 10, 0.3]);

const temp = tempDir('smcs-expected-cost-');
after(() => temp.cleanup());

/** The recorded solution of the model a request goes to, for the task its last message asks about. */
function replay(rec: RecordedRequest): string {
  const messages = (rec.body.messages ?? []) as { content: string }[];
  const asked = messages[messages.length - 1]?.content ?? '';
  const task = tasks.find((t) => asked.includes(`def ${t.entryPoint}(`));
  return task?.replies[rec.model ?? ''] ?? 'No recorded reply.';
}

test('after three asks the expected cost is within 2× of the actual cost, ask by ask, and each ask runs the plan it was shown', async () => {
  const bankDir = path.join(temp.dir, 'bank');
  const bankTasks = tasks.filter((_, i) => i % 2 === 0);
  const asked = tasks.filter((_, i) => i % 2 === 1).slice(0, 10);
  // Published results carry labels, not token counts.
  await buildBank(bankDir, bankTasks.map((t) => ({ id: t.id, question: t.question, correct: t.correct })));
  const server = await startLoopbackUpstream({ models: PRICED.map((m) => ({ id: m.id, pricing: m.pricing })), defaults: { reply: replay } });
  const engine = await startEngine(
    { baseUrl: server.baseUrl, models: MODELS, bank: bankDir, overrides: { k: 7, kDrop: 1, n: 8, aggregator: AGGREGATOR, maxTokens: 8192, modelWrittenTests: false } },
    path.join(temp.dir, 'storage'),
  );
  const rows: { expected: number; actual: number; assumed: number; referencers: string[]; ran: string[] }[] = [];
  try {
    for (const task of asked) {
      const signal = new AbortController().signal;
      const prepared = await engine.prepare(task.question, { signal });
      const plan = prepared.view;
      assert.ok(plan?.expectedUsd != null, 'every model is priced');
      const events = await collect(prepared.run(signal, { route: 'limited' }));
      const end = events[events.length - 1];
      assert.equal(end?.type, 'done', JSON.stringify(end));
      const result = (end as { result: AskResult }).result;
      assert.ok(result.costUsd !== null);
      rows.push({ expected: plan.expectedUsd, actual: result.costUsd, assumed: plan.assumed.length, referencers: plan.referencers, ran: result.referencers.map((r) => r.model) });
    }
  } finally {
    await engine.dispose();
    await server.close();
  }
  for (const row of rows) assert.deepEqual(row.ran, row.referencers, 'the run asks the models the plan named');
  // The first ask knows nothing of reply lengths: every referencer is priced at the stated typical length.
  assert.equal(rows[0]?.assumed, 7);
  const ratios = rows.slice(3).map((r) => r.expected / r.actual);
  const sorted = [...ratios].sort((a, b) => a - b);
  const median = (sorted[3]! + sorted[4]!) / 2;
  const report = ratios.map((r) => r.toFixed(2)).join(', ');
  assert.ok(median >= 0.5 && median <= 2, `median expected/actual ${median.toFixed(2)} (${report})`);
  for (const r of ratios) assert.ok(r >= 0.25 && r <= 4, `no ask off by 4×: ${report}`);
});
