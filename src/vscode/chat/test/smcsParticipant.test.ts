/**
 * `@smcs` end to end without a workbench: the chat's response stream is a recorder, everything else is real — the
 * engine, the loopback upstream over HTTP, the panel's runs and history.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type * as vscode from 'vscode';
import { engineConfig, testHooks } from '../../../../test/fixtures/askHarness';
import { tempDir } from '../../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream, type RecordedRequest } from '../../../../test/fixtures/loopbackUpstream';
import { parseConfig } from '../../../core/contracts/config';
import { createEngine } from '../../../engine/engine';
import type { Engine } from '../../../engine/types';
import { formatUsd } from '../../../presentation/format';
import { startServer } from '../../../server/server';
import { answerView } from '../../../presentation/answerView';
import type { GatheredContext } from '../../context/questionContext';
import { cancellation } from '../../languageModel/test/fakeLmApi';
import { HistoryStore } from '../../panel/historyStore';
import { PanelRuns } from '../../panel/panelRuns';
import { CHAT_COMMANDS, SmcsParticipant, typedQuestion, type SmcsChatMetadata, type StoppedNotice } from '../smcsParticipant';

const temp = tempDir('smcs-chat-participant-');
const MODELS = ['m1', 'm2', 'm3', 'agg'];
let fake: LoopbackUpstream;
const engines: Engine[] = [];

before(async () => {
  fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id, maxModelLen: 131_072 })) });
});

after(async () => {
  for (const e of engines) await e.dispose();
  await fake.close();
  temp.cleanup();
});

/** What the participant streamed, part by part. */
interface Streamed {
  kind: 'progress' | 'markdown' | 'button' | 'reference' | 'anchor';
  value: unknown;
}

function recorder(): { stream: vscode.ChatResponseStream; parts: Streamed[] } {
  const parts: Streamed[] = [];
  const push = (kind: Streamed['kind']) => (value: unknown) => {
    parts.push({ kind, value });
  };
  const stream = { progress: push('progress'), markdown: push('markdown'), button: push('button'), reference: push('reference'), anchor: push('anchor') } as unknown as vscode.ChatResponseStream;
  return { stream, parts };
}

const NO_CONTEXT: GatheredContext = { attachments: [], selection: { items: [], notes: [] }, notes: [] };
let folders = 0;

async function setup(options: { hasEndpoints?: boolean; large?: boolean[] } = {}) {
  const config = engineConfig({ baseUrl: fake.baseUrl, models: MODELS, overrides: { aggregator: 'agg', k: 3, n: 2, seed: 1 } });
  const stopped: StoppedNotice[] = [];
  const large: number[] = [];
  const engine = await createEngine(config, testHooks(`${temp.dir}/${folders++}`));
  engines.push(engine);
  const store = { value: undefined as unknown, get: <T>() => store.value as T | undefined, update: (_k: string, v: unknown) => ((store.value = v), Promise.resolve()) };
  const log: string[] = [];
  const runs = new PanelRuns({ history: new HistoryStore(store), log: { write: (l, m) => log.push(`${l}: ${m}`) }, setup: () => ({ hasEndpoints: true }), confirm: () => Promise.resolve(true) });
  const participant = new SmcsParticipant({
    engine: () => Promise.resolve(engine),
    runs,
    context: { gather: () => Promise.resolve(NO_CONTEXT) },
    settings: () => ({ config, hasEndpoints: options.hasEndpoints ?? true }),
    log: { write: (l, m) => log.push(`${l}: ${m}`) },
    overBudget: () => Promise.resolve('cancel'),
    confirmLarge: (size) => (large.push(size.promptTokens), Promise.resolve(options.large?.shift() ?? true)),
    stopped: (notice) => void stopped.push(notice),
    location: (path) => ({ path }) as unknown as vscode.Uri,
    attachedFiles: () => [],
  });
  return { participant, runs, store, stopped, large };
}

const request = (prompt: string) => ({ prompt, references: [], toolReferences: [] }) as unknown as vscode.ChatRequest;
const chatOf = (history: unknown[] = []) => ({ history }) as unknown as vscode.ChatContext;
const chatCalls = (from: number) => fake.requests.slice(from).filter((r) => r.path.endsWith('/chat/completions'));

test('@smcs: progress per stage as it happens, the answer as markdown, the candidate and cost line, the buttons; the run is in the history', async () => {
  let candidates = 0;
  fake.script('agg', { reply: (r) => (JSON.stringify(r.body).includes('reference') ? `Heapsort, candidate ${++candidates}: build a max-heap.` : 'Agg reference.') });
  try {
    const { participant, runs } = await setup();
    const { stream, parts } = recorder();
    const result = await participant.handle(request('Name a sorting algorithm that uses a heap.'), chatOf(), stream, cancellation().token);
    const [run] = runs.history;
    assert.ok(run, 'no run in the history');
    assert.equal(run.status, 'done');
    assert.deepEqual(result.metadata, { runId: run.id, threadId: run.threadId } satisfies SmcsChatMetadata);
    const progress = parts.filter((p) => p.kind === 'progress').map((p) => String(p.value));
    assert.ok(progress.includes('asking 3 models · 0 of 3 in'), progress.join(' | '));
    assert.ok(progress.some((line) => /^asking 3 models · 3 of 3 in · writing 2 candidates/.test(line)), progress.join(' | '));
    const markdown = parts.filter((p) => p.kind === 'markdown').map((p) => String(p.value));
    // The answer as it is written: the first candidate's words, in pieces, before the run was scored; the chosen one
    // after a line saying why when the choice was the other (nothing read is taken back).
    const lines = markdown.findIndex((m) => m.startsWith('\n\n---\n*'));
    const written = markdown.slice(0, lines).join('');
    assert.ok(lines >= 2, `the answer came as it was written, in pieces (${lines}), not once scored in one`);
    const kinds = parts.map((p) => p.kind);
    assert.ok(kinds.lastIndexOf('progress') < kinds.indexOf('markdown'), 'no progress line after the first words: the chat would fold the answer into them');
    const answer = answerView(run).text ?? '';
    if (answerView(run).candidate === 0) assert.equal(written, answer);
    else assert.match(written, new RegExp(`\\n\\n---\\n\\*Chosen instead: candidate ${answerView(run).candidate + 1}, which [^*]+\\.\\*\\n\\n${answer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    assert.match(markdown[lines] ?? '', /^\n\n---\n\*(candidate \d of 2|candidates 1 and 2 \(2 of 2 agree\)), the highest score\* {2}\n\*[\d.k]+ tokens · \d+ calls · no prices known\* {2}\n$/);
    // The stages stay in view once the chat folds its progress lines away.
    assert.match(markdown.at(-1) ?? '', /^\*asked 3 models: 3 of 3 in · 2 candidates: 2 of 2 written · [\d.]+ s\*\n$/);
    const buttons = parts.filter((p) => p.kind === 'button').map((p) => p.value as vscode.Command);
    assert.deepEqual(buttons.map((b) => b.command), [CHAT_COMMANDS.useCandidate, CHAT_COMMANDS.compare, CHAT_COMMANDS.openRun]);
    assert.deepEqual(buttons[1]?.arguments, [run.id, run.winner === 0 ? 1 : 0, run.winner]);
  } finally {
    fake.script('agg', {});
  }
});

test('a follow-up continues the conversation of the answer before it: its turn reaches every model, in the same thread', async () => {
  const { participant, runs } = await setup();
  const first = await participant.handle(request('What is a binary heap?'), chatOf(), recorder().stream, cancellation().token);
  const from = fake.requests.length;
  const earlier = [
    { prompt: 'What is a binary heap?', participant: 'smcs.chat', references: [] },
    { response: [], result: first, participant: 'smcs.chat' },
  ];
  const second = await participant.handle(request('Name a sorting algorithm that uses one.'), chatOf(earlier), recorder().stream, cancellation().token);
  assert.equal((second.metadata as SmcsChatMetadata).threadId, (first.metadata as SmcsChatMetadata).threadId);
  assert.equal(runs.history.length, 2);
  const calls = chatCalls(from);
  assert.ok(calls.length >= 3 && calls.every((r) => JSON.stringify(r.body.messages).includes('What is a binary heap?')), 'the earlier turn did not reach every model');
});

test("the chat's Stop aborts every upstream call within a second, and says what the panel says: stopped, the replies received so far, their cost", { timeout: 30_000 }, async () => {
  fake.script('m1', { reply: 'Closures capture variables.' });
  for (const m of ['m2', 'm3']) fake.script(m, { reply: 'slow '.repeat(200), chunkDelayMs: 30 });
  try {
    const { participant, runs, stopped } = await setup();
    const from = fake.requests.length;
    const stop = cancellation();
    const { stream, parts } = recorder();
    const done = participant.handle(request('Explain closures.'), chatOf(), stream, stop.token);
    // Stopped once m1's reply is in the run (not only written by the upstream) and the two others are answering.
    const m1In = () => runs.history[0]?.referencers.some((r) => r.model === 'm1' && r.status === 'done') === true;
    while (!m1In() || chatCalls(from).length < 3) await sleep(10);
    stop.cancel();
    const stoppedAt = performance.now();
    await done;
    while (chatCalls(from).some((r) => r.clientClosedAt === undefined && r.completedAt === undefined) && performance.now() - stoppedAt < 1000) await sleep(10);
    for (const r of chatCalls(from).filter((c) => c.model !== 'm1')) assert.ok(r.clientClosedAt !== undefined && r.completedAt === undefined, `${r.model} was still answering a second after Stop`);
    const [run] = runs.history;
    assert.equal(run?.status, 'cancelled');
    const markdown = parts.filter((p) => p.kind === 'markdown').map((p) => String(p.value)).join('');
    assert.match(markdown, /\*\*Stopped\. Replies received so far are kept below \(1 of 3 models had answered\)\.\*\*/);
    assert.match(markdown, /#### m1's reply\n\nClosures capture variables\./);
    assert.match(markdown, /\*[\d,]+ tokens · \d+ calls? · no prices known/, 'the cost of what arrived');
    const buttons = parts.filter((p) => p.kind === 'button').map((p) => (p.value as vscode.Command).title);
    assert.deepEqual(buttons, ['Ask Again', 'Open in SMCS Panel']);
    // VS Code takes no more parts after Stop: the notification says it too, with the panel's words and the cost.
    assert.equal(stopped.length, 1);
    assert.match(stopped[0]?.text ?? '', /^Stopped\. Replies received so far are kept in the SMCS panel \(1 of 3 models had answered\)\. [\d,]+ tokens · \d+ calls?/);
    assert.doesNotMatch(parts.map((p) => String(p.value)).join(' '), /Error|Cancelled/);
    // While it ran, the progress line said what the calls that ended had cost so far.
    assert.ok(parts.some((p) => p.kind === 'progress' && /· so far [\d,]+ tokens · 1 call/.test(String(p.value))), parts.filter((p) => p.kind === 'progress').map((p) => String(p.value)).join(' | '));
    // The stopped reply takes no more parts in VS Code: the next reply opens with what became of it.
    for (const m of ['m1', 'm2', 'm3']) fake.script(m, {});
    const next = recorder();
    await participant.handle(request('And in Python?'), chatOf(), next.stream, cancellation().token);
    assert.match(String(next.parts[0]?.value), /^\*The question before this one was stopped\. Replies received so far are kept in the SMCS panel \(1 of 3 models had answered\)\./);
    const after = recorder();
    await participant.handle(request('And in Go?'), chatOf(), after.stream, cancellation().token);
    assert.doesNotMatch(String(after.parts.find((p) => p.kind === 'markdown')?.value), /was stopped/, 'said once');
  } finally {
    for (const m of ['m1', 'm2', 'm3']) fake.script(m, {});
  }
});

test('Stop after the answer began streaming: a line says the words above were cut short before what the panel says', { timeout: 30_000 }, async () => {
  fake.script('agg', { reply: 'word '.repeat(300), chunkDelayMs: 30 });
  try {
    const { participant } = await setup();
    const stop = cancellation();
    const { stream, parts } = recorder();
    const done = participant.handle(request('Explain closures.'), chatOf(), stream, stop.token);
    const markdown = () => parts.filter((p) => p.kind === 'markdown').map((p) => String(p.value)).join('');
    while (!markdown().includes('word word')) await sleep(10);
    stop.cancel();
    await done;
    assert.match(markdown(), /^(word )+\n\n---\n\*Stopped: the answer above was cut short\.\*\n\*\*Stopped\./, 'the streamed words, then the cut-short line, then the stopped notice');
  } finally {
    fake.script('agg', {});
  }
});

test('an endpoint down: the progress counts failures apart from arrivals, and the reply names the endpoint with the panel\'s remedies as buttons', { timeout: 60_000 }, async () => {
  for (const m of ['m1', 'm2', 'm3']) fake.script(m, { reset: { afterChunks: 0, times: 1000 } });
  try {
    const { participant, runs } = await setup();
    const { stream, parts } = recorder();
    const result = await participant.handle(request('Explain closures.'), chatOf(), stream, cancellation().token);
    const progress = parts.filter((p) => p.kind === 'progress').map((p) => String(p.value));
    assert.ok(progress.some((line) => /^asking 3 models · 0 of 3 in · [123] failed/.test(line)), progress.join(' | '));
    assert.ok(!progress.some((line) => /[123] of 3 in/.test(line)), `a failure counted as an arrival: ${progress.join(' | ')}`);
    const markdown = parts.filter((p) => p.kind === 'markdown').map((p) => String(p.value)).join('');
    assert.match(markdown, /^Endpoint local \(127\.0\.0\.1:\d+\) could not be reached\. Check that its server is running and that its base URL in the endpoint settings is right, then retry\./);
    assert.match(markdown, /\*\*Details\*\*\n\n- All 3 referencers failed/);
    const buttons = parts.filter((p) => p.kind === 'button').map((p) => p.value as vscode.Command);
    assert.deepEqual(buttons.map((b) => b.title), ['Test Connection', 'Open Endpoint Settings', 'Retry', 'Open in SMCS Panel']);
    assert.deepEqual(buttons.map((b) => b.command), ['smcs.testEndpoints', 'smcs.openEndpointSettings', CHAT_COMMANDS.askAgain, CHAT_COMMANDS.openRun]);
    assert.equal(result.errorDetails, undefined, 'said once');
    assert.equal(runs.history[0]?.status, 'error');
    assert.doesNotMatch(markdown, /\n\s+at /, 'no stack trace');
  } finally {
    for (const m of ['m1', 'm2', 'm3']) fake.script(m, {});
  }
});

test('a second "@smcs" typed while the participant is sticky is not part of the question', () => {
  assert.equal(typedQuestion('@smcs How do I sort?'), 'How do I sort?');
  assert.equal(typedQuestion('  @smcs   @SMCS How do I sort?'), 'How do I sort?');
  assert.equal(typedQuestion('How does @smcs sort?'), 'How does @smcs sort?');
});

test('a large paste is asked about with its size before anything is sent; declined, nothing is', async () => {
  const { participant, runs, large } = await setup({ large: [false] });
  const from = fake.requests.length;
  const { stream, parts } = recorder();
  await participant.handle(request(`Why does this fail?\n${'const value = compute(input) + 1;\n'.repeat(12_000)}`), chatOf(), stream, cancellation().token);
  assert.equal(large.length, 1);
  assert.ok((large[0] ?? 0) > 24_000, `asked about ${large[0]} tokens`);
  assert.equal(chatCalls(from).length, 0, 'a chat call was made');
  assert.equal(runs.history.length, 0);
  assert.match(String(parts.find((p) => p.kind === 'markdown')?.value), /Not sent: you chose not to send a question this large/);
});

test('/kept shows the reply the user took, with why, and the follow-up carries it', async () => {
  let candidates = 0;
  fake.script('agg', { reply: (r) => (JSON.stringify(r.body).includes('reference') ? `Heapsort, variant ${++candidates}.` : 'Agg reference.') });
  try {
    const { participant, runs } = await setup();
    const first = await participant.handle(request('Name a sorting algorithm that uses a heap.'), chatOf(), recorder().stream, cancellation().token);
    const run = runs.history[0];
    assert.ok(run);
    const other = run.candidates.find((c) => c.index !== run.winner);
    assert.ok(other);
    runs.apply(run.id, { type: 'choose', index: other.index });
    const earlier = [
      { prompt: 'Name a sorting algorithm that uses a heap.', participant: 'smcs.chat', references: [] },
      { response: [], result: first, participant: 'smcs.chat' },
    ];
    const { stream, parts } = recorder();
    const kept = await participant.handle({ ...request(''), command: 'kept' }, chatOf(earlier), stream, cancellation().token);
    const markdown = parts.filter((p) => p.kind === 'markdown').map((p) => String(p.value));
    assert.equal(markdown[0], other.text);
    assert.match(markdown[1] ?? '', /candidates? [\d ,and]+(\(2 of 2 agree\)| of 2), your choice/);
    assert.deepEqual(kept.metadata, first.metadata);
    assert.equal(runs.turns(run.threadId).at(-1)?.answer, other.text, 'a follow-up carries the reply kept');
  } finally {
    fake.script('agg', {});
  }
});

test('no server: the chat says what to do, with the button that does it, and nothing is sent', async () => {
  const { participant } = await setup({ hasEndpoints: false });
  const from = fake.requests.length;
  const { stream, parts } = recorder();
  const result = await participant.handle(request('Hi'), chatOf(), stream, cancellation().token);
  assert.match(String(parts[0]?.value), /SMCS has no server to ask/);
  assert.deepEqual(parts[1], { kind: 'button', value: { command: 'smcs.addVllmServer', title: 'Add vLLM Server' } });
  assert.equal(result.errorDetails, undefined, 'said once, in the reply: an errorDetails would print it again under it');
  assert.equal(fake.requests.length, from);
});

// Was a UI test in the Chat view of 1.139 (test/e2e/team-server-engine.test.ts keeps the panel's, with its screenshots):
// what @smcs answers needs no pixels.
test("@smcs pointed at a team server: the server's answer, from one ask upstream, with the cost it billed", async () => {
  const KEY = 'team-member-key-0123456789';
  const KEY_ENV = 'SMCS_TEST_TEAM_KEY';
  const TEAM_MODELS = ['team-a', 'team-b', 'team-agg'];
  const PRICE = { prompt: 0.000002, completion: 0.000008 };
  const costOf = (r: RecordedRequest): number => (r.usage ? r.usage.prompt_tokens * PRICE.prompt + r.usage.completion_tokens * PRICE.completion : 0);
  const upstream = await startLoopbackUpstream({ models: TEAM_MODELS.map((id) => ({ id, pricing: PRICE })) });
  upstream.script('team-a', { reply: 'team-a: cap it with functools.lru_cache(maxsize=1024).' });
  upstream.script('team-b', { reply: 'team-b: use cachetools.TTLCache to bound size and age.' });
  upstream.script('team-agg', { reply: 'Bound the cache: functools.lru_cache(maxsize=1024), or cachetools.TTLCache when entries expire.' });
  const teamConfig = parseConfig({ endpoints: [{ id: 'upstream', provider: 'vllm', baseUrl: upstream.baseUrl, models: TEAM_MODELS.map((id) => ({ id, price: { prompt: PRICE.prompt * 1e6, completion: PRICE.completion * 1e6 } })) }], embedding: { provider: 'lexical' }, aggregator: 'team-agg', k: 2, n: 2, seed: 1 });
  const teamEngine = await createEngine(teamConfig, testHooks(`${temp.dir}/${folders++}`));
  const server = await startServer({ engine: teamEngine, apiKey: KEY, host: '127.0.0.1', port: 0, maxConcurrent: 4, learnFromChecks: false, log: () => undefined });
  process.env[KEY_ENV] = KEY;
  try {
    const config = parseConfig({ endpoints: [{ id: 'team', provider: 'openai', baseUrl: server.url, teamServer: true, apiKeyEnv: KEY_ENV }], embedding: { provider: 'lexical' }, aggregator: 'auto' });
    const engine = await createEngine(config, testHooks(`${temp.dir}/${folders++}`));
    engines.push(engine);
    const runs = new PanelRuns({ history: new HistoryStore({ get: () => undefined, update: () => Promise.resolve() }), log: { write: () => undefined }, setup: () => ({ hasEndpoints: true }), confirm: () => Promise.resolve(true) });
    const participant = new SmcsParticipant({
      engine: () => Promise.resolve(engine),
      runs,
      context: { gather: () => Promise.resolve(NO_CONTEXT) },
      settings: () => ({ config, hasEndpoints: true }),
      log: { write: () => undefined },
      overBudget: () => Promise.resolve('cancel'),
      confirmLarge: () => Promise.resolve(true),
      stopped: () => undefined,
      location: (path) => ({ path }) as unknown as vscode.Uri,
      attachedFiles: () => [],
    });
    const { stream, parts } = recorder();
    await participant.handle(request('How do I cap a Python dict cache that grows without bound?'), chatOf(), stream, cancellation().token);
    const text = parts.filter((p) => p.kind === 'markdown').map((p) => String(p.value)).join('');
    assert.match(text, /Bound the cache: functools\.lru_cache\(maxsize=1024\)/);
    const calls = upstream.requests.filter((r) => r.path.endsWith('/chat/completions'));
    assert.equal(calls.filter((r) => r.model !== 'team-agg').length, 2, 'each referencer asked once');
    assert.ok(calls.every((r) => TEAM_MODELS.includes(String(r.model))));
    const billed = calls.reduce((sum, r) => sum + costOf(r), 0);
    assert.ok(text.includes(formatUsd(billed)), `the reply's cost line names what the upstream billed, ${formatUsd(billed)}: ${text}`);
    assert.ok(parts.some((p) => p.kind === 'button' && (p.value as vscode.Command).title === 'Open in SMCS Panel'), 'the answer ends with Open in SMCS Panel, as in the Chat view');
  } finally {
    delete process.env[KEY_ENV];
    await server.close();
    await teamEngine.dispose();
    await upstream.close();
  }
});
