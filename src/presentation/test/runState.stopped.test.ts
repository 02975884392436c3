/**
 * A reply SMCS stopped reading and kept (past max_tokens, or at the call's time limit) reaches its card: through the
 * real pipeline's events, the reference and the candidate carry the stop, the result lists it with the aggregation's
 * index, and a run rebuilt after a reload keeps it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { PipelineEvent } from '../../core/contracts/events';
import { runPipeline } from '../../core/ask/pipeline';
import { DEFAULT_PARAMS, type ChatResult, type LlmGateway } from '../../core/contracts/types';
import { LexicalEmbedder } from '../../embed/lexical';
import { stoppedNote } from '../stoppedNote';
import { createRun, reduceRun, type RunState } from '../runState';
import { resultFromRun } from '../runResult';

const usage = { promptTokens: 10, completionTokens: 5 };

/** `slow` is stopped at its time limit, the aggregator `agg` past its output ceiling; `fast` answers whole. */
const gateway: LlmGateway = {
  chat(request, onDelta) {
    const text = `answer from ${request.model}`;
    onDelta({ kind: 'text', text });
    const stopped = request.model === 'slow' ? { limit: 'maxCallMs' as const, tokens: 7, ms: 60_000 } : request.model === 'agg' ? { limit: 'maxTokens' as const, tokens: 1_300, ms: 900 } : undefined;
    return Promise.resolve<ChatResult>({ text, reasoning: '', tokenLogprobs: null, usage, usageEstimated: false, latencyMs: stopped?.ms ?? 5, finishReason: 'stop', ...(stopped ? { stopped } : {}) });
  },
  contextWindow: () => undefined,
  price: () => undefined,
};

test('a stopped reference and a stopped aggregation keep their stop on their cards, in the result and after a reload', async () => {
  const events: PipelineEvent[] = [];
  const params = { ...DEFAULT_PARAMS, k: 2, kDrop: 0, n: 1, stragglerMs: null };
  for await (const event of runPipeline({ question: 'How do I sort a list?', models: ['fast', 'slow'], aggregator: 'agg', params }, { embedder: new LexicalEmbedder(), bank: null, gateway }, new AbortController().signal)) events.push(event);
  const done = events.at(-1);
  assert.equal(done?.type, 'done', JSON.stringify(done));
  if (done?.type !== 'done') return;
  assert.deepEqual(done.result.stoppedOutput, [
    { stage: 'referencer', model: 'slow', limit: 'maxCallMs', tokens: 7, ms: 60_000 },
    { stage: 'aggregation', model: 'agg', index: 0, limit: 'maxTokens', tokens: 1_300, ms: 900 },
  ]);
  const run = events.reduce<RunState>((r, event, i) => reduceRun(r, { type: 'event', event, at: 1000 + i }), createRun('r1', 'q', 1000));
  assert.deepEqual(run.referencers.map((r) => [r.model, r.stopped?.limit]), [['fast', undefined], ['slow', 'maxCallMs']]);
  assert.deepEqual(run.candidates.map((c) => c.stopped), [{ limit: 'maxTokens', tokens: 1_300, ms: 900 }]);
  const rebuilt = resultFromRun(JSON.parse(JSON.stringify(run)) as RunState);
  assert.deepEqual(rebuilt?.referencers.find((r) => r.model === 'slow')?.stopped, { limit: 'maxCallMs', tokens: 7, ms: 60_000 });
  assert.equal(rebuilt?.candidates[0]?.stopped?.limit, 'maxTokens');
});

test('the note says which limit stopped the reply and that it is kept as far as it got', () => {
  assert.equal(stoppedNote({ limit: 'maxCallMs', tokens: 7, ms: 60_000 }), 'stopped after 1 m 00 s, the most one call may take (maxCallMs): the reply is kept as far as it got');
  assert.equal(stoppedNote({ limit: 'maxCallMs', tokens: 7, ms: 1_520 }), 'stopped after 1.5 s, the most one call may take (maxCallMs): the reply is kept as far as it got');
  assert.equal(stoppedNote({ limit: 'maxTokens', tokens: 1_300, ms: 900 }), 'stopped at about 1,300 tokens, far past max_tokens: the reply is kept as far as it got');
});
