/**
 * A first import killed before its first commit leaves a marked creation; the next open of the folder removes it and
 * says what, while a creator still at work, and a bank that committed before its process died, are left alone. The
 * creator is a real process killed with SIGKILL.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import * as path from 'node:path';
import { BankError, LocalBank, removeInterruptedImport } from '../..';
import { makeQuestions, tempDir } from '../../../../test/fixtures/bankData';
import { REPO } from '../../../../test/fixtures/repo';
import { CREATING_FILE } from '../interruptedCreation';

const DIM = 8;
const embedder = { id: 'test:creation-8', dimension: DIM };
const { dir: root, cleanup } = tempDir('smcs-creation-');
after(cleanup);
const childScript = path.join(root, 'child.ts');

before(() => {
  // Creates the bank and holds it open, as an import does while it embeds, until it is killed.
  writeFileSync(
    childScript,
    `import { LocalBank } from ${JSON.stringify(path.join(REPO, 'src/bank'))};
(async () => {
  await LocalBank.open(process.argv[2] ?? '', { embedder: ${JSON.stringify(embedder)}, create: true, write: true });
  process.stdout.write('created\\n');
  setInterval(() => undefined, 1000);
})().catch((err) => { console.error(err); process.exit(3); });
`,
  );
});

/** A process that created the bank at `dir` and holds it; `kill` ends it with SIGKILL. */
async function creator(dir: string): Promise<{ pid: number; kill: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', childScript, dir], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  while (!out.includes('created')) {
    if (child.exitCode !== null) throw new Error(`the creator exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    pid: child.pid ?? 0,
    kill: async () => {
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}

test('a creation whose process was killed is removed by the next open, which says what, with the folders it made', async () => {
  const dir = path.join(root, 'made', 'bank');
  const first = await creator(dir);
  assert.equal(await removeInterruptedImport(dir), undefined, 'a creator at work is left alone');
  assert.equal((await LocalBank.open(dir, { embedder })).size, 0, 'a reader meanwhile sees the empty bank');
  await first.kill();
  assert.ok(readdirSync(dir).includes(CREATING_FILE) && readdirSync(dir).includes('writer.lock'), 'the kill left its marker and lock');
  await assert.rejects(LocalBank.open(dir, { embedder }), (err: unknown) =>
    err instanceof BankError && new RegExp(`^no question bank at ${dir}: an import into ${dir} was stopped before it stored any question \\(process ${first.pid} on .+\\); what it left was removed: a bank with no questions, its writer lock`).test(err.message));
  assert.equal(existsSync(path.join(root, 'made')), false, 'the folders the creation made are gone');

  const second = await creator(dir);
  await second.kill();
  const bank = await LocalBank.open(dir, { embedder, create: true, write: true });
  assert.match(bank.removedLeftovers ?? '', new RegExp(`process ${second.pid}`));
  await bank.add(makeQuestions(3, DIM, 1, ['m1']));
  await bank.close();
  assert.deepEqual(readdirSync(dir).filter((f) => f === CREATING_FILE || f.startsWith('writer')), [], 'no marker or lock after the first commit');
  assert.equal((await LocalBank.open(dir, { embedder })).size, 3);
});

test('a bank that committed before its process died keeps its questions; only its stale marker goes', async () => {
  const dir = path.join(root, 'committed');
  const bank = await LocalBank.open(dir, { embedder, create: true, write: true });
  await bank.add(makeQuestions(4, DIM, 2, ['m1']));
  await bank.close();
  writeFileSync(path.join(dir, CREATING_FILE), JSON.stringify({ pid: 999999, host: 'elsewhere', since: '2020-01-01T00:00:00.000Z' }));
  assert.equal(await removeInterruptedImport(dir), undefined);
  assert.equal((await LocalBank.open(dir, { embedder })).size, 4);
  assert.equal(existsSync(path.join(dir, CREATING_FILE)), false);
});

test('a bank created and closed without a commit stays, empty, and is no interrupted creation', async () => {
  const dir = path.join(root, 'empty');
  await (await LocalBank.open(dir, { embedder, create: true, write: true })).close();
  assert.equal(existsSync(path.join(dir, CREATING_FILE)), false);
  assert.equal((await LocalBank.open(dir, { embedder })).size, 0);
});
