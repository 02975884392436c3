/** Money in the CLI's `--json` documents: rounded where printed (presentation/jsonDocument), summed unrounded, in every command that prints money. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../../../test/fixtures/cliRun';
import { tempDir } from '../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { roundUsd } from '../../presentation/format';

const temp = tempDir('smcs-cli-money-');
let server: LoopbackUpstream;

before(async () => {
  server = await startLoopbackUpstream({ models: ['m1', 'm2', 'm3', 'agg'].map((id) => ({ id })) });
  for (const m of ['m1', 'm2', 'm3']) server.script(m, { reply: `Reply of ${m}: use a dict for O(1) lookups, it hashes the key.` });
  let n = 0;
  server.script('agg', { reply: () => `Combined answer ${n++}: a dict (hash map) gives O(1) average lookups.` });
});

after(async () => {
  await server.close();
  temp.cleanup();
});

/** Every number under a money key of a parsed document, with where it is. */
function moneyFields(value: unknown, where = '$'): { where: string; usd: number }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => moneyFields(v, `${where}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => (typeof v === 'number' && /usd/i.test(key) ? [{ where: `${where}.${key}`, usd: v }] : moneyFields(v, `${where}.${key}`)));
}

test('ask --json prints every cost without float noise, and the total is the rounded sum of the unrounded calls', async () => {
  // Prices whose products with token counts are not exact in binary floating point.
  const price = { prompt: 0.3, completion: 0.7 };
  const file = path.join(temp.dir, 'priced.json');
  await writeFile(
    file,
    JSON.stringify({
      endpoints: [{ id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: ['m1', 'm2', 'm3', 'agg'].map((id) => ({ id, price })) }],
      embedding: { provider: 'lexical' },
      aggregator: 'agg',
      bank: path.join(temp.dir, 'bank'),
      k: 3,
      n: 3,
    }),
  );
  const run = await runCli(['--config', file, 'ask', 'How do I make lookups fast in Python?', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const doc = JSON.parse(run.stdout) as { costUsd: number; calls: { tokens: { prompt: number; completion: number }; costUsd: number }[] };
  const fields = moneyFields(doc);
  assert.ok(fields.length >= 1 + 6 + 3, `money fields: ${fields.map((f) => f.where).join(', ')}`);
  for (const f of fields) assert.equal(f.usd, roundUsd(f.usd), `${f.where} = ${f.usd}`);
  const exact = doc.calls.map((c) => (c.tokens.prompt * price.prompt + c.tokens.completion * price.completion) / 1e6);
  for (const [i, c] of doc.calls.entries()) assert.equal(c.costUsd, roundUsd(exact[i] ?? Number.NaN), `calls[${i}]`);
  assert.equal(doc.costUsd, roundUsd(exact.reduce((a, b) => a + b, 0)));
});

test('profile --json prints its estimate and its run cost without float noise', async () => {
  const price = { prompt: 0.3, completion: 0.7 };
  const bank = path.join(temp.dir, 'bank-profile');
  const file = path.join(temp.dir, 'profile.json');
  await writeFile(file, JSON.stringify({ endpoints: [{ id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: ['m1', 'm2'].map((id) => ({ id, price })) }], embedding: { provider: 'lexical' }, bank }));
  const questions = path.join(temp.dir, 'questions.jsonl');
  await writeFile(questions, ['q-1', 'q-2', 'q-3', 'q-4', 'q-5'].map((id) => JSON.stringify({ id, question: `Pick one (${id}): (A) a dict (B) a list`, answer: 'A', grader: 'choice' })).join('\n'));
  assert.equal((await runCli(['--config', file, 'bank', 'import', questions])).code, 0);
  const run = await runCli(['--config', file, 'profile', '--yes', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const fields = moneyFields(JSON.parse(run.stdout));
  assert.ok(fields.some((f) => f.where === '$.run.costUsd') && fields.some((f) => f.where === '$.estimate.costUsd'), `money fields: ${fields.map((f) => f.where).join(', ')}`);
  for (const f of fields) assert.equal(f.usd, roundUsd(f.usd), `${f.where} = ${f.usd}`);
});
