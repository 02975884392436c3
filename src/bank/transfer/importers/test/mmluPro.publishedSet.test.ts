import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { importFiles, ImportFormatError, modelFromMmluProFileName } from '..';
import { writeSyntheticMmluPro } from '../../../../bench/mmluProSynth';
import { gradeChoice } from '../../../../core/grading/graders';
import { mcQuestions, mmluProRecord, singleOptionRecord, writeMmluProFile } from '../../../../../test/fixtures/importerData';
import { withTempDir } from '../../../../../test/fixtures/bankData';

const withDir = (fn: (dir: string) => Promise<void>) => withTempDir('smcs-published-', fn);

test('the published set imports whole: every label is its own file\'s verdict (pred == answer), bare strings are skipped and counted', () =>
  withDir(async (dir) => {
    const set = await writeSyntheticMmluPro(dir, { files: 29, questions: 40, bareStrings: 43, singleOption: { questions: 5, files: 20 } });
    const out = await importFiles({ paths: [dir] });
    assert.equal(out.records.length, 40);
    assert.deepEqual([out.files, out.entries], [29, 29 * 40 + 43]);
    assert.deepEqual(out.skipped.map((s) => s.reason), Array(43).fill('not-a-record'));
    assert.ok(out.skipped.every((s) => s.file === set.bareStringFile && /^index \d+$/.test(s.at)));
    const byId = new Map(out.records.map((r) => [r.id, r]));
    let checked = 0;
    for (const file of set.files) {
      const model = modelFromMmluProFileName(file)!;
      for (const entry of JSON.parse(await readFile(file, 'utf8')) as unknown[]) {
        if (typeof entry !== 'object' || entry === null) continue;
        const r = entry as { question_id: number; answer: string; pred: string | null };
        assert.equal(byId.get(`mmlu-pro-${r.question_id}`)?.correct?.[model], r.pred === r.answer ? 1 : 0, `${basename(file)} ${r.question_id}`);
        checked++;
      }
    }
    assert.equal(checked, 29 * 40);
    for (const id of set.singleOptionIds) {
      const r = byId.get(`mmlu-pro-${id}`)!;
      assert.equal(r.answer, 'A');
      assert.equal(r.grader, 'choice');
      assert.match(r.question, /\?\n\nA\. [^\n]+$/, 'the stem, a blank line, one option line');
    }
  }));

test('single-option records are questions with an answer and labels; the choice grader grades them', () =>
  withDir(async (dir) => {
    const [q, other] = mcQuestions(2);
    await writeMmluProFile(dir, 'right', [singleOptionRecord(q!, 'A'), mmluProRecord(other!, other!.answer)]);
    await writeMmluProFile(dir, 'silent', [singleOptionRecord(q!, null), mmluProRecord(other!, null)]);
    const out = await importFiles({ paths: [dir], strict: true });
    const r = out.records.find((x) => x.id === `mmlu-pro-${q!.id}`)!;
    assert.equal(r.question, `${q!.stem}\n\nA. ${q!.options[q!.answer.charCodeAt(0) - 65]}`);
    assert.deepEqual([r.answer, r.grader, r.correct], ['A', 'choice', { right: 1, silent: 0 }]);
    assert.equal(gradeChoice('Only one option fits. The answer is (A).', r.answer!).correct, true);
    assert.equal(gradeChoice('I cannot tell.', r.answer!).correct, false);
  }));

test('strict refuses a file with bare strings among its records and names each entry', () =>
  withDir(async (dir) => {
    const qs = mcQuestions(3);
    await writeMmluProFile(dir, 'm', [mmluProRecord(qs[0]!, 'A'), 'Traceback (most recent call last)', mmluProRecord(qs[1]!, 'B'), 'rate limited']);
    const err = await importFiles({ paths: [dir], strict: true }).then(() => assert.fail('refused'), (e: unknown) => e);
    assert.ok(err instanceof ImportFormatError);
    assert.deepEqual(err.issues.map((i) => `${i.location} ${i.reason}`), ['index 1 not-a-record', 'index 3 not-a-record']);
  }));

test('a UTF-8 byte order mark and symlinked files or folders inside an imported folder are read', () =>
  withDir(async (dir) => {
    const qs = mcQuestions(4);
    const elsewhere = join(dir, 'elsewhere');
    const linkedFile = await writeMmluProFile(elsewhere, 'linked-file', qs.map((q) => mmluProRecord(q, q.answer)), { bom: true });
    await writeMmluProFile(join(elsewhere, 'sub'), 'linked-folder', qs.map((q) => mmluProRecord(q, null)));
    const folder = join(dir, 'import-me');
    await mkdir(folder);
    await writeMmluProFile(folder, 'plain', qs.map((q) => mmluProRecord(q, q.answer)), { bom: true });
    await symlink(linkedFile, join(folder, basename(linkedFile)));
    await symlink(join(elsewhere, 'sub'), join(folder, 'sub'));
    await symlink(folder, join(folder, 'loop'));
    const out = await importFiles({ paths: [folder], strict: true });
    assert.deepEqual(out.models, ['linked-file', 'linked-folder', 'plain']);
    assert.equal(out.files, 3);
    assert.equal(out.records.length, 4);
  }));
