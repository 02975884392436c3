/**
 * The whole ask, end to end: real openai SDK → real HTTP/SSE loopback server, real vectra bank on disk,
 * lexical embedder. Checks which models are called, the subsets, the winner, faults, cancellation,
 * the straggler deadline and context trimming.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loopbackLogprob, loopbackTokens } from '../../../bench/benchUpstream';
import { startLoopbackUpstream, type LoopbackUpstream, type RecordedRequest } from '../../../../test/fixtures/loopbackUpstream';
import { buildBank, collect, startEngine } from '../../../../test/fixtures/askHarness';
import { tempDir } from '../../../../test/fixtures/bankData';
import { LexicalEmbedder } from '../../../embed/lexical';
import { hybridScores } from '../../posterior/hybridScore';
import { at } from '../../util/arrays';
import { contextItem, contextText } from '../../context/contextItem';
import type { AskResult, PipelineEvent } from '../../contracts/events';
import type { BankRecord } from '../../contracts/types';
import { answerText } from '../../contracts/answer';

const PY = ['py1', 'py2', 'py3'];
const JS = ['js1', 'js2'];
const ALL = [...PY, ...JS, 'agg'];

const pyTopics = ['list comprehension', 'dict of lists', 'pandas dataframe', 'pip virtualenv', 'python generator', 'python decorator'];
const jsTopics = ['javascript promise', 'npm package', 'node async await', 'dom event listener', 'javascript array map', 'typescript interface'];

function bankRecords(): BankRecord[] {
  const records: BankRecord[] = [];
  const label = (good: string[]) => Object.fromEntries(ALL.map((m) => [m, good.includes(m) ? 1 : 0] as const)) as Record<string, 0 | 1>;
  pyTopics.forEach((t, i) =>
    ['How do I use a', 'Why does my', 'What is the fastest'].forEach((lead, j) =>
      records.push({ id: `py-${i}-${j}`, question: `${lead} ${t} in Python to sort a list of dicts by key?`, correct: label(PY) }),
    ),
  );
  jsTopics.forEach((t, i) =>
    ['How do I use a', 'Why does my', 'What is the fastest'].forEach((lead, j) =>
      records.push({ id: `js-${i}-${j}`, question: `${lead} ${t} in JavaScript with npm and node?`, correct: label(JS) }),
    ),
  );
  return records;
}

const QUESTION = 'In Python, how do I sort a list of dicts by a key with a list comprehension?';

/** Referencers answer in their own words; the aggregator's reply names the references it was given, in order. */
function scriptDefaults(server: LoopbackUpstream): void {
  for (const m of [...PY, ...JS]) server.script(m, { reply: `Answer from ${m}: use sorted(items, key=lambda d: d["k"]) in ${m} style.` });
  server.script('agg', {
    reply: (req) => {
      const system = (req.body.messages as Array<{ role: string; content: string }>)[0]?.content ?? '';
      const got = [...system.matchAll(/^\d+\. Answer from (\w+)/gm)].map((m) => m[1]);
      return `Synthesis of ${got.join(' then ')}: sorted(items, key=lambda d: d["k"]) is the idiomatic way.`;
    },
  });
}

let server: LoopbackUpstream;
let bankDir: string;
let storage: string;
const temp = tempDir('smcs-pipeline-');

before(async () => {
  storage = temp.dir;
  bankDir = path.join(storage, 'bank');
  await buildBank(bankDir, bankRecords());
});

after(async () => {
  await server?.close();
  temp.cleanup();
});

async function freshServer(models = ALL.map((id) => ({ id }))): Promise<LoopbackUpstream> {
  await server?.close();
  server = await startLoopbackUpstream({ models });
  scriptDefaults(server);
  return server;
}

const chats = (s: LoopbackUpstream, model?: string): RecordedRequest[] =>
  s.requests.filter((r) => r.path.endsWith('/chat/completions') && (model === undefined || r.model === model));

const last = (events: PipelineEvent[]) => events[events.length - 1] as PipelineEvent;

function resultOf(events: PipelineEvent[]): AskResult {
  const end = last(events);
  assert.equal(end.type, 'done', `expected done, got ${JSON.stringify(end)}`);
  return (end).result;
}

const baseSetup = (overrides: Record<string, unknown> = {}, endpointOverrides: Record<string, unknown> = {}) => ({
  baseUrl: server.baseUrl,
  models: ALL,
  bank: bankDir,
  overrides: { k: 3, kDrop: 1, n: 4, nBase: 6, gamma: 0.95, aggregator: 'agg', maxTokens: 256, ...overrides },
  endpointOverrides,
});

test('the K best models by prior are called, n aggregations get K − Kdrop references each, and the winner is the argmax', async () => {
  await freshServer();
  const engine = await startEngine(baseSetup(), storage);
  const events = await collect(engine.ask(QUESTION, { signal: new AbortController().signal }));
  await engine.dispose();
  const result = resultOf(events);

  const retrieve = events.find((e) => e.type === 'retrieve') as Extract<PipelineEvent, { type: 'retrieve' }>;
  assert.deepEqual([...retrieve.referencers].sort(), PY);
  assert.ok(retrieve.supportCount >= 6);
  assert.ok(result.support.effective !== undefined && result.support.effective > 0 && result.support.effective <= result.support.count, 'the support set is worth at most its count');
  assert.equal(retrieve.supportEffective, result.support.effective);
  assert.deepEqual(
    [...new Set(chats(server).map((r) => r.model).filter((m) => m !== 'agg'))].sort(),
    PY,
    'only the selected referencers were called',
  );

  const aggCalls = chats(server, 'agg');
  const { subsets, draws } = events.find((e) => e.type === 'subsets') as Extract<PipelineEvent, { type: 'subsets' }>;
  assert.equal(draws.reduce((a, b) => a + b, 0), 4, 'n = 4 subsets were drawn');
  assert.equal(new Set(subsets.map((s) => [...s].sort().join())).size, subsets.length, 'each distinct subset once');
  assert.equal(aggCalls.length, subsets.length, 'one aggregation per distinct subset');
  assert.ok(aggCalls.length < 4, 'three references with Kdrop 1 allow at most three distinct subsets, and this seed draws fewer');
  const sentSubsets = aggCalls.map((r) => {
    const system = (r.body.messages as Array<{ content: string }>)[0]?.content ?? '';
    return [...system.matchAll(/^\d+\. Answer from (\w+)/gm)].map((m) => m[1]);
  });
  assert.ok(sentSubsets.every((s) => s.length === 2), 'each aggregation got K − Kdrop = 2 references');
  assert.deepEqual([...sentSubsets].map((s) => s.join()).sort(), subsets.map((s) => s.join()).sort());
  assert.ok(aggCalls.every((r) => r.body.logprobs === true));
  const user = (aggCalls[0]?.body.messages as Array<{ role: string; content: string }>)[1];
  assert.deepEqual(user, { role: 'user', content: QUESTION });

  // Recompute the hybrid score from the texts and the log-probs the server sent.
  const texts = result.candidates.map((c) => c.text);
  const vectors = await new LexicalEmbedder().embed(texts);
  const logprobs = texts.map((t) => loopbackTokens(t).map((tok, i) => loopbackLogprob(tok, i)));
  const expected = hybridScores(vectors, logprobs, 1, result.candidates.map((c) => c.draws));
  assert.deepEqual(result.candidates.map((c) => c.draws), draws);
  assert.equal(result.winner, expected.winner);
  result.candidates.forEach((c, i) => assert.ok(Math.abs(c.total - (expected.total[i] as number)) < 1e-9));
  assert.equal(result.logprobsUsed, true);
  assert.equal(answerText(result), result.candidates[result.winner]?.text);
  assert.equal(result.referencers.length, 3);
  assert.ok(result.usage.completionTokens > 0);
});

test('each question draws its own subsets, and the same question at the same seed draws the same again', async () => {
  await freshServer();
  const engine = await startEngine(baseSetup(), storage);
  const drawsOf = async (question: string): Promise<string> => {
    const events = await collect(engine.ask(question, { signal: new AbortController().signal }));
    const { subsets, draws } = events.find((e) => e.type === 'subsets') as Extract<PipelineEvent, { type: 'subsets' }>;
    return JSON.stringify({ subsets, draws });
  };
  const questions = Array.from({ length: 10 }, (_, i) => `In Python, how do I sort a list of dicts by key number ${i}?`);
  const seen: string[] = [];
  for (const q of questions) seen.push(await drawsOf(q));
  const again = await drawsOf(at(questions, 3));
  await engine.dispose();
  // Three references, four draws: ten questions drawing alike by chance has a probability below 10^-12.
  assert.ok(new Set(seen).size > 1, `every question drew ${at(seen, 0)}`);
  assert.equal(again, at(seen, 3), 'one question at one seed draws the same subsets');
});

test('a failing referencer is left out and the run goes on', async () => {
  await freshServer();
  server.script('py2', { fail: { status: 400, message: 'model is broken' } });
  const engine = await startEngine(baseSetup(), storage);
  const events = await collect(engine.ask(QUESTION, { signal: new AbortController().signal }));
  await engine.dispose();
  const result = resultOf(events);
  const py2 = result.referencers.find((r) => r.model === 'py2');
  assert.equal(py2?.ok, false);
  assert.match(py2?.error ?? '', /400|broken/);
  assert.ok(events.some((e) => e.type === 'referencer-failed' && e.model === 'py2'));
  // The last subsets announced are the ones aggregated (aggregations may start early on subsets drawn before py2 failed).
  const subsets = (events.filter((e) => e.type === 'subsets').at(-1) as Extract<PipelineEvent, { type: 'subsets' }>).subsets;
  assert.ok(subsets.every((s) => s.length === 1 && s[0] !== 'py2'), 'K′ = 2 arrived, so each subset keeps 1');
  assert.deepEqual(result.candidates.map((c) => c.subset), subsets);
});

test('when every referencer fails the run ends with an error naming each cause', async () => {
  await freshServer();
  for (const m of PY) server.script(m, { fail: { status: 400, message: `${m} refuses` } });
  const engine = await startEngine(baseSetup(), storage);
  const events = await collect(engine.ask(QUESTION, { signal: new AbortController().signal }));
  await engine.dispose();
  const end = last(events);
  assert.equal(end.type, 'error');
  const causes = (end).causes;
  // Each cause names its model once (the LLM layer's message already does) and says why.
  for (const m of PY) assert.ok(causes.some((c) => c.startsWith(`endpoint local, model ${m}: `) && c.includes(`${m} refuses`)), `cause for ${m}: ${causes.join(' | ')}`);
  assert.equal(chats(server, 'agg').length, 0);
});

test('when every aggregation fails the highest-prior reference answers, flagged', async () => {
  await freshServer();
  server.script('agg', { fail: { status: 400, message: 'aggregator down' } });
  const engine = await startEngine(baseSetup(), storage);
  const events = await collect(engine.ask(QUESTION, { signal: new AbortController().signal }));
  await engine.dispose();
  const result = resultOf(events);
  assert.equal(result.winner, -1);
  assert.ok(result.candidates.every((c) => !c.ok && c.error));
  const top = [...result.priors].filter((p) => PY.includes(p.model)).sort((a, b) => b.prior - a.prior)[0];
  assert.deepEqual(result.answer, { reply: { kind: 'referencer', model: top?.model }, because: 'fallback' });
  assert.equal(answerText(result), result.referencers.find((r) => r.model === top?.model)?.text);
});

test('an aggregator whose own referencer call was refused (its key, or its endpoint down) is not asked again: every aggregation fails at once, saying why, and a reference answers', async () => {
  await freshServer();
  // py1 is a referencer and the aggregator; its endpoint refuses the key (no retry), before py2 and py3 reply.
  server.script('py1', { fail: { status: 401, message: 'invalid api key' } });
  for (const m of ['py2', 'py3']) server.script(m, { reply: 'Use sorted() with a key.', firstByteDelayMs: 300 });
  const engine = await startEngine(baseSetup({ aggregator: 'py1' }), storage);
  const events = await collect(engine.ask(QUESTION, { signal: new AbortController().signal }));
  await engine.dispose();
  const result = resultOf(events);
  const referencers = result.referencers.map((r) => r.model);
  if (!referencers.includes('py1')) return assert.fail(`py1 was not routed to: ${referencers.join(', ')}`);
  assert.ok(result.candidates.every((c) => !c.ok), 'every aggregation failed');
  // One that started before py1's own call gave up may have asked it; none after, and none retried it.
  const order = events.map((e) => (e.type === 'referencer-failed' ? `${e.type}:${e.model}` : e.type === 'aggregation-failed' ? `${e.type}:${e.index}` : e.type)).filter((t) => !t.includes('delta'));
  assert.ok(result.candidates.some((c) => /not asked: the aggregator py1 failed as a referencer in this ask/.test(c.error ?? '')), `${JSON.stringify(result.candidates.map((c) => c.error))} ${order.join(' ')}`);
  assert.equal(server.requests.filter((r) => r.model === 'py1' && r.body.logprobs === true).length, 0, 'no aggregation asked the endpoint that refused the key');
  assert.equal(result.answer.because, 'fallback');
});

test('missing log-probs drop the λ-term and say so', async () => {
  await freshServer();
  server.script('agg', { reply: 'Use sorted with a key function.', omitLogprobs: 'all' });
  const engine = await startEngine(baseSetup(), storage);
  const result = resultOf(await collect(engine.ask(QUESTION, { signal: new AbortController().signal })));
  await engine.dispose();
  assert.equal(result.logprobsUsed, false);
  assert.ok(result.candidates.every((c) => c.perplexity === null && c.total === c.similarity));
});

test('a hanging referencer times out and the others carry the answer', async () => {
  await freshServer();
  server.script('py3', { hang: true });
  const engine = await startEngine(baseSetup({}, { timeoutMs: 1000 }), storage);
  const result = resultOf(await collect(engine.ask(QUESTION, { signal: new AbortController().signal })));
  await engine.dispose();
  const py3 = result.referencers.find((r) => r.model === 'py3');
  assert.equal(py3?.ok, false);
  assert.match(py3?.error ?? '', /time/i);
  assert.ok(result.winner >= 0);
});

test('cancelling mid-stream closes every request and ends the stream as cancelled', async () => {
  await freshServer();
  for (const m of PY) server.script(m, { reply: 'word '.repeat(200), chunkDelayMs: 30 });
  const engine = await startEngine(baseSetup(), storage);
  const controller = new AbortController();
  let abortedAt = 0;
  const events = await collect(engine.ask(QUESTION, { signal: controller.signal }), (e) => {
    if (e.type === 'referencer-delta' && !controller.signal.aborted) {
      abortedAt = performance.now();
      controller.abort();
    }
  });
  const endedAfterMs = performance.now() - abortedAt;
  await engine.dispose();
  const end = last(events) as Extract<PipelineEvent, { type: 'error' }>;
  assert.equal(end.type, 'error');
  assert.equal(end.kind, 'cancelled');
  assert.equal(chats(server, 'agg').length, 0, 'no aggregation starts after a cancel');
  // Every referencer request is closed by the client (the server records when it noticed).
  const deadline = Date.now() + 2000;
  while (chats(server).some((r) => r.clientClosedAt === undefined && r.completedAt === undefined) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(chats(server).every((r) => r.clientClosedAt !== undefined), 'every stream was closed by the client');
  assert.ok(endedAfterMs < 2000, `stream ended ${endedAfterMs} ms after the abort`);
});

test('by default a referencer far slower than the others is left out as late: aborted, named, what it was sent counted', async () => {
  await freshServer();
  // The others answer at once; py3 would take 20 s before its first word.
  server.script('py3', { reply: 'slow answer', chunkDelayMs: 20_000 });
  const engine = await startEngine(baseSetup(), storage);
  const started = performance.now();
  const events = await collect(engine.ask(QUESTION, { signal: new AbortController().signal }));
  const tookMs = performance.now() - started;
  const result = resultOf(events);
  await engine.dispose();
  const abandoned = events.find((e) => e.type === 'referencers-abandoned');
  assert.ok(abandoned && abandoned.models.join() === 'py3' && abandoned.afterMs >= 2000 && abandoned.afterMs < 3000, JSON.stringify(abandoned));
  assert.ok(tookMs < 6000, `answered in ${Math.round(tookMs)} ms`);
  const slow = result.referencers.find((r) => r.model === 'py3');
  assert.equal(slow?.ok, false);
  assert.equal(slow?.late, true);
  assert.match(slow?.error ?? '', /^late: left out after 2\.\d s$/);
  assert.ok((slow?.usage.promptTokens ?? 0) > 0, 'what was sent is counted');
  assert.ok(result.calls.some((c) => c.model === 'py3' && c.stage === 'referencer' && c.estimated), 'the late call is in the ledger, estimated');
  assert.ok(!result.candidates.some((c) => c.subset.includes('py3')), 'no aggregation waits for it');
  // Early aggregations of py1 and py2 (drawn as if py3 would answer) were set aside when it was left out: each call is
  // in the ledger once, and the candidates are the subsets drawn again over the two that arrived.
  const lastSubsets = events.filter((e) => e.type === 'subsets').at(-1) as Extract<PipelineEvent, { type: 'subsets' }>;
  assert.deepEqual(result.candidates.map((c) => c.subset), lastSubsets.subsets);
  assert.ok(lastSubsets.subsets.every((s) => s.length === 1), 'K′ = 2 arrived, so each subset keeps 1');
  assert.equal(result.calls.filter((c) => c.stage === 'aggregation').length, chats(server, 'agg').length, 'every aggregation sent, kept or set aside, is counted once');
  const deadline = Date.now() + 2000;
  while (chats(server, 'py3')[0]?.clientClosedAt === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(chats(server, 'py3')[0]?.clientClosedAt !== undefined, 'the slow request was aborted: the server saw the client go');
  assert.equal(chats(server, 'py3')[0]?.completedAt, undefined);
});

test('stragglerFactor 0 waits for every referencer, as the paper does', async () => {
  await freshServer();
  server.script('py3', { reply: 'slow answer', firstByteDelayMs: 2500 });
  const engine = await startEngine(baseSetup({ stragglerFactor: 0 }), storage);
  const events = await collect(engine.ask(QUESTION, { signal: new AbortController().signal }));
  await engine.dispose();
  assert.ok(!events.some((e) => e.type === 'referencers-abandoned'));
  assert.equal(resultOf(events).referencers.find((r) => r.model === 'py3')?.ok, true);
});

test('an aggregation starts as soon as its references are in: a subset without the slow referencer is aggregated while it still answers', async () => {
  await freshServer();
  server.script('py3', { reply: 'Answer from py3: sorted with a key.', firstByteDelayMs: 1500 });
  const engine = await startEngine(baseSetup({ stragglerFactor: 0 }), storage);
  const events = await collect(engine.ask(QUESTION, { signal: new AbortController().signal }));
  await engine.dispose();
  const result = resultOf(events);
  const py3Done = events.findIndex((e) => e.type === 'referencer-done' && e.reference.model === 'py3');
  const subsetEvents = events.filter((e) => e.type === 'subsets');
  assert.equal(subsetEvents.length, 1, 'every referencer answered: the subsets drawn up front are the ones aggregated');
  const { subsets } = subsetEvents[0] as Extract<PipelineEvent, { type: 'subsets' }>;
  const withoutPy3 = subsets.findIndex((s) => !s.includes('py3'));
  assert.ok(withoutPy3 >= 0, `this seed draws a subset without py3: ${JSON.stringify(subsets)}`);
  const startedAt = events.findIndex((e) => e.type === 'aggregation-started' && e.index === withoutPy3);
  assert.ok(startedAt >= 0 && startedAt < py3Done, 'its aggregation started before py3 answered');
  assert.deepEqual(result.candidates.map((c) => c.subset), subsets);
  assert.equal(chats(server, 'agg').length, subsets.length, 'one aggregation per distinct subset, none sent twice');
  assert.ok(result.candidates.every((c) => c.ok));
  const started = events.filter((e) => e.type === 'aggregation-started');
  for (const e of started) if (e.subset.includes('py3')) assert.ok(events.indexOf(e) > py3Done, 'an aggregation that needs py3 waits for it');
});

test('an aggregator prompt larger than its context window is trimmed fairly and the run still succeeds', async () => {
  await freshServer(ALL.map((id) => (id === 'agg' ? { id, maxModelLen: 900 } : { id })));
  for (const m of PY) server.script(m, { reply: `Answer from ${m}: ${'details '.repeat(250)}` });
  const engine = await startEngine(baseSetup({ maxTokens: 200 }), storage);
  const result = resultOf(await collect(engine.ask(QUESTION, { signal: new AbortController().signal })));
  await engine.dispose();
  assert.ok(result.trimmedReferences.length > 0);
  assert.ok(result.referencers.some((r) => r.trimmed));
  for (const r of chats(server, 'agg')) {
    const chars = (r.body.messages as Array<{ content: string }>).reduce((a, m) => a + m.content.length, 0);
    const maxTokens = Number(r.body.max_tokens ?? r.body.max_completion_tokens);
    assert.ok(chars / 3 + maxTokens <= 900, `prompt ≈ ${Math.ceil(chars / 3)} tokens + ${maxTokens} output fits 900`);
    assert.match((r.body.messages as Array<{ content: string }>)[0]?.content ?? '', /trimmed to fit/);
  }
  assert.ok(result.winner >= 0);
});

test('a selection goes to the models as an item of the context, but not into retrieval', async () => {
  await freshServer();
  const engine = await startEngine(baseSetup(), storage);
  // A selection full of the JavaScript topics' words: were it embedded, retrieval would lean towards the JS models.
  const notes = bankRecords()
    .filter((r) => r.id.startsWith('js-'))
    .map((r) => r.question)
    .join('\n');
  const selection = contextItem({ source: 'selection', path: 'notes.md', startLine: 3, endLine: 2 + notes.split('\n').length, text: notes, reason: 'selected' });
  const result = resultOf(await collect(engine.ask(QUESTION, { attachments: [selection], signal: new AbortController().signal })));
  await engine.dispose();
  assert.deepEqual([...result.referencers.map((r) => r.model)].sort(), PY, 'routing followed the question alone');
  for (const r of chats(server)) {
    const messages = r.body.messages as Array<{ role: string; content: string }>;
    assert.equal(messages[messages.length - 1]?.content, `${QUESTION}\n\n${contextText([selection])}`);
  }
  assert.deepEqual(result.context?.map((c) => [c.source, c.path, c.startLine, c.reason]), [['selection', 'notes.md', 3, 'selected']], 'the result reports the selection once, as an item');
});

test('per-ask params (a preset) override the config for that ask only', async () => {
  await freshServer();
  const engine = await startEngine(baseSetup({ k: 3, n: 4 }), storage);
  const fast = resultOf(await collect(engine.ask(QUESTION, { params: { k: 1, n: 1 }, signal: new AbortController().signal })));
  assert.equal(fast.referencers.length, 1);
  assert.equal(fast.candidates.length, 1);
  const normal = resultOf(await collect(engine.ask(QUESTION, { signal: new AbortController().signal })));
  await engine.dispose();
  assert.equal(normal.referencers.length, 3);
  assert.equal(normal.candidates.reduce((sum, c) => sum + c.draws, 0), 4, 'the n = 4 draws of the config');
});
