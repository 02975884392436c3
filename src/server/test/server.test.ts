/**
 * The server as OpenAI's own SDK meets it: the real `openai` client against `startServer`, in front of a real engine
 * whose models are loopback OpenAI servers (test/fixtures/loopbackUpstream.ts, and toolUpstream.ts for tool calls).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { tempDir } from '../../../test/fixtures/bankData';
import { REPO } from '../../../test/fixtures/repo';
import { engineConfig, testHooks } from '../../../test/fixtures/askHarness';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { createEngine } from '../../engine/engine';
import { startServer, type RunningServer } from '../server';
import { startToolUpstream, type ToolUpstream } from './toolUpstream';

const KEY = 'test-key-0123456789abcdef';
const temp = tempDir('smcs-server-');
const REFERENCERS = ['m1', 'm2', 'm3'];
const ANSWER = 'Use reversed(xs) or xs[::-1]; both leave xs as it is.';
let fake: LoopbackUpstream;
let tools: ToolUpstream;
let server: RunningServer;
const log: string[] = [];

before(async () => {
  fake = await startLoopbackUpstream({ models: [...REFERENCERS, 'agg'].map((id) => ({ id })) });
  for (const m of REFERENCERS) fake.script(m, { reply: `Reply of ${m}: reversed() or slicing.` });
  fake.script('agg', { reply: ANSWER });
  tools = await startToolUpstream('t1');
  // Seed 0 draws two different subsets of the three replies for the question below, so both aggregations run (a subset drawn twice is aggregated once).
  const config = engineConfig({ baseUrl: fake.baseUrl, models: [...REFERENCERS, 'agg'], overrides: { aggregator: 'agg', k: 3, n: 2, seed: 0 } });
  config.endpoints.push({ ...config.endpoints[0]!, id: 'tools', baseUrl: tools.baseUrl, models: [{ id: 't1' }] });
  const engine = await createEngine(config, testHooks(temp.dir, log));
  server = await startServer({ engine, apiKey: KEY, host: '127.0.0.1', port: 0, maxConcurrent: 4, learnFromChecks: false, log: (level, line) => log.push(`${level}: ${line}`) });
});

after(async () => {
  await server.close();
  await fake.close();
  await tools.close();
  temp.cleanup();
});

const client = (apiKey = KEY) => new OpenAI({ baseURL: server.url, apiKey, maxRetries: 0 });
const question = [{ role: 'system' as const, content: 'Answer in one sentence.' }, { role: 'user' as const, content: 'How do I reverse a list in Python without changing it?' }];

test('GET /v1/models lists the ensemble models and each configured model as smcs/<model>', async () => {
  const ids = [];
  for await (const m of client().models.list()) ids.push(m.id);
  assert.deepEqual(ids.slice(0, 5), ['smcs', 'smcs-quality', 'smcs-balanced', 'smcs-budget', 'smcs-fast']);
  assert.deepEqual(ids.slice(5), ['smcs/m1', 'smcs/m2', 'smcs/m3', 'smcs/agg', 'smcs/t1']);
  assert.equal((await client().models.retrieve('smcs/m2')).id, 'smcs/m2');
  await assert.rejects(client().models.retrieve('gpt-4o'), (err: unknown) => err instanceof OpenAI.NotFoundError && err.code === 'model_not_found');
});

test('the routes: an unknown path is a 404 naming what is served, a known one asked with another method a 405 with Allow, a model id with a slash found', async () => {
  const call = (method: string, route: string) => fetch(`${server.url.replace(/\/v1$/, '')}${route}`, { method, headers: { authorization: `Bearer ${KEY}` } });
  const unknown = await call('GET', '/v1/nothing-here');
  assert.equal(unknown.status, 404);
  assert.match(((await unknown.json()) as { error: { message: string } }).error.message, /GET \/v1\/nothing-here does not exist on this server \(it serves GET \/v1\/models, POST \/v1\/chat\/completions/);
  const wrongMethod = await call('GET', '/v1/chat/completions');
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.headers.get('allow'), 'POST');
  assert.equal(((await wrongMethod.json()) as { error: { code: string } }).error.code, 'method_not_allowed');
  const asks = await call('GET', '/v1/smcs/asks');
  assert.equal(asks.status, 405);
  assert.equal(asks.headers.get('allow'), 'POST');
  assert.equal((await call('POST', '/v1/models')).status, 405);
  assert.equal((await call('GET', '/v1/smcs/usage')).status, 404, 'a member\'s usage is a team server\'s');
  const model = await call('GET', `/v1/models/${encodeURIComponent('smcs/m2')}`);
  assert.equal(model.status, 200);
  assert.equal(((await model.json()) as { id: string }).id, 'smcs/m2');
  assert.equal((await call('GET', '/v1/smcs')).status, 200);
});

test('a chat completion runs the whole method: the winner is the content, the system message reaches every call, smcs says how', async () => {
  const before = fake.requests.length;
  const reply = await client().chat.completions.create({ model: 'smcs', messages: question });
  assert.equal(reply.choices[0]?.message.content, ANSWER);
  assert.equal(reply.choices[0]?.finish_reason, 'stop');
  assert.ok((reply.usage?.prompt_tokens ?? 0) > 0 && reply.usage?.total_tokens === reply.usage!.prompt_tokens + reply.usage!.completion_tokens);
  const smcs = (reply as unknown as { smcs: { referencers: { model: string; prior: number | null }[]; candidates: unknown[]; selectedBy: string; costUsd: number | null } }).smcs;
  assert.deepEqual(smcs.referencers.map((r) => r.model).sort(), REFERENCERS);
  assert.equal(smcs.candidates.length, 2);
  assert.equal(smcs.selectedBy, 'score');
  const chats = fake.requests.slice(before).filter((r) => r.path.endsWith('/chat/completions'));
  assert.equal(chats.length, 5);
  for (const r of chats) {
    const system = (r.body.messages as { role: string; content: string }[]).filter((m) => m.role === 'system').map((m) => m.content).join('\n');
    assert.match(system, /Answer in one sentence\./, `${r.model} did not receive the system message`);
  }
});

test('streaming: the winner arrives in chunks, the last with finish_reason stop, then the usage of every call when asked', async () => {
  const stream = await client().chat.completions.create({ model: 'smcs-fast', messages: question, stream: true, stream_options: { include_usage: true } });
  let text = '';
  const chunks = [];
  for await (const c of stream) {
    chunks.push(c);
    text += c.choices[0]?.delta.content ?? '';
  }
  assert.equal(text, ANSWER);
  const usage = chunks.at(-1);
  assert.deepEqual(usage?.choices, []);
  assert.ok((usage?.usage?.completion_tokens ?? 0) > 0);
  assert.equal(chunks.at(-2)?.choices[0]?.finish_reason, 'stop');
});

test('streamed, the `smcs` field comes on the chunk with finish_reason, as docs/cli-and-server.md says — with or without the usage chunk after it', async () => {
  for (const includeUsage of [false, true]) {
    const stream = await client().chat.completions.create({ model: 'smcs-fast', messages: question, stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) });
    const carrying: { finish: string | null | undefined; smcs: { selectedBy?: string; referencers?: unknown[] } }[] = [];
    for await (const c of stream) {
      const smcs = (c as unknown as { smcs?: { selectedBy?: string; referencers?: unknown[] } }).smcs;
      if (smcs) carrying.push({ finish: c.choices[0]?.finish_reason, smcs });
    }
    assert.equal(carrying.length, 1, `include_usage ${includeUsage}: ${carrying.length} chunks carry smcs`);
    assert.equal(carrying[0]?.finish, 'stop');
    assert.ok((carrying[0]?.smcs.referencers?.length ?? 0) > 0 && typeof carrying[0]?.smcs.selectedBy === 'string', JSON.stringify(carrying[0]?.smcs).slice(0, 300));
  }
  const docs = readFileSync(path.join(REPO, 'docs', 'cli-and-server.md'), 'utf8');
  assert.match(docs, /The chunk with `finish_reason` \(or the completion\) carries an `smcs` field/);
});

test('the raw stream keeps the connection alive with comment lines that name the stage', async () => {
  const res = await fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'smcs', messages: question, stream: true }),
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const raw = await res.text();
  assert.match(raw, /^: smcs embedding\n\n/);
  // The last reference in ends the referencers stage: an aggregation may already be under way, so no "3/3" is promised.
  const lines = [': smcs referencers 0/3', ': smcs aggregations 2/2', ': smcs scored'];
  for (const line of lines) assert.ok(raw.includes(`${line}\n\n`), `missing ${line}`);
  assert.deepEqual(lines.map((l) => raw.indexOf(l)), lines.map((l) => raw.indexOf(l)).sort((a, b) => a - b), 'in the order the ask goes');
  // The answer streams as it is written (presentation/streamedAnswer): its words come before the run is scored.
  const beforeScored = raw.slice(0, raw.indexOf(': smcs scored'));
  const deltas = [...beforeScored.matchAll(/^data: (\{.*\})$/gm)].map((m) => (JSON.parse(m[1] as string) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? '').filter((c) => c !== '');
  assert.ok(deltas.length >= 5, `${deltas.length} content deltas before the run was scored`);
  assert.ok(ANSWER.startsWith(deltas.join('')), 'what streamed is the answer as written');
  assert.ok(raw.endsWith('data: [DONE]\n\n'));
});

test('a wrong or missing key gets 401 in OpenAI\'s shape', async () => {
  await assert.rejects(client('wrong-key-0123456789').chat.completions.create({ model: 'smcs', messages: question }), (err: unknown) => {
    assert.ok(err instanceof OpenAI.AuthenticationError);
    assert.equal(err.status, 401);
    assert.equal(err.code, 'invalid_api_key');
    assert.equal(err.type, 'invalid_request_error');
    return true;
  });
  const res = await fetch(`${server.url}/models`);
  assert.equal(res.status, 401);
  assert.equal(res.headers.get('access-control-allow-origin'), null);
  const body = (await res.json()) as { error: { message: string; type: string; code: string } };
  assert.equal(body.error.code, 'invalid_api_key');
});

test('an unknown model gets 404 naming the models offered, also one named after a prototype member', async () => {
  for (const model of ['gpt-4o', 'constructor', 'toString', '__proto__', 'smcs/constructor', 'smcs/__proto__', 'smcs/hasOwnProperty']) {
    await assert.rejects(client().chat.completions.create({ model, messages: question }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.NotFoundError, model);
      assert.equal(err.code, 'model_not_found');
      assert.match(err.message, /smcs-balanced/);
      return true;
    });
  }
});

test('a body over 10 MB gets 413; fields the method cannot honour get 400 naming them', async () => {
  await assert.rejects(client().chat.completions.create({ model: 'smcs', messages: [{ role: 'user', content: 'x'.repeat(11 * 1024 * 1024) }] }), (err: unknown) => {
    assert.ok(err instanceof OpenAI.APIError);
    assert.equal(err.status, 413);
    return true;
  });
  await assert.rejects(client().chat.completions.create({ model: 'smcs', messages: question, n: 3 }), (err: unknown) => err instanceof OpenAI.BadRequestError && err.param === 'n');
  await assert.rejects(client().chat.completions.create({ model: 'smcs', messages: question, stop: ['\n'] }), (err: unknown) => err instanceof OpenAI.BadRequestError && err.param === 'stop');
  await assert.rejects(client().chat.completions.create({ model: 'smcs', messages: [{ role: 'assistant', content: 'hi' }] }), (err: unknown) => err instanceof OpenAI.BadRequestError && err.param === 'messages');
});

test('a request with tools is routed to one model: the tools arrive unchanged and the tool-call deltas come back byte for byte', async () => {
  const toolsSent = [{ type: 'function' as const, function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
  const stream = await client().chat.completions.create({ model: 'smcs/t1', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: toolsSent, tool_choice: 'auto', stream: true });
  let args = '';
  let finish: string | null | undefined;
  for await (const c of stream) {
    for (const call of c.choices[0]?.delta.tool_calls ?? []) args += call.function?.arguments ?? '';
    finish = c.choices[0]?.finish_reason ?? finish;
  }
  assert.equal(args, '{"city": "Paris"}');
  assert.equal(finish, 'tool_calls');
  const upstream = JSON.parse(tools.bodies.at(-1) ?? '{}') as Record<string, unknown>;
  assert.deepEqual(upstream.tools, toolsSent);
  assert.equal(upstream.tool_choice, 'auto');
  assert.equal(upstream.model, 't1');

  const raw = await fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'smcs/t1', messages: [{ role: 'user', content: 'Weather?' }], tools: toolsSent, stream: true }),
  });
  const text = await raw.text();
  assert.match(text, /^: smcs routed to t1: [^\n]*\n\n/);
  assert.equal(text.replace(/^: [^\n]*\n\n/, ''), tools.streamBytes);
});

test('tools sent to smcs are routed by RPS to one model (without a bank: the first configured) and smcs names it', async () => {
  const reply = await client().chat.completions.create({
    model: 'smcs',
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
    tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
  });
  const routed = (reply as unknown as { smcs: { routed: { model: string; reason: string } } }).smcs.routed;
  assert.equal(routed.model, 'm1');
  assert.match(routed.reason, /tools/);
});

test('requests through the server never write to the bank (there is no choice of reply to learn from)', () => {
  assert.equal(existsSync(path.join(temp.dir, 'bank')), false);
});
