/**
 * The expected cost on a bank imported with estimated token counts (issue 62 item 5): MMLU-Pro's tuning set imported as
 * the importers import a results file that has the replies' text but no usage (routing/objective "imported": counted
 * from their length, 3 characters a token, marked estimated), and ten held-out questions asked in a row of a loopback
 * upstream that answers each with the model's recorded reply and reports its usage by its own tokenizer (one token a
 * word, as a real one counts English at about 4 characters). Before three asks the plan says its counts were estimated
 * at import; from then on each model's own replies here outweigh them, and the expected cost follows what the asks cost.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { startLoopbackUpstream, type RecordedRequest } from '../../../test/fixtures/loopbackUpstream';
import { buildBank, collect, startEngine } from '../../../test/fixtures/askHarness';
import { tempDir } from '../../../test/fixtures/bankData';
import { pricedModels, replaySet } from '../../../test/fixtures/replaySets';
import { estimatedReplyTokens } from '../../bank/transfer/importers/common';
import type { AskResult } from '../../core/contracts/events';
import { PAST_CALLS_OVER_IMPORTED } from '../../core/routing/objective';

interface Task {
  id: string;
  question: string;
  replies: Record<string, string>;
  correct: Record<string, 0 | 1>;
}

const load = (file: string): Task[] => replaySet<Task>(file);
const bankTasks = load('mmlu-pro-replay.jsonl');
const asked = load('mmlu-pro-heldout.jsonl').slice(0, 10);
const MODELS = Object.keys(bankTasks[0]?.replies ?? {});
const PRICED = pricedModels(MODELS, [0.1, 0.2, 0.5, 1, 2, 3, 5]);

const temp = tempDir('smcs-expected-imported-');
after(() => temp.cleanup());

/** The recorded reply of the model a request goes to, for the held-out question it asks; the aggregator copies the first reference. */
function replay(rec: RecordedRequest): string {
  const messages = (rec.body.messages ?? []) as { content: string }[];
  const last = messages[messages.length - 1]?.content ?? '';
  const task = asked.find((t) => last.includes(t.question.slice(0, 200)));
  return task?.replies[rec.model ?? ''] ?? task?.replies[MODELS[0]!] ?? 'No recorded reply.';
}

test('a bank whose counts were estimated at import: the plan says so, then learns from three asks what the models write', async (t) => {
  const bankDir = path.join(temp.dir, 'bank');
  await buildBank(
    bankDir,
    bankTasks.map((task) => ({ id: task.id, question: task.question, correct: task.correct, tokens: Object.fromEntries(MODELS.map((m) => [m, estimatedReplyTokens(task.question, task.replies[m] ?? '')])) })),
  );
  const server = await startLoopbackUpstream({ models: PRICED, defaults: { reply: replay } });
  const engine = await startEngine({ baseUrl: server.baseUrl, models: MODELS, bank: bankDir, overrides: { k: 3, kDrop: 1, n: 2, aggregator: MODELS[0], maxTokens: 8192, modelWrittenTests: false } }, path.join(temp.dir, 'storage'));
  const rows: { ratio: number; from: string[] }[] = [];
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
      assert.ok(result.costUsd !== null && result.costUsd > 0);
      rows.push({ ratio: plan.expectedUsd / result.costUsd, from: plan.basis.map((b) => b.from) });
    }
  } finally {
    await engine.dispose();
    await server.close();
  }
  t.diagnostic(`expected/actual by ask: ${rows.map((r) => r.ratio.toFixed(2)).join(', ')}`);
  const [first] = rows;
  assert.deepEqual(first?.from, ['imported', 'imported', 'imported'], 'the first plan says its counts were estimated at import');
  assert.ok(first && first.ratio > 1.3, `the estimated counts run high at first (${first?.ratio.toFixed(2) ?? 'no ask'})`);
  // Three asks of K = 3 of seven models give no model three replies for sure: by the sixth most models have them.
  const late = rows.slice(5);
  for (const row of late.slice(-3)) assert.ok(row.from.filter((f) => f === 'history').length >= 2, `the models' own replies here come first (${row.from.join(', ')})`);
  const all = rows.map((r) => r.ratio.toFixed(2)).join(', ');
  const mean = late.reduce((sum, r) => sum + r.ratio, 0) / late.length;
  // Each question's replies are longer or shorter than the models' mean: one ask may be off by a third, not the lot.
  assert.ok(mean > 0.75 && mean < 1.3, `asks 6–10 expected/actual ${mean.toFixed(2)} on average (${all}; ${PAST_CALLS_OVER_IMPORTED} past calls outweigh the import's counts)`);
  for (const row of late) assert.ok(row.ratio < 2 && row.ratio > 0.5, `no ask off by 2× (${all})`);
});
