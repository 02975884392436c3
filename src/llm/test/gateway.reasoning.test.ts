/** Reasoning in every form a server sends it, through the real openai SDK against the loopback server: never in the answer. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorKind } from '../../core/contracts/errors';
import { NoAnswerError } from '../client';
import { createGateway, type OpenAiGateway } from '../gateway';
import { loopbackLogprob, loopbackTokens } from '../../bench/benchUpstream';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { chatRequest, deltaCollector as collect, loopbackEndpoint } from '../../../test/fixtures/gatewayData';

const ANSWER = 'The answer is (C) because the loop runs twice.';
const REASONING = 'First guess: the answer is (A). Checking again.';

const request = (model: string, maxTokens = 256) =>
  chatRequest(model, { messages: [{ role: 'user', content: 'Which option?' }], temperature: 0.7, maxTokens, presencePenalty: 1.05 });


/** Log-probs of the answer's tokens when `offset` content tokens came before them. */
const answerLogprobs = (offset: number, answer = ANSWER) => loopbackTokens(answer).map((t, i) => loopbackLogprob(t, offset + i));

describe('reasoning forms', () => {
  let server: LoopbackUpstream;
  let gateway: OpenAiGateway;
  const signal = new AbortController().signal;

  before(async () => {
    server = await startLoopbackUpstream({ models: [{ id: 'm' }] });
    gateway = await createGateway([loopbackEndpoint(server.baseUrl, ['m'], { maxConcurrency: 4, timeoutMs: 5000 })], { env: {}, retry: { maxAttempts: 1 } });
  });
  after(() => server.close());

  it('reasoning_content and reasoning fields (with log-probs of their own) stay out of the answer and its log-probs', async () => {
    for (const reasoningField of ['reasoning_content', 'reasoning'] as const) {
      server.script('m', { reply: ANSWER, reasoning: REASONING, reasoningField });
      const c = collect();
      const result = await gateway.chat(request('m'), c.onDelta, signal);
      assert.equal(result.text, ANSWER, reasoningField);
      assert.equal(result.reasoning, REASONING);
      assert.equal(c.joined('reasoning'), REASONING);
      assert.deepEqual(result.tokenLogprobs, answerLogprobs(0));
    }
  });

  it('an inline <think> block: reasoning, tags and the separator after it are not answer tokens', async () => {
    server.script('m', { reply: ANSWER, reasoning: REASONING, inlineReasoning: 'think' });
    const c = collect();
    const result = await gateway.chat(request('m'), c.onDelta, signal);
    assert.equal(result.text, ANSWER);
    assert.equal(result.reasoning, REASONING);
    assert.equal(c.joined('text'), ANSWER);
    assert.deepEqual(result.tokenLogprobs, answerLogprobs(2 + loopbackTokens(REASONING).length + 2));
  });

  it('a lone </think> (template-prefilled <think>): streamed as text until the tag, then the result holds only the answer', async () => {
    server.script('m', { reply: ANSWER, reasoning: REASONING, inlineReasoning: 'prefilled' });
    const c = collect();
    const result = await gateway.chat(request('m'), c.onDelta, signal);
    assert.equal(result.text, ANSWER);
    assert.equal(result.reasoning, REASONING);
    assert.equal(c.joined('text'), REASONING + ANSWER, 'the stream could not know the reasoning before the tag');
    assert.deepEqual(result.tokenLogprobs, answerLogprobs(loopbackTokens(REASONING).length + 2));
  });

  /** Replies of one content chunk per token, answering 'Answer: B' as content token number `answerAt`. */
  const chunked = [
    { title: 'a lone </think> split across chunks, after whitespace, with one log-prob per chunk', chunks: ['\n', 'Plan: ', 'it.</th', 'ink>', '\n\n', 'Answer: B'], reasoning: 'Plan: it.', answerAt: 5 },
    { title: 'whitespace before <think> is not an answer', chunks: ['\n\n', '<think>', 'plan', '</think>', '\n', 'Answer: B'], reasoning: 'plan', answerAt: 5 },
    { title: 'reasoning_content and inline tags in one reply are both reasoning', field: 'field part', chunks: ['<think>', 'inline part', '</think>', 'Answer: B'], reasoning: 'field partinline part', answerAt: 3 },
  ];
  for (const c of chunked) {
    it(c.title, async () => {
      server.script('m', { ...(c.field !== undefined ? { reasoning: c.field } : {}), chunks: c.chunks });
      const result = await gateway.chat(request('m'), () => undefined, signal);
      assert.equal(result.text, 'Answer: B');
      assert.equal(result.reasoning, c.reasoning);
      assert.deepEqual(result.tokenLogprobs, [loopbackLogprob('Answer: B', c.answerAt)]);
    });
  }

  it('a reply with reasoning and no answer fails with a NoAnswerError of kind protocol, not as an empty answer', async () => {
    server.script('m', { reasoning: REASONING, chunks: ['\n\n'] });
    const err = await gateway.chat(request('m'), () => undefined, signal).then(
      () => assert.fail('expected a NoAnswerError'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof NoAnswerError);
    assert.equal(errorKind(err), 'protocol');
    assert.equal(err.truncated, false);
    assert.match(err.message, /endpoint local, model m: the reply has reasoning but no answer/);
    assert.equal(err.result.reasoning, REASONING);
    assert.ok(err.result.usage.completionTokens > 0);
  });

  it('a reply cut at the token limit inside reasoning is a truncated NoAnswerError; cut in the answer it is a result with finish reason length', async () => {
    server.script('m', { reply: ANSWER, reasoning: REASONING, inlineReasoning: 'think', enforceMaxTokens: true });
    const err = await gateway.chat(request('m', 5), () => undefined, signal).then(
      () => assert.fail('expected a NoAnswerError'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof NoAnswerError);
    assert.equal(err.truncated, true);
    assert.match(err.message, /cut at the token limit \(max_tokens 5\) while still reasoning/);

    const budget = 2 + loopbackTokens(REASONING).length + 2 + 3;
    const cut = await gateway.chat(request('m', budget), () => undefined, signal);
    assert.equal(cut.finishReason, 'length');
    assert.equal(cut.text, loopbackTokens(ANSWER).slice(0, 3).join(''));
    assert.equal(cut.reasoning, REASONING);
  });
});
