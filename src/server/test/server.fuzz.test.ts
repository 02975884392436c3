/**
 * Random requests against the server's parsing and routing: whatever the body, path, method or Host, a request is
 * answered or refused in OpenAI's shape with a 2xx or 4xx status — never a 500, never a hang. Inputs come from our
 * seeded generator (core/util/rng) rather than a property-testing library: a failure names the seed and the input,
 * which reproduces it, and no dependency is added for it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { createRng, type Rng } from '../../core/util/rng';
import { tempDir } from '../../../test/fixtures/bankData';
import { engineConfig, testHooks } from '../../../test/fixtures/askHarness';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../bench/loopbackUpstream';
import { createEngine } from '../../engine/engine';
import { parseChatRequest } from '../chatRequest';
import { ApiError } from '../errors';
import { startServer, type RunningServer } from '../server';

const KEY = 'fuzz-key-0123456789abcdef';
const temp = tempDir('smcs-server-fuzz-');
let fake: LoopbackUpstream;
let engine: Awaited<ReturnType<typeof createEngine>>;
let server: RunningServer;

before(async () => {
  fake = await startLoopbackUpstream({ models: ['m1', 'agg'].map((id) => ({ id, maxModelLen: 4096 })) });
  engine = await createEngine(engineConfig({ baseUrl: fake.baseUrl, models: ['m1', 'agg'], overrides: { aggregator: 'agg', k: 1, n: 1 } }), testHooks(temp.dir));
  server = await startServer({ engine, apiKey: KEY, host: '127.0.0.1', port: 0, maxConcurrent: 64, learnFromChecks: false, log: () => undefined, limits: { maxBodyBytes: 64 * 1024, bodyTimeoutMs: 2000 } });
});

after(async () => {
  await server.close();
  await fake.close();
  await engine.dispose();
  temp.cleanup();
});

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng.next() * items.length)] as T;
const chance = (rng: Rng, p: number): boolean => rng.next() < p;

/** A string of ordinary, odd and hostile characters: escapes, quotes, controls, surrogate halves, emoji. */
function text(rng: Rng, max = 12): string {
  const alphabet = ['a', 'Z', '0', ' ', '%', '%E0%A4%A', '"', '\\', '\n', '\u0000', '\u001b[31m', '\ud800', '😀', '/', '..', '?', '#', '{', 'Bearer ', 'smcs/'];
  return Array.from({ length: Math.floor(rng.next() * max) }, () => pick(rng, alphabet)).join('');
}

/** Any JSON value, nested up to `depth`. */
function json(rng: Rng, depth = 3): unknown {
  const kind = Math.floor(rng.next() * (depth > 0 ? 8 : 5));
  switch (kind) {
    case 0:
      return null;
    case 1:
      return chance(rng, 0.5);
    case 2:
      return pick(rng, [0, -1, 1.5, 1e308, -0, 2 ** 53, 3]);
    case 3:
    case 4:
      return text(rng);
    case 5:
      return Array.from({ length: Math.floor(rng.next() * 4) }, () => json(rng, depth - 1));
    default:
      return Object.fromEntries(Array.from({ length: Math.floor(rng.next() * 4) }, () => [pick(rng, ['role', 'content', 'type', 'text', 'model', 'tools', 'constructor', '__proto__', text(rng, 4)]), json(rng, depth - 1)]));
  }
}

/** A chat body that is mostly well formed, with a few fields drawn from anything. */
function chatBody(rng: Rng): unknown {
  if (chance(rng, 0.1)) return json(rng);
  const message = () => ({
    role: chance(rng, 0.8) ? pick(rng, ['system', 'developer', 'user', 'assistant', 'tool', 'function']) : json(rng, 1),
    content: chance(rng, 0.7) ? text(rng) : pick(rng, [null, [{ type: 'text', text: text(rng) }], [{ type: 'image_url', image_url: { url: 'data:' } }], json(rng, 2)]),
    ...(chance(rng, 0.1) ? { tool_calls: json(rng, 2) } : {}),
  });
  const body: Record<string, unknown> = {
    model: chance(rng, 0.85) ? pick(rng, ['smcs', 'smcs-fast', 'smcs/m1', 'smcs/agg', 'smcs-quality']) : json(rng, 1),
    messages: chance(rng, 0.9) ? Array.from({ length: 1 + Math.floor(rng.next() * 3) }, message) : json(rng, 2),
  };
  for (const field of ['stream', 'n', 'stop', 'temperature', 'max_tokens', 'seed', 'tools', 'tool_choice', 'response_format', 'stream_options', 'presence_penalty']) {
    if (chance(rng, 0.12)) body[field] = json(rng, 2);
  }
  return body;
}

test('parseChatRequest: any JSON body is a request or a 400 naming the problem, never another error', () => {
  for (let seed = 0; seed < 3000; seed++) {
    const body = chatBody(createRng(seed));
    try {
      parseChatRequest(body);
    } catch (err) {
      assert.ok(err instanceof ApiError && err.status === 400, `seed ${seed}: ${String(err)} for ${JSON.stringify(body)}`);
    }
  }
});

/** One raw HTTP/1.1 exchange (the socket is left open: a half-closed one is a client gone away): the status and the body of the answer. */
function exchange(head: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let raw = '';
    socket.setTimeout(10_000, () => reject(new Error('no answer within 10 s')));
    socket.on('data', (d: Buffer) => (raw += d.toString('utf8')));
    socket.on('end', () => {
      const [headers = '', ...rest] = raw.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]), body: rest.join('\r\n\r\n') });
    });
    socket.on('error', reject);
    socket.write(`${head}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
}

test('the server: random methods, paths, Hosts and bodies get 2xx or 4xx in OpenAI\'s shape, never 500', { timeout: 120_000 }, async () => {
  for (let seed = 0; seed < 300; seed++) {
    const rng = createRng(seed);
    const method = pick(rng, ['GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'OPTIONS']);
    const path = pick(rng, ['/v1/chat/completions', '/v1/chat/completions', '/v1/models', `/v1/models/${encodeURIComponent(text(rng, 4).replace(/[\ud800-\udfff]/g, ''))}`, `/v1/models/${text(rng, 3).replace(/[^\x21-\x7e]/g, '')}`, '/v1/../v1/models', '/v2', '*']);
    const host = chance(rng, 0.9) ? `127.0.0.1:${server.port}` : pick(rng, ['evil.example', 'localhost', '[::1]', '127.0.0.1.nip.io', '']);
    const contentType = chance(rng, 0.9) ? 'application/json' : pick(rng, ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8']);
    const body = chance(rng, 0.1) ? text(rng, 30) : JSON.stringify(chatBody(rng));
    const head = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\nauthorization: Bearer ${chance(rng, 0.95) ? KEY : text(rng, 8).replace(/[^\x21-\x7e]/g, '')}\r\ncontent-type: ${contentType}`;
    const answer = await exchange(head, body);
    const where = `seed ${seed}: ${head.split('\r\n')[0]} ${body.slice(0, 200)} → ${answer.status} ${answer.body.slice(0, 300)}`;
    assert.ok((answer.status >= 200 && answer.status < 300) || (answer.status >= 400 && answer.status < 500), where);
    if (answer.status >= 400 && answer.body !== '') {
      const error = (JSON.parse(answer.body) as { error?: { message?: unknown; type?: unknown; code?: unknown } }).error;
      assert.ok(typeof error?.message === 'string' && typeof error.type === 'string' && typeof error.code === 'string', where);
    }
  }
  assert.equal(server.active, 0);
});
