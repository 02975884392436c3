/**
 * With no bank labels, `smcs serve` asks the first K models in the order the config lists them — not alphabetically —
 * and says so: at start-up, in the answer's `smcs` field and in the request log. Through the real HTTP server with the
 * openai SDK, in front of a real engine whose models are loopback OpenAI servers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { tempDir } from '../../../test/fixtures/bankData';
import { engineConfig, testHooks } from '../../../test/fixtures/askHarness';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { createEngine } from '../../engine/engine';
import { startServer, type RunningServer } from '../server';

const KEY = 'test-key-0123456789abcdef';
/** Two endpoints, each with its models out of alphabetical order; the second lists none (its server's order counts). */
const LISTED = ['zeta', 'mike', 'alpha'];
const DISCOVERED = ['yankee', 'bravo', 'echo'];
const temp = tempDir('smcs-server-first-');
const log: string[] = [];
let listed: LoopbackUpstream;
let discovered: LoopbackUpstream;
let server: RunningServer;

before(async () => {
  listed = await startLoopbackUpstream({ models: LISTED.map((id) => ({ id })) });
  discovered = await startLoopbackUpstream({ models: DISCOVERED.map((id) => ({ id })) });
  for (const [upstream, models] of [[listed, LISTED], [discovered, DISCOVERED]] as const) for (const m of models) upstream.script(m, { reply: `Reply of ${m}: use reversed(xs).` });
  const config = engineConfig({ baseUrl: listed.baseUrl, models: LISTED, overrides: { k: 5, n: 1, seed: 0 } });
  config.endpoints.push({ ...config.endpoints[0]!, id: 'more', baseUrl: discovered.baseUrl });
  delete config.endpoints[1]!.models;
  const engine = await createEngine(config, testHooks(temp.dir, log));
  server = await startServer({ engine, apiKey: KEY, host: '127.0.0.1', port: 0, maxConcurrent: 2, learnFromChecks: false, log: (level, line) => log.push(`${level}: ${line}`) });
});

after(async () => {
  await server.close();
  await listed.close();
  await discovered.close();
  temp.cleanup();
});

const FIRST = ['zeta', 'mike', 'alpha', 'yankee', 'bravo'];

test('an empty bank: the first five models in configured order answer, and the start-up line says so', async () => {
  const started = `info: The bank is empty: the first 5 configured models answer (${FIRST.join(', ')}); run \`smcs profile\` (in VS Code: SMCS: Profile Models) to route by question`;
  for (let i = 0; i < 50 && !log.includes(started); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(log.includes(started), `no start-up line; the log: ${log.join(' | ')}`);

  const client = new OpenAI({ baseURL: server.url, apiKey: KEY, maxRetries: 0 });
  const reply = await client.chat.completions.create({ model: 'smcs', messages: [{ role: 'user', content: 'How do I reverse a list in Python?' }] });
  const smcs = (reply as unknown as { smcs: { selectionFallback?: string; selectionNote?: string; referencers: { model: string }[] } }).smcs;
  const asked = smcs.referencers.map((r) => r.model);
  assert.deepEqual(asked, FIRST, 'configured order: endpoints in order, each one\'s models as listed (or as its server lists them)');
  assert.notDeepEqual(asked, [...LISTED, ...DISCOVERED].sort().slice(0, 5), 'not alphabetical');
  const chats = [...listed.requests, ...discovered.requests].filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.model);
  assert.deepEqual([...new Set(chats)].sort(), [...FIRST].sort(), 'the upstreams were asked exactly those models');
  assert.equal(smcs.selectionFallback, 'empty-bank');
  assert.equal(smcs.selectionNote, `The bank is empty: the first 5 configured models answer (${FIRST.join(', ')}); run \`smcs profile\` (in VS Code: SMCS: Profile Models) to route by question`);
  const line = log.find((l) => l.includes('POST /v1/chat/completions smcs 200'));
  assert.match(line ?? '', /referencers zeta,mike,alpha,yankee,bravo \(The bank is empty: the first 5 configured models answer/);
});
