import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { BankImportError, importBankJsonl, importRecords, LocalBank } from '../..';
import { LexicalEmbedder } from '../../../embed/lexical';
import { tempDir, toJsonl } from '../../../../test/fixtures/bankData';

const embedder = new LexicalEmbedder({ dimension: 32 });
const { dir: root, cleanup } = tempDir('smcs-records-');
after(cleanup);
let n = 0;
const openNew = () => LocalBank.open(path.join(root, `b-${n++}`), { embedder: { id: embedder.id, dimension: 32 }, create: true, write: true });

describe('importRecords (the import path shared with bank JSONL)', () => {
  it('adds new records, embeds those without a vector and merges labels of known ids like the JSONL import', async () => {
    const viaRecords = await openNew();
    const viaJsonl = await openNew();
    try {
      const first = [
        { id: 'a', question: 'What is a closure?', correct: { m1: 1 as const } },
        { id: 'b', question: 'What is a monad?', grader: 'exact' as const, answer: 'x', embedding: Array.from({ length: 32 }, (_, i) => (i === 3 ? 2 : 0)) },
      ];
      const second = [{ id: 'a', question: 'ignored text', correct: { m1: 0 as const, m2: 1 as const } }, { id: 'c', question: 'New?' }];
      const phases: string[] = [];
      assert.deepEqual(await importRecords(viaRecords, first, embedder, { onProgress: (p) => phases.push(p.phase) }), { added: 2, updated: 0 });
      assert.deepEqual(await importRecords(viaRecords, second, embedder), { added: 1, updated: 1 });
      assert.deepEqual([...new Set(phases)], ['validate', 'embed', 'write']);
      const file = path.join(root, `f-${n}.jsonl`);
      writeFileSync(file, toJsonl(first));
      await importBankJsonl(viaJsonl, file, embedder);
      writeFileSync(file, toJsonl(second));
      await importBankJsonl(viaJsonl, file, embedder);
      const dump = (bank: LocalBank) => [...bank.records({ embedding: true })];
      assert.deepEqual(dump(viaRecords), dump(viaJsonl));
      assert.deepEqual(viaRecords.get('a'), { id: 'a', question: 'What is a closure?', source: 'import', correct: { m1: 0, m2: 1 } });
      assert.equal(viaRecords.embeddingAt(viaRecords.indexOf('b'))[3], 1);
    } finally {
      await viaRecords.close();
      await viaJsonl.close();
    }
  });

  it('validates every record first, naming position and field, and writes nothing on error or cancel', async () => {
    const bank = await openNew();
    try {
      const bad = [{ id: 'ok', question: 'Fine?' }, { id: 'x', question: 'Short?', embedding: [1, 2] }, { id: 'y', question: '', correct: { m: 3 } }] as never[];
      await assert.rejects(importRecords(bank, bad, embedder, { sourceName: 'mmlu' }), (err: unknown) => {
        assert.ok(err instanceof BankImportError);
        assert.match(err.message, /mmlu:2: embedding: has 2 numbers, the bank's embedder has dimension 32/);
        assert.match(err.message, /mmlu:3: question/);
        assert.match(err.message, /mmlu:3: correct\.m: must be 0 or 1/);
        return true;
      });
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(importRecords(bank, [{ id: 'z', question: 'Z?' }], embedder, { signal: controller.signal }), /cancelled, nothing was written/);
      assert.equal(bank.size, 0);
      await assert.rejects(importRecords(bank, [{ id: 'z', question: 'Z?' }], new LexicalEmbedder({ dimension: 64 })), /built with lexical:v1:32/);
    } finally {
      await bank.close();
    }
  });

  it('normalises embeddings whose values are all tiny or huge, and names the line of one that cannot be', async () => {
    const bank = await openNew();
    try {
      const tiny = { id: 'tiny', question: 'Tiny?', embedding: Array.from({ length: 32 }, (_, i) => (i % 2 ? 1e-200 : -3e-200)) };
      const huge = { id: 'huge', question: 'Huge?', embedding: Array.from({ length: 32 }, () => 1e200) };
      const denormal = { id: 'denormal', question: 'Denormal?', embedding: Array.from({ length: 32 }, (_, i) => (i === 5 ? 5e-324 : 0)) };
      assert.deepEqual(await importRecords(bank, [tiny, huge, denormal], embedder), { added: 3, updated: 0 });
      const norm = (v: Float32Array) => Math.hypot(...v);
      for (const id of ['tiny', 'huge', 'denormal']) assert.ok(Math.abs(norm(bank.embeddingAt(bank.indexOf(id))) - 1) < 1e-6, `${id} is unit length`);
      assert.ok(Math.abs(bank.embeddingAt(bank.indexOf('tiny'))[1]! / bank.embeddingAt(bank.indexOf('tiny'))[0]! + 1 / 3) < 1e-6, 'direction kept');
      assert.equal(bank.embeddingAt(bank.indexOf('denormal'))[5], 1);
      const file = path.join(root, `zeros-${n}.jsonl`);
      writeFileSync(file, toJsonl([{ id: 'ok', question: 'Fine?' }, { id: 'zero', question: 'Zero?', embedding: Array(32).fill(0) }]));
      await assert.rejects(importBankJsonl(bank, file, embedder), /zeros-\d+\.jsonl:2: embedding: must not be all zeros/);
    } finally {
      await bank.close();
    }
  });
});
