/**
 * What `smcs` loads, in this process (runCliHere): a plain ask over a bank loads neither mathjs (~0.5–0.8 CPU-seconds,
 * for mathematical final answers only) nor vectra (the bank is read from its snapshots; vectra writes shards, and its
 * package index loads a web fetcher and a tokenizer: cheerio, axios, gpt-tokenizer), which made every start of the CLI
 * and of the editor's engine slower; a question whose replies are expressions loads mathjs then, and compares them as
 * mathematics. The file runs in a test process of its own (scripts/run-unit.mjs), so nothing loaded these before; the
 * bank is imported by a child.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, runCliHere } from '../../../test/fixtures/cliRun';
import { tempDir } from '../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';

const temp = tempDir('smcs-cli-loaded-');
const MODELS = ['m1', 'm2', 'm3'];
let server: LoopbackUpstream;
let configFile: string;

/** The packages (by node_modules folder) of every module this process has loaded with require. */
function loadedPackages(): Set<string> {
  const names = Object.keys(require.cache).map((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(file.split(path.sep).join('/')));
  return new Set(names.flatMap((m) => (m?.[1] ? [m[1]] : [])));
}

const HEAVY = ['mathjs', 'vectra', 'cheerio', 'axios', 'gpt-tokenizer'];

before(async () => {
  server = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
  configFile = path.join(temp.dir, 'config.json');
  await writeFile(
    configFile,
    JSON.stringify({
      endpoints: [{ id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: MODELS }],
      embedding: { provider: 'lexical' },
      aggregator: 'm1',
      bank: path.join(temp.dir, 'bank'),
      k: 3,
      n: 1,
      maxTokens: 128,
    }),
  );
  const questions = path.join(temp.dir, 'bank.jsonl');
  const lines = [
    { id: 'q1', question: 'How do I look up values by key in Python?', correct: { m1: 1, m2: 0, m3: 1 } },
    { id: 'q2', question: 'What is a closure in JavaScript?', correct: { m1: 0, m2: 1, m3: 1 } },
  ];
  await writeFile(questions, lines.map((line) => JSON.stringify(line)).join('\n'));
  const imported = await runCli(['--config', configFile, 'bank', 'import', questions]);
  assert.equal(imported.code, 0, imported.stderr);
});

after(async () => {
  await server.close();
  temp.cleanup();
});

test('a plain ask over a bank loads neither mathjs nor vectra; replies that are expressions load mathjs and agree as mathematics', async () => {
  for (const m of MODELS) server.script(m, { reply: `Use a dict: lookups are O(1) on average (${m}).` });
  const plain = await runCliHere(['--config', configFile, 'ask', 'How do I look up values by key quickly in Python?', '--json']);
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal((JSON.parse(plain.stdout) as { support?: { count: number } }).support?.count, 2, 'the ask retrieved both bank questions');
  assert.deepEqual(HEAVY.filter((name) => loadedPackages().has(name)), [], 'loaded by a plain ask');

  server.script('m1', { reply: 'Factor the numerator: the answer is $\\boxed{x+1}$.' });
  server.script('m2', { reply: 'Cancelling x-1 leaves $\\boxed{1+x}$.' });
  server.script('m3', { reply: 'It stays $\\boxed{\\frac{x^2-1}{x-1}}$.' });
  const math = await runCliHere(['--config', configFile, 'ask', 'Simplify $\\frac{x^2-1}{x-1}$.', '--json']);
  assert.equal(math.code, 0, math.stderr);
  assert.ok(loadedPackages().has('mathjs'), 'mathjs is loaded once replies are expressions');
  const result = JSON.parse(math.stdout) as { agreement?: { agreeing: number; of: number; split: unknown[] } };
  const { agreeing, of, split } = result.agreement ?? {};
  assert.deepEqual({ agreeing, of, answers: split?.length }, { agreeing: 3, of: 3, answers: 1 }, 'x+1, 1+x and (x²-1)/(x-1) are one answer');
});
