import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import * as os from 'node:os';
import * as path from 'node:path';
import { BankLockedError, LocalBank } from '../..';
import { makeQuestions, tempDir } from '../../../../test/fixtures/bankData';
import { REPO } from '../../../../test/fixtures/repo';

const DIM = 8;
const embedder = { id: 'test:concurrency-8', dimension: DIM };
const { dir: root, cleanup } = tempDir();
after(cleanup);
let n = 0;
const fresh = () => path.join(root, `bank-${n++}`);
const childScript = path.join(root, 'child.ts');

before(() => {
  // A real second process: `hold` keeps the writer lock until stdin closes; `write` adds many questions in one commit.
  writeFileSync(
    childScript,
    `import { LocalBank } from ${JSON.stringify(path.join(REPO, 'src/bank'))};
import { makeQuestions } from ${JSON.stringify(path.join(REPO, 'test/fixtures/bankData'))};
const [dir, mode, count] = process.argv.slice(2);
(async () => {
  const bank = await LocalBank.open(dir, { embedder: ${JSON.stringify(embedder)}, create: true, write: true });
  if (mode === 'hold') {
    process.stdout.write('locked\\n');
    process.stdin.resume();
    await new Promise((resolve) => process.stdin.on('end', resolve));
  } else {
    const questions = makeQuestions(Number(count), ${DIM}, 77, ['m1'], 'big');
    process.stdout.write('writing\\n');
    await bank.add(questions);
    process.stdout.write('done\\n');
  }
  await bank.close();
})().catch((err) => { console.error(err); process.exit(3); });
`,
  );
});

function startChild(...args: string[]): ChildProcess {
  return spawn(process.execPath, ['--require', 'tsx/cjs', childScript, ...args], { cwd: REPO, stdio: ['pipe', 'pipe', 'inherit'] });
}

async function waitForLine(child: ChildProcess, text: string): Promise<void> {
  let buffer = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (buffer.includes(text)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before printing ${text}`)));
  });
}

async function seeded(dir: string, count: number): Promise<void> {
  const bank = await LocalBank.open(dir, { embedder, create: true, write: true });
  await bank.add(makeQuestions(count, DIM, 3, ['m1']));
  await bank.close();
}

describe('bank writers', () => {
  it('refuses a second writer process with an error naming the holder, while readers still open', async () => {
    const dir = fresh();
    await seeded(dir, 4);
    const child = startChild(dir, 'hold');
    try {
      await waitForLine(child, 'locked');
      await assert.rejects(
        LocalBank.open(dir, { embedder, write: true }),
        (err: unknown) =>
          err instanceof BankLockedError &&
          err.holder?.pid === child.pid &&
          err.holder?.host === os.hostname() &&
          err.message.includes(`pid ${child.pid} on host ${os.hostname()}`),
      );
      const reader = await LocalBank.open(dir, { embedder });
      assert.equal(reader.size, 4);
      await reader.close();
    } finally {
      child.stdin?.end();
      await once(child, 'exit');
    }
    assert.equal(child.exitCode, 0);
    const writer = await LocalBank.open(dir, { embedder, write: true });
    await writer.close();
  });

  it('takes over the lock of a writer that was killed', async () => {
    // A bank with questions: a first creation killed before its first commit is removed instead (interruptedCreation).
    const dir = fresh();
    await seeded(dir, 2);
    const child = startChild(dir, 'hold');
    await waitForLine(child, 'locked');
    child.kill('SIGKILL');
    await once(child, 'exit');
    assert.ok(existsSync(path.join(dir, 'writer.lock')), 'the killed writer left its lock behind');
    const writer = await LocalBank.open(dir, { embedder, write: true });
    assert.ok(writer.writable);
    assert.equal(writer.size, 2);
    await writer.close();
  });

  it('serialises concurrent writes on one handle and refuses a second writer handle in the same process', async () => {
    const dir = fresh();
    const bank = await LocalBank.open(dir, { embedder, create: true, write: true });
    await assert.rejects(LocalBank.open(dir, { embedder, write: true }), (err: unknown) => err instanceof BankLockedError && err.holder?.pid === process.pid);
    const a = makeQuestions(30, DIM, 4, [], 'a');
    const b = makeQuestions(30, DIM, 5, [], 'b');
    await Promise.all([bank.add(a), bank.add(b), bank.setLabels([{ id: 'a-1', model: 'm', correct: 1 }, { id: 'b-2', model: 'm', correct: 0 }])]);
    await bank.close();
    const reader = await LocalBank.open(dir, { embedder });
    assert.deepEqual([...reader.records()].map((r) => r.id), [...a, ...b].map((q) => q.id));
    assert.deepEqual(reader.modelCoverage(), [{ model: 'm', labelled: 2, correct: 1 }]);
    await reader.close();
  });

  it('leaves the old or the new content readable when a writer is killed in the middle of a large write', async () => {
    const count = 12_000;
    for (const extraDelayMs of [0, 300]) {
      const dir = fresh();
      await seeded(dir, 20);
      const child = startChild(dir, 'write', String(count));
      await waitForLine(child, 'writing');
      const shards = path.join(dir, 'shards');
      const initial = new Set(readdirSync(shards));
      while (readdirSync(shards).every((f) => initial.has(f)) && child.exitCode === null) await new Promise((r) => setTimeout(r, 2));
      await new Promise((r) => setTimeout(r, extraDelayMs));
      child.kill('SIGKILL');
      await once(child, 'exit');

      const reader = await LocalBank.open(dir, { embedder });
      assert.ok(reader.size === 20 || reader.size === 20 + count, `size ${reader.size} is the old or the new content`);
      assert.equal(reader.recovery, undefined);
      const expected = makeQuestions(20, DIM, 3, ['m1']);
      expected.forEach((q, i) => assert.deepEqual(reader.recordAt(i, { embedding: true }).embedding, Array.from(q.embedding)));
      await reader.close();

      const writer = await LocalBank.open(dir, { embedder, write: true });
      assert.equal(writer.size, reader.size);
      await writer.close();
      const leftovers = [...readdirSync(dir), ...readdirSync(shards)].filter((f) => f.startsWith('.tmp-'));
      assert.deepEqual(leftovers, [], 'the next writer removed the interrupted write');
    }
  });
});
