/** `smcs serve` as a user starts it: a real process, its first stdout line, the key file, the real `openai` SDK. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import OpenAI from 'openai';
import { firstLine, runCli, startCli } from '../../../../test/fixtures/cliRun';
import { tempDir } from '../../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../../test/fixtures/loopbackUpstream';

const temp = tempDir('smcs-serve-');
let fake: LoopbackUpstream;
let configFile: string;

before(async () => {
  fake = await startLoopbackUpstream({ models: ['m1', 'm2', 'agg'].map((id) => ({ id })) });
  for (const m of ['m1', 'm2']) fake.script(m, { reply: `Reply of ${m}: a dict.` });
  fake.script('agg', { reply: 'Use a dict.' });
  configFile = path.join(temp.dir, 'smcs.config.json');
  await writeFile(
    configFile,
    JSON.stringify({ endpoints: [{ id: 'local', provider: 'vllm', baseUrl: fake.baseUrl, models: ['m1', 'm2', 'agg'] }], embedding: { provider: 'lexical' }, aggregator: 'agg', bank: path.join(temp.dir, 'bank'), k: 2, n: 1 }),
  );
});

after(async () => {
  await fake.close();
  temp.cleanup();
});

test('smcs serve --port 0 prints where it listens first, keeps a generated key in a 0600 file and answers the openai SDK', { timeout: 60_000 }, async () => {
  const home = path.join(temp.dir, 'home');
  const run = startCli(['--config', configFile, 'serve', '--port', '0'], { SMCS_HOME: home, SMCS_SERVER_KEY: '' });
  const line = await firstLine(run.child);
  assert.match(line, /^listening http:\/\/127\.0\.0\.1:\d+\/v1$/);
  const url = line.slice('listening '.length);
  const keyFile = path.join(home, 'server-key');
  assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
  const key = (await readFile(keyFile, 'utf8')).trim();
  const reply = await new OpenAI({ baseURL: url, apiKey: key, maxRetries: 0 }).chat.completions.create({ model: 'smcs', messages: [{ role: 'user', content: 'How do I count words in Python?' }] });
  assert.equal(reply.choices[0]?.message.content, 'Use a dict.');
  run.child.kill('SIGTERM');
  const done = await run.done;
  assert.equal(done.code, 143, done.stderr);
  assert.ok(!done.stdout.includes(key) && !done.stderr.includes(key), 'the key was printed');
  assert.match(done.stderr, new RegExp(keyFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});

test('smcs serve refuses a host other machines reach unless the key was chosen', async () => {
  const run = await runCli(['--config', configFile, 'serve', '--host', '0.0.0.0', '--port', '0'], { SMCS_HOME: path.join(temp.dir, 'home2'), SMCS_SERVER_KEY: '' });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--api-key or SMCS_SERVER_KEY/);
});

test('a key shorter than 16 characters is refused from every source: --api-key, SMCS_SERVER_KEY and the key file', async () => {
  const shortFile = path.join(temp.dir, 'home-short');
  await mkdir(shortFile, { recursive: true });
  await writeFile(path.join(shortFile, 'server-key'), 'short\n', { mode: 0o600 });
  for (const [args, env, source] of [
    [['--api-key', 'short-key'], { SMCS_SERVER_KEY: '' }, /--api-key must be at least 16 characters/],
    [[], { SMCS_SERVER_KEY: 'short-key' }, /SMCS_SERVER_KEY must be at least 16 characters/],
    [[], { SMCS_SERVER_KEY: '', SMCS_HOME: shortFile }, /server-key must be at least 16 characters/],
  ] as const) {
    const run = await runCli(['--config', configFile, 'serve', '--host', '0.0.0.0', '--port', '0', ...args], { SMCS_HOME: path.join(temp.dir, 'home3'), ...env });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, source);
  }
});

test('smcs serve --host "[::1]" listens on the IPv6 loopback and says so in brackets', { timeout: 60_000 }, async () => {
  const run = startCli(['--config', configFile, 'serve', '--host', '[::1]', '--port', '0'], { SMCS_SERVER_KEY: 'v6-key-0123456789abcdef' });
  const line = await firstLine(run.child);
  assert.match(line, /^listening http:\/\/\[::1\]:\d+\/v1$/);
  const models = await new OpenAI({ baseURL: line.slice('listening '.length), apiKey: 'v6-key-0123456789abcdef', maxRetries: 0 }).models.list();
  assert.ok(models.data.some((m) => m.id === 'smcs'));
  run.child.kill('SIGTERM');
  assert.equal((await run.done).code, 143);
});
