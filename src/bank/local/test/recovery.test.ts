import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { BankCorruptError, hasBank, LocalBank, recoveryWarning, type NewQuestion } from '../..';
import { makeQuestions, tempDir, writeTwoGenerations } from '../../../../test/fixtures/bankData';

const DIM = 5;
const embedder = { id: 'test:recovery-5', dimension: DIM };
const { dir: root, cleanup } = tempDir('smcs-recovery-');
after(cleanup);
let n = 0;

/** A fresh bank of two generations (see writeTwoGenerations). */
async function twoGenerations(): Promise<{ dir: string; questions: NewQuestion[] }> {
  const dir = path.join(root, `bank-${n++}`);
  return { dir, questions: await writeTwoGenerations(dir, embedder, n) };
}

const openReader = (dir: string) => LocalBank.open(dir, { embedder });
const openWriter = (dir: string) => LocalBank.open(dir, { embedder, write: true });
const generation2Files = (dir: string) => [
  ...readdirSync(dir).filter((f) => f.includes('.g2')),
  ...readdirSync(path.join(dir, 'shards')).filter((f) => f.includes('.g2')).map((f) => path.join('shards', f)),
];
const truncateManifest = (dir: string) => {
  const file = path.join(dir, 'manifest.json');
  writeFileSync(file, readFileSync(file, 'utf8').slice(0, 100));
};

describe('a damaged bank never loses data silently', () => {
  it('a reader names the generation it could not load and how many questions it held', async () => {
    const { dir } = await twoGenerations();
    truncateManifest(dir);
    const reader = await openReader(dir);
    const [lost] = reader.recovery?.lost ?? [];
    assert.ok(lost, 'the loss is reported');
    assert.deepEqual([lost.generation, lost.questions, lost.missing, lost.loadedGeneration, lost.loadedQuestions, lost.folder], [2, 10, 4, 1, 6, undefined]);
    assert.match(lost.reason, /manifest\.json: not valid JSON/);
    assert.match(recoveryWarning(reader) ?? '', /generation 2 \(10 questions, 4 questions of them and its labels\) could not be loaded .* the bank holds generation 1 \(6 questions\) instead; its files are still in place\. Run "smcs bank recover"/);
    await reader.close();
  });

  it('a writer keeps the newer generation aside instead of deleting it; later writes never touch it; every open reports it until resolved', async () => {
    const { dir, questions } = await twoGenerations();
    const files = generation2Files(dir);
    const bytes = new Map(files.map((f) => [f, readFileSync(path.join(dir, f.endsWith('.g2') ? path.join(f, 'index.json') : f))]));
    truncateManifest(dir);
    const writer = await openWriter(dir);
    assert.equal(writer.size, 6);
    assert.equal(writer.recovery?.lost[0]?.folder, path.join('recovery', 'g2'));
    await writer.add(makeQuestions(3, DIM, 99, ['m1'], 'later'));
    await writer.add(makeQuestions(2, DIM, 98, ['m1'], 'later2'));
    await writer.close();
    const kept = path.join(dir, 'recovery', 'g2');
    for (const [f, content] of bytes) assert.deepEqual(readFileSync(path.join(kept, f.endsWith('.g2') ? path.join(f, 'index.json') : f)), content, `${f} kept as it was`);
    assert.ok(existsSync(path.join(kept, 'manifest.json')), 'the damaged manifest is kept too');
    const info = JSON.parse(readFileSync(path.join(kept, 'recovery.json'), 'utf8')) as { generation: number; questions: number };
    assert.deepEqual([info.generation, info.questions], [2, 10]);

    const reader = await openReader(dir);
    assert.equal(reader.size, 11);
    assert.match(recoveryWarning(reader) ?? '', new RegExp(`generation 2 .* its files are kept in ${kept.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    await reader.close();

    const restorer = await openWriter(dir);
    const [report] = await restorer.restoreSetAside();
    assert.deepEqual([report?.questions, report?.labels, report?.unrestorable], [4, 9, []], '4 questions back, the 9 labels of generation 2 set');
    assert.equal(restorer.size, 15);
    for (const q of questions) {
      const got = restorer.get(q.id, { embedding: true });
      assert.ok(got, `${q.id} is back`);
      assert.deepEqual(got.embedding, Array.from(Float32Array.from(q.embedding)));
    }
    assert.deepEqual(restorer.get('q-0')?.correct, { ...questions[0]!.correct, m2: 1 }, 'the labels of generation 2 are back');
    await restorer.close();
    assert.equal(existsSync(path.join(dir, 'recovery')), false, 'a generation restored whole is removed from recovery/');
    const clean = await openReader(dir);
    assert.equal(clean.recovery, undefined);
    await clean.close();
  });

  it('discard deletes the set-aside data after the open names it', async () => {
    const { dir } = await twoGenerations();
    truncateManifest(dir);
    const writer = await openWriter(dir);
    const gone = await writer.discardSetAside();
    assert.deepEqual(gone.map((g) => [g.generation, g.questions]), [[2, 10]]);
    await writer.close();
    assert.equal(existsSync(path.join(dir, 'recovery')), false);
    const clean = await openReader(dir);
    assert.deepEqual([clean.size, clean.recovery], [6, undefined]);
    await clean.close();
  });

  it('restores what can be read when a shard is damaged in both copies, and keeps the rest aside, marked', async () => {
    const { dir, questions } = await twoGenerations();
    const shard = readdirSync(path.join(dir, 'shards')).find((f) => f.endsWith('.g2'))!;
    truncateSync(path.join(dir, 'shards', `${shard}.f32`), 3);
    truncateSync(path.join(dir, 'shards', shard, 'index.json'), 3);
    const writer = await openWriter(dir);
    assert.equal(writer.recovery?.usedPreviousGeneration, true);
    assert.deepEqual([writer.recovery?.lost[0]?.generation, writer.recovery?.lost[0]?.questions], [2, 10]);
    const [report] = await writer.restoreSetAside();
    assert.deepEqual(report?.unrestorable, [`shards/${shard} (no readable copy)`]);
    assert.equal(report?.questions, 0);
    assert.deepEqual(writer.get('q-0')?.correct, { ...questions[0]!.correct, m2: 1 }, 'the labels file was intact');
    await writer.close();
    const reader = await openReader(dir);
    assert.match(recoveryWarning(reader) ?? '', /not restorable: shards\/s0000\.g2 \(no readable copy\)/);
    await reader.close();
  });

  it('restores from the vectra copy when the damaged manifest cannot vouch for a shard whose snapshot is damaged', async () => {
    const { dir, questions } = await twoGenerations();
    const shard = readdirSync(path.join(dir, 'shards')).find((f) => f.endsWith('.g2'))!;
    truncateSync(path.join(dir, 'shards', `${shard}.f32`), 3);
    truncateManifest(dir);
    const writer = await openWriter(dir);
    assert.equal(writer.size, 6);
    const [report] = await writer.restoreSetAside();
    assert.deepEqual([report?.questions, report?.labels, report?.unrestorable], [4, 9, []]);
    for (const q of questions) assert.deepEqual(writer.get(q.id, { embedding: true })?.embedding, Array.from(Float32Array.from(q.embedding)), `${q.id} is back with its vector`);
    await writer.close();
  });

  it('both manifests damaged: the open says the bank is damaged', async () => {
    const { dir } = await twoGenerations();
    truncateManifest(dir);
    writeFileSync(path.join(dir, 'manifest.prev.json'), '{"manifest":');
    await assert.rejects(openReader(dir), (err: unknown) => err instanceof BankCorruptError && /^bank at .* is damaged: manifest\.json: not valid JSON/.test(err.message));
  });

  it('both manifests missing while the data is there: damaged, never "no bank", and an import keeps every file', async () => {
    const { dir } = await twoGenerations();
    for (const m of ['manifest.json', 'manifest.prev.json']) rmSync(path.join(dir, m));
    const data = readdirSync(dir).concat(readdirSync(path.join(dir, 'shards'))).sort();
    const damaged = (err: unknown) =>
      err instanceof BankCorruptError && /manifest\.json and manifest\.prev\.json are missing, but the folder holds the bank's data \(labels\.g\d\.json.*nothing was changed/.test(err.message);
    await assert.rejects(openReader(dir), damaged);
    await assert.rejects(LocalBank.open(dir, { embedder, create: true, write: true }), damaged, 'an import into it is refused');
    assert.deepEqual(readdirSync(dir).concat(readdirSync(path.join(dir, 'shards'))).sort(), data, 'every file is still there');
    assert.equal(await hasBank(dir), true, 'the CLI and the panel report a damaged bank, not an empty one');
  });

  it('a set-aside killed before its description was written leaves no phantom loss', async () => {
    const { dir } = await twoGenerations();
    truncateManifest(dir);
    // What a kill between creating the folder and describing it leaves: a temporary folder in recovery/.
    mkdirSync(path.join(dir, 'recovery', '.tmp-g2-4242-deadbeef', 'shards'), { recursive: true });
    const reader = await openReader(dir);
    assert.deepEqual(reader.recovery?.lost.map((l) => [l.generation, l.folder]), [[2, undefined]], 'only the real loss, still in place');
    await reader.close();
    const writer = await openWriter(dir);
    assert.deepEqual(writer.recovery?.lost.map((l) => [l.generation, l.folder]), [[2, path.join('recovery', 'g2')]]);
    await writer.close();
    assert.deepEqual(readdirSync(path.join(dir, 'recovery')), ['g2'], 'the leftover is gone; the set-aside folder has its description');
    assert.ok(existsSync(path.join(dir, 'recovery', 'g2', 'recovery.json')));
  });

  it('a bank whose snapshot was repaired in place reports no loss', async () => {
    const { dir } = await twoGenerations();
    const shard = readdirSync(path.join(dir, 'shards')).find((f) => f.endsWith('.g2'))!;
    truncateSync(path.join(dir, 'shards', `${shard}.f32`), 3);
    const writer = await openWriter(dir);
    assert.deepEqual(writer.recovery?.lost, []);
    assert.equal(recoveryWarning(writer), undefined);
    assert.equal(writer.size, 10);
    await writer.close();
    const reader = await openReader(dir);
    assert.equal(reader.recovery, undefined);
    await reader.close();
  });
});
