/**
 * Names that JavaScript objects carry on their prototype — `constructor`, `toString`, `hasOwnProperty`, `__proto__` —
 * are data when they come from a file: a model, a question id or a domain so named is stored, counted, exported and
 * profiled as itself, never matched to a prototype function (an import stored "function Object() { [native code] }"
 * as a model, and `__proto__`'s labels were lost). Through the real CLI, on real files.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../../../test/fixtures/bankData';
import { mcQuestions, mmluProRecord, writeMmluProFile } from '../../../../test/fixtures/importerData';
import { runCliHere } from '../../../../test/fixtures/cliRun';

const temp = tempDir('smcs-prototype-keys-');
after(temp.cleanup);
const config = path.join(temp.dir, 'config.json');
writeFileSync(config, JSON.stringify({ embedding: { provider: 'lexical' } }));
const NAMES = ['constructor', 'toString', 'hasOwnProperty', '__proto__'];

async function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCliHere(['--config', config, ...args]);
}

test('bank JSONL: models, ids and domains named after prototype members are stored, counted and exported as themselves', async () => {
  const bank = path.join(temp.dir, 'jsonl-bank');
  const file = path.join(temp.dir, 'proto.jsonl');
  // JSON text, not objects: `{"__proto__": 1}` parsed by JSON.parse is an own key, as a file delivers it.
  writeFileSync(file, [
    '{"id":"__proto__","question":"What is 1+1?","domain":"__proto__","correct":{"constructor":0,"__proto__":1,"m1":1},"tokens":{"__proto__":{"prompt":5,"completion":3}}}',
    '{"id":"constructor","question":"What is 2+2?","domain":"toString","correct":{"toString":1,"hasOwnProperty":0,"m1":0}}',
    '{"id":"toString","question":"What is 3+3?","domain":"constructor","correct":{"__proto__":0,"constructor":1}}',
  ].join('\n'));
  const imported = await cli('bank', 'import', '--bank', bank, file, '--json');
  assert.equal(imported.code, 0, imported.stderr);
  assert.deepEqual((JSON.parse(imported.stdout) as { models: string[] }).models, [...NAMES, 'm1'].sort());

  const stats = JSON.parse((await cli('bank', 'stats', '--bank', bank, '--json')).stdout) as { models: { model: string; labelled: number; correct: number; byDomain: Record<string, unknown> }[]; domains: Record<string, number> };
  const byModel = new Map(stats.models.map((m) => [m.model, m]));
  assert.deepEqual([...byModel.keys()].sort(), [...NAMES, 'm1'].sort());
  assert.deepEqual([byModel.get('constructor')?.labelled, byModel.get('constructor')?.correct], [2, 1]);
  assert.deepEqual([byModel.get('__proto__')?.labelled, byModel.get('__proto__')?.correct], [2, 1]);
  assert.deepEqual(Object.entries(stats.domains).sort(), [['__proto__', 1], ['constructor', 1], ['toString', 1]]);
  assert.deepEqual(Object.keys(byModel.get('__proto__')?.byDomain ?? {}).sort(), ['__proto__', 'constructor']);
  const text = (await cli('bank', 'stats', '--bank', bank)).stdout;
  assert.doesNotMatch(text, /native code/);

  const exported = (await cli('bank', 'export', '--bank', bank)).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; correct: Record<string, number>; tokens?: Record<string, unknown> });
  const first = exported.find((r) => r.id === '__proto__');
  assert.deepEqual(Object.entries(first?.correct ?? {}).sort(), [['__proto__', 1], ['constructor', 0], ['m1', 1]]);
  assert.deepEqual(Object.keys(first?.tokens ?? {}), ['__proto__']);
  assert.deepEqual(Object.entries(exported.find((r) => r.id === 'toString')?.correct ?? {}).sort(), [['__proto__', 0], ['constructor', 1]]);
  const labels = readFileSync(path.join(bank, readdirSync(bank).find((f) => /^labels\.g\d+\.json$/.test(f) && f !== 'labels.g0.json') ?? ''), 'utf8');
  assert.deepEqual(Object.keys((JSON.parse(labels) as { rows: object }).rows).sort(), ['__proto__', 'constructor', 'toString'], 'every row is kept, __proto__ too');
});

test('--alias maps a source named after a prototype member, and a name without an alias is kept as it is', async () => {
  const bank = path.join(temp.dir, 'alias-bank');
  const file = path.join(temp.dir, 'alias.jsonl');
  writeFileSync(file, '{"id":"a","question":"What is 5+5?","correct":{"constructor":1,"valueOf":0}}\n');
  const run = await cli('bank', 'import', '--bank', bank, file, '--alias', 'constructor=ctor-model', '--json');
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual((JSON.parse(run.stdout) as { models: string[] }).models, ['ctor-model', 'valueOf']);
});

test('MMLU-Pro: a model whose file is named after a prototype member is that model', async () => {
  const bank = path.join(temp.dir, 'mmlu-bank');
  const dir = path.join(temp.dir, 'mmlu');
  const questions = mcQuestions(3);
  await writeMmluProFile(dir, 'constructor', questions.map((q) => mmluProRecord(q, q.answer)));
  await writeMmluProFile(dir, '__proto__', questions.map((q) => mmluProRecord(q, 'A')));
  const run = await cli('bank', 'import', '--bank', bank, dir, '--json');
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual((JSON.parse(run.stdout) as { models: string[] }).models, ['__proto__', 'constructor']);
  const stats = JSON.parse((await cli('bank', 'stats', '--bank', bank, '--json')).stdout) as { models: { model: string; labelled: number; correct: number }[] };
  assert.deepEqual(stats.models.find((m) => m.model === 'constructor')?.correct, 3);
  assert.deepEqual(stats.models.find((m) => m.model === '__proto__')?.labelled, 3);
});
