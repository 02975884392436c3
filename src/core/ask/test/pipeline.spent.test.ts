/**
 * What an ask that ends without an answer paid for: a stopped or failed ask reports the calls that returned before it
 * ended (`spent` on its `error` event), so the panel can show their cost. Real openai SDK against the loopback server.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../../test/fixtures/loopbackUpstream';
import { collect, startEngine } from '../../../../test/fixtures/askHarness';
import { tempDir } from '../../../../test/fixtures/bankData';
import type { PipelineEvent } from '../../contracts/events';

const REFERENCERS = ['r1', 'r2', 'r3'];
/** USD per million tokens, so every call has a cost. */
const PRICE = { prompt: 2, completion: 5 };
const temp = tempDir('smcs-pipeline-spent-');
let server: LoopbackUpstream;

before(async () => {
  server = await startLoopbackUpstream({ models: [...REFERENCERS, 'agg'].map((id) => ({ id })) });
});

after(async () => {
  await server.close();
  temp.cleanup();
});

const setup = () => ({
  baseUrl: server.baseUrl,
  models: [...REFERENCERS, 'agg'],
  endpointOverrides: { models: [...REFERENCERS, 'agg'].map((id) => ({ id, price: PRICE })) },
  overrides: { aggregator: 'agg', k: 3, n: 2 },
});

type ErrorEvent = Extract<PipelineEvent, { type: 'error' }>;

function endOf(events: readonly PipelineEvent[]): ErrorEvent {
  const end = events.at(-1);
  if (end?.type !== 'error') assert.fail(`the ask ended with ${end?.type}`);
  return end;
}

test('Stop after two of three references arrived: the cancelled end reports both calls, their tokens and their cost', async () => {
  server.script('r1', { reply: 'A dict gives O(1) lookups.' });
  server.script('r2', { reply: 'Use a set for membership tests.' });
  server.script('r3', { reply: 'slow '.repeat(50), firstByteDelayMs: 5000 });
  // The aggregation of r1 and r2 starts, and is stopped before it says a word.
  server.script('agg', { firstByteDelayMs: 5000 });
  const engine = await startEngine(setup(), temp.dir);
  const controller = new AbortController();
  const done: PipelineEvent[] = [];
  const events = await collect(engine.ask('How do I make lookups fast in Python?', { signal: controller.signal }), (e) => {
    if (e.type === 'referencer-done') done.push(e);
    if (done.length === 2 && !controller.signal.aborted) controller.abort();
  });
  await engine.dispose();
  const end = endOf(events);
  assert.equal(end.kind, 'cancelled');
  const spent = end.spent;
  assert.ok(spent, 'the cancelled end carries what was spent');
  // r1 and r2 complete a subset (K = 3, Kdrop = 1), so its aggregation had started; stopped before its reply began, it
  // is not counted, as r3 is not (the panel says "stopped, not counted").
  assert.ok(events.some((e) => e.type === 'aggregation-started' && e.subset.join() === 'r1,r2'), 'the aggregation of r1 and r2 starts before r3 answers');
  assert.deepEqual(spent.calls.map((c) => [c.stage, c.model]).sort(), [['referencer', 'r1'], ['referencer', 'r2']]);
  for (const c of spent.calls) assert.ok(Math.abs((c.costUsd ?? Number.NaN) - (c.tokens.prompt * PRICE.prompt + c.tokens.completion * PRICE.completion) / 1e6) < 1e-12, `${c.model} costs ${c.costUsd}`);
  assert.equal(spent.costUsd, spent.calls.reduce((sum, c) => sum + (c.costUsd ?? 0), 0));
  assert.deepEqual(spent.tokens, { prompt: spent.calls.reduce((t, c) => t + c.tokens.prompt, 0), completion: spent.calls.reduce((t, c) => t + c.tokens.completion, 0) });
  assert.ok(spent.tokens.completion > 0);
});

test('Stop while a reference and an aggregation are mid-reply: each is counted from what it was sent and wrote, estimated, at its price', async () => {
  server.script('r1', { reply: 'A dict gives O(1) lookups.' });
  server.script('r2', { reply: 'Use a set for membership tests.' });
  const long = 'word '.repeat(400);
  server.script('r3', { reply: long, chunkDelayMs: 20 });
  server.script('agg', { reasoning: 'Weighing the two replies. '.repeat(5), reply: long, chunkDelayMs: 20 });
  const engine = await startEngine(setup(), temp.dir);
  const controller = new AbortController();
  let r3Deltas = 0;
  let aggregating = false;
  const events = await collect(engine.ask('How do I make lookups fast in Python?', { signal: controller.signal }), (e) => {
    if (e.type === 'referencer-delta' && e.model === 'r3') r3Deltas++;
    if (e.type === 'aggregation-delta') aggregating = true;
    if (r3Deltas >= 5 && aggregating && !controller.signal.aborted) controller.abort();
  });
  await engine.dispose();
  const spent = endOf(events).spent;
  assert.ok(spent, 'the cancelled end carries what was spent');
  const stopped = spent.calls.filter((c) => c.estimated);
  assert.deepEqual(stopped.map((c) => [c.stage, c.model]).sort(), [['aggregation', 'agg'], ['referencer', 'r3']]);
  for (const c of stopped) {
    assert.ok(c.tokens.prompt > 0 && c.tokens.completion > 0, `${c.model}: what it was sent and wrote (${c.tokens.prompt} + ${c.tokens.completion})`);
    assert.ok(c.tokens.completion < 400, `${c.model}: only what it wrote before Stop (${c.tokens.completion} of 400+ tokens)`);
    assert.ok(Math.abs((c.costUsd ?? Number.NaN) - (c.tokens.prompt * PRICE.prompt + c.tokens.completion * PRICE.completion) / 1e6) < 1e-12, `${c.model} costs ${c.costUsd}`);
  }
  assert.ok(stopped.every((c) => c.latencyMs > 0));
  assert.equal(spent.costUsd, spent.calls.reduce((sum, c) => sum + (c.costUsd ?? 0), 0));
});

test('every referencer failing: the error reports the replies that were paid for though unusable, and only those', async () => {
  server.script('r1', { reasoning: 'Thinking about hash maps for a long while.', reply: '' });
  server.script('r2', { fail: { status: 500, message: 'r2 is down' } });
  server.script('r3', { fail: { status: 400, message: 'r3 rejects the request' } });
  const engine = await startEngine(setup(), temp.dir);
  const events = await collect(engine.ask('How do I make lookups fast in Python?', { signal: new AbortController().signal }));
  await engine.dispose();
  const end = endOf(events);
  assert.notEqual(end.kind, 'cancelled');
  assert.match(end.message, /^All 3 referencers failed$/);
  assert.deepEqual(end.spent?.calls.map((c) => c.model), ['r1'], 'the reply that reasoned without answering was generated and is paid for');
  assert.ok((end.spent?.costUsd ?? 0) > 0);
});

test('a server that dies in the middle of its replies: the failed ask counts what they had streamed, estimated and priced', async () => {
  for (const m of REFERENCERS) server.script(m, { reply: 'word '.repeat(40), reset: { afterChunks: 10, times: 100 } });
  try {
    const engine = await startEngine(setup(), temp.dir);
    const events = await collect(engine.ask('How do I make lookups fast in Python?', { signal: new AbortController().signal }));
    await engine.dispose();
    const end = endOf(events);
    assert.equal(end.kind, 'connection');
    assert.match(end.causes.join(' | '), /connection lost/);
    const referencerCalls = end.spent?.calls.filter((c) => c.stage === 'referencer') ?? [];
    assert.equal(referencerCalls.length, REFERENCERS.length, 'one estimated call per referencer that had begun to reply');
    for (const call of referencerCalls) {
      assert.equal(call.estimated, true);
      assert.ok(call.tokens.completion > 0 && (call.costUsd ?? 0) > 0, `${call.model}: what it streamed is counted and priced`);
    }
  } finally {
    for (const m of REFERENCERS) server.script(m, {});
  }
});
