import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as path from 'node:path';
import { BankError, EmbedderMismatchError, LocalBank, SHARD_CAPACITY, bankStats } from '../..';
import { cosine } from '../../../core/util/vectorMath';
import { makeQuestions, prng, tempDir, unitVector } from '../../../../test/fixtures/bankData';

const embedder = { id: 'test:seeded-8', dimension: 8 };
const { dir: root, cleanup } = tempDir();
after(cleanup);
let n = 0;
const freshDir = () => path.join(root, `bank-${n++}`);

describe('question bank round trip', () => {
  it('stores questions, closes, reopens and answers queries like a double-precision brute force', async () => {
    const dir = freshDir();
    const questions = makeQuestions(50, 8, 1, ['m-a', 'm-b']);
    const bank = await LocalBank.open(dir, { embedder, create: true, write: true });
    await bank.add(questions);
    await bank.close();

    const reopened = await LocalBank.open(dir, { embedder });
    assert.equal(reopened.size, 50);
    assert.equal(reopened.recovery, undefined);
    const query = Float32Array.from(unitVector(prng(99), 8));
    const expected = questions.map((q, i) => ({ i, s: cosine(q.embedding, query) })).sort((a, b) => b.s - a.s);
    const sims = reopened.similarities(query);
    expected.forEach(({ i, s }) => assert.ok(Math.abs(sims[i]! - s) < 1e-5, `similarity of question ${i}`));
    const top = reopened.nearest(query, 5);
    assert.deepEqual(top.map((t) => t.id), expected.slice(0, 5).map((e) => questions[e.i]!.id));
    assert.deepEqual(reopened.get('q-3'), {
      id: 'q-3', question: questions[3]!.question, answer: '3', grader: 'choice', domain: 'cs', fold: 3, correct: questions[3]!.correct,
    });
    assert.equal(reopened.get('q-4')?.correct, undefined);
    const withEmbedding = reopened.recordAt(7, { embedding: true });
    assert.deepEqual(withEmbedding.embedding, Array.from(questions[7]!.embedding));
    assert.deepEqual([...reopened.records()].map((r) => r.id), questions.map((q) => q.id));
    await reopened.close();
  });

  it('normalises embeddings that are not unit length and rejects a query of the wrong dimension', async () => {
    const bank = await LocalBank.open(freshDir(), { embedder, create: true, write: true });
    await bank.add([{ id: 'x', question: 'x?', embedding: [3, 0, 0, 4, 0, 0, 0, 0] }]);
    assert.deepEqual(Array.from(bank.embeddingAt(0)).map((v) => Math.round(v * 1e6) / 1e6), [0.6, 0, 0, 0.8, 0, 0, 0, 0]);
    assert.throws(() => bank.similarities(new Float32Array(4)), /dimension 4, the bank has 8/);
    await bank.close();
  });

  it('refuses a bank built by another embedder, by id or by dimension', async () => {
    const dir = freshDir();
    const bank = await LocalBank.open(dir, { embedder, create: true, write: true });
    await bank.close();
    await assert.rejects(
      LocalBank.open(dir, { embedder: { id: 'test:other-8', dimension: 8 } }),
      (err: unknown) => err instanceof EmbedderMismatchError && err.message.includes('was built with test:seeded-8') && err.message.includes('the config uses test:other-8'),
    );
    await assert.rejects(LocalBank.open(dir, { embedder: { id: embedder.id, dimension: 16 } }), EmbedderMismatchError);
  });

  it('rejects a bad batch whole: a duplicate id, a wrong dimension or an unknown label id changes nothing', async () => {
    const bank = await LocalBank.open(freshDir(), { embedder, create: true, write: true });
    const good = makeQuestions(3, 8, 2);
    await bank.add(good);
    const extra = makeQuestions(2, 8, 3, [], 'new');
    await assert.rejects(bank.add([...extra, { ...good[0]! }]), /add\[2\]\.id "q-0" is already in the bank/);
    await assert.rejects(bank.add([{ ...extra[0]!, embedding: [1, 2, 3] }]), /add\[0\]\.embedding must have 8 numbers, got 3/);
    await assert.rejects(bank.setLabels([{ id: 'nope', model: 'm', correct: 1 }]), /labels\[0\]\.id: no question with id "nope"/);
    await assert.rejects(bank.remove(['q-1', 'ghost']), /no question with id "ghost"/);
    const ghosts = Array.from({ length: 7 }, (_, i) => ({ id: `ghost-${i}`, model: 'm', correct: 1 as const }));
    await assert.rejects(bank.setLabels(ghosts), /: labels\[0\]\.id: no question with id "ghost-0"; .*; labels\[4\]\.id: no question with id "ghost-4" \(and 2 more\)$/);
    assert.equal(bank.size, 3);
    assert.deepEqual(bank.modelCoverage(), []);
    await bank.close();
  });

  it('keeps label coverage, the label matrix and stats in step with labels and removals', async () => {
    const dir = freshDir();
    const bank = await LocalBank.open(dir, { embedder, create: true, write: true });
    await bank.add(makeQuestions(10, 8, 4, ['m-a', 'm-b']));
    await bank.setLabels([
      { id: 'q-4', model: 'm-a', correct: 1 },
      { id: 'q-0', model: 'm-c', correct: 0 },
      { id: 'q-0', model: 'm-c', correct: 1 },
    ]);
    await bank.remove(['q-1']);
    await bank.close();

    const reopened = await LocalBank.open(dir, { embedder });
    // q-0..q-9 minus q-1; labelled rows: all but q-4 and q-9 (i % 5 === 4), plus q-4 for m-a.
    // m-a correct when i % 3 !== 0; m-b when (i + 1) % 3 !== 0.
    assert.deepEqual(reopened.modelCoverage(), [
      { model: 'm-a', labelled: 8, correct: 5 },
      { model: 'm-b', labelled: 7, correct: 4 },
      { model: 'm-c', labelled: 1, correct: 1 },
    ]);
    const matrix = reopened.labelMatrix(['m-c', 'm-a', 'unknown']);
    assert.deepEqual(Array.from(matrix.get('m-c') as Int8Array), [1, -1, -1, -1, -1, -1, -1, -1, -1]);
    assert.deepEqual(Array.from(matrix.get('m-a') as Int8Array), [0, 1, 0, 1, 1, 0, 1, 1, -1]);
    assert.deepEqual(Array.from(matrix.get('unknown') as Int8Array), new Array(9).fill(-1));
    const stats = bankStats(reopened);
    assert.equal(stats.size, 9);
    assert.deepEqual(stats.domains, { cs: 4, math: 2, bio: 3 });
    assert.equal(stats.models[0]?.accuracy, 5 / 8);
    await reopened.close();
  });

  it('removes an id named twice once, keeping the labels of the rows after it', async () => {
    const dir = freshDir();
    const bank = await LocalBank.open(dir, { embedder, create: true, write: true });
    await bank.add(makeQuestions(4, 8, 7));
    await bank.setLabels([{ id: 'q-3', model: 'm', correct: 1 }]);
    await bank.remove(['q-1', 'q-1']);
    await bank.close();
    const reopened = await LocalBank.open(dir, { embedder });
    assert.deepEqual([...reopened.records()].map((r) => r.id), ['q-0', 'q-2', 'q-3']);
    assert.deepEqual(reopened.get('q-3')?.correct, { m: 1 });
    await reopened.close();
  });

  it('close waits for writes queued before it, and refuses writes after it', async () => {
    const dir = freshDir();
    const bank = await LocalBank.open(dir, { embedder, create: true, write: true });
    const queued = [bank.add(makeQuestions(2, 8, 3)), bank.setLabels([{ id: 'q-1', model: 'm', correct: 1 }])];
    await bank.close();
    await Promise.all(queued);
    await assert.rejects(bank.add(makeQuestions(1, 8, 4, [], 'late')), /is closed/);
    const reopened = await LocalBank.open(dir, { embedder });
    assert.equal(reopened.size, 2);
    assert.deepEqual(reopened.get('q-1')?.correct, { m: 1 });
    await reopened.close();
  });

  it('replaces a question by removing and adding its id in one commit: new text and vector, old labels gone', async () => {
    const dir = freshDir();
    const bank = await LocalBank.open(dir, { embedder, create: true, write: true });
    await bank.add(makeQuestions(3, 8, 8, ['m']));
    const replacement = { id: 'q-1', question: 'replaced?', embedding: unitVector(prng(80), 8) };
    await bank.commit({ remove: ['q-1'], add: [replacement] });
    await bank.close();
    const reopened = await LocalBank.open(dir, { embedder });
    assert.deepEqual([...reopened.records()].map((r) => r.id), ['q-0', 'q-2', 'q-1']);
    assert.deepEqual(reopened.get('q-1', { embedding: true }), { id: 'q-1', question: 'replaced?', embedding: replacement.embedding });
    assert.deepEqual(reopened.get('q-2')?.correct, { m: 1 });
    await reopened.close();
  });

  it('spreads a large bank over several vectra shards and removes across them', async () => {
    const dir = freshDir();
    const count = SHARD_CAPACITY + 40;
    const bank = await LocalBank.open(dir, { embedder: { id: 'test:tiny-2', dimension: 2 }, create: true, write: true });
    const rand = prng(5);
    await bank.add(Array.from({ length: count }, (_, i) => ({ id: `r-${i}`, question: `r ${i}`, embedding: unitVector(rand, 2) })));
    await bank.remove(['r-0', `r-${SHARD_CAPACITY + 1}`]);
    await bank.add([{ id: 'tail', question: 'tail', embedding: [0, 1] }]);
    await bank.close();
    const reopened = await LocalBank.open(dir, { embedder: { id: 'test:tiny-2', dimension: 2 } });
    assert.equal(reopened.size, count - 1);
    assert.equal(reopened.indexOf('r-1'), 0);
    assert.equal(reopened.indexOf(`r-${SHARD_CAPACITY + 1}`), -1);
    assert.equal(reopened.recordAt(reopened.size - 1).id, 'tail');
    assert.deepEqual(reopened.nearest(Float32Array.from([0, 1]), 1)[0]?.id, 'tail');
    await reopened.close();
  });

  it('refuses writes on a read-only handle and opening a missing bank without create', async () => {
    const dir = freshDir();
    await assert.rejects(LocalBank.open(dir, { embedder }), /no question bank at/);
    await (await LocalBank.open(dir, { embedder, create: true, write: true })).close();
    const reader = await LocalBank.open(dir, { embedder });
    await assert.rejects(reader.add(makeQuestions(1, 8, 6)), (err: unknown) => err instanceof BankError && /read-only/.test(err.message));
    await reader.close();
  });
});
