/**
 * What `smcs` loads, in this process (runCliHere): a plain ask loads neither mathjs (~0.5–0.8 CPU-seconds, for
 * mathematical final answers only) nor vectra's package index (its web fetcher and tokenizer: cheerio, axios,
 * gpt-tokenizer), which made every start of the CLI and of the editor's engine slower; a question whose replies are
 * expressions loads mathjs then, and compares them as mathematics. The file runs alone in its process, so nothing
 * loaded these before.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runCliHere } from '../../../test/fixtures/cliRun';
import { tempDir } from '../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';

const temp = tempDir('smcs-cli-loaded-');
const MODELS = ['m1', 'm2', 'm3'];
let server: LoopbackUpstream;
let configFile: string;

/** The packages (by node_modules folder) of every module this process has loaded with require. */
function loadedPackages(): Set<string> {
  const names = Object.keys(require.cache).map((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(file.split(path.sep).join('/')));
  return new Set(names.flatMap((m) => (m ? [m[1] === 'vectra' && m[2] === 'lib/index.js' ? 'vectra (package index)' : (m[1] ?? '')] : [])));
}

const HEAVY = ['mathjs', 'vectra (package index)', 'cheerio', 'axios', 'gpt-tokenizer'];

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
});

after(async () => {
  await server.close();
  temp.cleanup();
});

test('a plain ask loads neither mathjs nor vectra\'s package index; replies that are expressions load mathjs and agree as mathematics', async () => {
  for (const m of MODELS) server.script(m, { reply: `Use a dict: lookups are O(1) on average (${m}).` });
  const plain = await runCliHere(['--config', configFile, 'ask', 'How do I look up values by key quickly in Python?', '--json']);
  assert.equal(plain.code, 0, plain.stderr);
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
