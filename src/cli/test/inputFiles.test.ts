/**
 * Every file a command reads because the user named it is read only when it is a regular file: a named pipe (which
 * would block the read forever), `/dev/zero` (which never ends) and a folder are refused at once with exit 2 and a
 * message naming the flag or argument and the path. Each command runs as a user runs it, in a child process; one that
 * blocks or reads on is killed after a deadline and fails the test.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startCli } from '../../../test/fixtures/cliRun';
import { tempDir } from '../../../test/fixtures/bankData';

const temp = tempDir('smcs-input-files-');
after(temp.cleanup);
const fifo = path.join(temp.dir, 'pipe');
execFileSync('mkfifo', [fifo]);
const folder = path.join(temp.dir, 'folder');
mkdirSync(folder);
const config = path.join(temp.dir, 'smcs.config.json');
writeFileSync(config, JSON.stringify({ embedding: { provider: 'lexical' } }));
const bankFile = path.join(temp.dir, 'set.jsonl');
writeFileSync(bankFile, ['{"id":"a","question":"What is 1+1?","correct":{"m":1},"embedding":[1,0]}', '{"id":"b","question":"What is 2+2?","correct":{"m":0},"embedding":[0,1]}'].join('\n'));
const bank = path.join(temp.dir, 'bank');
const env = { SMCS_HOME: path.join(temp.dir, 'home') };

/** Runs `smcs args`; a run still going after 15 s is killed (and then fails on its exit code). */
async function refused(args: readonly string[], message: string): Promise<void> {
  const { child, done } = startCli(args, env);
  const deadline = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const run = await done;
  clearTimeout(deadline);
  assert.equal(run.code, 2, `smcs ${args.join(' ')}: ${run.signal ?? ''} ${run.stderr}`);
  assert.ok(run.stderr.includes(message), `smcs ${args.join(' ')}: ${run.stderr}`);
}

const what = (label: string, kind: string) => `${label} is ${kind}, not a regular file; only regular files are read`;

test('--config: a named pipe, /dev/zero and a folder are refused at once', { timeout: 120_000 }, async () => {
  await Promise.all([
    refused(['--config', fifo, 'bank', 'stats'], what(`--config ${fifo}`, 'a named pipe')),
    refused(['--config', '/dev/zero', 'bank', 'stats'], what('--config /dev/zero', 'a device')),
    refused(['--config', folder, 'bank', 'stats'], what(`--config ${folder}`, 'a folder')),
  ]);
});

test('smcs bank import: a named pipe or /dev/zero is refused and no bank is created', { timeout: 120_000 }, async () => {
  await Promise.all([
    refused(['--config', config, 'bank', 'import', '--bank', bank, fifo], what(fifo, 'a named pipe')),
    refused(['--config', config, 'bank', 'import', '--bank', bank, '--format', 'jsonl', '/dev/zero'], what('/dev/zero', 'a device')),
  ]);
  assert.equal(existsSync(bank), false);
});

test('eval sets, --thread and --prices: a named pipe or /dev/zero is refused at once', { timeout: 180_000 }, async () => {
  await Promise.all([
    refused(['eval', 'routing', '--bank-file', fifo], what(`--bank-file ${fifo}`, 'a named pipe')),
    refused(['eval', 'routing', '--bank-file', bankFile, '--folds', '2', '--k', '1', '--prices', fifo], what(`--prices ${fifo}`, 'a named pipe')),
    refused(['eval', 'checks', '/dev/zero'], what('the eval set /dev/zero', 'a device')),
  ]);
  await Promise.all([
    refused(['eval', 'e2e', fifo], what(`the eval set ${fifo}`, 'a named pipe')),
    refused(['--config', config, 'eval', 'context', fifo, '--workspace', folder], what(`the eval set ${fifo}`, 'a named pipe')),
    refused(['--config', config, 'ask', 'What is 1+1?', '--thread', fifo], what(`--thread ${fifo}`, 'a named pipe')),
  ]);
});
