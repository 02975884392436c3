/** The endpoint embedder against the loopback server's /v1/embeddings. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EndpointConfig } from '../../core/contracts/config';
import { EndpointEmbedder } from '../endpoint';
import { EndpointClient } from '../../llm/client';
import { LlmError } from '../../llm/errors';
import { errorKind } from '../../core/contracts/errors';
import { createGateway } from '../../llm/gateway';
import { loopbackEmbedding, startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { loopbackEndpoint } from '../../../test/fixtures/gatewayData';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('EndpointEmbedder', () => {
  let server: LoopbackUpstream;
  let client: EndpointClient;
  before(async () => {
    server = await startLoopbackUpstream({ embeddingDim: 24 });
    const endpoint: EndpointConfig = { id: 'emb', provider: 'vllm', baseUrl: server.baseUrl, headers: {}, maxConcurrency: 2, timeoutMs: 2000 };
    client = new EndpointClient({ endpoint, apiKey: 'EMPTY', retry: { maxAttempts: 1 } });
  });
  after(() => server.close());

  it('returns unit vectors in input order, batched, with the endpoint id and learned dimension', async () => {
    const embedder = new EndpointEmbedder({ client, model: 'bge', batchSize: 3 });
    assert.equal(embedder.id, 'endpoint:emb:bge');
    const texts = ['sort a list in python', 'python list sorting', 'bake bread at home', 'a', 'b', 'c', 'd'];
    const before = server.requests.length;
    const vectors = await embedder.embed(texts);
    const calls = server.requests.slice(before);
    assert.deepEqual(calls.map((r) => (r.body.input as string[]).length), [3, 3, 1]);
    assert.ok(calls.every((r) => r.path === '/v1/embeddings' && r.model === 'bge' && r.body.encoding_format === 'float'));
    assert.equal(vectors.length, texts.length);
    for (const [i, v] of vectors.entries()) {
      assert.ok(Math.abs(dot(v, v) - 1) < 1e-5, `vector ${i} has unit length`);
      const raw = loopbackEmbedding(texts[i]!, 24);
      const norm = Math.hypot(...raw);
      assert.ok(Math.abs(v[raw.findIndex((x) => x !== 0)]! - raw.find((x) => x !== 0)! / norm) < 1e-6, `vector ${i} is text ${i}'s`);
    }
    assert.ok(dot(vectors[0]!, vectors[1]!) > dot(vectors[0]!, vectors[2]!));
    assert.equal(await embedder.dimension(), 24);
  });

  it('learns the dimension with a probe when asked first', async () => {
    const before = server.requests.length;
    assert.equal(await new EndpointEmbedder({ client, model: 'bge' }).dimension(), 24);
    assert.equal(server.requests.length - before, 1);
  });

  it('embeds nothing for no texts, and names the endpoint when the server refuses', async () => {
    assert.deepEqual(await new EndpointEmbedder({ client, model: 'bge' }).embed([]), []);
    const gone = await startLoopbackUpstream();
    await gone.close();
    const dead = new EndpointClient({
      endpoint: { id: 'dead', provider: 'vllm', baseUrl: gone.baseUrl, headers: {}, maxConcurrency: 1, timeoutMs: 1000 },
      apiKey: 'EMPTY',
      retry: { maxAttempts: 1 },
    });
    await assert.rejects(new EndpointEmbedder({ client: dead, model: 'bge' }).embed(['x']), (e: unknown) => e instanceof LlmError && /^endpoint dead, model bge: connection failed/.test(e.message));
  });

  it('rejects a bad batch size', () => {
    assert.throws(() => new EndpointEmbedder({ client, model: 'bge', batchSize: 0 }), /batchSize must be a whole number ≥ 1, got 0/);
  });

  it('embeds a text longer than the model reads in pieces that fit, learning the limit once from /models', async () => {
    const limited = await startLoopbackUpstream({ embeddingDim: 24, models: [{ id: 'short-reader', maxModelLen: 60 }] });
    try {
      const endpoint: EndpointConfig = { id: 'lim', provider: 'vllm', baseUrl: limited.baseUrl, headers: {}, maxConcurrency: 2, timeoutMs: 2000 };
      const embedder = new EndpointEmbedder({ client: new EndpointClient({ endpoint, apiKey: 'EMPTY', retry: { maxAttempts: 1 } }), model: 'short-reader' });
      await embedder.embed(['a short question']);
      assert.equal(limited.requests.filter((r) => r.path === '/v1/models').length, 0, 'short texts never need the limit');

      const shared = Array.from({ length: 120 }, (_, i) => `shared${i % 7}`).join(' ');
      const [a, b] = await embedder.embed([`${shared} cats dogs kittens puppies`, `${shared} primes sums squares roots`]);
      await embedder.embed([shared]);
      assert.ok(a && b);
      assert.ok(Math.abs(dot(a, a) - 1) < 1e-5);
      assert.ok(dot(a, b) < 0.999, `the tails differ: cosine ${dot(a, b)}`);
      const inputs = limited.requests.filter((r) => r.path === '/v1/embeddings').flatMap((r) => r.body.input as string[]);
      assert.ok(inputs.length > 3, 'long texts went in pieces');
      for (const input of inputs) assert.ok(input.length <= 40 * 3, `a piece of ${input.length} characters fits 60 tokens at 2 characters a token`);
      assert.equal(limited.requests.filter((r) => r.path === '/v1/models').length, 1, 'the limit is asked once');
    } finally {
      await limited.close();
    }
  });

  it('asks for the limit again after a lookup that failed, instead of keeping "no limit"', async () => {
    const flaky = await startLoopbackUpstream({ embeddingDim: 24, models: [{ id: 'short-reader', maxModelLen: 60 }] });
    try {
      const endpoint: EndpointConfig = { id: 'flaky', provider: 'vllm', baseUrl: flaky.baseUrl, headers: {}, maxConcurrency: 2, timeoutMs: 2000 };
      const embedder = new EndpointEmbedder({ client: new EndpointClient({ endpoint, apiKey: 'EMPTY', retry: { maxAttempts: 1 } }), model: 'short-reader' });
      const long = Array.from({ length: 120 }, (_, i) => `word${i % 7}`).join(' ');
      const stopped = new AbortController();
      stopped.abort();
      await assert.rejects(embedder.embed([long], stopped.signal), (e: unknown) => errorKind(e) === 'cancelled');
      await embedder.embed([long]);
      const inputs = flaky.requests.filter((r) => r.path === '/v1/embeddings').flatMap((r) => r.body.input as string[]);
      assert.ok(inputs.length > 1, 'after the cancelled lookup, the limit was learnt and the long text split');
    } finally {
      await flaky.close();
    }
  });

  it('takes the limit from what the gateway discovered, without asking /models again', async () => {
    const limited = await startLoopbackUpstream({ embeddingDim: 24, models: [{ id: 'short-reader', maxModelLen: 60 }] });
    try {
      const gateway = await createGateway([loopbackEndpoint(limited.baseUrl, undefined, { id: 'lim' })], { env: {}, retry: { maxAttempts: 1 } });
      const listings = () => limited.requests.filter((r) => r.path === '/v1/models').length;
      assert.equal(listings(), 1, 'the gateway discovered the models');
      const embedder = new EndpointEmbedder({ client: gateway.endpoint('lim'), model: 'short-reader' });
      await embedder.embed([Array.from({ length: 120 }, (_, i) => `shared${i % 7}`).join(' ')]);
      const inputs = limited.requests.filter((r) => r.path === '/v1/embeddings').flatMap((r) => r.body.input as string[]);
      assert.ok(inputs.length > 1, 'the long text went in pieces');
      for (const input of inputs) assert.ok(input.length <= 40 * 3, `a piece of ${input.length} characters fits 60 tokens at 2 characters a token`);
      assert.equal(listings(), 1, 'no second listing');
    } finally {
      await limited.close();
    }
  });
});
