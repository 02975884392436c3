/**
 * Attribution upstream: inside an attributed ask every request of a real engine — the question's embedding, each
 * referencer, the aggregation, the tests the aggregator writes, and a relayed request — carries the member as `user`
 * and names the ask and its own stage in `metadata`, at a loopback upstream; outside one, none does.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { collect, testHooks } from '../../../test/fixtures/askHarness';
import { tempDir } from '../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream, type RecordedRequest } from '../../../test/fixtures/loopbackUpstream';
import { parseConfig } from '../../core/contracts/config';
import { createEngine } from '../../engine/engine';
import { withAttribution } from '../attribution';

const FACTORIAL = 'Write a Python function factorial(n) that returns n! for n ≥ 0.';
const CODE = 'Iterative.\n\n```python\ndef factorial(n):\n    r = 1\n    for i in range(2, n + 1):\n        r *= i\n    return r\n```';
const TESTS_REPLY = '```json\n{"tests": [{"args": [0], "expected": 1}, {"args": [3], "expected": 6}]}\n```';
/** The tests call is the one whose system prompt asks for small tests (core/checks/modelTests). */
const isTestsCall = (r: RecordedRequest): boolean => JSON.stringify(r.body.messages ?? []).includes('small tests');

const { dir: root, cleanup } = tempDir('smcs-attribution-');
let upstream: LoopbackUpstream;
let engine: Awaited<ReturnType<typeof createEngine>>;

before(async () => {
  upstream = await startLoopbackUpstream({ models: [{ id: 'a' }, { id: 'b' }], defaults: { reply: (r) => (isTestsCall(r) ? TESTS_REPLY : CODE) } });
  const config = parseConfig({
    endpoints: [{ id: 'gateway', provider: 'openrouter', baseUrl: upstream.baseUrl, models: ['a', 'b'], apiKeyEnv: 'SMCS_ATTRIBUTION_TEST_KEY' }],
    embedding: { provider: 'endpoint', endpoint: 'gateway', model: 'embed' },
    bank: path.join(root, 'bank'),
    aggregator: 'a',
    k: 2,
    n: 1,
    maxTokens: 256,
  });
  process.env.SMCS_ATTRIBUTION_TEST_KEY = 'upstream-key';
  engine = await createEngine(config, testHooks(path.join(root, 'storage')));
});
after(async () => {
  await engine.dispose();
  await upstream.close();
  cleanup();
});

/** The stage a request serves, told from what it asks (not from what it says about itself). */
function servedStage(r: RecordedRequest): string {
  if (r.path === '/v1/embeddings') return 'embedding';
  if (r.body.stream !== true) return 'routed';
  if (isTestsCall(r)) return 'tests';
  return r.body.logprobs === true ? 'aggregation' : 'referencer';
}

test('every request of an attributed ask names its member, its ask and its own stage; a relayed request is routed', async () => {
  const from = upstream.requests.length;
  const attribution = { user: 'alice', askId: 'ask-1' };
  const events = await withAttribution(attribution, () => collect(engine.ask(FACTORIAL, { signal: new AbortController().signal })));
  assert.equal(events.at(-1)?.type, 'done');
  const relayed = await withAttribution(attribution, () => engine.relay('b', { model: 'b', messages: [{ role: 'user', content: 'hi' }] }, new AbortController().signal));
  assert.ok(relayed.ok);
  for await (const chunk of relayed.body) assert.ok(chunk.length > 0);
  const sent = upstream.requests.slice(from).filter((r) => r.method === 'POST');
  assert.deepEqual([...new Set(sent.map(servedStage))].sort(), ['aggregation', 'embedding', 'referencer', 'routed', 'tests']);
  for (const r of sent) {
    assert.equal(r.body.user, 'alice');
    assert.deepEqual(r.body.metadata, { smcs_ask_id: 'ask-1', smcs_stage: servedStage(r) }, `${r.path} ${r.model ?? ''}`);
  }
});

test('requests outside an attributed ask carry neither user nor metadata', async () => {
  const from = upstream.requests.length;
  const events = await collect(engine.ask(`${FACTORIAL} Use recursion.`, { signal: new AbortController().signal }));
  assert.equal(events.at(-1)?.type, 'done');
  const sent = upstream.requests.slice(from).filter((r) => r.method === 'POST');
  assert.ok(sent.length >= 3);
  assert.ok(sent.every((r) => r.body.user === undefined && r.body.metadata === undefined));
});
