import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Embedder } from '../../../core/contracts/types';
import { BankImportError, EmbedderMismatchError, LocalBank, exportBankJsonl, importBankJsonl, validateBankJsonl, type ImportProgress } from '../..';
import { makeQuestions, tempDir, toJsonl } from '../../../../test/fixtures/bankData';

const DIM = 6;
const identity = { id: 'test:char-6', dimension: DIM };

/** A deterministic embedder over character codes; counts how many texts it embedded. */
function charEmbedder(id = identity.id): Embedder & { embedded: number } {
  return {
    id,
    embedded: 0,
    async dimension() {
      return DIM;
    },
    async embed(texts) {
      this.embedded += texts.length;
      return texts.map((t) => {
        const v = new Float32Array(DIM);
        for (let i = 0; i < t.length; i++) v[i % DIM]! += t.charCodeAt(i) % 17;
        const norm = Math.hypot(...v);
        return v.map((x) => x / norm);
      });
    },
  };
}

const { dir: root, cleanup } = tempDir();
after(cleanup);
let n = 0;
const fresh = () => path.join(root, `case-${n++}`);
const openNew = (dir = fresh()) => LocalBank.open(dir, { embedder: identity, create: true, write: true });
/** Names and JSON contents of the bank's files (the writer lock aside), including the shard folder. */
const snapshotFiles = (dir: string) => [
  ...readdirSync(dir).filter((f) => !f.startsWith('writer.')).sort().map((f) => [f, f.endsWith('.json') ? readFileSync(path.join(dir, f), 'utf8') : ''] as const),
  ...readdirSync(path.join(dir, 'shards')).sort().map((f) => [`shards/${f}`, ''] as const),
];

describe('validateBankJsonl', () => {
  it('accepts the interchange format with only id and question required, skipping blank lines', () => {
    const text = '{"id":"a","question":"A?"}\n\n{"id":"b","question":"B?","answer":7,"grader":"number","domain":"math","correct":{"m":1},"fold":2,"source":"import","embedding":null}\n';
    const { records, errors } = validateBankJsonl(text, 'ok.jsonl');
    assert.deepEqual(errors, []);
    assert.deepEqual(records, [
      { id: 'a', question: 'A?' },
      { id: 'b', question: 'B?', answer: '7', grader: 'number', domain: 'math', correct: { m: 1 }, fold: 2, source: 'import' },
    ]);
  });

  it('names the line and field of each bad line', () => {
    const lines = [
      '{"id":"ok","question":"fine"}',
      '{"id":"x", "question":',
      '{"question":"no id"}',
      '{"id":"y"}',
      '{"id":5,"question":"numeric id"}',
      '{"id":"z","question":"q","grader":"vibes","fold":-1,"correct":{"m":2}}',
      '{"id":"w","question":"q","embedding":[1,2,3]}',
      '{"id":"v","question":"q","embedding":[1,2,"3",4,5,6]}',
      '{"id":"ok","question":"again"}',
      '[1,2]',
    ];
    const { errors } = validateBankJsonl(lines, 'bad.jsonl', { dimension: DIM });
    const got = errors.map((e) => `${e.source}:${e.line}:${e.field}`);
    assert.deepEqual(got, [
      'bad.jsonl:2:(line)',
      'bad.jsonl:3:id',
      'bad.jsonl:4:question',
      'bad.jsonl:5:id',
      'bad.jsonl:6:grader',
      'bad.jsonl:6:correct.m',
      'bad.jsonl:6:fold',
      'bad.jsonl:7:embedding',
      'bad.jsonl:8:embedding[2]',
      'bad.jsonl:9:id',
      'bad.jsonl:10:(line)',
    ]);
    assert.match(errors[7]!.message, /has 3 numbers, the bank's embedder has dimension 6/);
    assert.match(errors[9]!.message, /duplicate id "ok" \(first on line 1\)/);
  });
});

describe('importBankJsonl / exportBankJsonl', () => {
  it('imports, embeds only the lines without an embedding, and exports what a second import reproduces', async () => {
    const file = path.join(root, 'mixed.jsonl');
    const withEmbedding = makeQuestions(4, DIM, 11, ['m1', 'm2']);
    const without = [{ id: 'plain-1', question: 'How do I reverse a list?' }, { id: 'plain-2', question: 'What is a monad?', correct: { m1: 0 as const } }];
    writeFileSync(file, toJsonl([...withEmbedding, ...without]));
    const bank = await openNew();
    const embedder = charEmbedder();
    const progress: string[] = [];
    const result = await importBankJsonl(bank, file, embedder, { batchSize: 1, onProgress: (p) => progress.push(p.phase) });
    assert.deepEqual(result, { added: 6, updated: 0 });
    assert.equal(embedder.embedded, 2);
    assert.ok(progress.includes('embed') && progress.at(-1) === 'write');
    assert.equal(bank.get('plain-2')?.source, 'import');
    assert.deepEqual(bank.get('plain-2')?.correct, { m1: 0 });

    const exported = path.join(root, 'export-1.jsonl');
    assert.equal(await exportBankJsonl(bank, exported), 6);
    await bank.close();
    const first = readFileSync(exported, 'utf8');
    const line0 = JSON.parse(first.split('\n')[0]!);
    assert.deepEqual(Object.keys(line0), ['id', 'question', 'answer', 'grader', 'domain', 'correct', 'embedding', 'fold', 'source']);

    const second = await openNew();
    const again = charEmbedder();
    assert.deepEqual(await importBankJsonl(second, exported, again), { added: 6, updated: 0 });
    assert.equal(again.embedded, 0, 'exported lines carry their embeddings');
    const exportedAgain = path.join(root, 'export-2.jsonl');
    await exportBankJsonl(second, exportedAgain);
    await second.close();
    assert.equal(readFileSync(exportedAgain, 'utf8'), first);
  });

  it('merges labels for ids already in the bank: the file wins per model, other fields are kept', async () => {
    const bank = await openNew();
    await bank.add([{ id: 'a', question: 'stored text', embedding: [1, 0, 0, 0, 0, 0], correct: { m1: 1, m2: 0 } }]);
    const file = path.join(root, 'merge.jsonl');
    writeFileSync(file, toJsonl([{ id: 'a', question: 'different text', correct: { m2: 1, m3: 0 } }, { id: 'b', question: 'new one' }]));
    const embedder = charEmbedder();
    assert.deepEqual(await importBankJsonl(bank, file, embedder), { added: 1, updated: 1 });
    assert.equal(embedder.embedded, 1);
    assert.deepEqual(bank.get('a'), { id: 'a', question: 'stored text', correct: { m1: 1, m2: 1, m3: 0 } });
    await bank.close();
  });

  it('writes nothing when any line is bad, the embedding dimension is wrong, or the id repeats', async () => {
    const dir = fresh();
    const bank = await openNew(dir);
    await bank.add(makeQuestions(3, DIM, 12, ['m1']));
    const before = snapshotFiles(dir);
    const good = toJsonl(makeQuestions(5, DIM, 13, ['m1'], 'new')).trimEnd().split('\n');
    const cases: [string, RegExp][] = [
      [[...good.slice(0, 3), '{"id": "broken"', ...good.slice(3)].join('\n'), /bad\.jsonl:4: \(line\): not valid JSON/],
      [[...good, '{"id":"new-9","question":"q","embedding":[0.5,0.5]}'].join('\n'), /bad\.jsonl:6: embedding: has 2 numbers/],
      [[...good, good[1]].join('\n'), /bad\.jsonl:6: id: duplicate id "new-1" \(first on line 2\)/],
      [[...good, '{"id":"new-8","correct":{"m1":1}}'].join('\n'), /bad\.jsonl:6: question: is required/],
      [[...good, '{"id":"new-7","question":"q","correct":{"m1":"yes"}}'].join('\n'), /bad\.jsonl:6: correct\.m1: must be 0 or 1/],
    ];
    const file = path.join(root, 'bad.jsonl');
    const embedder = charEmbedder();
    for (const [text, expected] of cases) {
      writeFileSync(file, text);
      await assert.rejects(importBankJsonl(bank, file, embedder), (err: unknown) => err instanceof BankImportError && expected.test(err.message));
    }
    assert.equal(embedder.embedded, 0);
    assert.equal(bank.size, 3);
    await bank.close();
    assert.deepEqual(snapshotFiles(dir), before);
  });

  it('refuses a read-only or closed bank before embedding anything', async () => {
    const dir = fresh();
    const file = path.join(root, 'to-embed.jsonl');
    writeFileSync(file, toJsonl([{ id: 'e-0', question: 'needs a vector' }]));
    const embedder = charEmbedder();
    const bank = await openNew(dir);
    await bank.close();
    await assert.rejects(importBankJsonl(bank, file, embedder), /bank at .* is closed/);
    const reader = await LocalBank.open(dir, { embedder: identity });
    await assert.rejects(importBankJsonl(reader, file, embedder), /opened read-only; open it with write: true to import/);
    await reader.close();
    assert.equal(embedder.embedded, 0);
  });

  it('reports validation progress per thousand lines read, not on every line before the first valid one', async () => {
    const bank = await openNew();
    const file = path.join(root, 'all-bad.jsonl');
    writeFileSync(file, Array.from({ length: 50 }, (_, i) => `{"id":"bad-${i}"}`).join('\n'));
    const reports: ImportProgress[] = [];
    await assert.rejects(importBankJsonl(bank, file, charEmbedder(), { onProgress: (p) => reports.push(p) }), BankImportError);
    assert.ok(reports.length <= 2, `${reports.length} progress reports for 50 lines`);
    await bank.close();
  });

  it('refuses an embedder other than the bank’s and stops without writing when cancelled', async () => {
    const dir = fresh();
    const bank = await openNew(dir);
    const file = path.join(root, 'plain.jsonl');
    writeFileSync(file, toJsonl(Array.from({ length: 10 }, (_, i) => ({ id: `p-${i}`, question: `question ${i}` }))));
    await assert.rejects(importBankJsonl(bank, file, charEmbedder('test:other')), EmbedderMismatchError);
    const controller = new AbortController();
    const embedder = charEmbedder();
    const cancelling: Embedder = {
      id: embedder.id,
      dimension: () => embedder.dimension(),
      async embed(texts, signal) {
        controller.abort();
        return embedder.embed(texts, signal);
      },
    };
    await assert.rejects(importBankJsonl(bank, file, cancelling, { signal: controller.signal, batchSize: 4 }), /cancelled, nothing was written/);
    assert.equal(bank.size, 0);
    await bank.close();
    const reopened = await LocalBank.open(dir, { embedder: identity });
    assert.equal(reopened.size, 0);
    await reopened.close();
  });
});

it('given embeddings are kept exactly as written (float64), so routing evaluation matches a float64 implementation', () => {
  const { records, errors } = validateBankJsonl(JSON.stringify({ id: 'p', question: 'q', embedding: [0.1, 0.2, 1 / 3] }), 'precise.jsonl');
  assert.deepEqual(errors, []);
  assert.deepEqual(records[0]?.embedding, [0.1, 0.2, 1 / 3]);
});
