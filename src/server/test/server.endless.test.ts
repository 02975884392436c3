/**
 * Upstreams that ignore `max_tokens` and stream for ever, behind `smcs serve` with the default limits (maxCallMs of 10
 * minutes): every reply, on every route, streamed or not, read by the real openai SDK, ends within 60 s — a stream as
 * a reply cut at the token limit once it has run far past what was asked, not at the total limit.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { tempDir } from '../../../test/fixtures/bankData';
import { engineConfig, testHooks } from '../../../test/fixtures/askHarness';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { createEngine } from '../../engine/engine';
import { outputCeiling } from '../../llm/limits';
import { startServer, type RunningServer } from '../server';

const KEY = 'test-key-0123456789abcdef';
const MODELS = ['up', 'm2', 'agg'];
const temp = tempDir('smcs-server-endless-');
let fake: LoopbackUpstream;
let engine: Awaited<ReturnType<typeof createEngine>>;
let server: RunningServer;

before(async () => {
  fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
  for (const model of MODELS) fake.script(model, { endless: true, floodChunkBytes: 60 });
  engine = await createEngine(engineConfig({ baseUrl: fake.baseUrl, models: MODELS, overrides: { aggregator: 'agg', k: 2, n: 1 } }), testHooks(temp.dir));
  server = await startServer({ engine, apiKey: KEY, host: '127.0.0.1', port: 0, maxConcurrent: 4, learnFromChecks: false, log: () => undefined });
});

after(async () => {
  await server.close();
  await fake.close();
  await engine.dispose();
  temp.cleanup();
});

const client = () => new OpenAI({ baseURL: server.url, apiKey: KEY, maxRetries: 0 });
const user = [{ role: 'user' as const, content: 'Tell me a long story.' }];
const TOOLS = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];

/** Every upstream connection the server opened has been closed by it. */
async function upstreamsClosed(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  const open = fake.requests.filter((r) => r.path === '/v1/chat/completions' && r.clientClosedAt === undefined && r.completedAt === undefined);
  assert.deepEqual(open.map((r) => r.model), [], 'upstream streams still open');
}

/** Reads a stream through and gives its text and last finish reason. */
async function readStream(stream: AsyncIterable<OpenAI.ChatCompletionChunk>): Promise<{ text: string; finish: string | null }> {
  let text = '';
  let finish: string | null = null;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  return { text, finish };
}

/** Each route's body and the output budget it asks for (none: the configured maxTokens, 8192). */
const ROUTED = [
  { name: 'smcs/<model>', body: { model: 'smcs/up', messages: user }, asked: 8192 },
  { name: 'smcs/<model> with max_tokens', body: { model: 'smcs/up', messages: user, max_tokens: 100 }, asked: 100 },
  { name: 'tools', body: { model: 'smcs', messages: user, tools: TOOLS, max_completion_tokens: 50 }, asked: 50 },
];

for (const route of ROUTED) {
  test(`${route.name}, streamed: ends cut at \`length\` past 4 × what was asked, well within 60 s`, async () => {
    const started = Date.now();
    const { text, finish } = await readStream(await client().chat.completions.create({ ...route.body, stream: true }));
    const took = Date.now() - started;
    assert.equal(finish, 'length');
    // The pieces are 60 characters (20 estimated tokens): the one that went past the ceiling is the last relayed.
    assert.equal(text.length / 3, (Math.floor(outputCeiling(route.asked) / 20) + 1) * 20, `relayed ${text.length} characters`);
    assert.ok(took < 60_000, `took ${took} ms`);
    await upstreamsClosed();
  });
}

test('the whole method, streamed or not, with or without max_tokens: every call stopped far past it, the answer kept, within 60 s', async () => {
  for (const maxTokens of [undefined, 64]) {
    for (const stream of [false, true]) {
      const started = Date.now();
      const body = { model: 'smcs', messages: user, ...(maxTokens !== undefined ? { max_tokens: maxTokens } : {}) };
      const text = stream ? (await readStream(await client().chat.completions.create({ ...body, stream: true }))).text : ((await client().chat.completions.create(body)).choices[0]?.message.content ?? '');
      const took = Date.now() - started;
      assert.ok(text.length > 3 * outputCeiling(maxTokens ?? 8192), `${JSON.stringify(body)}: the answer has ${text.length} characters`);
      assert.ok(took < 60_000, `${JSON.stringify(body)}: took ${took} ms`);
      await upstreamsClosed();
    }
  }
});

test('a never-ending JSON reply (no stream to cut) ends at the reply size SMCS reads, not at maxCallMs', async () => {
  fake.script('up', { endless: true, floodChunkBytes: 64 * 1024 });
  const started = Date.now();
  await assert.rejects(client().chat.completions.create({ model: 'smcs/up', messages: user }), (err: unknown) => err instanceof OpenAI.APIError && err.status === 502 && /maxReplyBytes/.test(err.message));
  assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
  await upstreamsClosed();
});
