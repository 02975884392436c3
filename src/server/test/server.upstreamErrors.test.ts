/**
 * When the upstreams fail, the client is told in OpenAI's shape: 502 when every referencer failed, 504 when they timed
 * out, and in a stream already under way an error event the openai SDK raises as APIError.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { tempDir } from '../../../test/fixtures/bankData';
import { engineConfig, testHooks } from '../../../test/fixtures/askHarness';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { createEngine } from '../../engine/engine';
import { startServer, type RunningServer } from '../server';

const KEY = 'test-key-0123456789abcdef';
const temp = tempDir('smcs-server-errors-');
let fake: LoopbackUpstream;
let server: RunningServer;

before(async () => {
  fake = await startLoopbackUpstream({ models: ['bad1', 'bad2', 'slow1', 'slow2', 'agg'].map((id) => ({ id })) });
  for (const m of ['bad1', 'bad2']) fake.script(m, { fail: { status: 400, message: `${m} refuses` } });
  for (const m of ['slow1', 'slow2']) fake.script(m, { hang: true });
  const config = engineConfig({ baseUrl: fake.baseUrl, models: ['bad1', 'bad2', 'slow1', 'slow2', 'agg'], overrides: { aggregator: 'agg', k: 2, n: 1 }, endpointOverrides: { timeoutMs: 1000 } });
  const engine = await createEngine(config, testHooks(temp.dir));
  server = await startServer({ engine, apiKey: KEY, host: '127.0.0.1', port: 0, maxConcurrent: 4, learnFromChecks: false, log: () => undefined });
});

after(async () => {
  await server.close();
  await fake.close();
  temp.cleanup();
});

const client = () => new OpenAI({ baseURL: server.url, apiKey: KEY, maxRetries: 0 });
const messages = [{ role: 'user' as const, content: 'Name a sorting algorithm.' }];

test('every referencer failing is a 502 naming each failure', async () => {
  // Without a bank the first K = 2 configured models answer: bad1 and bad2.
  await assert.rejects(client().chat.completions.create({ model: 'smcs', messages }), (err: unknown) => {
    assert.ok(err instanceof OpenAI.InternalServerError);
    assert.equal(err.status, 502);
    assert.equal(err.code, 'upstream_failed');
    assert.match(err.message, /bad1 refuses/);
    assert.match(err.message, /bad2 refuses/);
    return true;
  });
});

test('in a stream under way, the failure is an error event the SDK raises', async () => {
  const stream = await client().chat.completions.create({ model: 'smcs', messages, stream: true });
  await assert.rejects(
    (async () => {
      for await (const chunk of stream) void chunk;
    })(),
    (err: unknown) => err instanceof OpenAI.APIError && err.code === 'upstream_failed',
  );
});

test('upstreams that time out give 504', { timeout: 30_000 }, async () => {
  await assert.rejects(client().chat.completions.create({ model: 'smcs/slow1', messages }), (err: unknown) => {
    assert.ok(err instanceof OpenAI.APIError);
    assert.equal(err.status, 504);
    assert.equal(err.code, 'upstream_timeout');
    return true;
  });
});
