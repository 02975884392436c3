import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { LocalBank } from '../../bank/local/localBank';
import { LexicalEmbedder } from '../../embed/lexical';
import { benchmarkImport } from '../importBench';
import { tempDir } from '../../../test/fixtures/bankData';

const { dir: root, cleanup } = tempDir('smcs-import-bench-');
after(cleanup);

describe('import benchmark', () => {
  it('imports the synthetic set into a new bank, reports what it read, skipped and stored, and times each phase', async () => {
    const embedder = new LexicalEmbedder({ dimension: 64 });
    const synth = { files: 3, questions: 20, bareStrings: 2, singleOption: { questions: 2, files: 2 } };
    const progress: string[] = [];
    const result = await benchmarkImport(root, embedder, { synth, onProgress: (m) => progress.push(m) });
    assert.deepEqual([result.files, result.records, result.questions, result.skipped, result.embedder], [3, 60, 20, 2, embedder.id]);
    const phases = Object.values(result.phasesMs);
    assert.ok(phases.every((ms) => Number.isInteger(ms) && ms >= 0), JSON.stringify(result.phasesMs));
    const total = phases.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - result.ms) <= 5, `the phases (${total} ms) make up the whole import (${result.ms} ms)`);
    assert.deepEqual(progress.filter((m) => m.startsWith('import: ')), ['import: validate', 'import: embed', 'import: write']);

    const bank = await LocalBank.open(path.join(root, 'import-bank'), { embedder: { id: embedder.id, dimension: 64 } });
    assert.equal(bank.size, 20);
    assert.equal(bank.models().length, 3, 'labels for each model file');
    await bank.close();
  });

  it('writes the synthetic set once per spec and reuses it, while the bank is imported anew each run', async () => {
    const embedder = new LexicalEmbedder({ dimension: 64 });
    const synth = { files: 2, questions: 8, bareStrings: 1, singleOption: { questions: 1, files: 1 } };
    const dir = path.join(root, 'reuse');
    await benchmarkImport(dir, embedder, { synth });
    const setFile = path.join(dir, 'import-set', 'synth-spec.json');
    const bankManifest = path.join(dir, 'import-bank', 'manifest.json');
    const [setBefore, bankBefore] = [statSync(setFile).mtimeMs, statSync(bankManifest).mtimeMs];
    const progress: string[] = [];
    const again = await benchmarkImport(dir, embedder, { synth, onProgress: (m) => progress.push(m) });
    assert.equal(again.questions, 8);
    assert.equal(statSync(setFile).mtimeMs, setBefore, 'the set is not written again');
    assert.ok(!progress.some((m) => m.startsWith('writing the synthetic')), progress.join('\n'));
    assert.notEqual(statSync(bankManifest).mtimeMs, bankBefore, 'the bank is imported again');

    const other = await benchmarkImport(dir, embedder, { synth: { ...synth, questions: 9 } });
    assert.equal(other.questions, 9, 'another spec writes another set');
  });
});
