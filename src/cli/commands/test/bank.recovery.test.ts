import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { startLoopbackUpstream } from '../../../../test/fixtures/loopbackUpstream';
import { tempDir } from '../../../../test/fixtures/bankData';
import { runCliHere as runCli } from '../../../../test/fixtures/cliRun';

const { dir: root, cleanup } = tempDir('smcs-cli-recovery-');
after(cleanup);
const env = { SMCS_HOME: path.join(root, 'home') };
let n = 0;

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A bank built by two imports (generation 1: 3 questions, generation 2: 2 more and a label), then damaged by `damage`. */
async function damagedBank(damage: (bank: string) => void): Promise<{ config: string; bank: string }> {
  const bank = path.join(root, `bank-${n}`);
  const config = path.join(root, `config-${n++}.json`);
  writeFileSync(config, JSON.stringify({ endpoints: [], embedding: { provider: 'lexical' }, bank }));
  const first = path.join(root, `first-${n}.jsonl`);
  writeFileSync(first, jsonl([1, 2, 3].map((i) => ({ id: `q-${i}`, question: `What does snippet ${i} print?`, correct: { m: 1 } }))));
  const second = path.join(root, `second-${n}.jsonl`);
  writeFileSync(second, jsonl([{ id: 'q-1', question: 'x', correct: { other: 0 } }, ...[4, 5].map((i) => ({ id: `q-${i}`, question: `Why does loop ${i} never end?`, correct: { m: 0 } }))]));
  for (const file of [first, second]) assert.equal((await runCli(['bank', 'import', '--config', config, file], env)).code, 0);
  damage(bank);
  return { config, bank };
}
const truncateManifest = (bank: string) => truncateSync(path.join(bank, 'manifest.json'), 120);

describe('a damaged bank says so on every command until it is resolved', () => {
  it('stats, export, feedback list and import warn on stderr naming the lost generation; recover restores it', async () => {
    const { config, bank } = await damagedBank(truncateManifest);
    const lost = /^smcs: warning: bank at .*: generation 2 \(5 questions, 2 questions of them and its labels\) could not be loaded \(manifest\.json: not valid JSON .*\); the bank holds generation 1 \(3 questions\) instead; its files are still in place\. Run "smcs bank recover"/m;
    for (const args of [['bank', 'stats'], ['bank', 'export'], ['bank', 'feedback', 'list']]) {
      const out = await runCli([...args, '--config', config], env);
      assert.equal(out.code, 0, `${args.join(' ')}: ${out.stderr}`);
      assert.match(out.stderr, lost, args.join(' '));
      assert.equal(out.stderr.split('\n').filter((l) => l.startsWith('smcs: warning: bank at')).length, 1, 'one warning line');
    }
    assert.match((await runCli(['bank', 'stats', '--config', config], env)).stdout, /3 questions/);

    const more = path.join(root, `more-${n}.jsonl`);
    writeFileSync(more, jsonl([{ id: 'q-6', question: 'What is a race condition?' }]));
    const imported = await runCli(['bank', 'import', '--config', config, more], env);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stderr, new RegExp(`generation 2 .* its files are kept in ${escape(path.join(bank, 'recovery', 'g2'))}`));
    assert.ok(readdirSync(path.join(bank, 'recovery', 'g2', 'shards')).length > 0, 'the import kept generation 2 aside');
    const stats = await runCli(['bank', 'stats', '--config', config, '--json'], env);
    assert.match(stats.stderr, /kept in .*recovery/);

    const recovered = await runCli(['bank', 'recover', '--config', config], env);
    assert.equal(recovered.code, 0, recovered.stderr);
    assert.match(recovered.stdout, /restored generation 2: 2 questions and 6 labels put back\nthe bank holds 6 questions/);
    const clean = await runCli(['bank', 'stats', '--config', config, '--json'], env);
    assert.equal(clean.stderr, '');
    const models = (JSON.parse(clean.stdout) as { size: number; models: { model: string; labelled: number }[] });
    assert.equal(models.size, 6);
    assert.deepEqual(models.models.map((m) => [m.model, m.labelled]), [['m', 5], ['other', 1]]);
    const again = await runCli(['bank', 'recover', '--config', config], env);
    assert.deepEqual([again.code, again.stdout], [0, `nothing to recover: the bank at ${bank} holds no set-aside data\n`]);
  });

  it('smcs profile warns too', async () => {
    const { config, bank } = await damagedBank(truncateManifest);
    const server = await startLoopbackUpstream({ models: [{ id: 'm' }] });
    try {
      writeFileSync(config, JSON.stringify({ endpoints: [{ id: 'e', provider: 'vllm', baseUrl: server.baseUrl, models: ['m'] }], embedding: { provider: 'lexical' }, bank }));
      const out = await runCli(['profile', '--config', config, '--yes'], env);
      assert.equal(out.stderr.split('\n').filter((l) => /^smcs: warning: bank at .*: generation 2 \(5 questions/.test(l)).length, 1, out.stderr);
    } finally {
      await server.close();
    }
  });

  it('recover --discard says what it deletes, then the warnings stop', async () => {
    const { config } = await damagedBank(truncateManifest);
    const out = await runCli(['bank', 'recover', '--discard', '--config', config], env);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stderr, /^discarding generation 2 \(5 questions/);
    assert.match(out.stdout, /discarded 1 set-aside generation; the bank holds 3 questions/);
    const stats = await runCli(['bank', 'stats', '--config', config], env);
    assert.deepEqual([stats.code, stats.stderr], [0, '']);
  });

  it('recover exits 1 naming what could not be restored when a shard is damaged in both copies', async () => {
    const { config } = await damagedBank((bank) => {
      const shard = readdirSync(path.join(bank, 'shards')).find((f) => /\.g2$/.test(f))!;
      truncateSync(path.join(bank, 'shards', `${shard}.f32`), 2);
      writeFileSync(path.join(bank, 'shards', shard, 'index.json'), '{');
    });
    const out = await runCli(['bank', 'recover', '--config', config], env);
    assert.equal(out.code, 1);
    assert.match(out.stdout, /could not restore shards\/s0000\.g2 \(no readable copy\)/);
    assert.match(out.stderr, /some set-aside data could not be restored .* "smcs bank recover --discard"/);

    // A second recover names what is left instead of pointing at nothing, and the warning points to --discard only.
    const again = await runCli(['bank', 'recover', '--config', config], env);
    assert.equal(again.code, 1);
    assert.match(again.stdout, /restored earlier, the rest cannot be: generation 2 .*not restorable: shards\/s0000\.g2/);
    const stats = await runCli(['bank', 'stats', '--config', config], env);
    assert.match(stats.stderr, /Run "smcs bank recover --discard" to delete what could not be restored\./);
    assert.doesNotMatch(stats.stderr, /Run "smcs bank recover" to restore/);
  });

  it('with both manifests damaged, stats says the bank is damaged (exit 1), not that there is none', async () => {
    const { config, bank } = await damagedBank((b) => {
      truncateManifest(b);
      writeFileSync(path.join(b, 'manifest.prev.json'), readFileSync(path.join(b, 'manifest.prev.json'), 'utf8').replace('"size": 3', '"size": 4'));
    });
    const out = await runCli(['bank', 'stats', '--config', config], env);
    assert.equal(out.code, 1);
    assert.match(out.stderr, new RegExp(`^smcs: bank at ${escape(bank)} is damaged: manifest\\.json: not valid JSON.*manifest\\.prev\\.json: checksum mismatch`));
  });
});
