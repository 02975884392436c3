/** The loopback upstream of `smcs bench`: through the real openai SDK and plain fetch, and byte for byte against the tests' rig. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { startLoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { loopbackLogprob, loopbackTokens, startBenchUpstream } from '../benchUpstream';

const post = (baseUrl: string, body: Record<string, unknown>) =>
  fetch(`${baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('bench upstream', () => {
  it('streams the scripted reply word by word with log-probs and usage; a reply function gives each call its text', async () => {
    const server = await startBenchUpstream(['ref', 'agg']);
    try {
      let call = 0;
      server.script('agg', { reply: () => `Synthesis ${call++} done` });
      const client = new OpenAI({ baseURL: server.baseUrl, apiKey: 'none', maxRetries: 0 });
      const read = async (model: string) => {
        const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true }, logprobs: true });
        const text: string[] = [];
        const logprobs: number[] = [];
        let usage: OpenAI.CompletionUsage | undefined;
        for await (const chunk of stream) {
          for (const c of chunk.choices) {
            if (c.delta.content) text.push(c.delta.content);
            for (const lp of c.logprobs?.content ?? []) logprobs.push(lp.logprob);
          }
          usage = chunk.usage ?? usage;
        }
        return { text, logprobs, usage };
      };
      const first = await read('agg');
      assert.deepEqual(first.text, loopbackTokens('Synthesis 0 done'));
      assert.deepEqual(first.logprobs, first.text.map((t, i) => loopbackLogprob(t, i)));
      assert.equal(first.usage?.completion_tokens, 3);
      assert.equal((await read('agg')).text.join(''), 'Synthesis 1 done');
      assert.equal((await read('ref')).text.join(''), 'Reply from ref.');
      assert.deepEqual((await client.models.list()).data.map((m) => m.id), ['ref', 'agg']);
    } finally {
      await server.close();
    }
  });

  it('records when each request came and finished, so the bench reads the latency it set', async () => {
    const server = await startBenchUpstream(['slow']);
    try {
      server.script('slow', { reply: 'a b c', firstByteDelayMs: 120, chunkDelayMs: 20 });
      const res = await post(server.baseUrl, { model: 'slow', stream: true, messages: [] });
      await res.text();
      const [rec] = server.requests;
      assert.ok(rec?.completedAt !== undefined);
      assert.equal(rec.path, '/v1/chat/completions');
      assert.equal(rec.model, 'slow');
      assert.ok(rec.completedAt - rec.receivedAt >= 120 + 3 * 20 - 5, `took ${rec.completedAt - rec.receivedAt} ms`);
      assert.equal((await fetch(`${server.baseUrl}/embeddings`, { method: 'POST', body: '{}' })).status, 404);
    } finally {
      await server.close();
    }
  });

  it('closes promptly while a reply is still waiting on its latency', async () => {
    const server = await startBenchUpstream(['late']);
    server.script('late', { firstByteDelayMs: 60_000 });
    const pending = post(server.baseUrl, { model: 'late', messages: [] }).catch((err: unknown) => err);
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const t = performance.now();
    await server.close();
    assert.ok(performance.now() - t < 1000);
    assert.ok((await pending) instanceof Error);
  });

  it('answers as the tests’ rig does to the same script, byte for byte, streaming and not', async () => {
    const bench = await startBenchUpstream(['m']);
    const rig = await startLoopbackUpstream({ models: [{ id: 'm' }] });
    try {
      const behaviour = { reply: 'Use a hash map for O(1) lookups.' };
      bench.script('m', behaviour);
      rig.script('m', behaviour);
      const messages = [{ role: 'user', content: 'How do I make lookups fast?' }];
      for (const body of [
        { model: 'm', messages, stream: true, stream_options: { include_usage: true }, logprobs: true },
        { model: 'm', messages, stream: true },
        { model: 'm', messages, logprobs: true },
        { model: 'm', messages },
      ]) {
        assert.equal(await (await post(bench.baseUrl, body)).text(), await (await post(rig.baseUrl, body)).text(), JSON.stringify(body));
      }
      const models = async (baseUrl: string) => (await fetch(`${baseUrl}/models`)).text();
      assert.equal(await models(bench.baseUrl), await models(rig.baseUrl));
    } finally {
      await bench.close();
      await rig.close();
    }
  });
});
