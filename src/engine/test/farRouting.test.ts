/**
 * Issue 62 item 7 through the engine: a bank imported from MMLU-Pro's multiple-choice questions, labelled for its seven
 * models, and two code models configured after them that the bank has never seen. A HumanEval exercise is far from
 * every bank question, so the code models are asked beside the best model the bank knows (and the plan says the
 * question was far); an MMLU-Pro question is close to the bank, so routing is the paper's: the code models, ranked with
 * the mean, are left out as before. The bank's `near` comes from its own questions (engine/shrinkageEstimate).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { startLoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { buildBank, collect, startEngine } from '../../../test/fixtures/askHarness';
import { tempDir } from '../../../test/fixtures/bankData';
import { replaySet } from '../../../test/fixtures/replaySets';
import type { Engine } from '../types';
import type { PipelineEvent } from '../../core/contracts/events';

interface Row {
  id: string;
  question: string;
  correct: Record<string, 0 | 1>;
}

const rows = (file: string): Row[] => replaySet<Row>(file);

/** How an ask of `question` was routed: the retrieve event of its run. */
async function routed(engine: Engine, question: string): Promise<Extract<PipelineEvent, { type: 'retrieve' }>> {
  const signal = new AbortController().signal;
  const events = await collect((await engine.prepare(question, { signal })).run(signal, { route: 'limited' }));
  const retrieve = events.find((e) => e.type === 'retrieve');
  assert.ok(retrieve?.type === 'retrieve', JSON.stringify(events.at(-1)));
  return retrieve;
}

const temp = tempDir('smcs-far-routing-');
after(() => temp.cleanup());

test('a bank of multiple-choice questions: code models it never saw are asked a coding exercise, not a multiple-choice question', async () => {
  const bank = rows('mmlu-pro-replay.jsonl');
  const mcModels = Object.keys(bank[0]!.correct);
  const codeModels = ['qwen2.5-coder:32b', 'codestral:22b'];
  const bankDir = path.join(temp.dir, 'bank');
  await buildBank(bankDir, bank.map((r) => ({ id: r.id, question: r.question, correct: r.correct })));
  const server = await startLoopbackUpstream({ models: [...mcModels, ...codeModels].map((id) => ({ id })) });
  const engine = await startEngine({ baseUrl: server.baseUrl, models: [...mcModels, ...codeModels], bank: bankDir, overrides: { k: 3, n: 1 } }, path.join(temp.dir, 'storage'));
  try {
    const exercise = rows('humaneval-replay.jsonl').find((r) => r.id === 'HumanEval/0')!.question;
    const far = await routed(engine, exercise);
    assert.deepEqual(far.referencers.filter((m) => codeModels.includes(m)), codeModels, `both code models are asked (${far.referencers.join(', ')})`);
    assert.equal(far.referencers.filter((m) => mcModels.includes(m)).length, 1, 'beside the best model the bank knows');
    assert.ok(far.routing?.far && far.routing.far.nearest < far.routing.far.near, JSON.stringify(far.routing?.far));

    const close = await routed(engine, rows('mmlu-pro-heldout.jsonl')[0]!.question);
    assert.equal(close.routing?.far, undefined);
    assert.deepEqual(close.referencers.filter((m) => codeModels.includes(m)), [], `close to the bank, the paper's priors leave the code models out (${close.referencers.join(', ')})`);
  } finally {
    await engine.dispose();
    await server.close();
  }
});
