import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LocalIndex } from 'vectra';
import { BankCorruptError, LocalBank, type NewQuestion } from '../..';
import { makeQuestions, tempDir, writeTwoGenerations } from '../../../../test/fixtures/bankData';

const DIM = 5;
const embedder = { id: 'test:integrity-5', dimension: DIM };
const { dir: root, cleanup } = tempDir();
after(cleanup);
let n = 0;

/** A fresh bank of two generations (see writeTwoGenerations). */
async function twoGenerations(): Promise<{ dir: string; questions: NewQuestion[] }> {
  const dir = path.join(root, `bank-${n++}`);
  return { dir, questions: await writeTwoGenerations(dir, embedder, n) };
}

const shardFile = (dir: string, suffix: string) => {
  const name = readdirSync(path.join(dir, 'shards')).find((f) => f.endsWith(suffix) && f.includes('.g2'));
  assert.ok(name, `a generation-2 shard file ending in ${suffix}`);
  return path.join(dir, 'shards', name);
};
const openReader = (dir: string) => LocalBank.open(dir, { embedder });
const openWriter = (dir: string) => LocalBank.open(dir, { embedder, write: true });

function assertContent(bank: LocalBank, questions: NewQuestion[]): void {
  assert.deepEqual([...bank.records()].map((r) => r.id), questions.map((q) => q.id));
  questions.forEach((q, i) => assert.deepEqual(Array.from(bank.embeddingAt(i)), Array.from(Float32Array.from(q.embedding))));
}

describe('damaged bank files', () => {
  it('detects a truncated manifest and loads the previous generation, then a writer restores the manifest', async () => {
    const { dir, questions } = await twoGenerations();
    const file = path.join(dir, 'manifest.json');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 100));
    const reader = await openReader(dir);
    assert.equal(reader.recovery?.usedPreviousGeneration, true);
    assert.match(reader.recovery?.problems[0] ?? '', /manifest\.json: not valid JSON/);
    assertContent(reader, questions.slice(0, 6));
    await reader.close();
    const writer = await openWriter(dir);
    assert.equal(writer.recovery?.repaired, true);
    await writer.close();
    const clean = await openReader(dir);
    assert.deepEqual([clean.recovery?.usedPreviousGeneration, clean.recovery?.lost.length], [false, 1], 'the manifest is whole again; the set-aside generation is still reported');
    assert.deepEqual(clean.recovery?.problems, [clean.recovery?.lost[0]?.description], 'as a problem too, so every recovery warning names it');
    assert.equal(clean.size, 6);
    await clean.close();
  });

  it('detects a manifest edited in place by its checksum', async () => {
    const { dir } = await twoGenerations();
    const file = path.join(dir, 'manifest.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"size": 10', '"size": 11'));
    const reader = await openReader(dir);
    assert.match(reader.recovery?.problems[0] ?? '', /checksum mismatch/);
    await reader.close();
  });

  it('rebuilds a truncated or bit-flipped vector snapshot from the vectra shard', async () => {
    for (const damage of ['truncate', 'flip'] as const) {
      const { dir, questions } = await twoGenerations();
      const vectors = shardFile(dir, '.f32');
      if (damage === 'truncate') truncateSync(vectors, 17);
      else {
        const bytes = readFileSync(vectors);
        bytes[9]! ^= 0x40;
        writeFileSync(vectors, bytes);
      }
      const writer = await openWriter(dir);
      assert.equal(writer.recovery?.usedPreviousGeneration, false);
      assert.match(writer.recovery?.problems.join() ?? '', damage === 'truncate' ? /\.f32 has 17 bytes.*rebuilt from shards/ : /\.f32 fails its checksum: rebuilt/);
      assertContent(writer, questions);
      await writer.close();
      const clean = await openReader(dir);
      assert.equal(clean.recovery, undefined, `${damage}: repaired on disk`);
      await clean.close();
    }
  });

  it('rebuilds a truncated vectra index from the snapshot, and the result is a working vectra index', async () => {
    const { dir, questions } = await twoGenerations();
    const vectraDir = shardFile(dir, '.g2');
    truncateSync(path.join(vectraDir, 'index.json'), 40);
    const writer = await openWriter(dir);
    assert.match(writer.recovery?.problems.join() ?? '', /index\.json has 40 bytes.*rebuilt from the snapshot/);
    assertContent(writer, questions);
    await writer.close();
    const index = new LocalIndex(vectraDir);
    const items = await index.listItems();
    assert.equal(items.length, 10);
    const probe = questions[3]!;
    const hits = await index.queryItems(Array.from(probe.embedding), '', 1);
    const [hit] = hits;
    assert.ok(hit);
    assert.equal(hit.item.id, probe.id);
    assert.equal(hit.item.metadata.question, probe.question);
  });

  it('falls back to the previous generation when both copies of a shard are damaged', async () => {
    const { dir, questions } = await twoGenerations();
    truncateSync(shardFile(dir, '.f32'), 3);
    truncateSync(path.join(shardFile(dir, '.g2'), 'index.json'), 3);
    const reader = await openReader(dir);
    assert.equal(reader.recovery?.usedPreviousGeneration, true);
    assertContent(reader, questions.slice(0, 6));
    await reader.close();
  });

  it('falls back to the previous generation when the labels file is damaged', async () => {
    const { dir } = await twoGenerations();
    writeFileSync(path.join(dir, 'labels.g2.json'), '{"models":');
    const reader = await openReader(dir);
    assert.equal(reader.recovery?.usedPreviousGeneration, true);
    assert.match(reader.recovery?.problems.join() ?? '', /labels\.g2\.json has \d+ bytes/);
    assert.equal(reader.size, 6);
    await reader.close();
  });

  it('reports an unrecoverable bank with a clear error naming the files', async () => {
    const dir = path.join(root, `bank-${n++}`);
    const bank = await LocalBank.open(dir, { embedder, create: true, write: true });
    await bank.add(makeQuestions(3, DIM, 50));
    await bank.close();
    writeFileSync(path.join(dir, 'manifest.prev.json'), 'garbage');
    const vectraDir = readdirSync(path.join(dir, 'shards')).find((f) => !f.includes('.f32') && !f.endsWith('.json')) as string;
    truncateSync(path.join(dir, 'shards', `${vectraDir}.f32`), 1);
    truncateSync(path.join(dir, 'shards', vectraDir, 'index.json'), 1);
    await assert.rejects(
      openReader(dir),
      (err: unknown) => err instanceof BankCorruptError && /\.f32 has 1 bytes/.test(err.message) && /manifest\.prev\.json: not valid JSON/.test(err.message),
    );
  });
});
