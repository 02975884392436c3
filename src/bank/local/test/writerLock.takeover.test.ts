/**
 * A writer paused long enough for its lock to be taken over (Ctrl-Z, a suspended laptop, a stopped debugger) must not
 * overwrite what the new holder committed when it resumes: it fails, saying so, and leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { BankError, LocalBank } from '../..';
import { makeQuestions, tempDir } from '../../../../test/fixtures/bankData';

const DIM = 6;
const embedder = { id: 'test:takeover-6', dimension: DIM };
const { dir: root, cleanup } = tempDir('smcs-takeover-');
after(cleanup);
let n = 0;

/** A bank of 5 questions, and a writer open on it. */
async function bankWithWriter(): Promise<{ dir: string; paused: LocalBank }> {
  const dir = path.join(root, `bank-${n++}`);
  const seed = await LocalBank.open(dir, { embedder, create: true, write: true });
  await seed.add(makeQuestions(5, DIM, 1, ['m1'], 'seed'));
  await seed.close();
  return { dir, paused: await LocalBank.open(dir, { embedder, write: true }) };
}

/** What a second writer does when the paused one's lock went stale: it takes the lock over and opens the bank. */
async function takeOver(dir: string): Promise<LocalBank> {
  rmSync(path.join(dir, 'writer.lock'), { recursive: true, force: true });
  return LocalBank.open(dir, { embedder, write: true });
}

const files = (dir: string) => [...readdirSync(dir), ...readdirSync(path.join(dir, 'shards')).map((f) => `shards/${f}`)].sort();

describe('a writer whose lock was taken over while it was paused', () => {
  it('fails on resuming instead of overwriting the generation the new holder committed', async () => {
    const { dir, paused } = await bankWithWriter();
    const other = await takeOver(dir);
    await other.add(makeQuestions(3, DIM, 2, ['m2'], 'theirs'));
    await other.close();
    const after = files(dir);

    await assert.rejects(paused.add(makeQuestions(4, DIM, 3, ['m3'], 'mine')), (err: unknown) => {
      assert.ok(err instanceof BankError);
      assert.match(err.message, /another writer committed generation 2 while this one was paused .* this change was not written, and the other is kept/);
      return true;
    });
    await paused.close();
    assert.deepEqual(files(dir), after, 'nothing of the paused writer is left, nothing of the other is touched');
    const reader = await LocalBank.open(dir, { embedder });
    assert.equal(reader.size, 8);
    assert.equal(reader.recovery, undefined, 'the bank is intact, not fallen back to an older generation');
    assert.ok(reader.get('theirs-0'), 'the other writer\'s questions are there');
    assert.equal(reader.get('mine-0'), undefined, 'none of the paused writer\'s');
    await reader.close();
  });

  it('fails before its manifest when the new holder has not committed yet, and removes the files it wrote', async () => {
    const { dir, paused } = await bankWithWriter();
    const before = files(dir);
    const other = await takeOver(dir);
    await assert.rejects(paused.add(makeQuestions(4, DIM, 3, ['m3'], 'mine')), /took over the writer lock while this process was paused; this change was not written/);
    assert.deepEqual(files(dir).filter((f) => f !== 'writer.json' && f !== 'writer.lock'), before.filter((f) => f !== 'writer.json' && f !== 'writer.lock'));
    await other.add(makeQuestions(2, DIM, 4, ['m2'], 'theirs'));
    await other.close();
    await paused.close();
    const reader = await LocalBank.open(dir, { embedder });
    assert.deepEqual([reader.size, reader.recovery], [7, undefined]);
    await reader.close();
  });
});
