/**
 * Follow-up questions and costs end to end (real openai SDK → loopback HTTP/SSE server, lexical embedder):
 * every referencer and aggregation request carries the earlier turns, the oldest turns give way to a small
 * window, output limits are capped to the window, and every call is priced from the usage the server reported.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startLoopbackUpstream, type LoopbackUpstream, type RecordedRequest } from '../../../../test/fixtures/loopbackUpstream';
import { collect, startEngine } from '../../../../test/fixtures/askHarness';
import { tempDir } from '../../../../test/fixtures/bankData';
import type { Turn } from '../conversation';
import type { AskResult, PipelineEvent } from '../../contracts/events';
import { estimatePromptTokens } from '../../util/tokens';

const temp = tempDir('smcs-conversation-');
const servers: LoopbackUpstream[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  temp.cleanup();
});

type Message = { role: string; content: string };
const messagesOf = (r: RecordedRequest): Message[] => r.body.messages as Message[];
const chats = (s: LoopbackUpstream, model?: string) => s.requests.filter((r) => r.path.endsWith('/chat/completions') && (model === undefined || r.model === model));

function resultOf(events: PipelineEvent[]): AskResult {
  const end = events.at(-1);
  assert.ok(end?.type === 'done', `expected done, got ${JSON.stringify(end)}`);
  return end.result;
}

const history: Turn[] = [
  { question: 'How do I sort a list of tuples by their second element in Python?', answer: 'Use sorted(pairs, key=lambda t: t[1]).' },
  { question: 'And in place, without a copy?', answer: 'Call pairs.sort(key=lambda t: t[1]).' },
];

async function server(models: Parameters<typeof startLoopbackUpstream>[0] = {}): Promise<LoopbackUpstream> {
  const s = await startLoopbackUpstream(models);
  servers.push(s);
  return s;
}

test('a follow-up reaches every referencer and aggregation with the earlier questions and kept answers as prior turns', async () => {
  const s = await server({ models: ['a', 'b', 'c', 'agg'].map((id) => ({ id })) });
  const engine = await startEngine({ baseUrl: s.baseUrl, models: ['a', 'b', 'c', 'agg'], overrides: { k: 3, kDrop: 1, n: 3, aggregator: 'agg', maxTokens: 200 } }, temp.dir);
  const result = resultOf(await collect(engine.ask('and in Rust?', { signal: new AbortController().signal, history })));
  await engine.dispose();

  const expectedTurns: Message[] = history.flatMap((t) => [
    { role: 'user', content: t.question },
    { role: 'assistant', content: t.answer },
  ]);
  const referencerCalls = chats(s).filter((r) => r.model !== 'agg');
  assert.equal(referencerCalls.length, 3);
  for (const r of referencerCalls) assert.deepEqual(messagesOf(r), [...expectedTurns, { role: 'user', content: 'and in Rust?' }], `referencer ${r.model}`);
  const aggregations = chats(s, 'agg');
  assert.equal(aggregations.length, result.candidates.length, 'one aggregation per distinct subset');
  assert.equal(result.candidates.reduce((sum, c) => sum + c.draws, 0), 3);
  for (const r of aggregations) {
    const [system, ...rest] = messagesOf(r);
    assert.equal(system?.role, 'system');
    assert.match(system?.content ?? '', /^1\. Reply from/m, 'the references are in the system prompt');
    assert.deepEqual(rest, [...expectedTurns, { role: 'user', content: 'and in Rust?' }]);
  }
  assert.deepEqual(result.conversation, { turns: 2, dropped: [] });
});

test('a small window drops the oldest turns first, keeps the question, caps the output, and the result says so', async () => {
  const window = 700;
  const long: Turn = { question: 'Explain Python sorting stability in detail. '.repeat(20), answer: 'Timsort is stable, so equal keys keep their order. '.repeat(20) };
  const s = await server({ models: [{ id: 'small', maxModelLen: window }, { id: 'big', maxModelLen: 100_000 }, { id: 'agg', maxModelLen: 100_000 }] });
  const engine = await startEngine(
    { baseUrl: s.baseUrl, models: ['small', 'big', 'agg'], overrides: { k: 2, kDrop: 1, n: 1, aggregator: 'agg', maxTokens: 4096 } },
    temp.dir,
  );
  const turns = [long, ...history];
  const result = resultOf(await collect(engine.ask('and in Rust?', { signal: new AbortController().signal, history: turns })));
  await engine.dispose();

  const small = chats(s, 'small')[0];
  assert.ok(small);
  const sent = messagesOf(small);
  assert.equal(sent.at(-1)?.content, 'and in Rust?', 'the question is always sent');
  assert.ok(!sent.some((m) => m.content === long.question), 'the oldest (long) turn was left out');
  assert.ok(sent.some((m) => m.content === history[1]?.answer), 'the newest turn was kept');
  const maxTokens = small.body.max_tokens as number;
  assert.ok(estimatePromptTokens(sent) + maxTokens <= window, `prompt + max_tokens ${maxTokens} fit the window of ${window}`);
  const big = chats(s, 'big')[0];
  assert.equal(messagesOf(big!).length, 7, 'a large window takes all three turns and the question');
  assert.equal(big!.body.max_tokens, 4096);

  assert.equal(result.conversation.turns, 3);
  assert.deepEqual(result.conversation.dropped, [{ stage: 'referencer', model: 'small', turns: 1 }]);
  assert.deepEqual(result.cappedOutput, [{ stage: 'referencer', model: 'small', maxTokens }]);
});

test('every call is priced from the usage the server reported and its listed prices; an unpriced server shows tokens only', async () => {
  const pricing = { prompt: 0.000002, completion: 0.000006 };
  const s = await server({ models: [{ id: 'a', pricing }, { id: 'b', pricing: { prompt: 0.000001, completion: 0.000003 } }, { id: 'agg', pricing }] });
  const engine = await startEngine(
    { baseUrl: s.baseUrl, models: ['a', 'b', 'agg'], overrides: { k: 2, kDrop: 1, n: 2, aggregator: 'agg', maxTokens: 200, seed: 4 } },
    temp.dir,
  );
  // Seed 4 draws both subsets of the two replies for this question.
  const result = resultOf(await collect(engine.ask('How do I reverse a list?', { signal: new AbortController().signal })));
  await engine.dispose();

  const priceOf = (model: string | undefined) => (model === 'b' ? { prompt: 0.000001, completion: 0.000003 } : pricing);
  const expected = chats(s).reduce((sum, r) => {
    assert.ok(r.usage, `the server reported usage for ${r.model}`);
    const p = priceOf(r.model);
    return sum + r.usage.prompt_tokens * p.prompt + r.usage.completion_tokens * p.completion;
  }, 0);
  assert.ok(result.costUsd !== null && Math.abs(result.costUsd - expected) <= 0.01 * expected, `cost ${result.costUsd} vs ${expected}`);
  assert.equal(result.calls.length, 4, 'two referencers and two aggregations');
  assert.deepEqual(result.calls.map((c) => c.stage).sort(), ['aggregation', 'aggregation', 'referencer', 'referencer']);
  assert.ok(result.calls.every((c) => c.costUsd !== null && c.estimated === false));
  const reported = chats(s).reduce((t, r) => ({ prompt: t.prompt + (r.usage?.prompt_tokens ?? 0), completion: t.completion + (r.usage?.completion_tokens ?? 0) }), { prompt: 0, completion: 0 });
  assert.deepEqual(result.tokens, reported);

  const local = await server({ models: ['a', 'agg'].map((id) => ({ id })) });
  const free = await startEngine({ baseUrl: local.baseUrl, models: ['a', 'agg'], overrides: { k: 1, n: 1, aggregator: 'agg', maxTokens: 100 } }, temp.dir);
  const unpriced = resultOf(await collect(free.ask('How do I reverse a list?', { signal: new AbortController().signal })));
  await free.dispose();
  assert.equal(unpriced.costUsd, null);
  assert.ok(unpriced.tokens.prompt > 0 && unpriced.calls.every((c) => c.costUsd === null));
});

test('usage the server did not report is estimated and marked so', async () => {
  const s = await server({ models: ['a', 'agg'].map((id) => ({ id, pricing: { prompt: 0.000001, completion: 0.000001 } })) });
  s.script('a', { reply: 'Use reversed(xs).', omitUsage: true });
  const engine = await startEngine({ baseUrl: s.baseUrl, models: ['a', 'agg'], overrides: { k: 1, n: 1, aggregator: 'agg', maxTokens: 100 } }, temp.dir);
  const result = resultOf(await collect(engine.ask('How do I reverse a list?', { signal: new AbortController().signal })));
  await engine.dispose();
  const referencer = result.calls.find((c) => c.stage === 'referencer');
  assert.equal(referencer?.estimated, true);
  assert.ok((referencer?.tokens.completion ?? 0) > 0);
  assert.equal(result.calls.find((c) => c.stage === 'aggregation')?.estimated, false);
});
