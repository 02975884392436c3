import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../../../../test/fixtures/bankData';
import { runCliHere as runCli } from '../../../../test/fixtures/cliRun';
import { mcQuestions, mmluProRecord, writeMmluProFile } from '../../../../test/fixtures/importerData';

const { dir: root, cleanup } = tempDir('smcs-cli-bank-');
after(cleanup);
const env = { SMCS_HOME: path.join(root, 'home') };
let n = 0;
/** A config file with the lexical embedder and its own bank folder. */
function config(): { file: string; bank: string } {
  const bank = path.join(root, `bank-${n}`);
  const file = path.join(root, `config-${n++}.json`);
  writeFileSync(file, JSON.stringify({ endpoints: [], embedding: { provider: 'lexical' }, bank }));
  return { file, bank };
}

describe('smcs bank import --format', () => {
  it('imports MMLU-Pro outputs with aliases and shows accuracy by domain in bank stats', async () => {
    const { file } = config();
    const qs = mcQuestions(12);
    const dir = path.join(root, 'mmlu');
    await writeMmluProFile(dir, 'Model-A', qs.map((q) => mmluProRecord(q, q.answer)));
    await writeMmluProFile(dir, 'Model-B', qs.map((q, i) => mmluProRecord(q, i % 3 === 0 ? q.answer : 'Z')));
    const imported = await runCli(['bank', 'import', '--config', file, '--format', 'mmlu-pro', '--alias', 'Model-A=a-key', dir, '--json'], env);
    assert.equal(imported.code, 0, imported.stderr);
    const summary = JSON.parse(imported.stdout);
    assert.deepEqual([summary.format, summary.added, summary.updated, summary.size, summary.models], ['mmlu-pro', 12, 0, 12, ['Model-B', 'a-key']]);

    const again = await runCli(['bank', 'import', '--config', file, dir, '--json'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual([JSON.parse(again.stdout).format, JSON.parse(again.stdout).added, JSON.parse(again.stdout).updated], ['mmlu-pro', 0, 12]);

    const stats = await runCli(['bank', 'stats', '--config', file, '--json'], env);
    assert.equal(stats.code, 0, stats.stderr);
    const models = JSON.parse(stats.stdout).models as { model: string; accuracy: number; byDomain: Record<string, { labelled: number; correct: number }> }[];
    const b = models.find((m) => m.model === 'Model-B');
    assert.equal(models.find((m) => m.model === 'a-key')?.accuracy, 1);
    assert.deepEqual(b?.byDomain, {
      'computer science': { labelled: 4, correct: 4, accuracy: 1 },
      math: { labelled: 4, correct: 0, accuracy: 0 },
      physics: { labelled: 4, correct: 0, accuracy: 0 },
    });
    const text = await runCli(['bank', 'stats', '--config', file], env);
    assert.match(text.stdout, /accuracy by domain[\s\S]*Model-B[\s\S]*computer science\s+100\.0%\s+\(4\/4\)/);
  });

  it('--strict names the file, entry and field of bad data (exit 1) and creates no bank; bad usage exits 2', async () => {
    const { file, bank } = config();
    const dir = path.join(root, 'bad-mmlu');
    const qs = mcQuestions(3);
    await writeMmluProFile(dir, 'M', [mmluProRecord(qs[0]!, 'A'), { ...mmluProRecord(qs[1]!, 'B'), options: 'nope' }]);
    const bad = await runCli(['bank', 'import', '--config', file, '--format', 'mmlu-pro', '--strict', dir], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /model_outputs_M_5shots\.json index 1: options/);
    assert.equal(existsSync(bank), false, 'a refused import leaves no folder');
    const none = await runCli(['bank', 'stats', '--config', file], env);
    assert.equal(none.code, 2, 'refused before the bank was created');
    assert.match(none.stderr, new RegExp(`no question bank at ${bank.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));

    const jsonl = path.join(root, 'bad.jsonl');
    writeFileSync(jsonl, '{"id":"a","question":"A?"}\n{"id":"b","question":"B?","correct":{"m":2}}\n');
    const badLine = await runCli(['bank', 'import', '--config', file, '--strict', jsonl], env);
    assert.equal(badLine.code, 1);
    assert.match(badLine.stderr, /bad\.jsonl line 2: correct\.m: must be 0 or 1/);
    assert.equal(existsSync(bank), false);

    const alias = await runCli(['bank', 'import', '--config', file, '--alias', 'nokey', jsonl], env);
    assert.equal(alias.code, 2);
    assert.match(alias.stderr, /--alias must look like SOURCE=KEY/);
    const format = await runCli(['bank', 'import', '--config', file, '--format', 'csv', jsonl], env);
    assert.equal(format.code, 2);
    const missing = await runCli(['bank', 'import', '--config', file, path.join(root, 'nope.jsonl')], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or folder: .*nope\.jsonl/);
    assert.equal(existsSync(bank), false);
  });
});

describe('smcs bank feedback', () => {
  it('lists, removes and clears feedback questions only', async () => {
    const { file } = config();
    const jsonl = path.join(root, 'mixed.jsonl');
    const lines = [
      { id: 'q-1', question: 'Imported?', source: 'import' },
      { id: 'feedback-aaaa', question: 'Learnt one?', source: 'feedback', grader: 'none', correct: { m: 1 } },
      { id: 'feedback-bbbb', question: 'Learnt two?', source: 'feedback', grader: 'none', correct: { m: 0 } },
      { id: 'feedback-cccc', question: 'Learnt three?', source: 'feedback', grader: 'none', correct: { n: 1 } },
    ];
    writeFileSync(jsonl, lines.map((l) => JSON.stringify(l)).join('\n'));
    assert.equal((await runCli(['bank', 'import', '--config', file, jsonl], env)).code, 0);

    const list = await runCli(['bank', 'feedback', 'list', '--config', file, '--json'], env);
    assert.deepEqual(JSON.parse(list.stdout).map((r: { id: string }) => r.id), ['feedback-aaaa', 'feedback-bbbb', 'feedback-cccc']);
    const refused = await runCli(['bank', 'feedback', 'remove', 'q-1', '--config', file], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /"q-1" is a import question, not feedback/);
    const removed = await runCli(['bank', 'feedback', 'remove', 'feedback-bbbb', '--config', file, '--json'], env);
    assert.deepEqual(JSON.parse(removed.stdout), { removed: 1, size: 3 });
    const cleared = await runCli(['bank', 'feedback', 'clear', '--config', file], env);
    assert.match(cleared.stdout, /removed 2 feedback questions; 1 question left/);
    assert.match((await runCli(['bank', 'feedback', 'list', '--config', file], env)).stdout, /no feedback questions/);
  });
});

describe('smcs bank with --bank naming a file', () => {
  it('stats, export and recover say the location is a file, not that there is no bank', async () => {
    const { file } = config();
    const notAFolder = path.join(root, 'questions.jsonl');
    writeFileSync(notAFolder, '{"id": "q-1", "question": "?"}\n');
    for (const command of [['stats'], ['export'], ['recover']]) {
      const run = await runCli(['bank', ...command, '--config', file, '--bank', notAFolder], env);
      assert.equal(run.code, 1, command.join(' '));
      assert.match(run.stderr, /the bank location .*questions\.jsonl is a file, not a folder; name a folder for the bank/, command.join(' '));
    }
  });
});

describe('smcs bank export and the config file, as users get them wrong', () => {
  it('export into a missing folder or onto a folder names the problem, not a temporary file', async () => {
    const { file } = config();
    writeFileSync(path.join(root, 'one.jsonl'), '{"id": "q-1", "question": "What is 2 + 2?", "answer": "4", "grader": "exact"}\n');
    assert.equal((await runCli(['bank', 'import', '--config', file, path.join(root, 'one.jsonl')], env)).code, 0);
    const missing = await runCli(['bank', 'export', '--config', file, '--out', path.join(root, 'no-such-folder', 'out.jsonl')], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot export to .*out\.jsonl: the folder .*no-such-folder does not exist/);
    const folder = await runCli(['bank', 'export', '--config', file, '--out', root], env);
    assert.equal(folder.code, 1);
    assert.match(folder.stderr, /cannot export to .*: it is a folder; name a file/);
    assert.doesNotMatch(missing.stderr + folder.stderr, /\.tmp-/);
  });

  it('reads a config file saved with a byte order mark', async () => {
    const { file } = config();
    writeFileSync(file, `\uFEFF${readFileSync(file, 'utf8')}`);
    const stats = await runCli(['bank', 'stats', '--config', file], env);
    assert.match(stats.stderr, /no question bank at/, 'the config was read; the bank is simply not there yet');
  });
});
