import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importFiles, ImportFormatError } from '..';
import { lmEvalSample, mcQuestions, mmluProRecord, writeMmluProFile } from '../../../../../test/fixtures/importerData';
import { withTempDir } from '../../../../../test/fixtures/bankData';

const withDir = (fn: (dir: string) => Promise<void>) => withTempDir('smcs-import-refusals-', fn);

async function refusal(run: Promise<unknown>): Promise<ImportFormatError> {
  const err = await run.then(() => assert.fail('the import should be refused'), (e: unknown) => e);
  assert.ok(err instanceof ImportFormatError, String(err));
  return err;
}

test('an import of empty input is refused, naming the file and why, strict or not', () =>
  withDir(async (dir) => {
    await writeFile(join(dir, 'empty.jsonl'), '');
    await writeFile(join(dir, 'blank.jsonl'), '\n\n   \r\n');
    const emptyList = await writeMmluProFile(join(dir, 'mmlu'), 'm', []);
    for (const strict of [false, true]) {
      assert.match((await refusal(importFiles({ paths: [join(dir, 'empty.jsonl')], strict }))).message, /^import refused, no questions found in empty\.jsonl: the file is empty$/);
      assert.match((await refusal(importFiles({ paths: [join(dir, 'blank.jsonl')], strict }))).message, /no questions found in blank\.jsonl: the file holds only blank lines$/);
      assert.match((await refusal(importFiles({ paths: [emptyList], strict }))).message, /no questions found in model_outputs_m_5shots\.json: the file is an empty JSON list$/);
    }
    assert.match(
      (await refusal(importFiles({ format: 'jsonl', paths: [join(dir, 'empty.jsonl'), join(dir, 'blank.jsonl')] }))).message,
      /no questions found in empty\.jsonl \(the file is empty\), blank\.jsonl \(the file holds only blank lines\)$/,
    );
  }));

test('an empty file next to a usable one is a warning, and the rest is imported', () =>
  withDir(async (dir) => {
    await writeFile(join(dir, 'a.jsonl'), '');
    await writeFile(join(dir, 'b.jsonl'), `${JSON.stringify({ id: 'q-1', question: 'What does git stash do?' })}\n`);
    const out = await importFiles({ paths: [dir], format: 'jsonl' });
    assert.deepEqual(out.records.map((r) => r.id), ['q-1']);
    assert.deepEqual(out.warnings, ['a.jsonl: the file is empty; nothing was read from it']);
  }));

test('lm-eval lines of another filter only: refused, saying so', () =>
  withDir(async (dir) => {
    const path = join(dir, 'samples_t_2025-01-01T00-00-00.000000.jsonl');
    await writeFile(path, `${JSON.stringify(lmEvalSample({ docId: 0, doc: { question: 'q' }, target: 'x', response: 'x', metrics: { exact_match: 1 }, filter: 'strict-match' }))}\n`);
    assert.match((await refusal(importFiles({ paths: [path], model: 'm', filter: 'flexible-extract' }))).message, /no questions found: .*kept filter flexible-extract; skipped 1 lines of other filters/);
  }));

test('a file given with the wrong format is refused with what it looks like', () =>
  withDir(async (dir) => {
    const bank = join(dir, 'questions.jsonl');
    await writeFile(bank, ['{"id": "q-1", "question": "What does git stash do?"}', '{"id": "q-2", "question": "What does git bisect do?"}', ''].join('\n'));
    const samples = join(dir, 'run.jsonl');
    await writeFile(samples, `${JSON.stringify(lmEvalSample({ docId: 0, doc: { question: 'q' }, target: 'x', response: 'x', metrics: { exact_match: 1 } }))}\n`);
    const mmlu = await writeMmluProFile(join(dir, 'mmlu'), 'm', mcQuestions(2).map((q) => mmluProRecord(q, 'A')));

    const asMmlu = await refusal(importFiles({ format: 'mmlu-pro', paths: [bank] }));
    assert.deepEqual(asMmlu.issues.map((i) => `${i.file}|${i.location}|${i.reason}`), ['questions.jsonl|file|unreadable-file']);
    assert.match(asMmlu.message, /questions\.jsonl file: \(file\): does not look like mmlu-pro input \(--format mmlu-pro reads a JSON list of records\); it looks like JSON Lines: did you mean --format jsonl\?$/);
    assert.match((await refusal(importFiles({ format: 'mmlu-pro', paths: [samples] }))).message, /run\.jsonl file: .*it looks like lm-eval samples .*: did you mean --format lm-eval\?$/);

    const asLmEval = await refusal(importFiles({ format: 'lm-eval', paths: [bank] }));
    assert.match(asLmEval.message, /questions\.jsonl file: \(file\): does not look like lm-eval input \(--format lm-eval reads JSON Lines with doc_id, doc and resps\); it looks like JSON Lines: did you mean --format jsonl\?$/);
    assert.doesNotMatch(asLmEval.message, /results_|--model/);
    assert.match((await refusal(importFiles({ format: 'lm-eval', paths: [mmlu], model: 'm' }))).message, /it looks like an MMLU-Pro output list: did you mean --format mmlu-pro\?$/);
  }));

test('the format sniff leaves bad lines of the right format to the per-line checks', () =>
  withDir(async (dir) => {
    const path = join(dir, 'samples_t_2025-01-01T00-00-00.000000.jsonl');
    const good = lmEvalSample({ docId: 1, doc: { question: 'q' }, target: 'x', response: 'x', metrics: { exact_match: 1 } });
    await writeFile(path, ['{"doc_id": 0, "doc": {"question": "q"}}', '{broken', JSON.stringify(good)].join('\n'));
    const out = await importFiles({ paths: [path], model: 'm', format: 'lm-eval' });
    assert.deepEqual(out.records.map((r) => r.id), ['lm-eval-t-1']);
    assert.deepEqual(out.skipped.map((s) => `${s.at}|${s.reason}`), ['line 1|bad-label', 'line 2|bad-json']);
  }));
