/**
 * The provider end to end, without a workbench: VS Code's part classes stand in (fakeLmApi), everything else is real —
 * the engine, its openai SDK clients, the loopback upstreams over HTTP, the panel's runs and history store.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type * as vscode from 'vscode';
import { engineConfig, testHooks } from '../../../../test/fixtures/askHarness';
import { tempDir } from '../../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../../test/fixtures/loopbackUpstream';
import { createEngine } from '../../../engine/engine';
import type { EngineHooks } from '../../../engine/types';
import { parseConfig, type SmcsConfig } from '../../../core/contracts/config';
import { startServer, type RunningServer } from '../../../server/server';
import { parseChatRequest } from '../../../server/chatRequest';
import { oneModelParts } from '../../../server/routedParts';
import { startToolUpstream, type ToolUpstream } from '../../../server/test/toolUpstream';
import type { ExtensionEngine } from '../../engineHolder';
import { HistoryStore, type KeyValueStore } from '../../panel/historyStore';
import { PanelRuns } from '../../panel/panelRuns';
import { answerView } from '../../../presentation/answerView';
import type { LmModelInformation } from '../lmModels';
import { lmModels } from '../lmModels';
import { SmcsChatProvider } from '../smcsChatProvider';
import { cancellation, DataPart, LanguageModelError, TextPart, ToolCallPart, ToolResultPart } from './fakeLmApi';
import { fakeLmApi } from './fakeLmApi';

const temp = tempDir('smcs-lm-provider-');
const MODELS = ['m1', 'm2', 'agg'];
let fake: LoopbackUpstream;
let tools: ToolUpstream;
const engines: ExtensionEngine[] = [];

before(async () => {
  fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id, maxModelLen: 16_384 })) });
  tools = await startToolUpstream('tooler');
});

after(async () => {
  for (const e of engines) await e.dispose();
  await fake.close();
  await tools.close();
  temp.cleanup();
});

/** A memento in memory. */
function memoryStore(): KeyValueStore & { value: unknown } {
  const store = {
    value: undefined as unknown,
    get: <T>() => store.value as T | undefined,
    update: (_key: string, value: unknown) => {
      store.value = value;
      return Promise.resolve();
    },
  };
  return store;
}

interface Setup {
  provider: SmcsChatProvider;
  runs: PanelRuns;
  store: ReturnType<typeof memoryStore>;
  log: string[];
}

let folders = 0;
async function setup(options: { baseUrl?: string; models?: string[]; overrides?: Record<string, unknown>; hasEndpoints?: boolean; config?: SmcsConfig; hooks?: Partial<EngineHooks> } = {}): Promise<Setup> {
  const config = options.config ?? engineConfig({ baseUrl: options.baseUrl ?? fake.baseUrl, models: options.models ?? MODELS, overrides: { aggregator: 'agg', k: 2, n: 1, ...options.overrides } });
  const engine = await createEngine(config, { ...testHooks(`${temp.dir}/${folders++}`), ...options.hooks });
  engines.push(engine);
  const store = memoryStore();
  const log: string[] = [];
  const runs = new PanelRuns({ history: new HistoryStore(store), log: { write: (level, m) => log.push(`${level}: ${m}`) }, setup: () => ({ hasEndpoints: true }), confirm: () => Promise.resolve(true) });
  const provider = new SmcsChatProvider({
    api: fakeLmApi,
    engine: () => Promise.resolve(engine),
    settings: () => ({ config, hasEndpoints: options.hasEndpoints ?? true }),
    runtime: () => ({ parseChatRequest, oneModelParts }),
    runs,
    log: { write: (level, m) => log.push(`${level}: ${m}`) },
    version: '0.1.0',
  });
  return { provider, runs, store, log };
}

const user = (...content: unknown[]): vscode.LanguageModelChatRequestMessage => ({ role: 1, content, name: undefined });
const assistant = (...content: unknown[]): vscode.LanguageModelChatRequestMessage => ({ role: 2, content, name: undefined });

/** Sends a request; returns the parts the progress received, and how it ended. */
async function send(provider: SmcsChatProvider, modelId: 'smcs' | 'smcs-best', messages: vscode.LanguageModelChatRequestMessage[], options: Partial<vscode.ProvideLanguageModelChatResponseOptions> = {}, token: vscode.CancellationToken = cancellation().token) {
  const [model] = (await provider.provideLanguageModelChatInformation()).filter((m) => m.id === modelId) as [LmModelInformation];
  const parts: unknown[] = [];
  const progress = { report: (part: unknown) => parts.push(part) } as vscode.Progress<vscode.LanguageModelResponsePart>;
  const done = provider.provideLanguageModelChatResponse(model, messages, { toolMode: 1, ...options }, progress, token);
  return { parts, done };
}

const text = (parts: readonly unknown[]): string => parts.map((p) => (p instanceof TextPart ? p.value : '')).join('');

test('the models tell the smallest window of the configured models', async () => {
  const { provider } = await setup();
  assert.deepEqual(await provider.provideLanguageModelChatInformation(), lmModels({ windows: [16_384, 16_384, 16_384], maxTokens: 8192, version: '0.1.0' }));
});

test('smcs: the winner streams as text parts; the run, with its candidates and calls, is in the history and saved', async () => {
  const { provider, runs, store } = await setup();
  const before = fake.requests.length;
  const { parts, done } = await send(provider, 'smcs', [user(new TextPart('What is a heap?')), assistant(new TextPart('A tree.')), user(new TextPart('Name a sorting algorithm.'))]);
  await done;
  const [run] = runs.history;
  assert.ok(run, 'no run in the history');
  assert.equal(run.status, 'done');
  assert.equal(run.question, 'Name a sorting algorithm.');
  assert.ok(parts.length > 0 && parts.every((p) => p instanceof TextPart));
  assert.equal(text(parts), answerView(run).text);
  assert.deepEqual(run.referencers.map((r) => r.model).sort(), ['m1', 'm2']);
  assert.equal(run.candidates.length, 1);
  assert.ok((run.calls?.length ?? 0) >= 3, 'the calls of the ask are not in its run');
  const chat = fake.requests.slice(before).filter((r) => r.path.endsWith('/chat/completions'));
  // The earlier turn reaches every model as the thread.
  assert.ok(chat.every((r) => JSON.stringify(r.body.messages).includes('What is a heap?')));
  assert.deepEqual((store.value as { id: string }[]).map((r) => r.id), [run.id]);
});

test('smcs: the answer streams as the aggregator writes it, before the run is scored, and the parts add up to the answer', async () => {
  const slow = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id, maxModelLen: 16_384 })) });
  try {
    const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    slow.script('agg', { reply: words, chunkDelayMs: 40 });
    const { provider, runs } = await setup({ baseUrl: slow.baseUrl });
    const statusAtParts: string[] = [];
    const [model] = (await provider.provideLanguageModelChatInformation()).filter((m) => m.id === 'smcs') as [LmModelInformation];
    const parts: unknown[] = [];
    const progress = { report: (part: unknown) => { parts.push(part); statusAtParts.push(runs.history[0]?.status ?? 'none'); } } as vscode.Progress<vscode.LanguageModelResponsePart>;
    await provider.provideLanguageModelChatResponse(model, [user(new TextPart('Name a sorting algorithm.'))], { toolMode: 1 }, progress, cancellation().token);
    const [run] = runs.history;
    assert.ok(run?.status === 'done');
    assert.equal(statusAtParts[0], 'running', 'the first words came only once the run was scored');
    assert.ok(statusAtParts.filter((s) => s === 'running').length >= 5, `only ${statusAtParts.filter((s) => s === 'running').length} parts before the run was scored`);
    assert.equal(text(parts), answerView(run).text, 'the streamed parts are the answer, once');
  } finally {
    await slow.close();
  }
});

test('with tools, the request reaches exactly one routed model carrying them; its tool call comes back as a tool-call part', async () => {
  const { provider, runs } = await setup({ baseUrl: tools.baseUrl, models: ['tooler'], overrides: { aggregator: 'tooler', k: 1 } });
  const first = tools.bodies.length;
  const weather = { name: 'get_weather', description: 'The weather of a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } };
  const { parts, done } = await send(provider, 'smcs-best', [user(new TextPart('Weather in Paris?'))], { tools: [weather], toolMode: 2 });
  await done;
  assert.deepEqual(parts, [new ToolCallPart('call_1', 'get_weather', { city: 'Paris' })]);
  const sent = tools.bodies.slice(first).map((b) => JSON.parse(b) as Record<string, unknown>);
  assert.equal(sent.length, 1);
  assert.equal(sent[0]?.tool_choice, 'required');
  assert.deepEqual((sent[0]?.tools as { function: { name: string } }[]).map((t) => t.function.name), ['get_weather']);
  // The tool's result goes back to the model as a tool message answering the call.
  const again = await send(provider, 'smcs-best', [user(new TextPart('Weather in Paris?')), assistant(new ToolCallPart('call_1', 'get_weather', { city: 'Paris' })), user(new ToolResultPart('call_1', [new TextPart('sunny')]))], { tools: [weather] });
  await again.done;
  const followUp = JSON.parse(tools.bodies.at(-1) ?? '{}') as { messages: unknown[] };
  assert.deepEqual(followUp.messages.at(-1), { role: 'tool', tool_call_id: 'call_1', content: 'sunny' });
  assert.equal(runs.history.length, 0, 'a routed request made a run of the whole method');
});

test('a tool call is reported as soon as its arguments parse, while the model is still writing', async () => {
  const held = await startToolUpstream('tooler', { holdEnd: true });
  try {
    const { provider } = await setup({ baseUrl: held.baseUrl, models: ['tooler'], overrides: { aggregator: 'tooler', k: 1 } });
    const weather = { name: 'get_weather', description: 'The weather of a city', inputSchema: { type: 'object' } };
    const { parts, done } = await send(provider, 'smcs-best', [user(new TextPart('Weather in Paris?'))], { tools: [weather] });
    const deadline = performance.now() + 10_000;
    while (parts.length === 0 && performance.now() < deadline) await sleep(10);
    assert.deepEqual(parts, [new ToolCallPart('call_1', 'get_weather', { city: 'Paris' })]);
    assert.equal(held.ended, 0, 'the upstream had already ended its reply');
    held.release();
    await done;
    assert.equal(parts.length, 1, 'the call was reported twice');
  } finally {
    await held.close();
  }
});

test('tools brought to the collaboration: the best single model answers with its tool call, and the conversation is told so once', async () => {
  const { provider, runs } = await setup({ baseUrl: tools.baseUrl, models: ['tooler'], overrides: { aggregator: 'tooler', k: 1 } });
  const weather = { name: 'get_weather', description: 'The weather of a city', inputSchema: { type: 'object' } };
  const first = await send(provider, 'smcs', [user(new TextPart('Weather in Paris?'))], { tools: [weather] });
  await first.done;
  const [note, call] = first.parts;
  assert.ok(note instanceof TextPart && /the request has tools, .* the best single model .* answers/.test(note.value), String((note as TextPart | undefined)?.value));
  assert.deepEqual(call, new ToolCallPart('call_1', 'get_weather', { city: 'Paris' }));
  const later = await send(provider, 'smcs', [user(new TextPart('Weather in Paris?')), assistant(note, call), user(new ToolResultPart('call_1', [new TextPart('sunny')]))], { tools: [weather] });
  await later.done;
  assert.ok(later.parts.every((p) => !(p instanceof TextPart && p.value === note.value)), 'the note was said again');
  assert.equal(runs.history.length, 0);
});

/** An upstream tokenizer unlike SMCS's estimate: a token per word or punctuation mark, three per message. */
const wordTokens = (request: { body: Record<string, unknown> }): number =>
  (request.body.messages as { content: string }[]).reduce((sum, m) => sum + (m.content.match(/\w+|[^\w\s]/g)?.length ?? 0) + 3, 0);
const VOCABULARY = ['heap', 'sort', 'array', 'index', 'parent', 'child', 'swap', 'largest', 'element', 'tree', 'build', 'the', 'and', 'then', 'until', 'of', 'every', 'node'];
const prose = (seed: number, words: number): string => Array.from({ length: words }, (_, i) => VOCABULARY[(i * 7 + seed * 13 + ((i * i) % 5)) % VOCABULARY.length]).join(' ') + '.';

test('token counts learn the upstream tokenizer from reported usage: within 10 % of its prompt count for the next request', async () => {
  for (const model of MODELS) fake.script(model, { promptTokens: wordTokens });
  try {
    const { provider } = await setup();
    const [model] = (await provider.provideLanguageModelChatInformation()).filter((m) => m.id === 'smcs-best') as [LmModelInformation];
    const counted = async (messages: vscode.LanguageModelChatRequestMessage[]) => {
      let sum = 0;
      for (const m of messages) sum += await provider.provideTokenCount(model, m);
      return sum;
    };
    const reported = () => fake.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.usage?.prompt_tokens ?? 0;
    const teach = [user(new TextPart(prose(1, 300))), assistant(new TextPart(prose(2, 120))), user(new TextPart(prose(3, 80)))];
    const next = [user(new TextPart(prose(4, 200))), assistant(new TextPart(prose(5, 60))), user(new TextPart(prose(6, 150)))];
    const untaught = await counted(next);
    await (await send(provider, 'smcs-best', teach)).done;
    const taught = await counted(next);
    await (await send(provider, 'smcs-best', next)).done;
    const truth = reported();
    assert.ok(Math.abs(untaught - truth) / truth > 0.1, `the estimate alone was already within 10 % (${untaught} vs ${truth}): the test proves nothing`);
    assert.ok(Math.abs(taught - truth) / truth <= 0.1, `counted ${taught}, the upstream reported ${truth}`);
  } finally {
    for (const model of MODELS) fake.script(model, {});
  }
});

test('cancelling the token aborts every upstream call of the ask at once', { timeout: 30_000 }, async () => {
  fake.script('m1', { reply: Array.from({ length: 40 }, (_, i) => `word${i}`).join(' '), chunkDelayMs: 30 });
  fake.script('m2', { reply: Array.from({ length: 40 }, (_, i) => `word${i}`).join(' '), chunkDelayMs: 30 });
  try {
    const { provider, runs } = await setup();
    const first = fake.requests.length;
    const cancelling = cancellation();
    const calls = () => fake.requests.slice(first).filter((r) => r.path.endsWith('/chat/completions'));
    const { parts, done } = await send(provider, 'smcs', [user(new TextPart('Name a sorting algorithm.'))], {}, cancelling.token);
    while (calls().length < 2) await sleep(10);
    await sleep(100);
    cancelling.cancel();
    const leftAt = performance.now();
    await done;
    while (calls().some((r) => r.clientClosedAt === undefined) && performance.now() - leftAt < 1000) await sleep(10);
    for (const r of calls()) {
      assert.ok(r.clientClosedAt !== undefined, `${r.model} was still answering a second after the cancel`);
      assert.equal(r.completedAt, undefined);
    }
    assert.equal(parts.length, 0);
    assert.equal(runs.history[0]?.status, 'cancelled');
  } finally {
    fake.script('m1', {});
    fake.script('m2', {});
  }
});

test('over smcs.maxCostPerQuestion: refused before anything is sent, the error naming the setting', async () => {
  const priced = await startLoopbackUpstream({ models: [{ id: 'dear', pricing: { prompt: 0.00001, completion: 0.00003 } }] });
  try {
    const { provider } = await setup({ baseUrl: priced.baseUrl, models: ['dear'], overrides: { aggregator: 'dear', k: 1, maxTokens: 1000, maxCostPerQuestion: 0.000001 } });
    const { done } = await send(provider, 'smcs', [user(new TextPart('How do I reverse a list?'))]);
    await assert.rejects(done, (err: unknown) => err instanceof LanguageModelError && err.code === 'Blocked' && /smcs\.maxCostPerQuestion/.test(err.message));
    assert.equal(priced.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 0);
  } finally {
    await priced.close();
  }
});

const TEAM_KEY = 'lm-provider-team-key-0123456789';

/** `smcs serve` over `upstream` (models alpha, beta, agg), and the provider of a member whose one endpoint is that server. */
async function teamServerSetup(name: string, upstream: LoopbackUpstream): Promise<Setup & { server: RunningServer }> {
  const serverEngine = await createEngine(parseConfig({ endpoints: [{ id: 'upstream', provider: 'vllm', baseUrl: upstream.baseUrl, models: ['alpha', 'beta', 'agg'] }], embedding: { provider: 'lexical' }, aggregator: 'agg', k: 2, n: 1 }), testHooks(`${temp.dir}/${name}-server`));
  engines.push(serverEngine);
  const server = await startServer({ engine: serverEngine, apiKey: TEAM_KEY, host: '127.0.0.1', port: 0, maxConcurrent: 4, learnFromChecks: false, log: () => undefined });
  const config = parseConfig({ endpoints: [{ id: 'team', provider: 'vllm', baseUrl: server.url, teamServer: true, timeoutMs: 5000 }], embedding: { provider: 'lexical' } });
  return { ...(await setup({ config, hooks: { secrets: { apiKey: async (id) => (id === 'team' ? TEAM_KEY : undefined) } } })), server };
}

test('on a team server: a model endpoint the server cannot reach is its admin\'s to mend, and a server shut down mid-ask is told as shut down, in the panel\'s words; no setting of the member\'s is named', async () => {
  const down = await startLoopbackUpstream({ models: ['alpha', 'beta', 'agg'].map((id) => ({ id })) });
  const unreachable = await teamServerSetup('team-upstream-down', down);
  await down.close();
  try {
    await assert.rejects((await send(unreachable.provider, 'smcs', [user(new TextPart('Which is faster for membership tests?'))])).done, (err: unknown) => {
      assert.ok(err instanceof LanguageModelError, String(err));
      assert.match(err.message, /could not reach its model endpoint upstream\. Its admin must fix it \(th(at endpoint is|ose endpoints are) in the team server's config, not in yours\)/);
      assert.doesNotMatch(err.message, /smcs\.endpoints|base URL|Open Settings/);
      return true;
    });
  } finally {
    await unreachable.server.close();
  }

  const upstream = await startLoopbackUpstream({ models: ['alpha', 'beta', 'agg'].map((id) => ({ id })) });
  upstream.script('alpha', { reply: 'Use a set: membership is O(1) on average.' });
  upstream.script('beta', { hang: true });
  const stopping = await teamServerSetup('team-stops', upstream);
  try {
    const { done } = await send(stopping.provider, 'smcs', [user(new TextPart('Which is faster for membership tests?'))]);
    const failed = assert.rejects(done, (err: unknown) => {
      assert.ok(err instanceof LanguageModelError, String(err));
      assert.match(err.message, /^The SMCS server stopped \(it is shutting down\) before this ask was answered: .*ask again in a moment\. Whoever runs it shut it down/);
      assert.doesNotMatch(err.message, /log may say why|failed while answering|smcs\.endpoints/);
      return true;
    });
    // alpha's reply is in, beta's hangs: then the server is shut down.
    while (!upstream.requests.some((r) => r.model === 'alpha' && r.completedAt !== undefined) || upstream.inFlight('beta').now < 1) await sleep(20);
    await stopping.server.close();
    await failed;
  } finally {
    await upstream.close();
  }
});

test('no servers, and an image: LanguageModelErrors that say what to do, nothing sent', async () => {
  const none = await setup({ hasEndpoints: false });
  await assert.rejects((await send(none.provider, 'smcs', [user(new TextPart('hi'))])).done, (err: unknown) => err instanceof LanguageModelError && err.code === 'NotFound' && /SMCS: Add vLLM Server/.test(err.message));
  const { provider } = await setup();
  const before = fake.requests.length;
  await assert.rejects((await send(provider, 'smcs', [user(new TextPart('What is this?'), new DataPart(new Uint8Array([1]), 'image/png'))])).done, (err: unknown) => err instanceof LanguageModelError && /part 2 of message 1 is an image \(image\/png\)/.test(err.message));
  assert.equal(fake.requests.length, before);
});

test('every endpoint offline: the error names the setting and the command, without JSON or a stack', async () => {
  const gone = await startLoopbackUpstream({ models: [{ id: 'x' }] });
  const baseUrl = gone.baseUrl;
  await gone.close();
  const { provider } = await setup({ baseUrl, models: ['x'], overrides: { aggregator: 'x', k: 1 } });
  await assert.rejects((await send(provider, 'smcs', [user(new TextPart('hi'))])).done, (err: unknown) => {
    assert.ok(err instanceof LanguageModelError, String(err));
    assert.match(err.message, /smcs\.endpoints .*SMCS: Open Settings/);
    assert.doesNotMatch(err.message, /[{}]|\n\s+at /);
    return true;
  });
});
