import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { startLoopbackUpstream, type LoopbackUpstream } from '../fixtures/loopbackUpstream';
import type { RunState } from '../../src/presentation/runState';
import { clearSettings, configure, fakeServerSettings, freshBankPath, scratchDir } from './helpers';

const MODELS = ['alpha-coder', 'beta-coder', 'gamma-coder'];

function jsonl(rows: unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

const QUESTIONS = [
  { id: 'q-1', question: 'How do I reverse a list in Python?', correct: { 'alpha-coder': 0, 'beta-coder': 1, 'gamma-coder': 1 } },
  { id: 'q-2', question: 'How do I sort a list in Python by a key?', correct: { 'alpha-coder': 0, 'beta-coder': 1, 'gamma-coder': 0 } },
  { id: 'q-3', question: 'What does the Rust borrow checker prevent?', correct: { 'alpha-coder': 1, 'beta-coder': 0, 'gamma-coder': 0 } },
];

/** Four MMLU-Pro questions over two categories. */
const MMLU = [
  { question_id: 70, question: 'Which sorting algorithm is stable?', options: ['Heap sort', 'Merge sort', 'Quick sort', 'Selection sort'], answer: 'B', category: 'computer science' },
  { question_id: 71, question: 'What is the worst-case time of binary search?', options: ['O(1)', 'O(n)', 'O(log n)', 'O(n log n)'], answer: 'C', category: 'computer science' },
  { question_id: 80, question: 'What is 7 times 8?', options: ['54', '56', '58', '64'], answer: 'B', category: 'math' },
  { question_id: 81, question: 'What is the derivative of x squared?', options: ['x', '2x', 'x^2', '2'], answer: 'B', category: 'math' },
];

/** One model's MMLU-Pro output file: `pred` per question (null = no parseable answer). */
function mmluProFile(dir: string, model: string, preds: (string | null)[]): vscode.Uri {
  const file = path.join(dir, `model_outputs_${model}_5shots.json`);
  fs.writeFileSync(file, JSON.stringify(MMLU.map((q, i) => ({ ...q, answer_index: 'ABCD'.indexOf(q.answer), pred: preds[i], src: 'test' }))));
  return vscode.Uri.file(file);
}

interface StatsResult {
  size: number;
  models: { model: string; labelled: number; correct: number; accuracy: number; byDomain: Record<string, { labelled: number; correct: number }> }[];
}

describe('bank import through the command', () => {
  let fake: LoopbackUpstream;
  let dir: string;

  beforeEach(async () => {
    fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
    dir = scratchDir('bank-files');
    await configure(fakeServerSettings(fake, MODELS, { k: 2, n: 1 }));
  });

  afterEach(async () => {
    await clearSettings();
    await fake.close();
  });

  it('imports a JSONL file, exports it back, and routes the next question by its labels', async () => {
    const file = path.join(dir, 'bank.jsonl');
    fs.writeFileSync(file, jsonl(QUESTIONS));
    const added = await vscode.commands.executeCommand<number | undefined>('smcs.importBank', vscode.Uri.file(file));
    assert.equal(added, QUESTIONS.length);

    const out = path.join(dir, 'export.jsonl');
    const exported = await vscode.commands.executeCommand<number | undefined>('smcs.exportBank', vscode.Uri.file(out));
    assert.equal(exported, QUESTIONS.length);
    const ids = fs.readFileSync(out, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id);
    assert.deepEqual(ids.sort(), QUESTIONS.map((q) => q.id).sort());

    const run = await vscode.commands.executeCommand<RunState | undefined>('smcs.ask', 'How do I reverse a list in Python quickly?');
    assert.ok(run, 'smcs.ask returned no run');
    assert.equal(run.status, 'done', `run ended ${run.status}: ${run.error?.message ?? ''}`);
    assert.ok((run.supportCount ?? 0) > 0, 'the imported bank gave no support questions');
    const selected = run.referencers.map((r) => r.model);
    assert.ok(selected.includes('beta-coder'), `beta-coder (right on the Python questions) was not selected: ${selected.join(', ')}`);
    assert.ok(!selected.includes('alpha-coder'), `alpha-coder (wrong on the Python questions) was selected: ${selected.join(', ')}`);
  });

  it('imports the good lines of a file with a malformed line, skipping that line and keeping what the bank held', async () => {
    const good = path.join(dir, 'good.jsonl');
    fs.writeFileSync(good, jsonl(QUESTIONS.slice(0, 2)));
    assert.equal(await vscode.commands.executeCommand<number | undefined>('smcs.importBank', vscode.Uri.file(good)), 2);

    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(bad, `${JSON.stringify(QUESTIONS[2])}\n{"id": "q-4", "question": \n`);
    const added = await vscode.commands.executeCommand<number | undefined>('smcs.importBank', vscode.Uri.file(bad));
    assert.equal(added, 1, 'the good line is imported, the malformed one skipped');

    const out = path.join(dir, 'after.jsonl');
    assert.equal(await vscode.commands.executeCommand<number | undefined>('smcs.exportBank', vscode.Uri.file(out)), 3);
  });

  it('Show Bank Stats returns the size and accuracy per model of the imported bank', async () => {
    const file = path.join(dir, 'stats.jsonl');
    fs.writeFileSync(file, jsonl(QUESTIONS));
    assert.equal(await vscode.commands.executeCommand<number | undefined>('smcs.importBank', vscode.Uri.file(file)), QUESTIONS.length);
    const stats = await vscode.commands.executeCommand<{ size: number; models: { model: string; accuracy: number }[] } | undefined>('smcs.showBankStats');
    assert.ok(stats, 'no stats returned');
    assert.equal(stats.size, QUESTIONS.length);
    const accuracy = Object.fromEntries(stats.models.map((m) => [m.model, m.accuracy]));
    assert.deepEqual(accuracy, { 'alpha-coder': 1 / 3, 'beta-coder': 2 / 3, 'gamma-coder': 1 / 3 });
  });

  it('Export Bank and Show Bank Stats read the bank with the embedder it records, without loading the configured one', async () => {
    const file = path.join(dir, 'read-only.jsonl');
    fs.writeFileSync(file, jsonl(QUESTIONS));
    assert.equal(await vscode.commands.executeCommand<number | undefined>('smcs.importBank', vscode.Uri.file(file)), QUESTIONS.length);
    // A transformers model that cannot be loaded (an empty local folder): reading the bank must not need it.
    await configure({ 'embedding.provider': 'transformers', 'embedding.localModelPath': path.join(dir, 'no-model-here') });
    try {
      const out = path.join(dir, 'read-only-export.jsonl');
      assert.equal(await vscode.commands.executeCommand<number | undefined>('smcs.exportBank', vscode.Uri.file(out)), QUESTIONS.length);
      const stats = await vscode.commands.executeCommand<StatsResult | undefined>('smcs.showBankStats');
      assert.equal(stats?.size, QUESTIONS.length);
    } finally {
      await configure({ 'embedding.provider': 'lexical', 'embedding.localModelPath': undefined });
    }
  });

  it('imports two MMLU-Pro output files given as a Uri list: one question per id, labels per model and category', async () => {
    const files = [mmluProFile(dir, 'alpha-coder', ['B', 'A', 'B', 'B']), mmluProFile(dir, 'beta-coder', ['A', 'C', null, 'B'])];
    const added = await vscode.commands.executeCommand<number | undefined>('smcs.importBank', files);
    assert.equal(added, MMLU.length, 'the same questions in two files are one question each');
    const stats = await vscode.commands.executeCommand<StatsResult | undefined>('smcs.showBankStats');
    assert.ok(stats, 'no stats returned');
    assert.equal(stats.size, MMLU.length);
    const byModel = Object.fromEntries(stats.models.map((m) => [m.model, m]));
    assert.deepEqual(Object.keys(byModel).sort(), ['alpha-coder', 'beta-coder']);
    assert.deepEqual([byModel['alpha-coder']!.labelled, byModel['alpha-coder']!.correct], [4, 3]);
    assert.deepEqual([byModel['beta-coder']!.labelled, byModel['beta-coder']!.correct], [4, 2], 'a null pred counts as wrong');
    assert.deepEqual(byModel['alpha-coder']!.byDomain['computer science'], { labelled: 2, correct: 1, accuracy: 0.5 });
    assert.deepEqual(byModel['beta-coder']!.byDomain.math, { labelled: 2, correct: 1, accuracy: 0.5 });

    const out = path.join(dir, 'mmlu-export.jsonl');
    assert.equal(await vscode.commands.executeCommand<number | undefined>('smcs.exportBank', vscode.Uri.file(out)), MMLU.length);
    const ids = fs.readFileSync(out, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id);
    assert.deepEqual(ids.sort(), ['mmlu-pro-70', 'mmlu-pro-71', 'mmlu-pro-80', 'mmlu-pro-81']);
  });

  it('imports a folder of MMLU-Pro files, then adds a new model by importing its file alone', async () => {
    const folder = scratchDir('mmlu-folder');
    mmluProFile(folder, 'alpha-coder', ['B', 'C', 'B', 'B']);
    assert.equal(await vscode.commands.executeCommand<number | undefined>('smcs.importBank', vscode.Uri.file(folder)), MMLU.length);
    const later = scratchDir('mmlu-later');
    assert.equal(await vscode.commands.executeCommand<number | undefined>('smcs.importBank', [mmluProFile(later, 'gamma-coder', ['A', 'A', 'A', 'A'])]), 0, 'known questions are updated, not added');
    const stats = await vscode.commands.executeCommand<StatsResult | undefined>('smcs.showBankStats');
    assert.ok(stats);
    assert.equal(stats.size, MMLU.length);
    assert.deepEqual(
      stats.models.map((m) => [m.model, m.correct, m.labelled]).sort(),
      [['alpha-coder', 4, 4], ['gamma-coder', 0, 4]],
    );
  });

  it('imports what can be used of files with unusable records (bare strings, a bad answer), single-option records included', async () => {
    const good = mmluProFile(dir, 'alpha-coder', ['B', 'C', 'B', 'B']);
    const quirky = path.join(dir, 'model_outputs_beta-coder_5shots.json');
    const single = { question_id: 90, question: 'Which option is offered?', options: ['The only one'], answer: 'A', answer_index: 0, category: 'other', src: 'test', pred: 'A' };
    fs.writeFileSync(quirky, JSON.stringify([{ ...MMLU[0], pred: 'B' }, 'a bare string', { ...MMLU[1], answer: 'Z', pred: 'C' }, single, 'another']));
    const added = await vscode.commands.executeCommand<number | undefined>('smcs.importBank', [good, vscode.Uri.file(quirky)]);
    assert.equal(added, MMLU.length + 1, 'the four questions and the single-option one');
    const stats = await vscode.commands.executeCommand<StatsResult | undefined>('smcs.showBankStats');
    assert.ok(stats);
    const beta = stats.models.find((m) => m.model === 'beta-coder');
    assert.deepEqual([beta?.labelled, beta?.correct], [2, 2], 'beta-coder: its two usable records, its own verdicts');
  });

  it('with smcs.strictImport a selection with one bad record is refused and leaves no bank behind', async () => {
    const bankPath = freshBankPath();
    await configure({ bank: bankPath, strictImport: true });
    const good = mmluProFile(dir, 'alpha-coder', ['B', 'C', 'B', 'B']);
    const badFile = path.join(dir, 'model_outputs_beta-coder_5shots.json');
    fs.writeFileSync(badFile, JSON.stringify([{ ...MMLU[0], pred: 'B' }, { ...MMLU[1], answer: 'Z', pred: 'C' }]));
    const added = await vscode.commands.executeCommand<number | undefined>('smcs.importBank', [good, vscode.Uri.file(badFile)]);
    assert.equal(added, undefined, 'a file with a bad record was imported');
    assert.equal(fs.existsSync(bankPath), false, 'a refused import created a bank folder');
  });

  it('Recover Bank puts back a generation the bank set aside after its manifest was damaged', async () => {
    const bankPath = freshBankPath();
    await configure({ bank: bankPath });
    const first = path.join(dir, 'first.jsonl');
    fs.writeFileSync(first, jsonl(QUESTIONS.slice(0, 2)));
    const second = path.join(dir, 'second.jsonl');
    fs.writeFileSync(second, jsonl(QUESTIONS.slice(2)));
    assert.equal(await vscode.commands.executeCommand<number | undefined>('smcs.importBank', vscode.Uri.file(first)), 2);
    assert.equal(await vscode.commands.executeCommand<number | undefined>('smcs.importBank', vscode.Uri.file(second)), 1);
    fs.writeFileSync(path.join(bankPath, 'manifest.json'), '{"manifest": {');
    const damaged = await vscode.commands.executeCommand<StatsResult | undefined>('smcs.showBankStats');
    assert.equal(damaged?.size, 2, 'the bank falls back to its last good copy');
    const outcome = await vscode.commands.executeCommand<{ action: string; restored?: { questions: number; unrestorable: string[] }[] } | undefined>('smcs.recoverBank', 'recover');
    assert.equal(outcome?.action, 'recover');
    assert.deepEqual(outcome?.restored?.map((r) => [r.questions, r.unrestorable]), [[1, []]]);
    const stats = await vscode.commands.executeCommand<StatsResult | undefined>('smcs.showBankStats');
    assert.equal(stats?.size, 3);
    assert.equal(fs.existsSync(path.join(bankPath, 'recovery')), false);
    const nothing = await vscode.commands.executeCommand<{ action: string } | undefined>('smcs.recoverBank', 'recover');
    assert.equal(nothing?.action, 'none');
  });

  it('refuses a selection mixing formats', async () => {
    const jsonlFile = path.join(dir, 'mixed.jsonl');
    fs.writeFileSync(jsonlFile, jsonl(QUESTIONS));
    const added = await vscode.commands.executeCommand<number | undefined>('smcs.importBank', [vscode.Uri.file(jsonlFile), mmluProFile(dir, 'alpha-coder', ['B', 'C', 'B', 'B'])]);
    assert.equal(added, undefined);
  });

  it('an existing empty folder as smcs.bank still answers (plain MoA until questions are imported)', async () => {
    await configure({ bank: scratchDir('empty-bank') });
    const run = await vscode.commands.executeCommand<RunState | undefined>('smcs.ask', 'What is a closure?');
    assert.ok(run, 'smcs.ask returned no run');
    assert.equal(run.status, 'done', `run ended ${run.status}: ${run.error?.message ?? ''}`);
  });
});
