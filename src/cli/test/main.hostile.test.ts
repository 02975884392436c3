/**
 * The `smcs` command against hostile or broken servers and without the model hub, as a user runs it (child
 * processes, real files, loopback servers): no key anywhere, messages that say what to do, exit codes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { runCli } from '../../../test/fixtures/cliRun';
import { tempDir } from '../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';

const temp = tempDir('smcs-cli-hostile-');
const dir = temp.dir;
const KEY = 'gw-live-4f3e2d1c0b9a8f7e6d5c';
const PASSWORD = 'pa55-w0rd-XYZ';
let server: LoopbackUpstream;

before(async () => {
  server = await startLoopbackUpstream({ models: ['m1', 'm2', 'echo', 'bad', 'agg', 'ansi'].map((id) => ({ id })) });
  for (const m of ['m1', 'm2']) server.script(m, { reply: `Reply of ${m}: use a dict.` });
  server.script('echo', { echoCredentials: { status: 400 } });
  server.script('ansi', { fail: { status: 401, message: '\u001b]0;PWNED-TITLE\u0007\u001b[31mbad key\u001b[0m\rOK' } });
  server.script('bad', { reply: 'one two three', malformedAfterChunks: 1 });
  server.script('agg', { reply: 'Combined: use a dict. The answer is (A).' });
});

after(async () => {
  await server.close();
  temp.cleanup();
});

async function writeConfig(name: string, config: Record<string, unknown>): Promise<string> {
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(config));
  return file;
}

/** Every file under `folder`, read as text. */
async function filesUnder(folder: string): Promise<string[]> {
  const names = await readdir(folder, { recursive: true, withFileTypes: true });
  return Promise.all(names.filter((d) => d.isFile()).map((d) => readFile(path.join(d.parentPath, d.name), 'utf8')));
}

test('a gateway that echoes the key, and a base URL with credentials: neither appears on stderr, in the result JSON or in any bank file', async () => {
  const bank = path.join(dir, 'bank-echo');
  const withCredentials = server.baseUrl.replace('http://', `http://alice:${PASSWORD}@`);
  const file = await writeConfig('echo', {
    endpoints: [
      { id: 'gw', provider: 'openai', baseUrl: server.baseUrl, apiKeyEnv: 'SMCS_TEST_GATEWAY_KEY', models: ['m1', 'm2', 'echo', 'bad', 'agg'] },
    ],
    embedding: { provider: 'lexical' },
    aggregator: 'agg',
    bank,
    k: 6,
    n: 2,
  });
  const env = { SMCS_TEST_GATEWAY_KEY: KEY };
  const asked = await runCli(['--config', file, 'ask', 'How do I make lookups fast in Python?', '--json'], env);
  assert.equal(asked.code, 0, asked.stderr);
  const result = JSON.parse(asked.stdout) as { referencers: { model: string; ok: boolean; error?: string }[] };
  const echo = result.referencers.find((r) => r.model === 'echo');
  assert.ok(echo && !echo.ok);
  assert.match(echo.error ?? '', /Authorization: Bearer \[redacted\]/, 'the gateway echo is reported, without the key');
  const bad = result.referencers.find((r) => r.model === 'bad');
  assert.equal(bad?.ok, false);
  assert.match(bad.error ?? '', /the server returned invalid JSON in a stream line/);

  await writeFile(path.join(dir, 'q.jsonl'), ['q-1', 'q-2'].map((id) => JSON.stringify({ id, question: `Pick one (${id}): (A) yes (B) no`, answer: 'A', grader: 'choice' })).join('\n'));
  assert.equal((await runCli(['--config', file, 'bank', 'import', path.join(dir, 'q.jsonl')], env)).code, 0);
  const profiled = await runCli(['--config', file, 'profile', '--models', 'echo', '--yes', '--json'], env);
  const failures = JSON.parse(await readFile(path.join(bank, 'profile-failures.json'), 'utf8')) as { failures: Record<string, Record<string, { lastError: string }>> };
  assert.match(failures.failures.echo?.['q-1']?.lastError ?? '', /Bearer \[redacted\]/, 'the failure is kept, without the key');

  // A password in a base URL is a secret in the config file, like an apiKey field: refused, naming the field, never quoted.
  const credFile = await writeConfig('cred', { endpoints: [{ id: 'cred', provider: 'vllm', baseUrl: withCredentials, models: ['c1'] }], embedding: { provider: 'lexical' }, bank });
  const refused = await runCli(['--config', credFile, 'ask', 'anything', '--json'], env);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /endpoints\[cred\]\.baseUrl: carries credentials/);

  const everything = [asked.stdout, asked.stderr, profiled.stdout, profiled.stderr, refused.stdout, refused.stderr, ...(await filesUnder(bank))].join('\n');
  assert.ok(!everything.includes(KEY), 'the key appears nowhere');
  assert.ok(!everything.includes(PASSWORD), 'the password of the base URL appears nowhere');
  assert.doesNotMatch(everything, /Could not parse message into JSON/, 'the SDK printed no raw stream line');
});

test('an endpoint that answers an HTML page: exit 1 with a message that names the base URL as the suspect', async () => {
  const web = await startLoopbackUpstream({ htmlPage: {} });
  try {
    const file = await writeConfig('html', { endpoints: [{ id: 'web', provider: 'vllm', baseUrl: web.baseUrl }], embedding: { provider: 'lexical' }, bank: path.join(dir, 'none') });
    const run = await runCli(['--config', file, 'ask', 'anything']);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /endpoint web: the endpoint returned an HTML page, not an API response: is the base URL right, ending in \/v1\?/);
    assert.doesNotMatch(run.stderr, /connection lost|fetch failed/);
  } finally {
    await web.close();
  }
});

test('the model hub cannot be reached: ask exits 1 within seconds naming the model, the host and the config keys', async (t) => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const file = await writeConfig('offline', { endpoints: [{ id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: ['m1', 'm2', 'agg'] }], aggregator: 'agg', bank: path.join(dir, 'offline-bank') });
  const started = performance.now();
  const run = await runCli(['--config', file, '--allow-download', 'ask', 'How do I sort a list?'], { SMCS_HOME: path.join(dir, 'home'), HF_ENDPOINT: `http://127.0.0.1:${port}` });
  t.diagnostic(`smcs ask with the hub's port closed: exit ${run.code} after ${(performance.now() - started).toFixed(0)} ms (process start included)`);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, new RegExp(`The embedding model Xenova/all-MiniLM-L6-v2 could not be downloaded: 127\\.0\\.0\\.1:${port} could not be reached \\(connect ECONNREFUSED`));
  assert.match(run.stderr, /"embedding": \{"provider": "lexical"\}/);
  assert.match(run.stderr, /embedding\.localModelPath/);
  assert.match(run.stderr, /"embedding": \{"provider": "endpoint", "endpoint": "<endpoint id>", "model": "<embedding model>"\}/);
  assert.doesNotMatch(run.stderr, /fetch failed/);
});

test('with no terminal to ask (stdin piped), a download not allowed is said as not asked, with the flag that allows it — never "declined"', async () => {
  const file = await writeConfig('not-asked', { endpoints: [{ id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: ['m1', 'm2', 'agg'] }], aggregator: 'agg', bank: path.join(dir, 'not-asked-bank') });
  const run = await runCli(['--config', file, 'ask', 'How do I sort a list?'], { SMCS_HOME: path.join(dir, 'home-not-asked') }, 'y\n');
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /is not downloaded yet, and there was no terminal to ask whether to download it .*: rerun with --allow-download/);
  assert.doesNotMatch(run.stderr, /declined/);
});

test('a server error that carries terminal escape codes reaches neither the terminal nor the bank files raw', async () => {
  const bank = path.join(dir, 'bank-ansi');
  const file = await writeConfig('ansi', { endpoints: [{ id: 'gw', provider: 'vllm', baseUrl: server.baseUrl, models: ['ansi'] }], embedding: { provider: 'lexical' }, aggregator: 'ansi', bank });
  const asked = await runCli(['--config', file, 'ask', 'anything']);
  assert.equal(asked.code, 1);
  assert.match(asked.stderr, /bad keyOK/);
  await writeFile(path.join(dir, 'q-ansi.jsonl'), JSON.stringify({ id: 'q-1', question: 'Pick one: (A) yes (B) no', answer: 'A', grader: 'choice' }));
  assert.equal((await runCli(['--config', file, 'bank', 'import', path.join(dir, 'q-ansi.jsonl')])).code, 0);
  const profiled = await runCli(['--config', file, 'profile', '--models', 'ansi', '--yes']);
  const failures = JSON.parse(await readFile(path.join(bank, 'profile-failures.json'), 'utf8')) as { failures: Record<string, Record<string, { lastError: string }>> };
  const stored = failures.failures.ansi?.['q-1']?.lastError ?? '';
  assert.match(stored, /bad keyOK/);
  // eslint-disable-next-line no-control-regex -- the test looks for control characters
  for (const text of [asked.stderr, profiled.stderr, profiled.stdout, stored]) assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, JSON.stringify(text));
});
