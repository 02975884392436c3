import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eReport, type E2eOutcome, type E2eTask } from '../e2eEval';
import { MemoryBank, REPLAY_AGGREGATOR, ReplayGateway } from '../replay';
import { aggregatorSystemPrompt } from '../../ask/prompts';

const task = (id: string, correct: Record<string, number>): E2eTask => ({ id, question: id, replies: Object.fromEntries(Object.keys(correct).map((m) => [m, `${m} on ${id}`])), correct });
const outcome = (id: string, fold: number, over: Partial<E2eOutcome> = {}): E2eOutcome => ({ id, fold, solved: false, top1: false, anyK: false, majorityK: false, selectedBy: 'score', answerFrom: 'candidate', subsets: 2, derived: false, byWorking: false, firstCandidate: { chosen: false, solved: false }, calls: 7, savedCalls: 0, ...over });

test('the report counts the answer beside the best single model, top-1 and any of K, per fold and overall', () => {
  const tasks = [task('q1', { a: 1, b: 0 }), task('q2', { a: 1, b: 1 }), task('q3', { a: 0, b: 1 }), task('q4', { a: 0, b: 0 })];
  const outcomes = [
    outcome('q1', 0, { solved: true, top1: true, anyK: true, majorityK: true, selectedBy: 'checks', answerFrom: 'reference', domain: 'law' }),
    outcome('q2', 0, { anyK: true, top1: true, selectedBy: 'score', subsets: 1, domain: 'law', calls: 3, savedCalls: 4 }),
    outcome('q3', 1, { solved: true, anyK: true, derived: true, domain: 'math', firstCandidate: { chosen: true, solved: true }, calls: 4, savedCalls: 3 }),
    outcome('q4', 1, { domain: 'math', byWorking: true, majorityK: true, firstCandidate: { chosen: false, solved: true } }),
  ];
  const report = e2eReport(tasks, outcomes, ['a', 'b']);
  assert.equal(report.n, 4);
  assert.equal(report.solved, 2);
  assert.equal(report.top1, 2);
  assert.equal(report.anyK, 3);
  assert.equal(report.anyAll, 3);
  assert.deepEqual(report.bestSingle, { model: 'a', solved: 2 }, 'a tie of a and b: the first model');
  assert.deepEqual(report.singles, { a: 2, b: 2 });
  assert.deepEqual(report.byFold.map((f) => [f.fold, f.n, f.solved, f.bestSingle.model, f.bestSingle.solved]), [[0, 2, 1, 'a', 2], [1, 2, 1, 'b', 1]]);
  assert.deepEqual(report.lost, { byChecks: 0, byScore: 1 });
  assert.equal(report.fromReferences, 1);
  assert.equal(report.collapsed, 1);
  assert.deepEqual(report.derived, { asks: 1, solved: 1 });
  assert.equal(report.majorityK, 2);
  assert.deepEqual(report.byWorking, { asks: 1, solved: 0, majorityK: 1 }, "q4: the working decided, wrongly; the majority's answer was right");
  assert.deepEqual(report.changed, { asks: 2, solved: 1, top1: 1 }, 'q2: top-1 right, the answer wrong; q3: the other way');
  assert.deepEqual(report.firstCandidate, { chosen: 1, solved: 2 }, 'q3: the first candidate stood; q4: it was right and passed over');
  assert.deepEqual(report.calls, { total: 21, perAsk: 5.25 }, '7 + 3 + 4 + 7 calls over 4 asks');
  assert.deepEqual(report.shortcut, { asks: 2, solved: 1, savedCalls: 7 }, 'q2 and q3 saved aggregations; q3 solved');
  assert.deepEqual(report.byDomain, {
    law: { n: 2, solved: 1, top1: 2, majorityK: 1, anyK: 2, bestSingle: { model: 'a', solved: 2 } },
    math: { n: 2, solved: 1, top1: 0, majorityK: 1, anyK: 1, bestSingle: { model: 'b', solved: 1 } },
  });
});

test('the replay gateway answers each model with its recorded reply and the aggregator with the reference it got first', async () => {
  const gateway = new ReplayGateway(new Map([['a', 'reply of a'], ['b', 'reply of b']]));
  const signal = new AbortController().signal;
  const request = (model: string, system = '') => ({ model, messages: [{ role: 'system' as const, content: system }, { role: 'user' as const, content: 'q' }], temperature: 0, maxTokens: 10, presencePenalty: 0, logprobs: true });
  assert.equal((await gateway.chat(request('b'), () => undefined, signal)).text, 'reply of b');
  const aggregated = await gateway.chat(request(REPLAY_AGGREGATOR, aggregatorSystemPrompt(['reply of b', 'reply of a'])), () => undefined, signal);
  assert.equal(aggregated.text, 'reply of b');
  assert.equal(aggregated.tokenLogprobs, null, 'no log-probs: the λ-term is dropped, as for a server without them');
  await assert.rejects(gateway.chat(request('c'), () => undefined, signal), /c: no recorded reply/);
  const withLogprobs = new ReplayGateway(new Map([['a', 'reply of a'], ['b', 'reply of b']]), true);
  const [a1, a2, b] = [await withLogprobs.chat(request('a'), () => undefined, signal), await withLogprobs.chat(request('a'), () => undefined, signal), await withLogprobs.chat(request('b'), () => undefined, signal)];
  assert.ok(a1.tokenLogprobs && a1.tokenLogprobs.length > 0 && a1.tokenLogprobs.every((lp) => lp < 0 && lp >= -1.05), 'log-probs in (−1.05, 0)');
  assert.deepEqual(a1.tokenLogprobs, a2.tokenLogprobs, 'the same text, the same log-probs');
  assert.notDeepEqual(a1.tokenLogprobs, b.tokenLogprobs, 'another text, others');
});

test('the memory bank gives the support set of a full scan with each model\'s labels', async () => {
  const unit = (x: number, y: number) => Float32Array.from([x, y].map((v) => v / Math.hypot(x, y)));
  const bank = new MemoryBank([
    { id: 'near', embedding: unit(1, 0.1), correct: { a: 1, b: 0 } },
    { id: 'far', embedding: unit(0, 1), correct: { a: 0 } },
  ]);
  const support = await bank.supportSet(unit(1, 0), { nBase: 1, gamma: 0.95, models: ['a', 'b'] });
  assert.deepEqual(support.ids, ['near']);
  assert.equal(support.bankSize, 2);
  assert.deepEqual(Array.from(support.columns.get('b')?.correct ?? []), [0]);
});
