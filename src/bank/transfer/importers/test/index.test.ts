import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { detectFormat, importFiles, ImportFormatError } from '..';
import { lmEvalSample, mcQuestions, mmluProRecord } from '../../../../../test/fixtures/importerData';
import { withTempDir } from '../../../../../test/fixtures/bankData';

const withDir = (fn: (dir: string) => Promise<void>) => withTempDir('smcs-detect-', fn);

test('detectFormat by content when the file name says nothing', () =>
  withDir(async (dir) => {
    const mmlu = join(dir, 'a.json');
    await writeFile(mmlu, JSON.stringify(mcQuestions(1).map((q) => mmluProRecord(q, 'A'))));
    const lm = join(dir, 'b.jsonl');
    await writeFile(lm, JSON.stringify(lmEvalSample({ docId: 0, doc: { question: 'q' }, target: 'x', response: 'x', metrics: { exact_match: 1 } })));
    const bank = join(dir, 'c.jsonl');
    await writeFile(bank, '{"id": "q-1", "question": "What does git stash do?"}\n');
    const other = join(dir, 'd.txt');
    await writeFile(other, 'hello');
    assert.equal(await detectFormat(mmlu), 'mmlu-pro');
    assert.equal(await detectFormat(lm), 'lm-eval');
    assert.equal(await detectFormat(bank), 'jsonl');
    await assert.rejects(detectFormat(other), /cannot tell the import format of .*d\.txt/);
  }));

test('jsonl files go through the bank validator; labels are aliased and merged across files', () =>
  withDir(async (dir) => {
    await writeFile(join(dir, 'one.jsonl'), [
      JSON.stringify({ id: 'q-1', question: 'Reverse a list in Python?', answer: 'xs[::-1]', grader: 'exact', correct: { 'gpt-x': 1 } }),
      '',
      JSON.stringify({ id: 'q-2', question: 'Big-O of binary search?', correct: { 'gpt-x': 0 } }),
    ].join('\n'));
    await writeFile(join(dir, 'two.jsonl'), JSON.stringify({ id: 'q-1', question: 'Reverse a list in Python?', answer: 'xs[::-1]', grader: 'exact', correct: { other: 0 } }));
    const out = await importFiles({ format: 'jsonl', paths: [dir], aliases: { 'gpt-x': 'openai/gpt-x' } });
    assert.deepEqual(out.models, ['openai/gpt-x', 'other']);
    assert.deepEqual(out.records.find((r) => r.id === 'q-1')?.correct, { 'openai/gpt-x': 1, other: 0 });

    await writeFile(join(dir, 'bad.jsonl'), ['{"id": "q-9", "question": "ok"}', '{"id": "q-10"}', '{"id": "q-11", "question": "x", "grader": "fuzzy"}', '{"id": "q-12", '].join('\n'));
    const err = await importFiles({ format: 'jsonl', paths: [dir], strict: true }).then(() => assert.fail('refused'), (e: unknown) => e);
    assert.ok(err instanceof ImportFormatError);
    assert.deepEqual(err.issues.map((i) => `${i.file}|${i.location}|${i.field}|${i.reason}`), [
      'bad.jsonl|line 2|question|missing-question',
      'bad.jsonl|line 3|grader|bad-field',
      'bad.jsonl|line 4|(line)|bad-json',
    ]);
    const skipping = await importFiles({ format: 'jsonl', paths: [dir] });
    assert.deepEqual(skipping.records.map((r) => r.id).sort(), ['q-1', 'q-2', 'q-9']);
    assert.deepEqual(skipping.skipped.map((x) => `${x.reason} ${x.at}`), ['missing-question line 2', 'bad-field line 3', 'bad-json line 4']);
  }));

test('a UTF-8 byte order mark before the first JSONL line is ignored; embeddings of another length are skipped by line', () =>
  withDir(async (dir) => {
    const file = join(dir, 'bom.jsonl');
    await writeFile(file, `\uFEFF${JSON.stringify({ id: 'q-1', question: 'First?', embedding: [1, 0, 0] })}\n${JSON.stringify({ id: 'q-2', question: 'Second?', embedding: [1, 0] })}\n`);
    assert.equal(await detectFormat(file), 'jsonl');
    const out = await importFiles({ paths: [file], dimension: 3 });
    assert.deepEqual(out.records.map((r) => r.id), ['q-1']);
    assert.deepEqual(out.skipped.map((x) => `${x.reason} ${x.file} ${x.at} ${x.field}`), ['bad-embedding bom.jsonl line 2 embedding']);
  }));

test('no paths or an empty folder is a clear error', () =>
  withDir(async (dir) => {
    await assert.rejects(importFiles({ paths: [] }), /no input files/);
    await assert.rejects(importFiles({ format: 'mmlu-pro', paths: [dir] }), /no mmlu-pro files in folder/);
  }));
