/**
 * Hostile and odd requests at the server's door: clients trickling their bodies, a Host that names another machine
 * (DNS rebinding), malformed URLs, an IPv6 literal to listen on, short keys on a public address, and requests larger
 * than the chosen models' context window — each refused before it costs anyone anything.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import OpenAI from 'openai';
import { tempDir } from '../../../test/fixtures/bankData';
import { engineConfig, testHooks } from '../../../test/fixtures/askHarness';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { createEngine } from '../../engine/engine';
import { startServer, type RunningServer, type ServerOptions } from '../server';

const KEY = 'test-key-0123456789abcdef';
const temp = tempDir('smcs-server-requests-');
let fake: LoopbackUpstream;
let engine: Awaited<ReturnType<typeof createEngine>>;
let server: RunningServer;

/** Server options over the shared engine; the body has 2 s to arrive. */
const options = (extra: Partial<ServerOptions> = {}): ServerOptions => ({ engine, apiKey: KEY, host: '127.0.0.1', port: 0, maxConcurrent: 4, learnFromChecks: false, log: () => undefined, limits: { bodyTimeoutMs: 2000 }, ...extra });

before(async () => {
  // `small` reads 1,000 tokens; the others have no window known.
  fake = await startLoopbackUpstream({ models: [{ id: 'm1', maxModelLen: 100_000 }, { id: 'm2', maxModelLen: 100_000 }, { id: 'small', maxModelLen: 1000 }, { id: 'agg', maxModelLen: 100_000 }] });
  engine = await createEngine(engineConfig({ baseUrl: fake.baseUrl, models: ['m1', 'm2', 'small', 'agg'], overrides: { aggregator: 'agg', k: 2, n: 1 } }), testHooks(temp.dir));
  server = await startServer(options());
  // One ask first: what an engine loads on its first ask (the bank, the math library) is not what the slot test times.
  await client().chat.completions.create({ model: 'smcs', messages: question });
});

after(async () => {
  await server.close();
  await fake.close();
  await engine.dispose();
  temp.cleanup();
});

const client = (url = server.url) => new OpenAI({ baseURL: url, apiKey: KEY, maxRetries: 0 });
const question = [{ role: 'user' as const, content: 'How do I reverse a list in Python?' }];

/** A raw request: the request line and headers as given, then the whole answer as text. */
function raw(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
    socket.write(`${head}\r\nconnection: close\r\n\r\n`);
  });
}

/** A keyed chat request whose body arrives one byte every `everyMs`; resolves with the status line it gets. */
function trickle(port: number, everyMs: number): { status: Promise<string>; socket: Socket } {
  const body = JSON.stringify({ model: 'smcs', messages: question });
  const socket = connect(port, '127.0.0.1');
  socket.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: Bearer ${KEY}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`);
  let sent = 0;
  const timer = setInterval(() => {
    if (sent < body.length && !socket.destroyed) socket.write(body[sent++] ?? '');
  }, everyMs);
  const status = new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
    socket.on('close', () => {
      clearInterval(timer);
      resolve(text.split('\r\n')[0] ?? '');
    });
    socket.on('error', () => undefined);
  });
  return { status, socket };
}

test('four clients trickling their bodies hold no slot: a normal client is answered at once, they get 408', { timeout: 20_000 }, async (t) => {
  const tricklers = Array.from({ length: 4 }, () => trickle(server.port, 200));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const started = Date.now();
  const reply = await client().chat.completions.create({ model: 'smcs', messages: question });
  const servedMs = Date.now() - started;
  assert.ok(reply.choices[0]?.message.content, 'no answer');
  assert.ok(servedMs < 5000, `the normal client waited ${servedMs} ms`);
  const statuses = await Promise.all(tricklers.map((trickler) => trickler.status));
  t.diagnostic(`a normal client beside four trickling ones was answered in ${servedMs} ms`);
  for (const s of statuses) assert.match(s, /^HTTP\/1\.1 408 /);
  assert.equal(server.active, 0);
});

test('on a loopback address, a Host naming another machine is refused with 421 before the key is looked at', async () => {
  const refused = await raw(server.port, `GET /v1/models HTTP/1.1\r\nhost: attacker.example:${server.port}\r\nauthorization: Bearer ${KEY}`);
  assert.match(refused, /^HTTP\/1\.1 421 /);
  assert.match(refused, /"code":"misdirected_request"/);
  for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, 'localhost', `[::1]:${server.port}`]) {
    assert.match(await raw(server.port, `GET /v1/models HTTP/1.1\r\nhost: ${host}\r\nauthorization: Bearer ${KEY}`), /^HTTP\/1\.1 200 /, host);
  }
});

test('malformed URLs are 400, not 500', async () => {
  for (const target of ['/v1/models/%E0%A4%A', '/v1/models/%', '/v1/chat/completions%zz', 'http://127.0.0.1/v1/models%']) {
    const answer = await raw(server.port, `GET ${target} HTTP/1.1\r\nhost: 127.0.0.1:${server.port}\r\nauthorization: Bearer ${KEY}`);
    assert.match(answer, /^HTTP\/1\.1 400 /, target);
    assert.match(answer, /"code":"invalid_url"/, target);
  }
  await assert.rejects(client().models.retrieve('%E0%A4%A'), (err: unknown) => err instanceof OpenAI.NotFoundError);
});

test('--host "[::1]": an IPv6 literal in brackets is listened on and named in the URL', async () => {
  const v6 = await startServer(options({ host: '[::1]' }));
  try {
    assert.match(v6.url, /^http:\/\/\[::1\]:\d+\/v1$/);
    const ids = [];
    for await (const m of client(v6.url).models.list()) ids.push(m.id);
    assert.ok(ids.includes('smcs'));
  } finally {
    await v6.close();
  }
});

test('a server other machines reach refuses a key shorter than 16 characters', async () => {
  await assert.rejects(startServer(options({ host: '0.0.0.0', apiKey: 'short-key' })), /at least 16 characters/);
});

test('a request larger than the chosen models\' context window is refused with 400 before any upstream call', async () => {
  const before = fake.requests.length;
  // About 2,700 tokens by the estimate: more than 1.5 × the 1,000 of `small`, far less than the others' windows.
  const long = [{ role: 'user' as const, content: 'word '.repeat(1600) }];
  await assert.rejects(client().chat.completions.create({ model: 'smcs/small', messages: long }), (err: unknown) => {
    assert.ok(err instanceof OpenAI.BadRequestError, String(err));
    assert.equal(err.code, 'context_length_exceeded');
    assert.match(err.message, /more than the context window of small \(1,000 tokens\): nothing was sent/);
    return true;
  });
  // smcs-fast asks K = 3, so without a bank m1, m2 and small answer: small's window refuses the question.
  await assert.rejects(client().chat.completions.create({ model: 'smcs-fast', messages: long }), (err: unknown) => err instanceof OpenAI.BadRequestError && /context window of small/.test(err.message));
  // More than the largest window of all: the whole method refuses before the embedding and the referencers.
  const huge = [{ role: 'user' as const, content: 'word '.repeat(100_000) }];
  for (const model of ['smcs', 'smcs/m1']) {
    await assert.rejects(client().chat.completions.create({ model, messages: huge }), (err: unknown) => err instanceof OpenAI.BadRequestError && err.code === 'context_length_exceeded');
  }
  await assert.rejects(client().chat.completions.create({ model: 'smcs', messages: huge, tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }] }), (err: unknown) => err instanceof OpenAI.BadRequestError && err.code === 'context_length_exceeded');
  assert.equal(fake.requests.length, before, 'an upstream was called');
});

test('a 9 MB request, under the 10 MB body limit, is refused by the window check on every route before any upstream call, streamed or not, as an HTTP 400', { timeout: 60_000 }, async () => {
  const before = fake.requests.length;
  const nine = [{ role: 'user' as const, content: 'Summarise this log: ' + 'GET /index.html 200 0.4ms\n'.repeat(9 * 1024 * 1024 / 26) }];
  assert.ok(JSON.stringify(nine).length > 9 * 1000 * 1000 && JSON.stringify(nine).length < 10 * 1024 * 1024);
  const tools = [{ type: 'function' as const, function: { name: 'f', parameters: { type: 'object' } } }];
  const routes = [{ model: 'smcs', messages: nine }, { model: 'smcs/m1', messages: nine }, { model: 'smcs', messages: nine, tools }];
  for (const body of [...routes, ...routes.map((r) => ({ ...r, model: r.model === 'smcs' && !('tools' in r) ? 'smcs-fast' : r.model, stream: true as const }))]) {
    await assert.rejects(client().chat.completions.create(body), (err: unknown) => {
      assert.ok(err instanceof OpenAI.BadRequestError, `${body.model}: ${String(err)}`);
      assert.equal(err.code, 'context_length_exceeded');
      assert.match(err.message, /context window of (m1|m2|small|agg) \(100,000 tokens\): nothing was sent/);
      return true;
    });
  }
  assert.equal(fake.requests.length, before, 'an upstream was called');
});
