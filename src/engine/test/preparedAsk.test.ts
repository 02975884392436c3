/**
 * One prepared ask per front end: the ask a front end prepared and judged (its cost, its models) is what its run sends
 * — the question embedded once, through a real endpoint embedder on a loopback server — even when another front end
 * prepares another ask on the same engine in between; and every embedding an ask makes, the workspace's retrieval
 * included, is a counted call of its run.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { collect, startEngine } from '../../../test/fixtures/askHarness';
import { tempDir } from '../../../test/fixtures/bankData';
import { fileItem } from '../../core/context/contextItem';
import type { AskResult, PipelineEvent } from '../../core/contracts/events';

const MODELS = ['m1', 'm2', 'm3'];
const temp = tempDir('smcs-prepared-');
let server: LoopbackUpstream;
before(async () => {
  server = await startLoopbackUpstream({ models: [...MODELS.map((id) => ({ id, pricing: { prompt: 1e-6, completion: 3e-6 } })), { id: 'emb', pricing: { prompt: 1e-7, completion: 0 } }] });
});
after(async () => {
  await server.close();
  temp.cleanup();
});

const engineWith = (overrides: Record<string, unknown> = {}) =>
  startEngine({ baseUrl: server.baseUrl, models: MODELS, overrides: { k: 2, kDrop: 1, n: 2, aggregator: 'm1', embedding: { provider: 'endpoint', endpoint: 'local', model: 'emb' }, ...overrides } }, path.join(temp.dir, 'storage'));

/** Embedding requests that carried `text` as an input. */
const embeddedTimes = (text: string) =>
  server.requests.filter((r) => r.path === '/v1/embeddings' && ([] as unknown[]).concat(r.body.input).some((i) => typeof i === 'string' && i.includes(text))).length;
const embeddingRequests = () => server.requests.filter((r) => r.path === '/v1/embeddings').length;

function resultOf(events: PipelineEvent[]): AskResult {
  const end = events[events.length - 1];
  assert.equal(end?.type, 'done', JSON.stringify(end));
  assert.ok(end?.type === 'done');
  return end.result;
}

test('an ask runs what was prepared for it: no second embedding, the same models, the embedding counted; a prepared ask runs once', async () => {
  const engine = await engineWith();
  try {
    const question = 'How do I reverse a linked list in place?';
    const signal = new AbortController().signal;
    const prepared = await engine.prepare(question, { signal });
    const plan = prepared.view;
    assert.ok(plan !== null && plan.expectedUsd !== null && plan.worstUsd !== null && plan.expectedUsd < plan.worstUsd);
    assert.equal(embeddedTimes(question), 1);
    const result = resultOf(await collect(prepared.run(signal, { route: 'limited' })));
    assert.equal(embeddedTimes(question), 1, 'the run did not embed the question again');
    assert.deepEqual(result.referencers.map((r) => r.model), plan.referencers);
    assert.ok(result.calls.some((c) => c.stage === 'embedding' && c.costUsd !== null && c.costUsd > 0), "the preparation's priced embedding call is counted in the run");
    assert.throws(() => prepared.run(signal, { route: 'limited' }), /runs once/);

    // engine.ask prepares anew: asking again embeds again.
    await collect(engine.ask(question, { signal }));
    assert.equal(embeddedTimes(question), 2);
    const attached = fileItem('file', 'list.py', 'def reverse(head):\n    prev = None\n', 'attached');
    await collect(engine.ask(question, { signal, attachments: [attached] }));
    assert.equal(embeddedTimes(question), 3);
  } finally {
    await engine.dispose();
  }
});

test('two front ends on one engine each run the ask they judged: prepare A, prepare B, run A → A’s models and cost, then B’s', async () => {
  const engine = await engineWith({ k: 3, n: 2 });
  try {
    const signal = new AbortController().signal;
    const questionA = 'Which sorting algorithms are stable?';
    const questionB = 'What does a binary heap guarantee about its root?';
    // The panel judges A with one model and no aggregation; VS Code's chat judges B with all three.
    const a = await engine.prepare(questionA, { signal, params: { k: 1, n: 1 } });
    const b = await engine.prepare(questionB, { signal });
    assert.ok(a.view !== null && b.view !== null);
    assert.notDeepEqual(a.view.referencers, b.view.referencers);
    const before = embeddingRequests();
    const ranA = resultOf(await collect(a.run(signal, { route: 'limited' })));
    assert.equal(ranA.question, questionA);
    assert.deepEqual(ranA.referencers.map((r) => r.model), a.view.referencers, "A's models, not B's");
    assert.equal(embeddedTimes(questionA), 1, 'A was not prepared again');
    const ranB = resultOf(await collect(b.run(signal, { route: 'limited' })));
    assert.deepEqual(ranB.referencers.map((r) => r.model).sort(), [...b.view.referencers].sort(), "B's models");
    assert.equal(embeddedTimes(questionB), 1, 'B was not prepared again');
    assert.ok(ranA.costUsd !== null && ranB.costUsd !== null && ranA.costUsd < ranB.costUsd, `A cost ${ranA.costUsd}, B ${ranB.costUsd}`);
    // What the runs embedded beyond the preparations (the candidates to score) is in their calls too.
    const runEmbeddings = [ranA, ranB].flatMap((r) => r.calls.filter((c) => c.stage === 'embedding')).length;
    assert.equal(runEmbeddings, embeddingRequests() - before + 2, 'every embedding request is a counted call (the two preparations’ included)');
  } finally {
    await engine.dispose();
  }
});

test("the workspace's retrieval embedding is a counted call of the ask, and the question is embedded once for retrieval and the bank", async () => {
  const root = path.join(temp.dir, 'workspace');
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'linked_list.py'), 'def reverse_list(head):\n    prev = None\n    while head:\n        head.next, prev, head = prev, head, head.next\n    return prev\n');
  const engine = await engineWith();
  try {
    const signal = new AbortController().signal;
    const workspace = { root, indexDir: path.join(temp.dir, 'index'), retrieval: 'always' as const };
    await engine.refreshWorkspace(workspace);
    const question = 'How does reverse_list in linked_list.py work?';
    const before = embeddingRequests();
    const result = resultOf(await collect(engine.ask(question, { signal, workspace })));
    assert.ok(result.context?.some((c) => c.path === 'linked_list.py'), JSON.stringify(result.context));
    assert.equal(embeddedTimes(question), 1, 'one embedding of the question serves retrieval and the bank');
    const counted = result.calls.filter((c) => c.stage === 'embedding');
    assert.equal(counted.length, embeddingRequests() - before, "every embedding request of the ask is in its calls, retrieval's included");
    assert.ok(counted.every((c) => c.costUsd !== null && c.costUsd > 0), 'priced');
  } finally {
    await engine.dispose();
  }
});
