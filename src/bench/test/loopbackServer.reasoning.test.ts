/** The loopback server's reasoning forms and token limit, read from the raw SSE stream (no SDK, no accumulator). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fakeLogprob, fakeTokens, startFakeOpenAI, type FakeOpenAI } from '../loopbackServer';

interface RawChunk {
  choices: Array<{ delta: Record<string, unknown>; finish_reason: string | null; logprobs?: { content: Array<{ token: string; logprob: number }> } }>;
  usage?: { completion_tokens: number };
}

/** Streams one chat request and returns its parsed `data:` chunks. */
async function stream(server: FakeOpenAI, model: string, extra: Record<string, unknown> = {}): Promise<RawChunk[]> {
  const res = await fetch(`${server.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'q' }], stream: true, stream_options: { include_usage: true }, logprobs: true, ...extra }),
  });
  const body = await res.text();
  return body
    .split('\n\n')
    .filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]')
    .map((l) => JSON.parse(l.slice(6)) as RawChunk);
}

const field = (chunks: RawChunk[], name: string) => chunks.flatMap((c) => c.choices.map((x) => x.delta[name])).filter((v) => typeof v === 'string').join('');
const finish = (chunks: RawChunk[]) => chunks.flatMap((c) => c.choices.map((x) => x.finish_reason)).filter((f) => f !== null);
const tokenLogprobs = (chunks: RawChunk[], name: string) =>
  chunks.flatMap((c) => c.choices.filter((x) => typeof x.delta[name] === 'string').flatMap((x) => x.logprobs?.content ?? []));

describe('fake OpenAI server: reasoning forms', () => {
  let server: FakeOpenAI;
  before(async () => {
    server = await startFakeOpenAI();
  });
  after(() => server.close());

  it('reasoning_content and reasoning fields carry the reasoning with its own log-probs; the content is the answer', async () => {
    for (const name of ['reasoning_content', 'reasoning'] as const) {
      server.script('m', { reply: 'Answer: 4', reasoning: (req) => `plan for ${req.model}`, reasoningField: name });
      const chunks = await stream(server, 'm');
      assert.equal(field(chunks, name), 'plan for m');
      assert.equal(field(chunks, 'content'), 'Answer: 4');
      assert.deepEqual(tokenLogprobs(chunks, name).map((e) => e.logprob), fakeTokens('plan for m').map((t, i) => fakeLogprob(t, i)));
      assert.deepEqual(tokenLogprobs(chunks, 'content').map((e) => e.token), fakeTokens('Answer: 4'));
      assert.deepEqual(finish(chunks), ['stop']);
      assert.equal(chunks.at(-1)?.usage?.completion_tokens, 3 + 2);
    }
  });

  it('inline <think> blocks and a lone </think> are content tokens with log-probs', async () => {
    server.script('m', { reply: 'Answer: 4', reasoning: 'two and two', inlineReasoning: 'think' });
    const think = await stream(server, 'm');
    assert.equal(field(think, 'content'), '<think>\ntwo and two</think>\n\nAnswer: 4');
    assert.equal(field(think, 'reasoning_content'), '');
    const tokens = ['<think>', '\n', 'two ', 'and ', 'two', '</think>', '\n\n', 'Answer: ', '4'];
    assert.deepEqual(tokenLogprobs(think, 'content'), tokens.map((t, i) => ({ token: t, logprob: fakeLogprob(t, i), bytes: null, top_logprobs: [] })));

    server.script('m', { reply: 'Answer: 4', reasoning: 'two and two', inlineReasoning: 'prefilled' });
    const prefilled = await stream(server, 'm');
    assert.equal(field(prefilled, 'content'), 'two and two</think>\n\nAnswer: 4');
  });

  it('enforceMaxTokens cuts reasoning and answer at max_tokens with finish_reason length; finishReason forces one', async () => {
    server.script('m', { reply: 'Answer: 4', reasoning: 'one two three four', enforceMaxTokens: true });
    const inReasoning = await stream(server, 'm', { max_tokens: 3 });
    assert.equal(field(inReasoning, 'reasoning_content'), 'one two three ');
    assert.equal(field(inReasoning, 'content'), '');
    assert.deepEqual(finish(inReasoning), ['length']);
    assert.equal(inReasoning.at(-1)?.usage?.completion_tokens, 3);
    const roomy = await stream(server, 'm', { max_tokens: 100 });
    assert.deepEqual(finish(roomy), ['stop']);

    server.script('m', { reply: 'Answer: 4', finishReason: 'length' });
    assert.deepEqual(finish(await stream(server, 'm')), ['length']);
  });

  it('a non-streaming reply carries the reasoning field and the finish reason', async () => {
    server.script('m', { reply: 'Answer: 4', reasoning: 'plan', reasoningField: 'reasoning', enforceMaxTokens: true });
    const res = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [], max_tokens: 2 }),
    });
    const doc = (await res.json()) as { choices: Array<{ finish_reason: string; message: Record<string, unknown> }> };
    assert.deepEqual(doc.choices[0], { index: 0, finish_reason: 'length', message: { role: 'assistant', content: 'Answer: ', reasoning: 'plan' }, logprobs: null });
  });
});
