/**
 * Hostile or broken servers through the real openai SDK against the loopback server: HTML pages where the API was
 * expected, gateways that echo the Authorization header, raw SDK log lines, and long Retry-After waits.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EndpointConfig } from '../../core/contracts/config';
import type { ChatDelta } from '../../core/contracts/types';
import { LlmError } from '../errors';
import { createGateway, type OpenAiGateway } from '../gateway';
import { EndpointEmbedder } from '../../embed/endpoint';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { chatRequest, loopbackEndpoint } from '../../../test/fixtures/gatewayData';

const request = (model: string) => chatRequest(model, { logprobs: false });
const endpoint = (baseUrl: string, models: string[] | undefined, extra: Partial<EndpointConfig> = {}) => loopbackEndpoint(baseUrl, models, { id: 'web', ...extra });

const HTML_MESSAGE = /the endpoint returned an HTML page, not an API response: is the base URL right, ending in \/v1\?/;
const signal = new AbortController().signal;

/** Runs `fn` with everything written to stderr (and console.error) captured. */
async function capturingStderr<T>(fn: () => Promise<T>): Promise<{ value: T | undefined; error: unknown; stderr: string }> {
  // The original is kept to be put back as it was, not called unbound.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = process.stderr.write;
  let stderr = '';
  process.stderr.write = (chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  try {
    return { value: await fn(), error: undefined, stderr };
  } catch (error) {
    return { value: undefined, error, stderr };
  } finally {
    process.stderr.write = original;
  }
}

describe('an endpoint that answers an HTML page with status 200', () => {
  let server: LoopbackUpstream;
  let jsonTyped: LoopbackUpstream;
  before(async () => {
    server = await startLoopbackUpstream({ htmlPage: {} });
    jsonTyped = await startLoopbackUpstream({ htmlPage: { contentType: 'application/json' } });
  });
  after(async () => {
    await server.close();
    await jsonTyped.close();
  });

  it('fails discovery (GET /models) with a protocol error that says what to check', async () => {
    await assert.rejects(createGateway([endpoint(server.baseUrl, undefined)]), (e: unknown) => {
      assert.ok(e instanceof LlmError, String(e));
      assert.equal(e.kind, 'protocol');
      assert.match(e.message, HTML_MESSAGE);
      assert.match(e.message, /^endpoint web: /);
      return true;
    });
  });

  it('fails a streamed chat at once (no retry, no "connection lost") whether the page says text/html or not', async () => {
    for (const s of [server, jsonTyped]) {
      const gateway = await createGateway([endpoint(s.baseUrl, ['m'])]);
      const chats = () => s.requests.filter((r) => r.path === '/v1/chat/completions').length;
      const before = chats();
      await assert.rejects(gateway.chat(request('m'), () => {}, signal), (e: unknown) => {
        assert.ok(e instanceof LlmError);
        assert.equal(e.kind, 'protocol');
        assert.match(e.message, HTML_MESSAGE);
        assert.match(e.message, /^endpoint web, model m: /);
        assert.doesNotMatch(e.message, /connection lost/);
        return true;
      });
      assert.equal(chats() - before, 1, 'one request, not retried');
    }
  });

  it('fails /embeddings the same way', async () => {
    const gateway = await createGateway([endpoint(server.baseUrl, ['m'])]);
    const embedder = new EndpointEmbedder({ client: gateway.endpoint('web'), model: 'embed' });
    await assert.rejects(embedder.embed(['a question']), (e: unknown) => e instanceof LlmError && e.kind === 'protocol' && HTML_MESSAGE.test(e.message));
  });
});

describe('an HTML error page', () => {
  it('is summarised, not printed; a 404 page asks about the base URL', async () => {
    for (const [status, kind, detail] of [
      [404, 'http', HTML_MESSAGE],
      [502, 'server', /server error \(HTTP 502\): the server answered with an HTML error page/],
    ] as const) {
      const server = await startLoopbackUpstream({ htmlPage: { status } });
      try {
        const gateway = await createGateway([endpoint(server.baseUrl, ['m'])], { retry: { maxAttempts: 1 } });
        await assert.rejects(gateway.chat(request('m'), () => {}, signal), (e: unknown) => {
          assert.ok(e instanceof LlmError);
          assert.equal(e.kind, kind);
          assert.equal(e.status, status);
          assert.match(e.message, detail);
          assert.doesNotMatch(e.message, /<html|doctype/i);
          return true;
        });
      } finally {
        await server.close();
      }
    }
  });
});

describe('a gateway that echoes the Authorization header and the URL in its error', () => {
  let server: LoopbackUpstream;
  before(async () => {
    server = await startLoopbackUpstream();
    server.script('echo', { echoCredentials: { status: 400 } });
    server.script('echo-auth', { echoCredentials: { status: 401 } });
  });
  after(() => server.close());

  it('never puts the key into the error message', async () => {
    const key = 'gw-7c1d2e3f4a5b6c7d8e9f';
    const gateway = await createGateway([endpoint(server.baseUrl, ['echo', 'echo-auth'], { provider: 'openai', apiKeyEnv: 'HOSTILE_KEY' })], {
      env: { HOSTILE_KEY: key },
    });
    for (const model of ['echo', 'echo-auth']) {
      await assert.rejects(gateway.chat(request(model), () => {}, signal), (e: unknown) => {
        assert.ok(e instanceof LlmError);
        assert.ok(!e.message.includes(key), e.message);
        assert.match(e.message, /Authorization: Bearer \[redacted\]/, 'the echo is there, without the key');
        return true;
      });
    }
  });

  it('never puts credentials of the base URL into the error message', async () => {
    const withCredentials = server.baseUrl.replace('http://', 'http://alice:pa55-w0rd-XYZ@');
    const gateway = await createGateway([endpoint(withCredentials, ['echo'])]);
    await assert.rejects(gateway.chat(request('echo'), () => {}, signal), (e: unknown) => {
      assert.ok(e instanceof LlmError);
      assert.ok(!e.message.includes('pa55-w0rd-XYZ'), e.message);
      assert.ok(!e.message.includes('alice'), e.message);
      return true;
    });
  });
});

describe('a malformed stream line', () => {
  it('becomes a protocol error, and the SDK prints nothing on stderr', async () => {
    const server = await startLoopbackUpstream();
    try {
      server.script('bad', { reply: 'one two three', malformedAfterChunks: 1 });
      const gateway = await createGateway([endpoint(server.baseUrl, ['bad'])]);
      const { error, stderr } = await capturingStderr(() => gateway.chat(request('bad'), () => {}, signal));
      assert.ok(error instanceof LlmError && error.kind === 'protocol', String(error));
      assert.equal(stderr, '');
    } finally {
      await server.close();
    }
  });
});

describe('a long Retry-After', () => {
  let server: LoopbackUpstream;
  let gateway: OpenAiGateway;
  before(async () => {
    server = await startLoopbackUpstream();
    gateway = await createGateway([endpoint(server.baseUrl, ['slow-down', 'go-away', 'short'])]);
  });
  after(() => server.close());

  it('is announced with its time as a wait delta, and a cancel during it ends the call within a second', async () => {
    server.script('slow-down', { rateLimit: { times: 1, retryAfter: '120' } });
    const deltas: ChatDelta[] = [];
    const ctrl = new AbortController();
    const pending = gateway.chat(request('slow-down'), (d) => {
      deltas.push(d);
      if (d.kind === 'wait') setTimeout(() => ctrl.abort(), 50);
    }, ctrl.signal);
    const t0 = Date.now();
    await assert.rejects(pending, (e: unknown) => e instanceof LlmError && e.kind === 'cancelled');
    const afterCancel = Date.now() - t0;
    assert.ok(afterCancel < 1000, `ended ${afterCancel} ms after the wait began`);
    assert.deepEqual(deltas, [{ kind: 'wait', ms: 120_000, reason: 'rate limited (HTTP 429), as the server asked (Retry-After), retry 1 of 3' }]);
    assert.equal(server.requests.filter((r) => r.model === 'slow-down').length, 1);
  });

  it('announces each backoff wait before a retry that then succeeds', async () => {
    server.script('short', { reply: 'done', rateLimit: { times: 1, retryAfter: '0.2' } });
    const deltas: ChatDelta[] = [];
    const result = await gateway.chat(request('short'), (d) => deltas.push(d), signal);
    assert.equal(result.text, 'done');
    assert.deepEqual(deltas[0], { kind: 'wait', ms: 200, reason: 'rate limited (HTTP 429), as the server asked (Retry-After), retry 1 of 3' });
  });

  it('longer than the 10-minute cap is not retried early: the call gives up saying how long the server asked for', async () => {
    server.script('go-away', { rateLimit: { times: 5, retryAfter: '7200' } });
    const deltas: ChatDelta[] = [];
    const t0 = Date.now();
    await assert.rejects(gateway.chat(request('go-away'), (d) => deltas.push(d), signal), (e: unknown) => {
      assert.ok(e instanceof LlmError);
      assert.equal(e.kind, 'rate-limit');
      assert.match(e.message, /rate limited \(HTTP 429\).*\(the server asks to wait 2 h, longer than the 10 min SMCS waits\)/);
      return true;
    });
    assert.ok(Date.now() - t0 < 1000);
    assert.deepEqual(deltas, []);
  });
});
