/**
 * Random requests against the server's parsing and routing: whatever the body, path, method or Host, a request is
 * answered or refused in OpenAI's shape with a 2xx or 4xx status — never a 500, never a hang. Inputs come from
 * fast-check, which shrinks a failing request to the smallest that still fails and prints the seed that replays it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import fc from 'fast-check';
import { tempDir } from '../../../test/fixtures/bankData';
import { engineConfig, testHooks } from '../../../test/fixtures/askHarness';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
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

/** Pieces of ordinary, odd and hostile text: escapes, quotes, controls, surrogate halves, emoji, broken %-escapes. */
const ODD = ['a', 'Z', '0', ' ', '%', '%E0%A4%A', '"', '\\', '\n', '\u0000', '\u001b[31m', '\ud800', '😀', '/', '..', '?', '#', '{', 'Bearer ', 'smcs/'];
const oddText = (max = 12): fc.Arbitrary<string> => fc.array(fc.constantFrom(...ODD), { maxLength: max }).map((parts) => parts.join(''));

/** `arbitrary` one time in `of`, else absent (null). */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, of: number): fc.Arbitrary<T | null> => fc.oneof({ weight: of - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

/** Any JSON value, a few levels deep, with the keys a request uses and the ones that reach prototypes. */
const { json: anyJson } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.constantFrom(0, -1, 1.5, 1e308, -0, 2 ** 53, 3),
    oddText(),
    fc.array(tie('json'), { maxLength: 3 }),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom('role', 'content', 'type', 'text', 'model', 'tools', 'constructor', '__proto__'), oddText(4)), tie('json')), { maxLength: 3 }).map((entries) => Object.fromEntries(entries)),
  ),
}));

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];
const message = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ROLES) }, { weight: 1, arbitrary: anyJson }),
    fc.oneof({ weight: 7, arbitrary: oddText() }, { weight: 3, arbitrary: fc.oneof(fc.constant(null), oddText().map((text) => [{ type: 'text', text }]), fc.constant([{ type: 'image_url', image_url: { url: 'data:' } }]), anyJson) }),
    sometimes(anyJson, 10),
  )
  .map(([role, content, toolCalls]) => ({ role, content, ...(toolCalls !== null ? { tool_calls: toolCalls } : {}) }));

const FIELDS = ['stream', 'n', 'stop', 'temperature', 'max_tokens', 'seed', 'tools', 'tool_choice', 'response_format', 'stream_options', 'presence_penalty'];

/** A chat body that is mostly well formed, with a few fields drawn from anything (one in ten is any JSON at all). */
const chatBody: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: anyJson },
  {
    weight: 9,
    arbitrary: fc
      .tuple(
        fc.oneof({ weight: 17, arbitrary: fc.constantFrom('smcs', 'smcs-fast', 'smcs/m1', 'smcs/agg', 'smcs-quality') }, { weight: 3, arbitrary: anyJson }),
        fc.oneof({ weight: 9, arbitrary: fc.array(message, { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: anyJson }),
        fc.tuple(...FIELDS.map((field) => sometimes(anyJson.map((value) => [field, value] as const), 8))),
      )
      .map(([model, messages, extra]) => ({ model, messages, ...Object.fromEntries(extra.filter((e) => e !== null)) })),
  },
);

test('parseChatRequest: any JSON body is a request or a 400 naming the problem, never another error', () => {
  fc.assert(
    fc.property(chatBody, (generated) => {
      // As the server reads it: parsed from the wire, so `__proto__` is a key like any other.
      const body: unknown = JSON.parse(JSON.stringify(generated) ?? 'null');
      try {
        parseChatRequest(body);
      } catch (err) {
        assert.ok(err instanceof ApiError && err.status === 400, `${String(err)} for ${JSON.stringify(body)}`);
      }
    }),
    { numRuns: 3000 },
  );
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

/** Printable ASCII only: what a header line or a request target can carry at all. */
const printable = (text: string): string => text.replace(/[^\x21-\x7e]/g, '');

/** One raw request: the head's lines (without content-length) and the body. */
const rawRequest = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'OPTIONS'),
    path: fc.oneof(
      fc.constantFrom('/v1/chat/completions', '/v1/chat/completions', '/v1/models', '/v1/../v1/models', '/v2', '*'),
      oddText(4).map((t) => `/v1/models/${encodeURIComponent(t.replace(/[\ud800-\udfff]/g, ''))}`),
      oddText(3).map((t) => `/v1/models/${printable(t)}`),
    ),
    host: fc.oneof({ weight: 9, arbitrary: fc.constant('loopback') }, { weight: 1, arbitrary: fc.constantFrom('evil.example', 'localhost', '[::1]', '127.0.0.1.nip.io', '') }),
    contentType: fc.oneof({ weight: 9, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8') }),
    key: fc.oneof({ weight: 19, arbitrary: fc.constant(KEY) }, { weight: 1, arbitrary: oddText(8).map(printable) }),
    body: fc.oneof({ weight: 1, arbitrary: oddText(30) }, { weight: 9, arbitrary: chatBody.map((b) => JSON.stringify(b) ?? '') }),
  })
  .map((r) => ({ head: `${r.method} ${r.path} HTTP/1.1\r\nhost: ${r.host === 'loopback' ? `127.0.0.1:${server.port}` : r.host}\r\nauthorization: Bearer ${r.key}\r\ncontent-type: ${r.contentType}`, body: r.body }));

test('the server: random methods, paths, Hosts and bodies get 2xx or 4xx in OpenAI\'s shape, never 500', { timeout: 120_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(rawRequest, async ({ head, body }) => {
      const answer = await exchange(head, body);
      const where = `${head.split('\r\n')[0]} ${body.slice(0, 200)} → ${answer.status} ${answer.body.slice(0, 300)}`;
      assert.ok((answer.status >= 200 && answer.status < 300) || (answer.status >= 400 && answer.status < 500), where);
      if (answer.status >= 400 && answer.body !== '') {
        const error = (JSON.parse(answer.body) as { error?: { message?: unknown; type?: unknown; code?: unknown } }).error;
        assert.ok(typeof error?.message === 'string' && typeof error.type === 'string' && typeof error.code === 'string', where);
      }
    }),
    { numRuns: 300 },
  );
  assert.equal(server.active, 0);
});
