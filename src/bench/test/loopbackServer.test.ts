/** The loopback OpenAI-compatible test server itself, exercised through the real openai SDK and plain fetch. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { fakeLogprob, fakeTokens, startFakeOpenAI } from '../loopbackServer';

describe('fake OpenAI server', () => {
  it('answers non-streaming chat with reasoning_content, log-probs and usage; replies can depend on the request', async () => {
    const server = await startFakeOpenAI();
    try {
      server.script('echo', {
        reply: (req) => `got ${(req.body.messages as unknown[]).length} messages`,
        reasoning: 'thinking hard',
      });
      const sdk = new OpenAI({ baseURL: server.baseUrl, apiKey: 'sk-x', maxRetries: 0 });
      const res = await sdk.chat.completions.create({
        model: 'echo',
        messages: [
          { role: 'system', content: 's' },
          { role: 'user', content: 'u' },
        ],
        logprobs: true,
      });
      const choice = res.choices[0]!;
      assert.equal(choice.message.content, 'got 2 messages');
      assert.equal((choice.message as unknown as { reasoning_content: string }).reasoning_content, 'thinking hard');
      assert.deepEqual(choice.logprobs!.content!.map((c) => c.logprob), fakeTokens('got 2 messages').map((t, i) => fakeLogprob(t, i)));
      assert.equal(res.usage!.completion_tokens, fakeTokens('got 2 messages').length + fakeTokens('thinking hard').length);
      const rec = server.requests[0]!;
      assert.equal(rec.headers.authorization, undefined);
      assert.ok(server.sentKey(rec, 'sk-x'));
      assert.equal(rec.body.stream, undefined);
    } finally {
      await server.close();
    }
  });

  it('sends a 429 with Retry-After the scripted number of times, then answers', async () => {
    const server = await startFakeOpenAI();
    try {
      server.script('m', { rateLimit: { times: 1, retryAfter: '3' }, reply: 'ok' });
      const post = () =>
        fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [] }), headers: { 'content-type': 'application/json' } });
      const first = await post();
      assert.equal(first.status, 429);
      assert.equal(first.headers.get('retry-after'), '3');
      await first.text();
      const second = await post();
      assert.equal(second.status, 200);
      assert.equal(((await second.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content, 'ok');
    } finally {
      await server.close();
    }
  });

  it('serves hashed bag-of-words embeddings: shared words mean higher similarity', async () => {
    const server = await startFakeOpenAI({ embeddingDim: 64 });
    try {
      const sdk = new OpenAI({ baseURL: server.baseUrl, apiKey: 'k', maxRetries: 0 });
      const res = await sdk.embeddings.create({ model: 'e', input: ['merge two sorted lists', 'merge sorted arrays', 'weather in paris'], encoding_format: 'float' });
      const [a, b, c] = res.data.map((d) => d.embedding);
      const cos = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0) / Math.hypot(...x) / Math.hypot(...y);
      assert.equal(a!.length, 64);
      assert.ok(cos(a!, b!) > cos(a!, c!));
    } finally {
      await server.close();
    }
  });

  it('closes promptly while a request hangs, and answers unknown routes with 404', async () => {
    const server = await startFakeOpenAI();
    server.script('stuck', { hang: true });
    const missing = await fetch(`${server.baseUrl}/nothing`);
    assert.equal(missing.status, 404);
    const pending = fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'stuck', messages: [] }) }).catch((e: unknown) => e);
    while (server.inFlight('stuck').now === 0) await new Promise((r) => setTimeout(r, 5));
    const t0 = Date.now();
    await server.close();
    assert.ok(Date.now() - t0 < 500);
    assert.ok((await pending) instanceof Error);
    for (let i = 0; i < 40 && server.inFlight('stuck').now !== 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(server.inFlight('stuck').now, 0);
    assert.notEqual(server.requests.find((r) => r.model === 'stuck')!.clientClosedAt, undefined);
  });
});
