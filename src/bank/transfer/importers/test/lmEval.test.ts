import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { detectFormat, importFiles, ImportFormatError, modelFromLmEvalResults, questionFromSample } from '..';
import { lmEvalSample, writeLmEvalRun } from '../../../../../test/fixtures/importerData';
import { withTempDir } from '../../../../../test/fixtures/bankData';

const withDir = (fn: (dir: string) => Promise<void>) => withTempDir('smcs-lmeval-', fn);

const mcDoc = (i: number) => ({ question: `Which structure gives O(1) average lookup? (${i})`, choices: ['linked list', 'hash table', 'sorted array', 'heap'], answer: 1 });
const mathDoc = (i: number) => ({ question: `A job runs ${i} times a day for 30 days. How many runs?`, answer: `${i} * 30 = ${i * 30}\n#### ${i * 30}` });

test('two model runs with two tasks each merge labels per document; model names come from results files', () =>
  withDir(async (dir) => {
    // run 1: model "alpha" right on everything; run 2: model "beta" (only config.model_args) right on doc 0 only
    for (const [model, date, rightOn] of [['alpha', '2025-01-02T03-04-05.123456', () => true], ['org/beta', '2025-02-03T04-05-06.000001', (i: number) => i === 0]] as const) {
      await writeLmEvalRun(dir, {
        model,
        date,
        modelNameField: model === 'alpha',
        tasks: {
          mmlu_cs: [0, 1, 2].map((i) => lmEvalSample({ docId: i, doc: mcDoc(i), target: '1', response: '', metrics: { acc: rightOn(i) ? 1 : 0, acc_norm: 1 } })),
          gsm8k: [0, 1].flatMap((i) => [
            lmEvalSample({ docId: i, doc: mathDoc(i), target: mathDoc(i).answer, response: `#### ${i * 30}`, metrics: { exact_match: rightOn(i) ? 1 : 0 }, filter: 'strict-match' }),
            lmEvalSample({ docId: i, doc: mathDoc(i), target: mathDoc(i).answer, response: `${i * 30}`, metrics: { exact_match: 1 }, filter: 'flexible-extract' }),
          ]),
        },
      });
    }
    assert.equal(await detectFormat(dir), 'lm-eval');
    const out = await importFiles({ paths: [dir] });
    assert.deepEqual(out.models, ['alpha', 'org/beta']);
    assert.equal(out.records.length, 5);
    const byId = new Map(out.records.map((r) => [r.id, r]));
    assert.deepEqual(byId.get('lm-eval-mmlu_cs-0')?.correct, { alpha: 1, 'org/beta': 1 });
    assert.deepEqual(byId.get('lm-eval-mmlu_cs-2')?.correct, { alpha: 1, 'org/beta': 0 }, 'primary metric acc, not acc_norm');
    assert.deepEqual(byId.get('lm-eval-gsm8k-1')?.correct, { alpha: 1, 'org/beta': 0 }, 'first filter (strict-match) only');
    assert.ok(out.warnings.some((w) => /kept filter strict-match; skipped 2 lines/.test(w)));

    const mc = byId.get('lm-eval-mmlu_cs-1');
    assert.equal(mc?.grader, 'choice');
    assert.equal(mc?.answer, 'B');
    assert.equal(mc?.domain, 'mmlu_cs');
    assert.match(mc?.question ?? '', /\n\nA\. linked list\nB\. hash table\nC\. sorted array\nD\. heap$/);
    const math = byId.get('lm-eval-gsm8k-1');
    assert.equal(math?.grader, 'number');
    assert.equal(math?.answer, '30');
  }));

test('an explicit model name, metric and filter override the defaults; aliases apply', () =>
  withDir(async (dir) => {
    const folder = await writeLmEvalRun(dir, {
      model: 'ignored',
      date: '2025-01-01T00-00-00.000000',
      tasks: { gsm8k: [lmEvalSample({ docId: 7, doc: mathDoc(7), target: mathDoc(7).answer, response: '', metrics: { exact_match: 0 }, filter: 'strict-match' }),
        lmEvalSample({ docId: 7, doc: mathDoc(7), target: mathDoc(7).answer, response: '', metrics: { exact_match: 1 }, filter: 'flexible-extract' })] },
    });
    const out = await importFiles({ format: 'lm-eval', paths: [folder], model: 'my-model', filter: 'flexible-extract', metric: 'exact_match', aliases: { 'my-model': 'local/my-model' } });
    assert.deepEqual(out.records.map((r) => r.correct), [{ 'local/my-model': 1 }]);
  }));

test('bad lines are reported with file, line and field, and nothing is imported', () =>
  withDir(async (dir) => {
    const folder = await writeLmEvalRun(dir, { model: 'm', date: '2025-01-01T00-00-00.000000', tasks: { t: [] } });
    const good = lmEvalSample({ docId: 0, doc: mcDoc(0), target: '1', response: '', metrics: { acc: 1 } });
    const lines = [
      JSON.stringify(good),
      '{not json',
      JSON.stringify({ ...good, doc_id: 'two words' }),
      JSON.stringify({ ...good, doc_id: 3, doc: 'text' }),
      JSON.stringify({ ...good, doc_id: 4, metrics: ['bleu'], bleu: ['ref', 'pred'] }),
      JSON.stringify({ ...good, doc_id: 5, doc: { unrelated: 1 }, arguments: {} }),
      JSON.stringify(good),
    ];
    await writeFile(join(folder, 'samples_t_2025-01-01T00-00-00.000000.jsonl'), lines.join('\n'));
    const err = await importFiles({ paths: [folder], strict: true }).then(() => assert.fail('refused'), (e: unknown) => e);
    assert.ok(err instanceof ImportFormatError);
    const found = err.issues.map((i) => `${i.location}|${i.field}|${i.reason}`);
    assert.deepEqual(found, ['line 2|(line)|bad-json', 'line 3|doc_id|bad-id', 'line 4|doc|missing-question', 'line 5|metrics|bad-label', 'line 6|doc|missing-question', 'line 7|doc_id|duplicate-id']);
    assert.ok(err.issues.every((i) => i.file === 'samples_t_2025-01-01T00-00-00.000000.jsonl'));

    const skipping = await importFiles({ paths: [folder] });
    assert.deepEqual(skipping.records.map((r) => r.id), ['lm-eval-t-0']);
    assert.deepEqual(skipping.skipped.map((x) => x.at), ['line 2', 'line 3', 'line 4', 'line 5', 'line 6', 'line 7']);
  }));

test('a samples file without a results file or model name is refused with a clear reason', () =>
  withDir(async (dir) => {
    const path = join(dir, 'samples_t_2025-01-01T00-00-00.000000.jsonl');
    await writeFile(path, JSON.stringify(lmEvalSample({ docId: 0, doc: mcDoc(0), target: '1', response: '', metrics: { acc: 1 } })));
    await assert.rejects(importFiles({ paths: [path] }), /no record could be used: .*no results_\*\.json next to it.*pass the model name/);
    assert.equal((await importFiles({ paths: [path], model: 'x' })).records.length, 1);
  }));

test('model name from results JSON: model_name, else model_args as string or object', () => {
  assert.deepEqual(modelFromLmEvalResults('{"model_name": "a/b"}'), { model: 'a/b' });
  assert.deepEqual(modelFromLmEvalResults('{"config": {"model_args": "pretrained=EleutherAI/pythia-160m,dtype=float32"}}'), { model: 'EleutherAI/pythia-160m' });
  assert.deepEqual(modelFromLmEvalResults('{"config": {"model_args": {"model": "gpt-x", "base_url": "u"}}}'), { model: 'gpt-x' });
  assert.ok('error' in modelFromLmEvalResults('{"config": {}}'));
});

test('question text and grader from the doc', () => {
  assert.deepEqual(questionFromSample({ query: 'Capital of France?' }, 'Paris', {}), { question: 'Capital of France?', answer: 'Paris', grader: 'exact' });
  assert.deepEqual(questionFromSample({ ctx: 'He opens the box and', endings: ['sings', 'finds a key'] }, '1', {}), {
    question: 'He opens the box and\n\nA. sings\nB. finds a key', answer: 'B', grader: 'choice',
  });
  assert.equal(questionFromSample({ question: 'Q', choices: { text: ['x', 'y', 'z'], label: ['A', 'B', 'C'] } }, 'C', {})?.grader, 'choice');
  assert.deepEqual(questionFromSample({ problem: 'Compute 2^10.' }, '1,024', {}), { question: 'Compute 2^10.', answer: '1024', grader: 'number' });
  assert.deepEqual(questionFromSample({}, 'x'.repeat(300), { gen_args_0: { arg_0: 'Rendered prompt' } }), { question: 'Rendered prompt', grader: 'none' });
  assert.equal(questionFromSample({ other: 1 }, 'x', {}), null);
});
