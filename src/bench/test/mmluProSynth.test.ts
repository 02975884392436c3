import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { at } from '../../core/util/arrays';
import { pythonJson, writeSyntheticMmluPro } from '../mmluProSynth';
import { tempDir } from '../../../test/fixtures/bankData';

const { dir: root, cleanup } = tempDir('smcs-synth-');
after(cleanup);

/** An entry of a written file: a record (the fields read here) or a bare string. */
type Entry = string | { question_id: number; options: string[] };

describe('synthetic MMLU-Pro set', () => {
  it('pythonJson writes what Python json.dumps writes: ", " and ": " separators, non-ASCII and DEL escaped, surrogate pairs split', () => {
    const value = [{ question_id: 7, options: ['café', 'x\u007fy', '😀'], pred: null, ok: true, w: 0.5, s: 'tab\t"q"\\ \u001f', gone: undefined }, 'bare'];
    // python3 -c 'import json; print(json.dumps([{"question_id": 7, "options": ["café", "x\u007fy", "😀"], "pred": None, "ok": True, "w": 0.5, "s": "tab\t\"q\"\\ \u001f"}, "bare"]))'
    const python = String.raw`[{"question_id": 7, "options": ["caf\u00e9", "x\u007fy", "\ud83d\ude00"], "pred": null, "ok": true, "w": 0.5, "s": "tab\t\"q\"\\ \u001f"}, "bare"]`;
    assert.equal(pythonJson(value), python);
  });

  it('writes the same bytes for the same options, and its summary counts what the files hold', async () => {
    const options = { files: 3, questions: 12, bareStrings: 4, singleOption: { questions: 2, files: 2 } };
    const [a, b] = [await writeSyntheticMmluPro(path.join(root, 'a'), options), await writeSyntheticMmluPro(path.join(root, 'b'), options)];
    for (const [i, file] of a.files.entries()) assert.ok(readFileSync(file).equals(readFileSync(at(b.files, i))), `${path.basename(file)} is the same`);
    const lists = a.files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Entry[]);
    assert.equal(a.entries, lists.reduce((n, l) => n + l.length, 0));
    assert.equal(a.records, 3 * 12);
    assert.deepEqual(lists.map((l) => l.filter((e) => typeof e === 'string').length), [4, 0, 0], 'the bare strings are in the first file');
    assert.equal(path.basename(at(a.files, 0)), a.bareStringFile);
    for (const id of a.singleOptionIds) {
      const counts = lists.map((l) => l.flatMap((e) => (typeof e !== 'string' && e.question_id === id ? [e.options.length] : [])));
      assert.deepEqual(counts.slice(0, 2), [[1], [1]], `question ${id} has a single option in the first two files`);
      assert.ok((at(counts, 2)[0] ?? 0) > 1, `question ${id} has its longer version in the third`);
    }
  });
});
