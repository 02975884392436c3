/**
 * The server as the Vercel AI SDK's OpenAI-compatible provider meets it (`streamText`, a real client no one here wrote):
 * text streamed with its usage, and a tool call routed to one model and handed back as a tool call.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { jsonSchema, streamText, tool } from 'ai';
import { tempDir } from '../../../test/fixtures/bankData';
import { buildBank, engineConfig, testHooks } from '../../../test/fixtures/askHarness';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { createEngine } from '../../engine/engine';
import { startServer, type RunningServer } from '../server';
import { startToolUpstream, type ToolUpstream } from './toolUpstream';

const KEY = 'test-key-0123456789abcdef';
const temp = tempDir('smcs-server-vercel-');
let fake: LoopbackUpstream;
let tools: ToolUpstream;
let server: RunningServer;

before(async () => {
  fake = await startLoopbackUpstream({ models: ['m1', 'm2', 'agg'].map((id) => ({ id })) });
  for (const m of ['m1', 'm2']) fake.script(m, { reply: `Reply of ${m}: hello.` });
  fake.script('agg', { reply: 'Hello from the winner.' });
  tools = await startToolUpstream('t1');
  // The bank knows t1 answers weather questions and the others do not: RPS routes the tool request there.
  const bank = path.join(temp.dir, 'bank');
  await buildBank(bank, [{ id: 'w1', question: 'What is the weather in Paris today?', correct: { t1: 1, m1: 0, m2: 0, agg: 0 } }]);
  const config = engineConfig({ baseUrl: fake.baseUrl, models: ['m1', 'm2', 'agg'], bank, overrides: { aggregator: 'agg', k: 2, n: 1 } });
  config.endpoints.push({ ...config.endpoints[0]!, id: 'tools', baseUrl: tools.baseUrl, models: [{ id: 't1' }] });
  const engine = await createEngine(config, testHooks(temp.dir));
  server = await startServer({ engine, apiKey: KEY, host: '127.0.0.1', port: 0, maxConcurrent: 4, learnFromChecks: false, log: () => undefined });
});

after(async () => {
  await server.close();
  await fake.close();
  await tools.close();
  temp.cleanup();
});

const provider = () => createOpenAICompatible({ name: 'smcs', baseURL: server.url, apiKey: KEY, includeUsage: true });

test('streamText gets the winner as a text stream, with the usage of every call', async () => {
  const result = streamText({ model: provider()('smcs'), system: 'Be brief.', prompt: 'Say hello.' });
  let text = '';
  for await (const piece of result.textStream) text += piece;
  assert.equal(await result.finishReason, 'stop');
  const usage = await result.usage;
  assert.ok((usage.inputTokens ?? 0) > 0 && (usage.outputTokens ?? 0) > 0);
  assert.equal(text, 'Hello from the winner.');
});

test('streamText with a tool: RPS routes the request to the one model the bank favours, and its tool call comes back', async () => {
  const result = streamText({
    model: provider()('smcs'),
    prompt: 'Weather in Paris?',
    tools: { get_weather: tool({ description: 'The weather of a city', inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }) }) },
  });
  const calls: unknown[] = [];
  for await (const part of result.fullStream) if (part.type === 'tool-call') calls.push({ name: part.toolName, input: part.input });
  assert.deepEqual(calls, [{ name: 'get_weather', input: { city: 'Paris' } }]);
  assert.equal(await result.finishReason, 'tool-calls');
  const upstream = JSON.parse(tools.bodies.at(-1) ?? '{}') as { model: string; tools: { function: { name: string } }[] };
  assert.equal(upstream.model, 't1');
  assert.equal(upstream.tools[0]?.function.name, 'get_weather');
});
