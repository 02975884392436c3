/**
 * kill -9 of a first `smcs bank import`, as a user would do it, with a real child process killed with SIGKILL while
 * it writes the shards of a large generated file: it leaves a bank with no questions, its lock and its shard files,
 * and the next run — `bank stats`, another import or an ask — removes all of it and says so on stderr. The import
 * after it works and leaves only what its manifest names.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../../../../test/fixtures/bankData';
import { startCli, type CliOutcome } from '../../../../test/fixtures/cliRun';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../../test/fixtures/loopbackUpstream';

const temp = tempDir('smcs-killed-import-');
const big = path.join(temp.dir, 'big.jsonl');
const small = path.join(temp.dir, 'small.jsonl');
let upstream: LoopbackUpstream;

before(async () => {
  // 40,000 questions: four shards, several seconds of writing on a busy machine.
  writeFileSync(big, Array.from({ length: 40_000 }, (_, i) => JSON.stringify({ id: `q${i}`, question: `What is item ${i} of list ${i % 997}?`, answer: 'A', grader: 'choice', correct: { m1: i % 2 } })).join('\n'));
  writeFileSync(small, ['{"id":"s1","question":"What is 1+1?","correct":{"m1":1}}', '{"id":"s2","question":"What is 2+2?","correct":{"m1":0}}'].join('\n'));
  upstream = await startLoopbackUpstream({ models: [{ id: 'm1' }] });
});

after(async () => {
  await upstream.close();
  temp.cleanup();
});

let n = 0;
function config(bank: string): string {
  const file = path.join(temp.dir, `config-${n++}.json`);
  writeFileSync(file, JSON.stringify({ endpoints: [{ id: 'local', provider: 'vllm', baseUrl: upstream.baseUrl, models: ['m1'] }], embedding: { provider: 'lexical' }, bank, k: 1, n: 1 }));
  return file;
}

/** Starts a first import of the large file into `bank` and kills it with SIGKILL once it has written shard files. */
async function killedImport(cfg: string, bank: string): Promise<void> {
  const { child, done } = startCli(['--config', cfg, 'bank', 'import', big]);
  const deadline = Date.now() + 60_000;
  const written = () => (existsSync(path.join(bank, 'shards')) ? readdirSync(path.join(bank, 'shards')).filter((f) => !f.startsWith('.tmp-')).length : 0);
  while (written() < 2) {
    if (Date.now() > deadline) throw new Error('the import never wrote a shard');
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  const outcome = await done;
  assert.equal(outcome.signal, 'SIGKILL', `it ended by itself first: ${outcome.stderr}`);
  const left = readdirSync(bank);
  assert.ok(left.includes('manifest.json') && left.includes('writer.lock') && left.includes('creating.json'), `the kill left ${left.join(', ')}`);
}

const removedLine = (run: CliOutcome, bank: string) => new RegExp(`^smcs: (?:warn: |no question bank at .+: )?an import into ${bank} was stopped before it stored any question \\(process \\d+ on .+\\); what it left was removed: a bank with no questions, its writer lock, \\d+ shard files`, 'm').test(run.stderr);

test('bank stats after a killed first import removes what it left, says so, and finds no bank', { timeout: 180_000 }, async () => {
  const bank = path.join(temp.dir, 'stats', 'bank');
  const cfg = config(bank);
  await killedImport(cfg, bank);
  const stats = await startCli(['--config', cfg, 'bank', 'stats']).done;
  assert.equal(stats.code, 1, stats.stderr);
  assert.ok(removedLine(stats, bank), stats.stderr);
  assert.match(stats.stderr, /no question bank at/);
  assert.equal(existsSync(path.join(temp.dir, 'stats')), false, `the folders the import made are gone: ${existsSync(bank) ? readdirSync(bank, { recursive: true }).join(', ') : 'bank gone'}`);
});

test('the import after a killed first import removes its leftovers, says so, and leaves only what its manifest names', { timeout: 180_000 }, async () => {
  const bank = path.join(temp.dir, 'again');
  const cfg = config(bank);
  await killedImport(cfg, bank);
  const again = await startCli(['--config', cfg, 'bank', 'import', small, '--json']).done;
  assert.equal(again.code, 0, again.stderr);
  assert.ok(removedLine(again, bank), again.stderr);
  assert.equal((JSON.parse(again.stdout) as { size: number }).size, 2);
  const manifest = JSON.parse(readFileSync(path.join(bank, 'manifest.json'), 'utf8')) as { manifest: { shards: { name: string }[] } };
  const named = new Set(manifest.manifest.shards.map((s) => s.name));
  const orphans = readdirSync(path.join(bank, 'shards')).filter((f) => !named.has(f.replace(/\.(f32|records\.json)$/, '')));
  assert.deepEqual(orphans, [], 'no shard file that the manifest does not name');
  assert.deepEqual(readdirSync(bank).filter((f) => f === 'creating.json' || f.startsWith('writer') || f.startsWith('.tmp-')), []);
});

test('an ask after a killed first import removes its leftovers, says so, and answers without a bank', { timeout: 180_000 }, async () => {
  const bank = path.join(temp.dir, 'ask');
  const cfg = config(bank);
  await killedImport(cfg, bank);
  const ask = await startCli(['--config', cfg, 'ask', 'What is 1+1?']).done;
  assert.equal(ask.code, 0, ask.stderr);
  assert.ok(removedLine(ask, bank), ask.stderr);
  assert.equal(existsSync(bank), false);
});
