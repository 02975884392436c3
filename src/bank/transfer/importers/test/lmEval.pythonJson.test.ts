import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importFiles, ImportFormatError, modelFromLmEvalResults } from '..';
import { withTempDir } from '../../../../../test/fixtures/bankData';
import { float, pythonDumps } from '../../../../../test/fixtures/pythonJson';

const withDir = (fn: (dir: string) => Promise<void>) => withTempDir('smcs-lmeval-nan-', fn);

const DATE = '2024-02-05T11-42-07.349372';
const CHOICES = [' linked list', ' hash table', ' sorted array', ' heap'];

/** One multiple_choice sample line as lm-eval v0.4 writes it: loglikelihood per choice, acc and acc_norm as floats. */
function mcLine(docId: number, metrics: { acc: number; acc_norm: number }, doc: Record<string, unknown> = {}): Record<string, unknown> {
  const context = `Question: Which structure gives O(1) average lookup? (${docId})\nAnswer:`;
  return {
    doc_id: docId,
    doc: { question: `Which structure gives O(1) average lookup? (${docId})`, choices: CHOICES.map((c) => c.trim()), answer: 1, ...doc },
    target: 1,
    arguments: Object.fromEntries(CHOICES.map((c, i) => [`gen_args_${i}`, { arg_0: context, arg_1: c }])),
    resps: CHOICES.map((_, i) => [[float(-1.5 - i), i === 1]]),
    filtered_resps: CHOICES.map((_, i) => [float(-1.5 - i), i === 1]),
    filter: 'none',
    metrics: ['acc', 'acc_norm'],
    doc_hash: `d${docId}`,
    prompt_hash: `p${docId}`,
    target_hash: `t${docId}`,
    acc: float(metrics.acc),
    acc_norm: float(metrics.acc_norm),
  };
}

/** A results file as lm-eval writes it (indent=2), with NaN where a stderr or a metric could not be computed (lm-eval issue #1340). */
function resultsFile(model: string): string {
  return pythonDumps({
    results: { mmlu_cs: { alias: 'mmlu_cs', 'acc,none': float(NaN), 'acc_stderr,none': float(NaN), 'acc_norm,none': float(0.5), 'acc_norm_stderr,none': float(Infinity) } },
    'group_subtasks': { mmlu_cs: [] },
    configs: { mmlu_cs: { task: 'mmlu_cs', output_type: 'multiple_choice', num_fewshot: 0 } },
    versions: { mmlu_cs: float(1) },
    'n-shot': { mmlu_cs: 0 },
    config: { model: 'hf', model_args: 'pretrained=EleutherAI/pythia-160m,dtype=float32', batch_size: 1, device: 'cpu' },
    git_hash: '4d7d2f6',
    date: float(1707133327.5),
    model_name: model,
  }, 2);
}

async function writeRun(dir: string, results: string, lines: Record<string, unknown>[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `results_${DATE}.json`), results);
  const samples = join(dir, `samples_mmlu_cs_${DATE}.jsonl`);
  await writeFile(samples, `${lines.map((l) => pythonDumps(l)).join('\n')}\n`);
  return samples;
}

test('lines with NaN in the doc or Infinity in a secondary metric are imported; the model comes from a results file holding NaN', () =>
  withDir(async (dir) => {
    const samples = await writeRun(dir, resultsFile('EleutherAI/pythia-160m'), [
      mcLine(0, { acc: 1, acc_norm: Infinity }),
      mcLine(1, { acc: 0, acc_norm: 1 }, { difficulty: float(NaN) }),
      mcLine(2, { acc: 1, acc_norm: -Infinity }),
    ]);
    const out = await importFiles({ paths: [samples] });
    assert.deepEqual(out.skipped, []);
    assert.deepEqual(out.models, ['EleutherAI/pythia-160m']);
    assert.deepEqual(out.records.map((r) => [r.id, r.answer, r.correct]), [
      ['lm-eval-mmlu_cs-0', 'B', { 'EleutherAI/pythia-160m': 1 }],
      ['lm-eval-mmlu_cs-1', 'B', { 'EleutherAI/pythia-160m': 0 }],
      ['lm-eval-mmlu_cs-2', 'B', { 'EleutherAI/pythia-160m': 1 }],
    ]);
    assert.deepEqual(modelFromLmEvalResults(resultsFile('org/m')), { model: 'org/m' });
  }));

test('a NaN or infinite deciding metric is no label: that line is skipped as bad-label with its location', () =>
  withDir(async (dir) => {
    const samples = await writeRun(dir, resultsFile('m'), [
      mcLine(0, { acc: 1, acc_norm: 1 }),
      mcLine(1, { acc: NaN, acc_norm: 1 }),
      mcLine(2, { acc: Infinity, acc_norm: 0 }),
    ]);
    const out = await importFiles({ paths: [samples] });
    assert.deepEqual(out.records.map((r) => r.id), ['lm-eval-mmlu_cs-0']);
    assert.deepEqual(out.skipped.map((s) => `${s.reason}|${s.at}|${s.field}|${s.message}`), [
      'bad-label|line 2|acc|is NaN, not a score, so the label cannot be told',
      'bad-label|line 3|acc|is Infinity, not a score, so the label cannot be told',
    ]);
    const chosen = await importFiles({ paths: [samples], metric: 'acc_norm' });
    assert.deepEqual(chosen.records.map((r) => r.id), ['lm-eval-mmlu_cs-0', 'lm-eval-mmlu_cs-1', 'lm-eval-mmlu_cs-2'], 'acc_norm is finite everywhere');
  }));

test('an exact_match of NaN on a generate_until line is skipped, not read as wrong', () =>
  withDir(async (dir) => {
    const gsm = (docId: number, em: number) => ({
      doc_id: docId,
      doc: { question: `A job runs ${docId} times a day for 30 days. How many runs?`, answer: `${docId} * 30 = ${docId * 30}\n#### ${docId * 30}` },
      target: `${docId} * 30 = ${docId * 30}\n#### ${docId * 30}`,
      arguments: { gen_args_0: { arg_0: `Question: A job runs ${docId} times a day for 30 days. How many runs?\nAnswer:`, arg_1: { until: ['Question:', '</s>'], do_sample: false } } },
      resps: [[` ${docId * 30}`]],
      filtered_resps: [`${docId * 30}`],
      filter: 'strict-match',
      metrics: ['exact_match'],
      doc_hash: `d${docId}`,
      prompt_hash: `p${docId}`,
      target_hash: `t${docId}`,
      exact_match: float(em),
    });
    await mkdir(dir, { recursive: true });
    const samples = join(dir, `samples_gsm8k_${DATE}.jsonl`);
    await writeFile(samples, `${[gsm(1, 1), gsm(2, NaN)].map((l) => pythonDumps(l)).join('\n')}\n`);
    const out = await importFiles({ paths: [samples], model: 'm' });
    assert.deepEqual(out.records.map((r) => [r.id, r.correct]), [['lm-eval-gsm8k-1', { m: 1 }]]);
    assert.deepEqual(out.skipped.map((s) => `${s.reason}|${s.at}|${s.field}`), ['bad-label|line 2|exact_match']);
  }));

test('a results file the model cannot be read from names --model in the refusal', () =>
  withDir(async (dir) => {
    const samples = await writeRun(dir, resultsFile('m').slice(0, 200), [mcLine(0, { acc: 1, acc_norm: 1 })]);
    const err = await importFiles({ paths: [samples] }).then(() => assert.fail('refused'), (e: unknown) => e);
    assert.ok(err instanceof ImportFormatError);
    assert.deepEqual(err.issues.map((i) => `${i.file}|${i.reason}`), [`results_${DATE}.json|no-model`]);
    assert.match(err.message, /results_.*\.json file: model_name: not valid JSON .*so the model of samples_mmlu_cs_.*\.jsonl cannot be told; pass the model name with --model/);
    assert.equal((await importFiles({ paths: [samples], model: 'm' })).records.length, 1);
  }));
