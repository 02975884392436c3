/**
 * The server under pressure, against slow loopback upstreams: the concurrency cap answers 429 with Retry-After and never
 * leaves a request hanging; a client that goes away mid-stream closes every upstream call of its request.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { tempDir } from '../../../test/fixtures/bankData';
import { engineConfig, testHooks } from '../../../test/fixtures/askHarness';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { createEngine } from '../../engine/engine';
import { startServer, type RunningServer } from '../server';

const KEY = 'test-key-0123456789abcdef';
const temp = tempDir('smcs-server-load-');
const MODELS = ['m1', 'm2', 'agg', 'stuck'];
let fake: LoopbackUpstream;
let server: RunningServer;

before(async () => {
  fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
  // Slow: 20 tokens 30 ms apart, so requests overlap and a client can leave mid-way.
  for (const m of MODELS) fake.script(m, { reply: Array.from({ length: 20 }, (_, i) => `word${i}`).join(' '), chunkDelayMs: 30 });
  fake.script('stuck', { hang: true });
  const engine = await createEngine(engineConfig({ baseUrl: fake.baseUrl, models: MODELS, overrides: { aggregator: 'agg', k: 2, n: 1 } }), testHooks(temp.dir));
  server = await startServer({ engine, apiKey: KEY, host: '127.0.0.1', port: 0, maxConcurrent: 4, learnFromChecks: false, log: () => undefined });
});

after(async () => {
  await server.close();
  await fake.close();
  temp.cleanup();
});

const ask = () => new OpenAI({ baseURL: server.url, apiKey: KEY, maxRetries: 0 }).chat.completions.create({ model: 'smcs', messages: [{ role: 'user', content: 'Name a sorting algorithm.' }] });

test('20 concurrent requests with a cap of 4: each gets an answer or a 429 with Retry-After, none hangs', { timeout: 60_000 }, async () => {
  const outcomes = await Promise.allSettled(Array.from({ length: 20 }, ask));
  const answered = outcomes.filter((o) => o.status === 'fulfilled');
  const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
  assert.equal(answered.length + refused.length, 20);
  assert.ok(answered.length >= 4, `only ${answered.length} answered`);
  assert.ok(refused.length > 0, 'the cap refused nothing');
  for (const err of refused) {
    assert.ok(err instanceof OpenAI.RateLimitError, String(err));
    assert.equal(err.headers?.get('retry-after'), '2');
  }
  assert.equal(server.active, 0);
});

test('a client that leaves mid-stream closes every upstream call of its request within a second', { timeout: 30_000 }, async () => {
  const first = fake.requests.length;
  const controller = new AbortController();
  const res = await fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'smcs', messages: [{ role: 'user', content: 'Name a sorting algorithm.' }], stream: true }),
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  let seen = '';
  // Leave once the referencers are running.
  while (!seen.includes(': smcs referencers 0/2')) seen += new TextDecoder().decode((await reader.read()).value);
  await sleep(100);
  controller.abort();
  const calls = () => fake.requests.slice(first).filter((r) => r.path.endsWith('/chat/completions'));
  assert.equal(calls().length, 2);
  const leftAt = performance.now();
  while (calls().some((r) => r.clientClosedAt === undefined) && performance.now() - leftAt < 1000) await sleep(10);
  for (const r of calls()) {
    assert.ok(r.clientClosedAt !== undefined, `${r.model} was still answering one second after the client left`);
    assert.equal(r.completedAt, undefined);
  }
  while (server.active > 0 && performance.now() - leftAt < 1000) await sleep(10);
  assert.equal(server.active, 0);
});

test('a client that leaves a relayed request closes its upstream call within a second', { timeout: 30_000 }, async () => {
  const controller = new AbortController();
  const client = new OpenAI({ baseURL: server.url, apiKey: KEY, maxRetries: 0 });
  const pending = client.chat.completions.create({ model: 'smcs/stuck', messages: [{ role: 'user', content: 'q' }], tools: [{ type: 'function', function: { name: 'f' } }] }, { signal: controller.signal });
  const upstream = () => fake.requests.find((r) => r.model === 'stuck');
  while (upstream() === undefined) await sleep(10);
  controller.abort();
  await assert.rejects(pending, OpenAI.APIUserAbortError);
  const leftAt = performance.now();
  while (upstream()?.clientClosedAt === undefined && performance.now() - leftAt < 1000) await sleep(10);
  assert.ok(upstream()?.clientClosedAt !== undefined, 'the relayed upstream call was still open one second after the client left');
  while (server.active > 0 && performance.now() - leftAt < 1000) await sleep(10);
  assert.equal(server.active, 0);
});
