/**
 * One plan per ask: the plan the front end was shown (its cost, its models) is what the ask of the same question and
 * options runs — the question is embedded once, through a real endpoint embedder on a loopback server — and another
 * question, or changed options, are planned afresh.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { collect, startEngine } from '../../../test/fixtures/askHarness';
import { tempDir } from '../../../test/fixtures/bankData';
import { fileItem } from '../../core/context/contextItem';

const MODELS = ['m1', 'm2', 'm3'];
const temp = tempDir('smcs-plan-');
let server: LoopbackUpstream;
before(async () => {
  server = await startLoopbackUpstream({ models: [...MODELS.map((id) => ({ id, pricing: { prompt: 1e-6, completion: 3e-6 } })), { id: 'emb' }] });
});
after(async () => {
  await server.close();
  temp.cleanup();
});

/** Embedding requests that carried `text` as an input. */
const embeddedTimes = (text: string) =>
  server.requests.filter((r) => r.path === '/v1/embeddings' && ([] as unknown[]).concat(r.body.input).some((i) => typeof i === 'string' && i.includes(text))).length;

test('an ask runs the plan made for it: no second embedding, the same models; another question or another attachment is planned again', async () => {
  const engine = await startEngine(
    { baseUrl: server.baseUrl, models: MODELS, overrides: { k: 2, kDrop: 1, n: 2, aggregator: 'm1', embedding: { provider: 'endpoint', endpoint: 'local', model: 'emb' } } },
    path.join(temp.dir, 'storage'),
  );
  try {
    const question = 'How do I reverse a linked list in place?';
    const signal = new AbortController().signal;
    const plan = await engine.plan(question, { signal });
    assert.ok(plan !== null && plan.expectedUsd !== null && plan.worstUsd !== null && plan.expectedUsd < plan.worstUsd);
    assert.equal(embeddedTimes(question), 1);
    const events = await collect(engine.ask(question, { signal }));
    const end = events[events.length - 1];
    assert.equal(end?.type, 'done', JSON.stringify(end));
    assert.equal(embeddedTimes(question), 1, 'the run did not embed the question again');
    const result = end?.type === 'done' ? end.result : undefined;
    assert.deepEqual(result?.referencers.map((r) => r.model), plan.referencers);
    assert.ok(result?.calls.some((c) => c.stage === 'embedding'), "the plan's embedding call is counted in the run");

    // A plan is for one ask: asking again embeds again.
    await collect(engine.ask(question, { signal }));
    assert.equal(embeddedTimes(question), 2);

    const other = 'What does a stable sort keep?';
    await engine.plan(question, { signal });
    await collect(engine.ask(other, { signal }));
    assert.equal(embeddedTimes(question), 3);
    assert.equal(embeddedTimes(other), 1);
    const attached = fileItem('file', 'list.py', 'def reverse(head):\n    prev = None\n', 'attached');
    await engine.plan(question, { signal });
    await collect(engine.ask(question, { signal, attachments: [attached] }));
    assert.equal(embeddedTimes(question), 5, 'an ask with an attachment the plan did not have is planned again');
  } finally {
    await engine.dispose();
  }
});
