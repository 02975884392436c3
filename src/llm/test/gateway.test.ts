/** Streaming chat through the real openai SDK against the loopback fake server. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EndpointConfig } from '../../core/contracts/config';
import type { ChatRequest } from '../../core/contracts/types';
import { LlmError } from '../errors';
import { createGateway, type OpenAiGateway } from '../gateway';
import { loopbackLogprob, loopbackTokens } from '../../bench/benchUpstream';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { deltaCollector as collect } from '../../../test/fixtures/gatewayData';

const request = (model: string, logprobs = true): ChatRequest => ({
  model,
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'What is 2+2?' },
  ],
  temperature: 0.7,
  maxTokens: 64,
  presencePenalty: 1.05,
  logprobs,
});


describe('streaming chat', () => {
  let server: LoopbackUpstream;
  let gateway: OpenAiGateway;
  const signal = new AbortController().signal;

  before(async () => {
    server = await startLoopbackUpstream({ models: [{ id: 'plain', contextLength: 4096, pricing: { prompt: 0.000001, completion: 0.000002 } }] });
    const endpoint: EndpointConfig = {
      id: 'or',
      provider: 'openrouter',
      baseUrl: server.baseUrl,
      models: [{ id: 'plain' }, { id: 'vllm-r' }, { id: 'or-r' }, { id: 'think' }, { id: 'nolp' }, { id: 'somelp' }, { id: 'nousage' }, { id: 'ka' }, { id: 'bad' }, { id: 'refused' }, { id: 'locked' }],
      apiKeyEnv: 'FAKE_OR_KEY',
      headers: { 'X-Extra': 'yes' },
      maxConcurrency: 8,
      timeoutMs: 5000,
    };
    gateway = await createGateway([endpoint], { env: { FAKE_OR_KEY: 'sk-test-123' }, retry: { baseDelayMs: 5, maxDelayMs: 20 } });
  });
  after(() => server.close());

  it('streams answer deltas in order, sends the parameters, key and OpenRouter headers, and prices the usage', async () => {
    const reply = 'Four is the answer to that.';
    server.script('plain', { reply, chunkDelayMs: 2 });
    const c = collect();
    const result = await gateway.chat(request('plain'), c.onDelta, signal);
    assert.deepEqual(c.deltas.map((d) => d.text), loopbackTokens(reply));
    assert.equal(result.text, reply);
    assert.equal(result.reasoning, '');
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.tokenLogprobs, loopbackTokens(reply).map((t, i) => loopbackLogprob(t, i)));
    assert.equal(result.usageEstimated, false);
    assert.equal(result.usage.completionTokens, loopbackTokens(reply).length);
    assert.ok(result.usage.promptTokens > 0);
    assert.equal(gateway.contextWindow('plain'), 4096);
    assert.ok(Math.abs(result.costUsd! - (result.usage.promptTokens * 0.000001 + result.usage.completionTokens * 0.000002)) < 1e-12);
    const rec = server.requests.find((r) => r.model === 'plain')!;
    assert.equal(rec.body.stream, true);
    assert.deepEqual(rec.body.stream_options, { include_usage: true });
    assert.equal(rec.body.logprobs, true);
    assert.equal(rec.body.temperature, 0.7);
    assert.equal(rec.body.max_tokens, 64);
    assert.equal(rec.body.presence_penalty, 1.05);
    assert.ok(server.sentKey(rec, 'sk-test-123'));
    assert.ok(!server.sentKey(rec, 'sk-other'));
    assert.equal(rec.headers['http-referer'], 'https://marketplace.visualstudio.com/items?itemName=smcs.smcs');
    assert.equal(rec.headers['x-title'], 'SMCS for VS Code');
    assert.equal(rec.headers['x-extra'], 'yes');
  });

  it('keeps vLLM reasoning_content and OpenRouter reasoning apart from the answer', async () => {
    for (const [model, field] of [
      ['vllm-r', 'reasoning_content'],
      ['or-r', 'reasoning'],
    ] as const) {
      server.script(model, { reply: 'Answer: 4', reasoning: 'two plus two is four', reasoningField: field });
      const c = collect();
      const result = await gateway.chat(request(model), c.onDelta, signal);
      assert.equal(result.text, 'Answer: 4', model);
      assert.equal(result.reasoning, 'two plus two is four', model);
      assert.equal(c.joined('reasoning'), 'two plus two is four');
      assert.equal(c.joined('text'), 'Answer: 4');
      assert.deepEqual(result.tokenLogprobs, loopbackTokens('Answer: 4').map((t, i) => loopbackLogprob(t, i)));
    }
  });

  it('splits <think> blocks out of the content, tags split across chunks, and drops their log-probs', async () => {
    const chunks = ['<th', 'ink>add ', 'them</th', 'ink>', 'It is ', '4'];
    server.script('think', { chunks });
    const c = collect();
    const result = await gateway.chat(request('think'), c.onDelta, signal);
    assert.equal(result.text, 'It is 4');
    assert.equal(result.reasoning, 'add them');
    assert.equal(c.joined('text'), 'It is 4');
    assert.deepEqual(result.tokenLogprobs, [loopbackLogprob('It is ', 4), loopbackLogprob('4', 5)]);
  });

  it('records log-probs a provider omits as missing (null), never zeros', async () => {
    server.script('nolp', { reply: 'no log probs here', omitLogprobs: 'all' });
    server.script('somelp', { reply: 'only some log probs here', omitLogprobs: 'some' });
    assert.equal((await gateway.chat(request('nolp'), () => {}, signal)).tokenLogprobs, null);
    const some = await gateway.chat(request('somelp'), () => {}, signal);
    assert.equal(some.text, 'only some log probs here');
    assert.equal(some.tokenLogprobs, null);
    server.script('plain', { reply: 'not asked' });
    const notAsked = await gateway.chat(request('plain', false), () => {}, signal);
    assert.equal(notAsked.tokenLogprobs, null);
    assert.equal(server.requests.at(-1)!.body.logprobs, undefined);
  });

  it('estimates usage (flagged) when the final usage chunk is absent', async () => {
    server.script('nousage', { reply: 'x'.repeat(40), omitUsage: true });
    const result = await gateway.chat(request('nousage'), () => {}, signal);
    assert.equal(result.usageEstimated, true);
    // core/util/tokens: 3 characters a token, and 4 tokens a message.
    assert.equal(result.usage.completionTokens, 14);
    assert.equal(result.usage.promptTokens, Math.ceil('Be brief.'.length / 3) + 4 + Math.ceil('What is 2+2?'.length / 3) + 4);
  });

  it('ignores OpenRouter keep-alive comment lines', async () => {
    server.script('ka', { reply: 'kept alive fine', keepAlive: 3 });
    const c = collect();
    const result = await gateway.chat(request('ka'), c.onDelta, signal);
    assert.equal(result.text, 'kept alive fine');
    assert.equal(c.deltas.length, 3);
  });

  it('fails a malformed SSE line with a clear protocol error, without retrying', async () => {
    server.script('bad', { reply: 'one two three', malformedAfterChunks: 1 });
    const before = server.requests.filter((r) => r.model === 'bad').length;
    await assert.rejects(
      gateway.chat(request('bad'), () => {}, signal),
      (e: unknown) => e instanceof LlmError && e.kind === 'protocol' && /endpoint or, model bad: the server returned invalid JSON in a stream line/.test(e.message),
    );
    assert.equal(server.requests.filter((r) => r.model === 'bad').length - before, 1);
  });

  it('does not retry a 4xx and reports the server message', async () => {
    server.script('refused', { fail: { status: 400, message: 'max_tokens too large' } });
    await assert.rejects(
      gateway.chat(request('refused'), () => {}, signal),
      (e: unknown) => e instanceof LlmError && e.kind === 'http' && e.status === 400 && /request refused \(HTTP 400\).*max_tokens too large/.test(e.message),
    );
    assert.equal(server.requests.filter((r) => r.model === 'refused').length, 1);
  });

  it('reports a rejected key as kind auth, naming the endpoint and what to do', async () => {
    server.script('locked', { fail: { status: 401, message: 'invalid api key' } });
    await assert.rejects(
      gateway.chat(request('locked'), () => {}, signal),
      (e: unknown) => e instanceof LlmError && e.kind === 'auth' && e.status === 401 && /the API key was rejected \(HTTP 401\).*check the key set for endpoint or/.test(e.message),
    );
  });

  it('rejects an unknown model key naming the configured ones', async () => {
    await assert.rejects(gateway.chat(request('nope'), () => {}, signal), /unknown model "nope"; configured models: plain, vllm-r/);
  });
});
