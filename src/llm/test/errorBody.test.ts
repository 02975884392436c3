/**
 * What an endpoint's failure says (issue 37 item 5): the message of an error body of any shape, never its JSON; a
 * closed port and an unknown host are connection failures of the endpoint they happened at. Through the real openai
 * SDK against the loopback upstream.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, test } from 'node:test';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { errorEndpoint, errorKind } from '../../core/contracts/errors';
import { LlmError } from '../errors';
import { errorBodyMessage } from '../errorBody';
import { createGateway, type OpenAiGateway } from '../gateway';
import { discoverModels } from '../discovery';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { chatRequest, loopbackEndpoint } from '../../../test/fixtures/gatewayData';

test('the message of an error body, whatever shape the server gave it; undefined when it names none', () => {
  assert.equal(errorBodyMessage({ error: { message: 'no healthy upstream', type: 'bad_gateway', code: 502 } }), 'no healthy upstream');
  assert.equal(errorBodyMessage({ error: 'Bad Gateway' }), 'Bad Gateway');
  assert.equal(errorBodyMessage({ object: 'error', message: 'model worker offline', code: 502 }), 'model worker offline');
  assert.equal(errorBodyMessage({ detail: 'Bad gateway: worker offline' }), 'Bad gateway: worker offline');
  assert.equal(errorBodyMessage({ detail: [{ loc: ['body', 'model'], msg: 'field required' }, { msg: 'bad value' }] }), 'field required; bad value');
  assert.equal(errorBodyMessage({ error: { code: 502, detail: 'upstream timed out' } }), 'upstream timed out');
  assert.equal(errorBodyMessage({ error: { code: 502 } }), undefined);
  assert.equal(errorBodyMessage([1, 2]), undefined);
});

/** A port nothing listens on: bound once to learn a free one, then closed. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const signal = new AbortController().signal;

async function failure(gateway: OpenAiGateway, model: string): Promise<LlmError> {
  const err = await gateway.chat(chatRequest(model), () => {}, signal).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof LlmError, `expected an LlmError, got ${String(err)}`);
  return err;
}

describe('a 502 from an upstream, as proxies and servers word it', () => {
  let server: LoopbackUpstream;
  let gateway: OpenAiGateway;
  before(async () => {
    server = await startLoopbackUpstream();
    gateway = await createGateway([loopbackEndpoint(server.baseUrl, ['openai', 'fastapi', 'bare', 'nomessage', 'vllm-old'])], { retry: { maxAttempts: 1 } });
    server.script('openai', { fail: { status: 502, message: 'upstream connect error: no healthy upstream' } });
    server.script('fastapi', { fail: { status: 502, message: '', body: { detail: 'Bad gateway: model worker offline' } } });
    server.script('bare', { fail: { status: 502, message: '', body: { error: 'Bad Gateway' } } });
    server.script('nomessage', { fail: { status: 502, message: '', body: { error: { code: 502, type: 'upstream_error' } } } });
    server.script('vllm-old', { fail: { status: 503, message: '', body: { object: 'error', message: 'The model is loading', type: 'ServiceUnavailable', code: 503 } } });
  });
  after(() => server.close());

  for (const [model, said] of [
    ['openai', 'upstream connect error: no healthy upstream'],
    ['fastapi', 'Bad gateway: model worker offline'],
    ['bare', 'Bad Gateway'],
    ['vllm-old', 'The model is loading'],
  ] as const) {
    it(`${model}: a server error of endpoint local that quotes the body's message, not its JSON`, async () => {
      const err = await failure(gateway, model);
      assert.equal(err.kind, 'server');
      assert.equal(errorEndpoint(err), 'local');
      assert.ok(err.message.includes(`(HTTP ${model === 'vllm-old' ? 503 : 502}): ${said}`), err.message);
      assert.doesNotMatch(err.message, /[{}"]|no body/);
    });
  }

  it('a body that names no message says the status, not raw JSON or "no body"', async () => {
    const err = await failure(gateway, 'nomessage');
    assert.equal(err.kind, 'server');
    assert.match(err.message, /\(HTTP 502\): Bad Gateway\b/);
    assert.doesNotMatch(err.message, /[{}"]|no body/);
  });

  it('Add vLLM Server and Test Connection read a failed model list the same way: its message, never its JSON', async () => {
    const proxy = createHttpServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: 'Bad gateway: model worker offline' }));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = proxy.address() as { port: number };
      await assert.rejects(discoverModels(`http://127.0.0.1:${port}/v1`, undefined, signal), (e: unknown) => {
        assert.equal(errorKind(e), 'server');
        assert.match((e as Error).message, /HTTP 502 Bad gateway: model worker offline$/);
        return true;
      });
      await assert.rejects(discoverModels(`http://127.0.0.1:${await closedPort()}/v1`, undefined, signal), (e: unknown) => errorKind(e) === 'connection');
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});

describe('an endpoint that cannot be reached', () => {
  it('a closed port is a connection failure of that endpoint, naming its address', async () => {
    const port = await closedPort();
    const gateway = await createGateway([{ ...loopbackEndpoint(`http://127.0.0.1:${port}/v1`, ['m']), id: 'gpu-box' }], { retry: { maxAttempts: 1 } });
    const err = await failure(gateway, 'm');
    assert.equal(err.kind, 'connection');
    assert.equal(errorEndpoint(err), 'gpu-box');
    assert.match(err.message, new RegExp(`^endpoint gpu-box, model m: connection failed: .*127\\.0\\.0\\.1:${port}`));
  });

  it('a host name that does not resolve is a connection failure too', async () => {
    const gateway = await createGateway([{ ...loopbackEndpoint('http://smcs-no-such-host.invalid:8000/v1', ['m']), id: 'lab' }], { retry: { maxAttempts: 1 } });
    const err = await failure(gateway, 'm');
    assert.equal(err.kind, 'connection');
    assert.equal(errorEndpoint(err), 'lab');
    assert.match(err.message, /smcs-no-such-host\.invalid/);
  });
});
