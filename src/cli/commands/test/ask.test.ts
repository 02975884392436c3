/** `smcs ask` as a user runs it (real process, real files, loopback server): threads, costs and the cost ceiling. */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../../../test/fixtures/cliRun';
import { tempDir } from '../../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../../test/fixtures/loopbackUpstream';

const temp = tempDir('smcs-cli-ask-');
let server: LoopbackUpstream;
const MODELS = ['m1', 'm2', 'agg'];
const PRICE = { prompt: 0.000003, completion: 0.000015 };

before(async () => {
  server = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id, pricing: PRICE })) });
  server.script('m1', { reply: 'Use sorted(xs, key=len).' });
  server.script('m2', { reply: 'Call xs.sort(key=len) to sort in place.' });
  server.script('agg', { reply: 'Sort by length with sorted(xs, key=len), or xs.sort(key=len) in place.' });
});

after(async () => {
  await server.close();
  temp.cleanup();
});

async function config(extra: Record<string, unknown> = {}): Promise<string> {
  const file = path.join(temp.dir, `config-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(
    file,
    JSON.stringify({
      endpoints: [{ id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: MODELS }],
      embedding: { provider: 'lexical' },
      aggregator: 'agg',
      bank: path.join(temp.dir, 'bank'),
      k: 2,
      n: 2,
      // Draws both subsets of the two replies for 'How do I reverse a list?' and for 'and in reverse?' as a follow-up.
      seed: 4,
      maxTokens: 256,
      ...extra,
    }),
  );
  return file;
}

type Message = { role: string; content: string };

test('--thread: the first ask creates the file, a follow-up sends the earlier turn to every model and appends', async () => {
  const thread = path.join(temp.dir, 'thread.json');
  const cfg = await config();
  const first = await runCli(['--config', cfg, 'ask', 'How do I sort a list of strings by length in Python?', '--thread', thread, '--json']);
  assert.equal(first.code, 0, first.stderr);
  const firstDoc = JSON.parse(first.stdout) as { thread: number; answer: string };
  assert.equal(firstDoc.thread, 1);
  const saved = JSON.parse(await readFile(thread, 'utf8')) as { turns: { question: string; answer: string }[] };
  assert.deepEqual(saved.turns, [{ question: 'How do I sort a list of strings by length in Python?', answer: firstDoc.answer }]);

  const before = server.requests.length;
  const second = await runCli(['--config', cfg, 'ask', 'and in reverse?', '--thread', thread, '--json']);
  assert.equal(second.code, 0, second.stderr);
  assert.equal((JSON.parse(second.stdout) as { thread: number }).thread, 2);
  const calls = server.requests.slice(before).filter((r) => r.path.endsWith('/chat/completions'));
  assert.equal(calls.length, 4, 'two referencers and two aggregations');
  for (const call of calls) {
    const messages = (call.body.messages as Message[]).filter((m) => m.role !== 'system');
    assert.deepEqual(messages, [
      { role: 'user', content: 'How do I sort a list of strings by length in Python?' },
      { role: 'assistant', content: firstDoc.answer },
      { role: 'user', content: 'and in reverse?' },
    ], `${call.model} got the earlier question and answer as prior turns`);
  }
  assert.equal((JSON.parse(await readFile(thread, 'utf8')) as { turns: unknown[] }).turns.length, 2);
});

test('a thread file that is not a thread is refused with exit 2, naming the file', async () => {
  const bad = path.join(temp.dir, 'bad-thread.json');
  await writeFile(bad, '{"turns": [{"question": "q"}]}');
  const run = await runCli(['--config', await config(), 'ask', 'hello', '--thread', bad]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--thread .*bad-thread\.json: turns\[0\] must be/);
});

test('--json carries the cost of every call: costUsd equals the reported usage times the listed prices', async () => {
  const before = server.requests.length;
  const run = await runCli(['--config', await config(), 'ask', 'How do I reverse a list?', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const doc = JSON.parse(run.stdout) as { costUsd: number; tokens: { prompt: number; completion: number }; calls: { stage: string; model: string; costUsd: number; latencyMs: number; tokens: { prompt: number; completion: number } }[] };
  const reported = server.requests.slice(before).filter((r) => r.path.endsWith('/chat/completions'));
  const expected = reported.reduce((sum, r) => sum + (r.usage?.prompt_tokens ?? 0) * PRICE.prompt + (r.usage?.completion_tokens ?? 0) * PRICE.completion, 0);
  assert.ok(Math.abs(doc.costUsd - expected) <= 0.01 * expected, `costUsd ${doc.costUsd} vs ${expected}`);
  assert.equal(doc.calls.length, 4);
  for (const c of doc.calls) {
    assert.ok(['referencer', 'aggregation'].includes(c.stage));
    assert.equal(typeof c.latencyMs, 'number');
    assert.ok(Math.abs(c.costUsd - (c.tokens.prompt * PRICE.prompt + c.tokens.completion * PRICE.completion)) < 1e-12);
  }
  assert.equal(doc.tokens.prompt, doc.calls.reduce((s, c) => s + c.tokens.prompt, 0));
});

test('a plan whose expected cost is above maxCostPerQuestion is refused with exit 2, the worst case beside it, unless --max-cost allows it', async () => {
  const cfg = await config({ maxCostPerQuestion: 0.0001 });
  const before = server.requests.length;
  const refused = await runCli(['--config', cfg, 'ask', 'How do I reverse a list?']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /is expected to cost \$[\d.]+ \(at worst \$[\d.]+\), above the limit of maxCostPerQuestion, \$0\.0001.*: pass --max-cost [\d.]+ to send it anyway/);
  assert.equal(server.requests.slice(before).filter((r) => r.path.endsWith('/chat/completions')).length, 0, 'nothing was sent');
  const allowed = await runCli(['--config', cfg, 'ask', 'How do I reverse a list?', '--max-cost', '5']);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.match(allowed.stdout, /cost \$[\d.]+ · [\d,]+ prompt \+ [\d,]+ completion tokens in 4 calls/);
  assert.equal((await runCli(['--config', cfg, 'ask', 'x', '--max-cost', 'lots'])).code, 2);
  const lower = await runCli(['--config', cfg, 'ask', 'How do I reverse a list?', '--max-cost', '0.00001']);
  assert.equal(lower.code, 2);
  assert.match(lower.stderr, /above the limit of --max-cost, \$0\.00001/, 'the limit that refused it is the one given for this question');
});

test('text output: an answer cannot drive the terminal, and the cost line says how many calls had no price', async () => {
  const unpriced = await startLoopbackUpstream({ models: [{ id: 'plain-agg' }] });
  try {
    // OSC 52 would write the user's clipboard, OSC 0 the window title; CSI colours and a bare CR could hide text.
    unpriced.script('plain-agg', { reply: '\u001b]52;c;cm0gLXJmIH4=\u0007\u001b]0;owned\u0007Use \u001b[31mreversed\u001b[0m(xs).\rHIDDEN\r\nDone.' });
    const cfg = await config({
      endpoints: [
        { id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: MODELS },
        { id: 'plain', provider: 'vllm', baseUrl: unpriced.baseUrl, models: ['plain-agg'] },
      ],
      aggregator: 'plain-agg',
    });
    const run = await runCli(['--config', cfg, 'ask', 'How do I reverse a list?']);
    assert.equal(run.code, 0, run.stderr);
    // eslint-disable-next-line no-control-regex -- the test looks for control characters
    assert.doesNotMatch(run.stdout, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/, 'no control character reaches the terminal');
    assert.match(run.stdout, /Use reversed\(xs\)\.HIDDEN\r?\nDone\./);
    assert.match(run.stdout, /cost \$[\d.]+ · [\d,]+ prompt \+ [\d,]+ completion tokens in 4 calls \(2 without a price, not counted\)/);
  } finally {
    await unpriced.close();
  }
});
