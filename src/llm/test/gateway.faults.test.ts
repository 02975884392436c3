/** Faults through the real openai SDK against the loopback fake server: retry, timeout, abort, reset, limits. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EndpointConfig } from '../../core/contracts/config';
import type { ChatDelta } from '../../core/contracts/types';
import { LlmError } from '../errors';
import { createGateway, type OpenAiGateway } from '../gateway';
import { startLoopbackUpstream, type LoopbackUpstream, type RecordedRequest } from '../../../test/fixtures/loopbackUpstream';
import { chatRequest as request, loopbackEndpoint } from '../../../test/fixtures/gatewayData';

/** Endpoint `local` with a short timeout, so hangs fail fast. */
const endpoint = (baseUrl: string, models: string[], extra: Partial<EndpointConfig> = {}) => loopbackEndpoint(baseUrl, models, { timeoutMs: 400, ...extra });

const callsOf = (server: LoopbackUpstream, model: string): RecordedRequest[] => server.requests.filter((r) => r.model === model);

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  return check();
}

describe('retries', () => {
  let server: LoopbackUpstream;
  let gateway: OpenAiGateway;
  const signal = new AbortController().signal;
  before(async () => {
    server = await startLoopbackUpstream();
    gateway = await createGateway([endpoint(server.baseUrl, ['limited', 'flaky', 'broken', 'nohint'], { timeoutMs: 2000 })], {
      retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 },
    });
  });
  after(() => server.close());

  it('waits at least Retry-After after a 429, then succeeds', async () => {
    server.script('limited', { reply: 'finally', rateLimit: { times: 1, retryAfter: '1' } });
    const result = await gateway.chat(request('limited'), () => {}, signal);
    assert.equal(result.text, 'finally');
    const [first, second] = callsOf(server, 'limited');
    assert.ok(second!.receivedAt - first!.receivedAt >= 1000, `retried after ${second!.receivedAt - first!.receivedAt} ms`);
  });

  it('retries a 429 without Retry-After with backoff', async () => {
    server.script('nohint', { reply: 'ok', rateLimit: { times: 2, retryAfter: null } });
    assert.equal((await gateway.chat(request('nohint'), () => {}, signal)).text, 'ok');
    assert.equal(callsOf(server, 'nohint').length, 3);
  });

  it('retries 500s and succeeds when the server recovers', async () => {
    server.script('flaky', { reply: 'recovered', serverError: { times: 2 } });
    assert.equal((await gateway.chat(request('flaky'), () => {}, signal)).text, 'recovered');
    assert.equal(callsOf(server, 'flaky').length, 3);
  });

  it('gives up after the attempt limit with a clear error', async () => {
    server.script('broken', { serverError: { times: 100 } });
    await assert.rejects(
      gateway.chat(request('broken'), () => {}, signal),
      (e: unknown) =>
        e instanceof LlmError && e.kind === 'server' && e.attempts === 4 && /^endpoint local, model broken: server error \(HTTP 500\).*gave up after 4 attempts/.test(e.message),
    );
    assert.equal(callsOf(server, 'broken').length, 4);
  });
});

describe('timeouts, aborts and resets', () => {
  let server: LoopbackUpstream;
  let gateway: OpenAiGateway;
  const signal = new AbortController().signal;
  before(async () => {
    server = await startLoopbackUpstream();
    gateway = await createGateway([endpoint(server.baseUrl, ['hang', 'slow', 'steady', 'long'])], {
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    });
  });
  after(() => server.close());

  it('turns a hang into a timeout error naming endpoint, model and duration, and closes the socket', async () => {
    server.script('hang', { hang: true });
    const t0 = Date.now();
    await assert.rejects(
      gateway.chat(request('hang'), () => {}, signal),
      (e: unknown) => e instanceof LlmError && e.kind === 'timeout' && /endpoint local, model hang: timed out after 400 ms/.test(e.message),
    );
    assert.ok(Date.now() - t0 < 1500);
    assert.equal(callsOf(server, 'hang').length, 1);
    assert.ok(await until(() => callsOf(server, 'hang')[0]!.clientClosedAt !== undefined, 500), 'server saw the socket close');
  });

  it('times out a stream that stalls after it started', async () => {
    server.script('slow', { reply: 'a b', chunkDelayMs: 1000 });
    await assert.rejects(gateway.chat(request('slow'), () => {}, signal), (e: unknown) => e instanceof LlmError && e.kind === 'timeout');
  });

  it('is an inactivity timeout: a stream that keeps sending outlives timeoutMs', async () => {
    server.script('steady', { reply: 'one two three four five six', chunkDelayMs: 120 });
    const t0 = Date.now();
    const result = await gateway.chat(request('steady'), () => {}, signal);
    assert.ok(Date.now() - t0 > 400);
    assert.equal(result.text, 'one two three four five six');
  });

  it('aborts mid-stream at once with an AbortError, no delta after it, and the server sees the socket closed', async () => {
    // 40 words 60 ms apart: the stream would go on for over two seconds.
    server.script('long', { reply: Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '), chunkDelayMs: 60 });
    const ctrl = new AbortController();
    const deltas: ChatDelta[] = [];
    let abortedAt = 0;
    const pending = gateway.chat(
      request('long'),
      (d) => {
        deltas.push(d);
        if (deltas.length === 3) {
          abortedAt = Date.now();
          ctrl.abort();
        }
      },
      ctrl.signal,
    );
    await assert.rejects(pending, (e: unknown) => e instanceof LlmError && e.name === 'AbortError' && e.kind === 'cancelled');
    assert.ok(Date.now() - abortedAt < 1000, `rejected ${Date.now() - abortedAt} ms after abort`);
    assert.equal(deltas.length, 3);
    const rec = callsOf(server, 'long')[0]!;
    assert.ok(await until(() => rec.clientClosedAt !== undefined, 1000), 'server saw the socket close');
    assert.equal(rec.completedAt, undefined);
  });

  it('a reply the caller stopped after it began names how long its upstream writes on after the close (cutTailMs: 2 s by default, 0 for vllm); one whose connection was lost names none', async () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    server.script('long', { reply: words, chunkDelayMs: 30 });
    /** The error of a chat of `long` on `extra`'s endpoint, stopped by the caller after three deltas. */
    const stopped = async (extra: Partial<EndpointConfig>): Promise<LlmError> => {
      const g = await createGateway([endpoint(server.baseUrl, ['long', 'lost'], extra)], { retry: { maxAttempts: 1 }, secrets: { apiKey: async () => 'upstream-key' } });
      const ctrl = new AbortController();
      let deltas = 0;
      const err = await g.chat(request('long'), () => void (++deltas === 3 && ctrl.abort()), ctrl.signal).then(
        () => assert.fail('stopped'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof LlmError && err.kind === 'cancelled', String(err));
      return err;
    };
    assert.equal((await stopped({ provider: 'openai' })).writesOnMs, 2000);
    assert.equal((await stopped({ provider: 'vllm' })).writesOnMs, 0);
    assert.equal((await stopped({ provider: 'openai', cutTailMs: 750 })).writesOnMs, 750);
    // Stopped before the first delta: nothing was written, nothing to count.
    const early = new AbortController();
    const g = await createGateway([endpoint(server.baseUrl, ['long', 'lost'], { provider: 'openai' })], { retry: { maxAttempts: 1 }, secrets: { apiKey: async () => 'upstream-key' } });
    setTimeout(() => early.abort(), 5);
    const before = await g.chat(request('long'), () => undefined, early.signal).catch((e: unknown) => e);
    assert.ok(before instanceof LlmError && before.writesOnMs === undefined, String(before));
    // The upstream went away mid-reply: it wrote nothing more.
    server.script('lost', { reply: words, chunkDelayMs: 10, reset: { afterChunks: 5, times: 1 } });
    const lost = await g.chat(request('lost'), () => undefined, signal).catch((e: unknown) => e);
    assert.ok(lost instanceof LlmError && lost.kind === 'connection' && lost.writesOnMs === undefined, String(lost));
  });

  it('aborts while waiting for the first byte', async () => {
    server.script('slow', { firstByteDelayMs: 5000 });
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 50);
    // An abort, not the inactivity timeout (400 ms) nor the first byte (5 s): the call ended on the signal.
    await assert.rejects(gateway.chat(request('slow'), () => {}, ctrl.signal), { name: 'AbortError' });
  });
});

// Resets with a generous inactivity limit: the short one above is for the hang tests, and a loaded machine can pause a
// reconnect that long.
describe('resets', () => {
  let server: LoopbackUpstream;
  let gateway: OpenAiGateway;
  const signal = new AbortController().signal;
  before(async () => {
    server = await startLoopbackUpstream();
    gateway = await createGateway([endpoint(server.baseUrl, ['reset0', 'reset2'], { timeoutMs: 10_000 })], {
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    });
  });
  after(() => server.close());

  it('retries a connection reset before the first delta', async () => {
    server.script('reset0', { reply: 'after reset', reset: { afterChunks: 0, times: 1 } });
    assert.equal((await gateway.chat(request('reset0'), () => {}, signal)).text, 'after reset');
    assert.equal(callsOf(server, 'reset0').length, 2);
  });

  it('does not retry a reset after deltas were emitted: connection error', async () => {
    server.script('reset2', { reply: 'one two three four', reset: { afterChunks: 2, times: 1 } });
    const deltas: ChatDelta[] = [];
    await assert.rejects(
      gateway.chat(request('reset2'), (d) => deltas.push(d), signal),
      (e: unknown) => e instanceof LlmError && e.kind === 'connection' && /endpoint local, model reset2: connection lost/.test(e.message),
    );
    assert.equal(deltas.map((d) => (d.kind === 'wait' ? '' : d.text)).join(''), 'one two ');
    assert.equal(callsOf(server, 'reset2').length, 1);
  });
});

describe('truncated streams', () => {
  it('treats a stream that ends without a finish reason as a lost connection', async () => {
    const server = await startLoopbackUpstream();
    try {
      const gateway = await createGateway([endpoint(server.baseUrl, ['cut', 'cut0'])], { retry: { maxAttempts: 2, baseDelayMs: 5 } });
      server.script('cut', { reply: 'one two three four', truncateAfterChunks: 2 });
      server.script('cut0', { reply: 'one two', truncateAfterChunks: 0 });
      const signal = new AbortController().signal;
      await assert.rejects(
        gateway.chat(request('cut'), () => {}, signal),
        (e: unknown) => e instanceof LlmError && e.kind === 'connection' && /model cut: connection lost: the stream ended before the reply was complete/.test(e.message),
      );
      assert.equal(callsOf(server, 'cut').length, 1);
      await assert.rejects(gateway.chat(request('cut0'), () => {}, signal), (e: unknown) => e instanceof LlmError && e.attempts === 2);
      assert.equal(callsOf(server, 'cut0').length, 2);
    } finally {
      await server.close();
    }
  });
});

describe('limits and unreachable endpoints', () => {
  it('keeps at most maxConcurrency requests in flight per endpoint; a queued call aborts promptly', async () => {
    const server = await startLoopbackUpstream();
    try {
      const gateway = await createGateway([endpoint(server.baseUrl, ['busy'], { maxConcurrency: 2, timeoutMs: 2000 })]);
      server.script('busy', { reply: 'done', firstByteDelayMs: 500 });
      const signal = new AbortController().signal;
      const queued = new AbortController();
      let finished = 0;
      const calls = Array.from({ length: 6 }, () => gateway.chat(request('busy'), () => {}, signal).finally(() => finished++));
      const abandoned = gateway.chat(request('busy'), () => {}, queued.signal);
      queued.abort();
      await assert.rejects(abandoned, { name: 'AbortError' });
      // Promptly: it did not wait for a slot, which frees only when the first of the busy calls ends.
      assert.equal(finished, 0);
      const results = await Promise.all(calls);
      assert.deepEqual(results.map((r) => r.text), Array(6).fill('done'));
      assert.equal(server.inFlight('busy').max, 2);
      assert.equal(callsOf(server, 'busy').length, 6);
      assert.equal(gateway.endpoint('local').inFlight, 0);
    } finally {
      await server.close();
    }
  });

  it('retries a refused connection and then names the endpoint', async () => {
    const gone = await startLoopbackUpstream();
    await gone.close();
    const gateway = await createGateway([endpoint(gone.baseUrl, ['m'])], { retry: { maxAttempts: 2, baseDelayMs: 5 }, log: () => {} });
    await assert.rejects(
      gateway.chat(request('m'), () => {}, new AbortController().signal),
      (e: unknown) => e instanceof LlmError && e.kind === 'connection' && e.attempts === 2 && /^endpoint local, model m: connection failed/.test(e.message),
    );
  });
});
