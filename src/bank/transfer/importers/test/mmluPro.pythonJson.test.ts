import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importFiles } from '..';
import { mcQuestions, mmluProRecord } from '../../../../../test/fixtures/importerData';
import { withTempDir } from '../../../../../test/fixtures/bankData';
import { float, pythonDumps } from '../../../../../test/fixtures/pythonJson';

test('an MMLU-Pro output file holding a bare NaN (json.dump of a pandas-filled field) is read as Python wrote it', () =>
  withTempDir('smcs-mmlu-nan-', async (dir) => {
    const qs = mcQuestions(3);
    // The published CoT examples column is empty for most rows; read through pandas it is NaN, and json.dump writes NaN.
    const records = qs.map((q, i) => ({ ...mmluProRecord(q, i === 1 ? 'A' : q.answer), cot_content: float(NaN) }));
    const path = join(dir, 'model_outputs_m_5shots.json');
    await writeFile(path, pythonDumps(records));
    const out = await importFiles({ paths: [path] });
    assert.deepEqual(out.skipped, []);
    assert.deepEqual(out.records.map((r) => r.correct), qs.map((q, i) => ({ m: i === 1 && q.answer !== 'A' ? 0 : 1 })));

    await writeFile(path, pythonDumps(records).slice(0, -40));
    const cut = await importFiles({ paths: [path] }).then(() => assert.fail('refused'), (e: unknown) => e);
    assert.match(String(cut), /model_outputs_m_5shots\.json file: \(file\): not valid JSON \(invalid end of input at 1:\d+\)/);
  }));
