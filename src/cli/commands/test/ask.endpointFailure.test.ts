/**
 * `smcs ask` when an endpoint is down (issue 37 item 5): the message names the endpoint by id and host and says what to
 * do, quotes what the server said (never its JSON), and an embedding endpoint that fails while the workspace is searched
 * is not reported as a workspace that could not be read.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCliHere } from '../../../../test/fixtures/cliRun';
import { tempDir } from '../../../../test/fixtures/bankData';
import { failureLines } from '../../endpointFailure';

const temp = tempDir('smcs-ask-endpoint-failure-');
const env = { SMCS_HOME: path.join(temp.dir, 'home') };
let badGateway: Server;
let badGatewayUrl: string;
/** A server whose key's budget is spent, answering as a team server (and OpenAI) does: 429 `insufficient_quota`, no retry. */
let spent: Server;
let spentUrl: string;
let spentRequests = 0;
const BUDGET_WORDS = 'the budget of tiny is $0.0001 per day: $0.0035 spent; it resets at 2026-11-28 00:00 UTC';

before(async () => {
  // A proxy in front of a model server that is gone: every request gets a 502 with a FastAPI-style JSON body.
  badGateway = createServer((req, res) => {
    req.resume();
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ detail: 'Bad gateway: model worker offline' }));
  });
  await new Promise<void>((resolve) => badGateway.listen(0, '127.0.0.1', resolve));
  badGatewayUrl = `http://127.0.0.1:${(badGateway.address() as { port: number }).port}/v1`;
  spent = createServer((req, res) => {
    req.resume();
    if (req.url?.endsWith('/chat/completions') === true) spentRequests++;
    res.writeHead(429, { 'content-type': 'application/json', 'x-should-retry': 'false' });
    res.end(JSON.stringify({ error: { message: BUDGET_WORDS, type: 'insufficient_quota', code: 'insufficient_quota', param: null } }));
  });
  await new Promise<void>((resolve) => spent.listen(0, '127.0.0.1', resolve));
  spentUrl = `http://127.0.0.1:${(spent.address() as { port: number }).port}/v1`;
  mkdirSync(path.join(temp.dir, 'ws'));
  writeFileSync(path.join(temp.dir, 'ws', 'app.py'), 'def add(a, b):\n    return a + b\n');
});

after(async () => {
  await new Promise<void>((resolve) => badGateway.close(() => resolve()));
  await new Promise<void>((resolve) => spent.close(() => resolve()));
  temp.cleanup();
});

async function closedPort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function config(name: string, body: Record<string, unknown>): string {
  const file = path.join(temp.dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ embedding: { provider: 'lexical' }, bank: path.join(temp.dir, `bank-${name}`), k: 2, n: 1, ...body }));
  return file;
}

test('a closed port: exit 1, the endpoint named by id and host with the remedy, then what each call said', async () => {
  const port = await closedPort();
  const file = config('closed', { endpoints: [{ id: 'gpu-box', provider: 'vllm', baseUrl: `http://127.0.0.1:${port}/v1`, models: ['m1', 'm2'] }] });
  const out = await runCliHere(['ask', 'How do I reverse a list in Python?', '--config', file], env);
  assert.equal(out.code, 1);
  const lines = out.stderr.split('\n').filter((l) => !l.includes('warn:'));
  assert.equal(lines[0], `smcs: Endpoint gpu-box (127.0.0.1:${port}) could not be reached: check that its server is running and that its "baseUrl" in the config is right.`);
  assert.match(out.stderr, /All 2 referencers failed/);
  assert.match(out.stderr, /endpoint gpu-box, model m1: connection failed/);
});

test('a 502 with a JSON body: a server error of that endpoint, quoting the body’s message, no JSON', async () => {
  const host = new URL(badGatewayUrl).host;
  const file = config('bad-gateway', { endpoints: [{ id: 'lab', provider: 'vllm', baseUrl: badGatewayUrl, models: ['m1'] }] });
  const out = await runCliHere(['ask', 'How do I reverse a list in Python?', '--config', file], env);
  assert.equal(out.code, 1);
  assert.match(out.stderr, new RegExp(`smcs: Endpoint lab \\(${host.replace(/\./g, '\\.')}\\) failed while answering \\(a server error\\)`));
  assert.match(out.stderr, /server error \(HTTP 502\): Bad gateway: model worker offline/);
  assert.doesNotMatch(out.stderr, /[{}]|"detail"|no body/);
});

test('an embedding endpoint that fails while the workspace is searched is named; the workspace is not blamed', async () => {
  const file = config('embedder', {
    endpoints: [{ id: 'lab', provider: 'vllm', baseUrl: badGatewayUrl, models: ['m1'] }],
    embedding: { provider: 'endpoint', endpoint: 'lab', model: 'e5' },
  });
  const out = await runCliHere(['ask', 'What does add in app.py do?', '--config', file, '--workspace', path.join(temp.dir, 'ws'), '--context', 'always'], env);
  assert.equal(out.code, 1);
  assert.doesNotMatch(out.stderr, /workspace could not be read/);
  assert.match(out.stderr, /smcs: Endpoint lab \(127\.0\.0\.1:\d+\) failed while answering/);
  assert.match(out.stderr, /model e5: server error \(HTTP 502\): Bad gateway: model worker offline/);
});

test('the connection lost in the middle of a reply is told as that, with its own remedy (no base URL to check)', () => {
  const lines = failureLines({ message: 'All 2 referencers failed', kind: 'connection', causes: ['endpoint local, model a: connection lost: terminated'], endpoints: [{ id: 'local', host: '127.0.0.1:8000' }] });
  assert.equal(lines[0], 'Endpoint local (127.0.0.1:8000) lost the connection in the middle of a reply: its server stopped while it was answering; check that it is running, then ask again.');
});

test('a spent budget (429 insufficient_quota): told as a spent budget in the server’s words, asked once, never "slow down"', async () => {
  const host = new URL(spentUrl).host;
  const file = config('spent', { endpoints: [{ id: 'team', provider: 'vllm', baseUrl: spentUrl, models: ['m1', 'm2'] }] });
  const out = await runCliHere(['ask', 'How do I reverse a list in Python?', '--config', file], env);
  assert.equal(out.code, 1);
  const lines = out.stderr.split('\n').filter((l) => !l.includes('warn:'));
  assert.equal(lines[0], `smcs: Endpoint team (${host}) refused: the budget is spent (${BUDGET_WORDS}): waiting will not help: ask whoever runs it to raise the budget (or add credit), or use another endpoint.`);
  assert.doesNotMatch(out.stderr, /slow down|maxConcurrency|rate limited/);
  assert.equal(spentRequests, 2, 'one chat call per model: a spent budget is not retried');
});

test('a rate limit whose server named its wait (Retry-After) says the wait before the config\'s remedy; a team server\'s says its admin sets the rate, never maxConcurrency', () => {
  const failed = { message: 'endpoint or, model m: rate limited (HTTP 429): slow down', kind: 'rate-limit' as const, causes: [] };
  assert.equal(failureLines({ ...failed, endpoints: [{ id: 'or', host: 'openrouter.ai' }] })[0], 'Endpoint or (openrouter.ai) asked to slow down (rate limited): wait a moment, or lower its "maxConcurrency" in the config.');
  assert.equal(
    failureLines({ ...failed, endpoints: [{ id: 'or', host: 'openrouter.ai' }], retryAfterMs: 34_200 })[0],
    'Endpoint or (openrouter.ai) asked to slow down (rate limited): try again in 35 s, as it asked; if it keeps happening, lower its "maxConcurrency" in the config.',
  );
  const team = failureLines({ ...failed, endpoints: [{ id: 'team', host: '127.0.0.1:8765', teamServer: true }], retryAfterMs: 35_000 });
  assert.equal(team[0], "Endpoint team (127.0.0.1:8765) asked to slow down (rate limited): try again in 35 s; the team server's admin limits your key's request rate, and nothing in your settings changes it.");
  assert.equal(failureLines({ ...failed, endpoints: [{ id: 'team', teamServer: true }] })[0], "Endpoint team asked to slow down (rate limited): try again in a moment; the team server's admin limits your key's request rate, and nothing in your settings changes it.");
});
