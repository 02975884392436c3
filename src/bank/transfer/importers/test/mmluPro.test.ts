import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { detectFormat, importFiles, ImportFormatError, modelFromMmluProFileName } from '..';
import { mcQuestions, mmluProRecord, writeMmluProFile } from '../../../../../test/fixtures/importerData';
import { pythonJson } from '../../../../bench/mmluProSynth';
import { withTempDir } from '../../../../../test/fixtures/bankData';

const withDir = (fn: (dir: string) => Promise<void>) => withTempDir('smcs-imp-', fn);

test('model key from the file name', () => {
  assert.equal(modelFromMmluProFileName('/x/model_outputs_Qwen1.5-72B-Chat_5shots.json'), 'Qwen1.5-72B-Chat');
  assert.equal(modelFromMmluProFileName('model_outputs_gemini-1.5-flash-002_5shots.json'), 'gemini-1.5-flash-002');
  assert.equal(modelFromMmluProFileName('outputs.json'), null);
});

test('three model files merge into one record per question with three labels', () =>
  withDir(async (dir) => {
    const qs = mcQuestions(12);
    const wrong = (a: string) => (a === 'A' ? 'B' : 'A');
    // model-a right on every question, model-b on even ones, model-c never answers (null / missing pred)
    await writeMmluProFile(dir, 'model-a', qs.map((q) => mmluProRecord(q, q.answer)));
    await writeMmluProFile(dir, 'model-b', qs.map((q, i) => mmluProRecord(q, i % 2 === 0 ? q.answer : wrong(q.answer))));
    await writeMmluProFile(dir, 'model-c', qs.map((q, i) => mmluProRecord(q, i % 2 === 0 ? null : undefined)));
    assert.equal(await detectFormat(dir), 'mmlu-pro');
    const out = await importFiles({ format: 'mmlu-pro', paths: [dir] });
    assert.deepEqual(out.models, ['model-a', 'model-b', 'model-c']);
    assert.equal(out.records.length, 12);
    const accuracy = (m: string) => out.records.filter((r) => r.correct?.[m] === 1).length;
    assert.deepEqual([accuracy('model-a'), accuracy('model-b'), accuracy('model-c')], [12, 6, 0]);
    for (const r of out.records) assert.equal(Object.keys(r.correct ?? {}).length, 3);

    const q = qs[3]!;
    const rec = out.records.find((r) => r.id === `mmlu-pro-${q.id}`);
    assert.ok(rec);
    assert.equal(rec.grader, 'choice');
    assert.equal(rec.answer, q.answer);
    assert.equal(rec.domain, q.category);
    assert.equal(rec.source, 'import');
    const lines = rec.question.split('\n');
    assert.equal(lines[0], q.stem);
    assert.equal(lines[1], '');
    assert.deepEqual(lines.slice(2), q.options.map((o, i) => `${String.fromCharCode(65 + i)}. ${o}`));
  }));

test('aliases map file model names to endpoint model keys', () =>
  withDir(async (dir) => {
    const qs = mcQuestions(2);
    const path = await writeMmluProFile(dir, 'Meta-Llama-3_1-8B-Instruct', qs.map((q) => mmluProRecord(q, q.answer)));
    const out = await importFiles({ paths: [path], aliases: { 'Meta-Llama-3_1-8B-Instruct': 'meta-llama/llama-3.1-8b-instruct' } });
    assert.deepEqual(out.models, ['meta-llama/llama-3.1-8b-instruct']);
    assert.equal(out.records[0]?.correct?.['meta-llama/llama-3.1-8b-instruct'], 1);
  }));

test('strict: every bad field in every file is reported with file, index and field; nothing is returned', () =>
  withDir(async (dir) => {
    const qs = mcQuestions(4);
    const good = qs.map((q) => mmluProRecord(q, q.answer));
    const bad = qs.map((q) => mmluProRecord(q, q.answer));
    bad[1] = { ...bad[1], answer: 'Z' };
    bad[2] = { ...bad[2], options: [] };
    bad[3] = { ...bad[3], question_id: bad[0]!.question_id };
    await writeMmluProFile(dir, 'good', good);
    await writeMmluProFile(dir, 'bad', bad);
    await writeFile(join(dir, 'model_outputs_broken_5shots.json'), '[{"question_id": 1,');
    const err = await importFiles({ format: 'mmlu-pro', paths: [dir], strict: true }).then(
      () => assert.fail('import should be refused'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ImportFormatError);
    const found = err.issues.map((i) => `${i.file}|${i.location}|${i.field}|${i.reason}`);
    assert.ok(found.includes('model_outputs_bad_5shots.json|index 1|answer|bad-answer'), found.join(', '));
    assert.ok(found.includes('model_outputs_bad_5shots.json|index 2|options|bad-options'), found.join(', '));
    assert.ok(found.includes('model_outputs_bad_5shots.json|index 3|question_id|duplicate-id'), found.join(', '));
    assert.ok(found.includes('model_outputs_broken_5shots.json|file|(file)|unreadable-file'), found.join(', '));
    assert.match(err.message, /model_outputs_bad_5shots\.json index 1: answer: must be one of the option letters/);
  }));

test('without strict the same files import: the bad records and the unreadable file are skipped and counted per reason', () =>
  withDir(async (dir) => {
    const qs = mcQuestions(4);
    const bad = qs.map((q) => mmluProRecord(q, q.answer));
    bad[1] = { ...bad[1], answer: 'Z' };
    bad[2] = { ...bad[2], options: [] };
    bad[3] = { ...bad[3], question_id: bad[0]!.question_id };
    await writeMmluProFile(dir, 'good', qs.map((q) => mmluProRecord(q, q.answer)));
    await writeMmluProFile(dir, 'bad', bad);
    await writeFile(join(dir, 'model_outputs_broken_5shots.json'), '[{"question_id": 1,');
    const out = await importFiles({ format: 'mmlu-pro', paths: [dir] });
    assert.equal(out.records.length, 4);
    assert.deepEqual(out.records.map((r) => Object.keys(r.correct ?? {}).sort()), [['bad', 'good'], ['good'], ['good'], ['good']]);
    assert.deepEqual(out.skipped.map((s) => `${s.reason}@${s.file} ${s.at}`), [
      'bad-answer@model_outputs_bad_5shots.json index 1',
      'bad-options@model_outputs_bad_5shots.json index 2',
      'duplicate-id@model_outputs_bad_5shots.json index 3',
      'unreadable-file@model_outputs_broken_5shots.json file',
    ]);
    assert.deepEqual([out.files, out.entries], [3, 8]);
  }));

test('a file where no record can be used is refused even without strict', () =>
  withDir(async (dir) => {
    await writeMmluProFile(dir, 'junk', ['just a string', 42]);
    const err = await importFiles({ paths: [dir] }).then(() => assert.fail('refused'), (e: unknown) => e);
    assert.ok(err instanceof ImportFormatError);
    assert.match(err.message, /no record could be used: .*index 0: \(record\): must be a JSON object, got the string "just a string"/);
  }));

test('a question id whose stem differs between files is skipped (refused when strict); a revised option list keeps the first version and merges every label', () =>
  withDir(async (dir) => {
    const q = mcQuestions(1)[0]!;
    const letters = 'ABCDEFGHIJ';
    await writeMmluProFile(dir, 'one', [mmluProRecord(q, q.answer)]);
    // the revised version keeps two options, the right one second: its answer letter is B, and model two got it right
    const revised = { ...q, options: [q.options[(letters.indexOf(q.answer) + 1) % q.options.length]!, q.options[letters.indexOf(q.answer)]!], answer: 'B' };
    await writeMmluProFile(dir, 'two', [mmluProRecord(revised, 'B')]);
    const out = await importFiles({ paths: [dir] });
    assert.equal(out.records.length, 1);
    assert.deepEqual(out.records[0]!.correct, { one: 1, two: 1 }, "each file's own verdict");
    assert.equal(out.records[0]!.answer, q.answer);
    assert.equal(out.warnings.length, 1);
    assert.match(out.warnings[0]!, /another version of the question .* keeping model_outputs_one_5shots\.json's text and answer, this file's label merged/);

    await writeMmluProFile(dir, 'three', [mmluProRecord({ ...q, stem: 'A different question entirely?' }, q.answer)]);
    await assert.rejects(importFiles({ paths: [dir], strict: true }), /model_outputs_three_5shots\.json index 0: question: differs from the question with id mmlu-pro-100/);
    const skipping = await importFiles({ paths: [dir] });
    assert.deepEqual(skipping.skipped.map((s) => [s.reason, s.file, s.at]), [['conflicting-question', 'model_outputs_three_5shots.json', 'index 0']]);
    assert.equal(skipping.records.length, 1);
  }));

test("the per-subject files of MMLU-Pro's own scripts take the model from their folder, never from the subject", () =>
  withDir(async (dir) => {
    const qs = mcQuestions(8);
    const math = qs.slice(0, 4).map((q) => ({ ...q, category: 'math' }));
    const law = qs.slice(4).map((q) => ({ ...q, category: 'law' }));
    const write = async (relative: string, records: unknown[]) => {
      const file = join(dir, ...relative.split('/'));
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(file, pythonJson(records));
    };
    // evaluate_from_local.py: <save_dir>/<model>/CoT/<subjects>/<subject>.json; evaluate_from_api.py: <model>/<subject>_result.json
    await write('results/Llama-3.1-8B-Instruct/CoT/all/math.json', math.map((q) => mmluProRecord(q, q.answer)));
    await write('results/Llama-3.1-8B-Instruct/CoT/all/law.json', law.map((q) => mmluProRecord(q, 'J')));
    await write('results/Qwen2.5-7B/CoT/all/math.json', math.map((q) => mmluProRecord(q, 'J')));
    await write('eval_results/gpt4o/math_result.json', math.map((q) => mmluProRecord(q, q.answer)));
    assert.equal(modelFromMmluProFileName(join(dir, 'results/Qwen2.5-7B/CoT/all/math.json')), 'Qwen2.5-7B');
    assert.equal(modelFromMmluProFileName(join(dir, 'eval_results/gpt4o/math_result.json')), 'gpt4o');
    assert.equal(await detectFormat(dir), 'mmlu-pro', 'a folder of them is recognised without --format (the panel never passes one)');
    const out = await importFiles({ format: 'mmlu-pro', paths: [dir] });
    assert.deepEqual(out.models, ['Llama-3.1-8B-Instruct', 'Qwen2.5-7B', 'gpt4o']);
    assert.equal(out.records.length, 8);
    const labels = (m: string) => out.records.map((r) => r.correct?.[m]).filter((v) => v !== undefined);
    assert.deepEqual([labels('Llama-3.1-8B-Instruct').filter((v) => v === 1).length, labels('Llama-3.1-8B-Instruct').length], [4, 8]);
    assert.deepEqual(labels('Qwen2.5-7B'), [0, 0, 0, 0], 'one model\'s math.json does not overwrite another\'s');
    assert.deepEqual(labels('gpt4o'), [1, 1, 1, 1]);
    assert.equal(out.records.some((r) => Object.keys(r.correct ?? {}).some((m) => m === 'math' || m === 'law' || m === 'math_result')), false);
  }));
