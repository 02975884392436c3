/** The `smcs` command as a user runs it: real processes, real files, the loopback OpenAI-compatible server. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../../../test/fixtures/cliRun';
import { specialistBank } from '../../../test/fixtures/routingData';
import { tempDir } from '../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';

const temp = tempDir('smcs-cli-');
const dir = temp.dir;
let server: LoopbackUpstream;

before(async () => {
  server = await startLoopbackUpstream({ models: ['m1', 'm2', 'm3', 'agg'].map((id) => ({ id })) });
  for (const m of ['m1', 'm2', 'm3']) server.script(m, { reply: `Reply of ${m}: use a dict for O(1) lookups.` });
  let n = 0;
  server.script('agg', { reply: () => `Combined answer ${n++}: a dict (hash map) gives O(1) average lookups.` });
});

after(async () => {
  await server.close();
  temp.cleanup();
});

async function config(extra: Record<string, unknown> = {}): Promise<string> {
  const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(
    file,
    JSON.stringify({
      endpoints: [{ id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: ['m1', 'm2', 'm3', 'agg'] }],
      embedding: { provider: 'lexical' },
      aggregator: 'agg',
      bank: path.join(dir, 'bank'),
      k: 3,
      n: 3,
      ...extra,
    }),
  );
  return file;
}

test('--help works for every command; bad usage exits 2', async () => {
  for (const args of [['--help'], ['ask', '--help'], ['bank', 'import', '--help'], ['eval', 'routing', '--help'], ['bench', '--help']]) {
    const run = await runCli(args);
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stdout, /Usage: smcs/);
  }
  assert.equal((await runCli(['frobnicate'])).code, 2);
  assert.equal((await runCli(['eval', 'routing', '--bank-file', 'x.jsonl', '--k', 'zero'])).code, 2);
});

test('a bad config exits 2 and names the field and the file', async () => {
  const file = await config({ gamma: 3 });
  const run = await runCli(['--config', file, 'ask', 'hello']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /gamma/);
  assert.match(run.stderr, new RegExp(path.basename(file)));
});

test('ask --json prints the documented result document', async () => {
  // Seed 7 draws three different subsets of the three replies for this question (a subset drawn twice is aggregated once).
  const run = await runCli(['--config', await config({ seed: 7 }), 'ask', 'How do I make lookups fast in Python?', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const doc = JSON.parse(run.stdout);
  for (const key of ['question', 'support', 'priors', 'referencers', 'aggregator', 'candidates', 'winner', 'logprobsUsed', 'timings', 'usage']) {
    assert.ok(key in doc, `missing ${key}`);
  }
  assert.equal(doc.aggregator, 'agg');
  assert.equal(doc.candidates.length, 3);
  assert.deepEqual(doc.referencers.map((r: { model: string }) => r.model), ['m1', 'm2', 'm3']);
  for (const key of ['embedMs', 'retrieveMs', 'referencersMs', 'aggregateMs', 'scoreMs', 'totalMs']) assert.equal(typeof doc.timings[key], 'number');
  assert.ok(doc.candidates[doc.winner].text.startsWith('Combined answer'));
});

test('ask reads a question too long for the shell from stdin (-) or --question-file, and says how when there is none', async () => {
  const question = `Why is this slow?\n${'const total = items.map((item) => item.price * item.count);\n'.repeat(3000)}`;
  assert.ok(question.length > 128 * 1024, 'past what a shell passes as one argument');
  const piped = await runCli(['--config', await config(), 'ask', '-', '--json'], {}, question);
  assert.equal(piped.code, 0, piped.stderr);
  assert.equal(JSON.parse(piped.stdout).question, question);
  const file = path.join(dir, 'question.txt');
  await writeFile(file, question);
  const fromFile = await runCli(['--config', await config(), 'ask', '--question-file', file, '--json']);
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.equal(JSON.parse(fromFile.stdout).question, question);
  const none = await runCli(['--config', await config(), 'ask']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no question: give it as the argument, - to read it from stdin, or --question-file FILE/);
  const both = await runCli(['--config', await config(), 'ask', 'q', '--question-file', file]);
  assert.equal(both.code, 2);
});

test('ask prints why the answer is the answer, the winner and a table of candidates and references', async () => {
  const run = await runCli(['--config', await config(), 'ask', 'How do I make lookups fast in Python?']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^answer: candidate \d of \d, the highest score\nCombined answer \d/);
  assert.match(run.stdout, /← winner/);
  assert.match(run.stdout, /reference\s+record/);
  assert.match(run.stdout, /m1\s+no label among the similar questions/);
});

test('ask fails with exit 1 naming each referencer when all fail', async () => {
  const broken = await startLoopbackUpstream({ models: [{ id: 'x' }, { id: 'y' }] });
  try {
    for (const m of ['x', 'y']) broken.script(m, { fail: { status: 400, message: `${m} is broken` } });
    const file = path.join(dir, 'broken.json');
    await writeFile(file, JSON.stringify({ endpoints: [{ id: 'b', provider: 'vllm', baseUrl: broken.baseUrl, models: ['x', 'y'] }], embedding: { provider: 'lexical' }, bank: path.join(dir, 'none') }));
    const run = await runCli(['--config', file, 'ask', 'anything']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /x: .*broken/);
    assert.match(run.stderr, /y: .*broken/);
  } finally {
    await broken.close();
  }
});

test('bank import → stats → export round trip; with --strict a bad line refuses the file naming the line and field', async () => {
  const file = path.join(dir, 'bank.jsonl');
  await writeFile(
    file,
    [
      { id: 'a', question: 'How do I reverse a list in Python?', correct: { m1: 1, m2: 0 }, domain: 'python' },
      { id: 'b', question: 'How do I read a file line by line in Go?', correct: { m1: 0, m2: 1 }, domain: 'go' },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n'),
  );
  const cfg = await config();
  const imported = await runCli(['--config', cfg, 'bank', 'import', file, '--json']);
  assert.equal(imported.code, 0, imported.stderr);
  assert.deepEqual(JSON.parse(imported.stdout).added, 2);
  const stats = JSON.parse((await runCli(['--config', cfg, 'bank', 'stats', '--json'])).stdout);
  assert.equal(stats.size, 2);
  assert.deepEqual(
    stats.models.map((m: { model: string; accuracy: number }) => [m.model, m.accuracy]).sort(),
    [['m1', 0.5], ['m2', 0.5]],
  );
  const exported = await runCli(['--config', cfg, 'bank', 'export']);
  assert.equal(exported.code, 0);
  const lines = exported.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.id).sort(), ['a', 'b']);
  assert.equal(lines[0].embedding.length, 512);

  const bad = path.join(dir, 'bad.jsonl');
  await writeFile(bad, `${JSON.stringify({ id: 'c', question: 'ok' })}\n{"id": "d"}\n`);
  const refused = await runCli(['--config', cfg, 'bank', 'import', bad, '--strict']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /bad\.jsonl line 2: question: is required/);
  const after = JSON.parse((await runCli(['--config', cfg, 'bank', 'stats', '--json'])).stdout);
  assert.equal(after.size, 2, 'nothing of the refused file was written');
});

test('eval routing on a bank where specialists win: RPS beats the best single model', async () => {
  const file = path.join(dir, 'routing.jsonl');
  const records = specialistBank({ questions: 400, topics: 4, dim: 16, seed: 3 });
  await writeFile(file, records.map((r) => JSON.stringify(r)).join('\n'));
  const run = await runCli(['eval', 'routing', '--bank-file', file, '--k', '2', '--n-base', '20', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.equal(report.n, 400);
  assert.equal(report.folds, 5);
  assert.ok(report.top1 > report.bestSingle + 0.15, `top1 ${report.top1} bestSingle ${report.bestSingle}`);
  for (const key of ['random', 'oracle', 'anyK', 'rankScore', 'bestModel']) assert.ok(key in report);
  // The shrunk priors beside the paper's: each fold's α, and how often they choose differently.
  for (const key of ['alpha', 'alphaByFold', 'top1', 'anyK', 'rankScore', 'topDiffers', 'setDiffers']) assert.ok(key in report.shrunk, key);
  assert.equal(report.shrunk.alphaByFold.length, 5);
  const text = await runCli(['eval', 'routing', '--bank-file', file, '--k', '2', '--n-base', '20', '--prior-shrinkage', '0']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /RPS top-1 +(\d+\.\d)%[^]*shrunk priors α=0 \(per fold 0, 0, 0, 0, 0\)\n {2}top-1 +\1%/);
  assert.match(text.stdout, /differs +top model on 0\.0% of questions, set of K on 0\.0%/);
  const bad = await runCli(['eval', 'routing', '--bank-file', file, '--prior-shrinkage', 'lots']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--prior-shrinkage must be auto or a number from 0 to 1000000, got "lots"/);
});
