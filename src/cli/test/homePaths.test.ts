/**
 * `~` in a path the user wrote means the home folder wherever no shell expanded it: `--bank=~/…`, a quoted flag, a
 * config's `bank` and `embedding.localModelPath`, `SMCS_HOME`, and the VS Code setting `smcs.bank` (read through the
 * engine's `bankDir`). Run through the CLI with HOME pointed at a temporary folder.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCliHere } from '../../../test/fixtures/cliRun';
import { tempDir } from '../../../test/fixtures/bankData';
import { bankDir } from '../../engine/engine';
import { parseConfig } from '../../core/contracts/config';

const temp = tempDir('smcs-home-paths-');
after(temp.cleanup);
const home = path.join(temp.dir, 'home');
const elsewhere = path.join(temp.dir, 'elsewhere');
mkdirSync(home);
mkdirSync(elsewhere);
const env = { HOME: home, SMCS_HOME: '~/smcs-data' };
const questions = path.join(home, 'questions.jsonl');
writeFileSync(questions, '{"id":"a","question":"What is 1+1?","correct":{"m1":1}}\n');
writeFileSync(path.join(home, 'smcs.config.json'), JSON.stringify({ embedding: { provider: 'lexical' }, bank: '~/banks/from-config' }));

test('--bank=~/…, a quoted ~ in --config and import paths, and a config\'s bank: ~ is the home folder', async () => {
  const flagged = await runCliHere(['--config', '~/smcs.config.json', 'bank', 'import', '--bank=~/banks/from-flag', '~/questions.jsonl'], env);
  assert.equal(flagged.code, 0, flagged.stderr);
  assert.ok(existsSync(path.join(home, 'banks', 'from-flag', 'manifest.json')), flagged.stdout);
  assert.equal(existsSync(path.join(process.cwd(), '~')), false, 'no folder named ~');

  const configured = await runCliHere(['--config', '~/smcs.config.json', 'bank', 'import', '~/questions.jsonl', '--json'], env);
  assert.equal(configured.code, 0, configured.stderr);
  assert.equal((JSON.parse(configured.stdout) as { bank: string }).bank, path.join(home, 'banks', 'from-config'));
  assert.equal(existsSync(path.join(home, '~')), false, 'the config\'s ~ is not read relative to the config file');
});

test('SMCS_HOME=~/… and embedding.localModelPath ~/… are the home folder', async () => {
  const config = path.join(elsewhere, 'local-model.json');
  writeFileSync(config, JSON.stringify({ embedding: { provider: 'transformers', localModelPath: '~/models' } }));
  const run = await runCliHere(['--config', config, 'bank', 'import', questions], env);
  assert.equal(run.code, 1);
  assert.ok(run.stderr.includes(path.join(home, 'models')), run.stderr);

  const lexical = path.join(elsewhere, 'lexical.json');
  writeFileSync(lexical, JSON.stringify({ embedding: { provider: 'lexical' } }));
  const stored = await runCliHere(['--config', lexical, 'bank', 'import', questions, '--json'], env);
  assert.equal(stored.code, 0, stored.stderr);
  assert.equal((JSON.parse(stored.stdout) as { bank: string }).bank, path.join(home, 'smcs-data', 'bank'), 'the default bank is in SMCS_HOME');
});

test('the bank the VS Code setting names (engine bankDir) reads ~ as the home folder', () => {
  const saved = process.env.HOME;
  process.env.HOME = home;
  try {
    assert.equal(bankDir(parseConfig({ bank: '~/team-folder' }), '/storage'), path.join(home, 'team-folder'));
    assert.equal(bankDir(parseConfig({ bank: '~' }), '/storage'), home);
    assert.equal(bankDir(parseConfig({}), '/storage'), path.join('/storage', 'bank'));
  } finally {
    process.env.HOME = saved;
  }
});
