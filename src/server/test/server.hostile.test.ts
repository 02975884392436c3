/**
 * Hostile upstreams behind the server, met by the real openai SDK (and raw HTTP where the bytes matter): a gateway
 * that echoes our upstream key in its errors on every relay route, a stream that never ends, a reply too large to
 * read, garbage where JSON belongs, and a client that does not read a stream. Limits are small so each test is short.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { tempDir } from '../../../test/fixtures/bankData';
import { engineConfig, testHooks } from '../../../test/fixtures/askHarness';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { createEngine } from '../../engine/engine';
import { ApiError } from '../errors';
import { startServer, type RunningServer } from '../server';

const KEY = 'test-key-0123456789abcdef';
/** Shaped like no known key (no `sk-`), so only the registry of resolved keys can find it bare. */
const UPSTREAM_KEY = 'upstream-4f1c9e2b7a6d5c3e8a9b';
const temp = tempDir('smcs-server-hostile-');
let fake: LoopbackUpstream;
let engine: Awaited<ReturnType<typeof createEngine>>;
let server: RunningServer;

before(async () => {
  fake = await startLoopbackUpstream({ models: ['up', 'm2', 'agg'].map((id) => ({ id })) });
  const config = engineConfig({ baseUrl: fake.baseUrl, models: ['up', 'm2', 'agg'], overrides: { aggregator: 'agg', k: 2, n: 1, maxTokens: 64 }, endpointOverrides: { timeoutMs: 5000, maxCallMs: 1500, maxReplyBytes: 256 * 1024 } });
  engine = await createEngine(config, { ...testHooks(temp.dir), secrets: { apiKey: () => Promise.resolve(UPSTREAM_KEY) } });
  server = await startServer({ engine, apiKey: KEY, host: '127.0.0.1', port: 0, maxConcurrent: 4, learnFromChecks: false, log: () => undefined });
});

after(async () => {
  await server.close();
  await fake.close();
  await engine.dispose();
  temp.cleanup();
});

const client = () => new OpenAI({ baseURL: server.url, apiKey: KEY, maxRetries: 0 });
const user = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];
const TOOLS = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];

/** The six relay routes: a pass-through, a tools request and a response_format request, each plain and streamed. */
const ROUTES = [
  { name: 'smcs/<model>', body: { model: 'smcs/up', messages: user } },
  { name: 'tools', body: { model: 'smcs', messages: user, tools: TOOLS } },
  { name: 'response_format', body: { model: 'smcs', messages: user, response_format: { type: 'json_object' } } },
].flatMap((r) => [false, true].map((stream) => ({ name: `${r.name}${stream ? ', streamed' : ''}`, stream, body: { ...r.body, stream } })));

/** POSTs a chat body and reads the whole answer as text. */
async function post(body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.url}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

describe('a gateway that echoes the upstream key in its errors', () => {
  for (const route of ROUTES) {
    test(`${route.name}: no route lets the key through, and a refused key is a 502 of ours, not the client's 401`, async () => {
      for (const status of [400, 401, 403]) {
        fake.script('up', { echoCredentials: { status } });
        const { status: got, text } = await post(route.body);
        assert.ok(!text.includes(UPSTREAM_KEY), `${status}: the key reached the client: ${text}`);
        assert.match(text, /\[redacted\]/);
        const error = (JSON.parse(text) as { error: { code: string; type: string; message: string } }).error;
        if (status === 400) assert.equal(got, 400);
        else {
          assert.equal(got, 502);
          assert.equal(error.code, 'upstream_auth_failed');
          assert.equal(error.type, 'upstream_error');
          assert.match(error.message, /endpoint local, model up: HTTP 40[13]/);
        }
      }
      if (!route.stream) return;
      fake.script('up', { echoCredentials: { status: 200, inStream: true } });
      const { text } = await post(route.body);
      assert.match(text, /gateway failed mid-stream/);
      assert.ok(!text.includes(UPSTREAM_KEY), `the key reached the client in the stream: ${text}`);
    });
  }

  test('the SDK sees an upstream 401 as a 502 upstream error, never as its own key being wrong', async () => {
    fake.script('up', { echoCredentials: { status: 401 } });
    for (const stream of [false, true]) {
      await assert.rejects(client().chat.completions.create({ model: 'smcs/up', messages: user, stream }), (err: unknown) => {
        assert.ok(err instanceof OpenAI.InternalServerError, String(err));
        assert.ok(!(err instanceof OpenAI.AuthenticationError));
        assert.equal(err.status, 502);
        assert.equal(err.code, 'upstream_auth_failed');
        assert.ok(!err.message.includes(UPSTREAM_KEY));
        return true;
      });
    }
  });

  test('any error the server sends passes the redactor, whatever it quotes', () => {
    const error = new ApiError(500, `failed with ${UPSTREAM_KEY} (Authorization: Bearer sk-abcdef0123456789)`, 'server_error', 'internal');
    assert.equal(error.body.error.message, 'failed with [redacted] (Authorization: Bearer [redacted])');
  });

  test('the whole method redacts it too', async () => {
    fake.script('up', { echoCredentials: { status: 400 } });
    fake.script('m2', { echoCredentials: { status: 401 } });
    const { status, text } = await post({ model: 'smcs', messages: user });
    assert.equal(status, 502);
    assert.ok(!text.includes(UPSTREAM_KEY), text);
    fake.script('m2', {});
  });
});

describe('replies that never end, are too large, or are not JSON', () => {
  test('an endless relayed stream too slow to reach its ceiling ends at maxCallMs with an error event; an endless JSON reply is a 504 naming the limit', async () => {
    fake.script('up', { endless: true, floodChunkBytes: 16, chunkDelayMs: 100 });
    const started = Date.now();
    const stream = await client().chat.completions.create({ model: 'smcs/up', messages: user, stream: true });
    let text = '';
    await assert.rejects(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })(),
      (err: unknown) => err instanceof OpenAI.APIError && /no complete reply within 1500 ms/.test(err.message),
    );
    assert.ok(text.length > 0, 'nothing arrived before the limit');
    assert.ok(Date.now() - started < 6000, `took ${Date.now() - started} ms`);
    const plain = await post({ model: 'smcs/up', messages: user });
    assert.equal(plain.status, 504);
    assert.match(plain.text, /no complete reply within 1500 ms.*maxCallMs of endpoint local/);
  });

  test('the whole method stops reading a referencer that never stops, keeps what came and says so', async () => {
    fake.script('up', { endless: true, floodChunkBytes: 50 });
    const started = Date.now();
    const reply = await client().chat.completions.create({ model: 'smcs', messages: user });
    assert.ok(Date.now() - started < 8000, `took ${Date.now() - started} ms`);
    const smcs = (reply as unknown as { smcs: { stoppedOutput?: { model: string; stage: string; tokens: number }[] } }).smcs;
    assert.deepEqual(smcs.stoppedOutput?.map((s) => [s.model, s.stage]), [['up', 'referencer']]);
    // maxTokens 64: the ceiling is 4 × 64 + 256 estimated tokens, read in pieces of 50 characters.
    assert.ok((smcs.stoppedOutput?.[0]?.tokens ?? 0) > 512 && (smcs.stoppedOutput?.[0]?.tokens ?? 0) < 540);
    const upstream = fake.requests.filter((r) => r.model === 'up').at(-1);
    assert.ok(upstream?.clientClosedAt !== undefined, 'the endless stream was not closed');
  });

  test('a JSON reply over maxReplyBytes is refused with a clear 502, not read', async () => {
    fake.script('up', { hugeReply: { bytes: 64 * 1024 * 1024 } });
    await assert.rejects(client().chat.completions.create({ model: 'smcs/up', messages: user }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.APIError && err.status === 502, String(err));
      assert.match(err.message, /the reply is larger than 0\.25 MB, which SMCS does not read \(maxReplyBytes\)/);
      return true;
    });
    const upstream = fake.requests.filter((r) => r.model === 'up').at(-1);
    // What the sockets' buffers took before the refusal closed the connection: far from the 64 MB offered.
    assert.ok((upstream?.floodedBytes ?? 0) < 16 * 1024 * 1024, `the upstream wrote ${upstream?.floodedBytes} bytes`);
  });

  test('garbage where JSON belongs is reported as invalid JSON, relayed or asked', async () => {
    fake.script('up', { garbage: 'json' });
    const relayed = await post({ model: 'smcs/up', messages: user });
    assert.equal(relayed.status, 502);
    assert.match(relayed.text, /model up: the server returned invalid JSON/);
    fake.script('m2', { garbage: 'stream' });
    const { text } = await post({ model: 'smcs', messages: user });
    assert.match(text, /model up: the server returned invalid JSON where an event stream was expected/);
    assert.match(text, /model m2: the server returned invalid JSON in a stream line/);
    assert.doesNotMatch(text, /connection lost/);
    fake.script('m2', {});
  });
});

test('a client that does not read its stream pauses the upstream; leaving closes it', { timeout: 20_000 }, async () => {
  fake.script('up', { hugeReply: { bytes: 200 * 1024 * 1024 } });
  const upstreamRequests = fake.requests.length;
  const body = JSON.stringify({ model: 'smcs/up', messages: user, stream: true });
  const req = httpRequest(`${server.url}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' } });
  const response = new Promise<IncomingMessage>((resolve) => req.on('response', resolve));
  req.end(body);
  const res = await response;
  res.pause();
  await sleep(1500);
  const upstream = fake.requests.slice(upstreamRequests).find((r) => r.model === 'up');
  const sent = upstream?.floodedBytes ?? 0;
  assert.ok(sent > 0 && sent < 16 * 1024 * 1024, `the upstream wrote ${sent} bytes to a client that reads nothing`);
  res.destroy();
  await sleep(300);
  assert.ok(upstream?.clientClosedAt !== undefined, 'the upstream request is still open');
});
