/**
 * `smcs ask` ends by itself whatever the upstreams do, as a user runs it (a child process, loopback servers): a reply
 * that never stops is cut at our output ceiling, one that trickles forever at `maxCallMs`, each kept as far as it got
 * and the answer says so; one that only reasons until `maxCallMs` fails naming the model and the limit.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../../../test/fixtures/cliRun';
import { tempDir } from '../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';

const temp = tempDir('smcs-cli-limits-');
let server: LoopbackUpstream;

before(async () => {
  server = await startLoopbackUpstream({ models: ['runaway', 'trickle', 'ponder', 'agg'].map((id) => ({ id })) });
  server.script('runaway', { endless: true, floodChunkBytes: 60 });
  server.script('trickle', { endless: true, floodChunkBytes: 1, chunkDelayMs: 100 });
  server.script('agg', { reply: 'Use a dict.' });
});

after(async () => {
  await server.close();
  temp.cleanup();
});

async function config(name: string, models: string[]): Promise<string> {
  const file = path.join(temp.dir, `${name}.json`);
  const endpoint = { id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models, timeoutMs: 1000, maxCallMs: 1500 };
  await writeFile(file, JSON.stringify({ endpoints: [endpoint], embedding: { provider: 'lexical' }, bank: path.join(temp.dir, `bank-${name}`), aggregator: 'agg', k: 1, n: 1, maxTokens: 100 }));
  return file;
}

test('a referencer that never stops is read up to the ceiling: the ask answers and says what it cut', { timeout: 60_000 }, async () => {
  const file = await config('runaway', ['runaway', 'agg']);
  const started = Date.now();
  const asked = await runCli(['--config', file, 'ask', 'How do I count words in Python?', '--json']);
  assert.equal(asked.code, 0, asked.stderr);
  const result = JSON.parse(asked.stdout) as { answer: string; stoppedOutput?: { model: string; stage: string; tokens: number }[] };
  assert.equal(result.answer, 'Use a dict.');
  assert.deepEqual(result.stoppedOutput?.map((s) => s.model), ['runaway']);
  const text = await runCli(['--config', file, 'ask', 'How do I count words in Python?']);
  assert.match(text.stdout, /runaway \(referencer\): stopped at about 6\d\d tokens, far past max_tokens: the reply is kept as far as it got/);
  assert.ok(Date.now() - started < 30_000);
});

test('a referencer that trickles forever ends at maxCallMs: the ask answers with what arrived and says so', { timeout: 60_000 }, async () => {
  const file = await config('trickle', ['trickle', 'agg']);
  const started = Date.now();
  const asked = await runCli(['--config', file, 'ask', 'How do I count words in Python?', '--json']);
  assert.equal(asked.code, 0, asked.stderr);
  const result = JSON.parse(asked.stdout) as { answer: string; referencers: { model: string; ok: boolean; text: string }[]; stoppedOutput?: { model: string; stage: string; limit: string; ms: number }[] };
  assert.equal(result.answer, 'Use a dict.');
  assert.ok((result.referencers.find((r) => r.model === 'trickle')?.text.length ?? 0) > 0, 'what arrived is kept');
  assert.deepEqual(result.stoppedOutput?.map((s) => [s.model, s.stage, s.limit]), [['trickle', 'referencer', 'maxCallMs']]);
  const text = await runCli(['--config', file, 'ask', 'How do I count words in Python?']);
  assert.match(text.stdout, /trickle \(referencer\): stopped after 1\.\d s, the most one call may take \(maxCallMs\): the reply is kept as far as it got/);
  assert.ok(Date.now() - started < 30_000);
});

test('a referencer that sends nothing but reasoning until maxCallMs fails naming the model and the limit', { timeout: 60_000 }, async () => {
  server.script('ponder', { reasoning: 'hmm '.repeat(2000), reply: 'late', chunkDelayMs: 20 });
  const file = await config('ponder', ['ponder', 'agg']);
  const asked = await runCli(['--config', file, 'ask', 'How do I count words in Python?']);
  assert.equal(asked.code, 1);
  assert.match(asked.stderr, /model ponder: no complete reply within 1500 ms, the most one call may take \(maxCallMs of endpoint local\)/);
});
