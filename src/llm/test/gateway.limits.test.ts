/**
 * The bounds of every call against hostile loopback servers, through the real openai SDK: a stream that never ends
 * is stopped at our output ceiling or at `maxCallMs` with what arrived (an error naming the model and the limit when no
 * answer had begun; retries and their waits included); a stream line too long to buffer is refused; garbage is called invalid JSON.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LlmError } from '../errors';
import { createGateway } from '../gateway';
import { outputCeiling } from '../limits';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { chatRequest, deltaCollector, loopbackEndpoint, parsedEndpoint } from '../../../test/fixtures/gatewayData';

const signal = new AbortController().signal;
let server: LoopbackUpstream;

before(async () => {
  server = await startLoopbackUpstream();
});
after(() => server.close());

const gatewayFor = (models: string[], extra: Parameters<typeof loopbackEndpoint>[2] = {}) => createGateway([loopbackEndpoint(server.baseUrl, models, { timeoutMs: 1000, maxCallMs: 1000, ...extra })], { retry: { maxAttempts: 1 } });

/** The most the loopback server may take to see the gateway close a stream it stopped: a loaded machine is slow, an open stream never closes. */
const CLOSE_SEEN_MS = 5000;

/** Fails unless the loopback server sees the client close `model`'s latest stream within CLOSE_SEEN_MS. */
async function closedByClient(model: string): Promise<void> {
  const closed = (): boolean => server.requests.filter((r) => r.model === model).at(-1)?.clientClosedAt !== undefined;
  const deadline = Date.now() + CLOSE_SEEN_MS;
  while (!closed() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(closed(), `the upstream stream of ${model} is still open ${CLOSE_SEEN_MS} ms after the reply ended`);
}

describe('a stream that never ends', () => {
  it('is stopped past 4 × max_tokens: the reply keeps what arrived, is cut at `length`, and the connection is closed', async () => {
    server.script('runaway', { endless: true, floodChunkBytes: 30 });
    // The flood shares the event loop with the gateway: on a loaded machine a second can pass between reads, and no
    // test here is about the no-data timeout.
    const gateway = await gatewayFor(['runaway'], { timeoutMs: 5000, maxCallMs: 10_000 });
    const deltas = deltaCollector();
    const result = await gateway.chat(chatRequest('runaway', { maxTokens: 16 }), deltas.onDelta, signal);
    assert.equal(result.finishReason, 'length');
    assert.equal(result.stopped?.limit, 'maxTokens');
    assert.ok((result.stopped?.tokens ?? 0) > outputCeiling(16), JSON.stringify(result.stopped));
    assert.equal(result.text, deltas.joined('text'));
    assert.equal(result.text.length, (result.stopped?.tokens ?? 0) * 3);
    await closedByClient('runaway');
  });

  it('that sends too little to reach the ceiling ends at maxCallMs, its answer kept as far as it got, the connection closed', async () => {
    server.script('trickle', { endless: true, floodChunkBytes: 1, chunkDelayMs: 50 });
    const gateway = await gatewayFor(['trickle']);
    const deltas = deltaCollector();
    const started = Date.now();
    const result = await gateway.chat(chatRequest('trickle'), deltas.onDelta, signal);
    const took = Date.now() - started;
    assert.ok(took >= 1000 && took < 4000, `ended after ${took} ms`);
    assert.equal(result.stopped?.limit, 'maxCallMs');
    assert.ok((result.stopped?.ms ?? 0) >= 1000 && (result.stopped?.ms ?? 0) < 4000, JSON.stringify(result.stopped));
    assert.ok(result.text.length > 5, `kept ${JSON.stringify(result.text)}`);
    assert.equal(result.text, deltas.joined('text'), 'what streamed is what is kept');
    assert.equal(result.stopped?.tokens, Math.ceil(result.text.length / 3));
    await closedByClient('trickle');
  });

  it('that only reasons until maxCallMs has no answer to keep: an error naming the model and the limit', async () => {
    server.script('pondering', { reasoning: 'hmm '.repeat(2000), reply: 'late', chunkDelayMs: 20 });
    const gateway = await gatewayFor(['pondering']);
    const started = Date.now();
    await assert.rejects(gateway.chat(chatRequest('pondering'), () => undefined, signal), (e: unknown) => {
      assert.ok(e instanceof LlmError, String(e));
      assert.equal(e.kind, 'timeout');
      assert.match(e.message, /^endpoint local, model pondering: no complete reply within 1000 ms, the most one call may take \(maxCallMs of endpoint local\)/);
      return true;
    });
    assert.ok(Date.now() - started < 4000, `ended after ${Date.now() - started} ms`);
  });

  it('relayed as it came, is stopped past 4 × the body\'s max_tokens (or the configured budget): it ends cut at `length`, then [DONE]', async () => {
    server.script('runaway', { endless: true, floodChunkBytes: 30 });
    const gateway = await gatewayFor(['runaway'], { timeoutMs: 5000, maxCallMs: 60_000 });
    for (const [body, budget] of [[{ max_tokens: 16 }, 16], [{ max_completion_tokens: 20 }, 20], [{}, 40]] as const) {
      const started = Date.now();
      const reply = await gateway.relay('runaway', { messages: [{ role: 'user', content: 'Say something.' }], stream: true, ...body }, 40, signal);
      assert.ok(reply.ok);
      let text = '';
      for await (const piece of reply.body) text += Buffer.from(piece).toString('utf8');
      const events = text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
      assert.equal(events.at(-1), '[DONE]');
      const last = JSON.parse(events.at(-2) ?? '{}') as { id: string; choices: { finish_reason: string }[] };
      assert.deepEqual([last.id, last.choices[0]?.finish_reason], ['chatcmpl-flood', 'length']);
      const content = events.slice(0, -2).map((e) => (JSON.parse(e) as { choices: { delta: { content: string } }[] }).choices[0]?.delta.content ?? '').join('');
      // Pieces of 30 characters (10 estimated tokens): the one that went past the ceiling is the last relayed.
      assert.equal(content.length / 3, (Math.floor(outputCeiling(budget) / 10) + 1) * 10, `${JSON.stringify(body)}: relayed ${content.length} characters`);
      const outcome = await reply.outcome;
      assert.equal(outcome.stoppedAtTokens, content.length / 3);
      assert.equal(outcome.usage?.completionTokens, content.length / 3, 'the usage the server never sent is estimated');
      assert.ok(Date.now() - started < 5000, `ended after ${Date.now() - started} ms`);
      await closedByClient('runaway');
    }
  });

  it('maxCallMs counts the retries and their waits too', async () => {
    server.script('failing', { serverError: { times: 100 } });
    const gateway = await createGateway([loopbackEndpoint(server.baseUrl, ['failing'], { timeoutMs: 1000, maxCallMs: 1000 })], { retry: { maxAttempts: 10, baseDelayMs: 400, maxDelayMs: 400 }, env: {} });
    const started = Date.now();
    await assert.rejects(gateway.chat(chatRequest('failing'), () => undefined, signal), (e: unknown) => e instanceof LlmError && e.kind === 'timeout' && /maxCallMs/.test(e.message));
    assert.ok(Date.now() - started < 4000, `ended after ${Date.now() - started} ms`);
  });
});

describe('replies too large to read, and garbage', () => {
  it('a stream line longer than 8 MB is refused, not buffered', async () => {
    server.script('longline', { hugeReply: { bytes: 9 * 1024 * 1024 }, floodChunkBytes: 9 * 1024 * 1024 });
    const gateway = await gatewayFor(['longline'], { timeoutMs: 20_000, maxCallMs: 20_000 });
    await assert.rejects(gateway.chat(chatRequest('longline'), () => undefined, signal), (e: unknown) => {
      assert.ok(e instanceof LlmError, String(e));
      assert.equal(e.kind, 'protocol');
      assert.match(e.message, /the server sent a stream line longer than 8 MB, which SMCS does not read/);
      return true;
    });
  });

  it('a JSON document where a stream was asked for, or a stream of broken JSON, is invalid JSON — not a lost connection', async () => {
    server.script('json', { garbage: 'json' });
    server.script('stream', { garbage: 'stream' });
    const gateway = await gatewayFor(['json', 'stream']);
    for (const [model, said] of [
      ['json', /model json: the server returned invalid JSON where an event stream was expected/],
      ['stream', /model stream: the server returned invalid JSON in a stream line/],
    ] as const) {
      await assert.rejects(gateway.chat(chatRequest(model), () => undefined, signal), (e: unknown) => {
        assert.ok(e instanceof LlmError && e.kind === 'protocol', String(e));
        assert.match(e.message, said);
        assert.doesNotMatch(e.message, /connection lost/);
        return true;
      });
    }
  });
});

it('the config takes maxCallMs and maxReplyBytes per endpoint, and refuses nonsense naming the field', () => {
  assert.deepEqual([parsedEndpoint({ maxCallMs: 60_000 }).maxCallMs, parsedEndpoint({ maxReplyBytes: 4096 }).maxReplyBytes], [60_000, 4096]);
  assert.equal(parsedEndpoint({}).maxCallMs, undefined);
  assert.throws(() => parsedEndpoint({ maxCallMs: 10 }), /endpoints\[e\]\.maxCallMs/);
  assert.throws(() => parsedEndpoint({ maxReplyBytes: 1.5 }), /endpoints\[e\]\.maxReplyBytes/);
});
