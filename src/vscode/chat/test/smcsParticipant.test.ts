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
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../../test/fixtures/loopbackUpstream';
import { createEngine } from '../../../engine/engine';
import type { Engine } from '../../../engine/types';
import { shownAnswer } from '../../../presentation/runAnswer';
import type { GatheredContext } from '../../context/questionContext';
import { cancellation } from '../../languageModel/test/fakeLmApi';
import { HistoryStore } from '../../panel/historyStore';
import { PanelRuns } from '../../panel/panelRuns';
import { CHAT_COMMANDS, SmcsParticipant, type SmcsChatMetadata } from '../smcsParticipant';

const temp = tempDir('smcs-chat-participant-');
const MODELS = ['m1', 'm2', 'm3', 'agg'];
let fake: LoopbackUpstream;
const engines: Engine[] = [];

before(async () => {
  fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id, maxModelLen: 16_384 })) });
});

after(async () => {
  for (const e of engines) await e.dispose();
  await fake.close();
  temp.cleanup();
});

/** What the participant streamed, part by part. */
interface Streamed {
  kind: 'progress' | 'markdown' | 'button' | 'reference';
  value: unknown;
}

function recorder(): { stream: vscode.ChatResponseStream; parts: Streamed[] } {
  const parts: Streamed[] = [];
  const push = (kind: Streamed['kind']) => (value: unknown) => {
    parts.push({ kind, value });
  };
  const stream = { progress: push('progress'), markdown: push('markdown'), button: push('button'), reference: push('reference') } as unknown as vscode.ChatResponseStream;
  return { stream, parts };
}

const NO_CONTEXT: GatheredContext = { attachments: [], selection: { items: [], notes: [] }, notes: [] };
let folders = 0;

async function setup(options: { hasEndpoints?: boolean } = {}) {
  const config = engineConfig({ baseUrl: fake.baseUrl, models: MODELS, overrides: { aggregator: 'agg', k: 3, n: 2, seed: 1 } });
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
    location: (path) => ({ path }) as unknown as vscode.Uri,
    attachedFiles: () => [],
  });
  return { participant, runs, store };
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
    assert.equal(markdown[0], shownAnswer(run));
    assert.match(markdown[1] ?? '', /^\n\n---\n\*(candidate \d of 2|candidates 1 and 2 \(2 of 2 agree\))\* {2}\n\*[\d.k]+ tokens · \d+ calls · no prices known\*\n$/);
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

test("the chat's Stop aborts every upstream call within a second", { timeout: 30_000 }, async () => {
  for (const m of ['m1', 'm2', 'm3']) fake.script(m, { reply: 'slow '.repeat(200), chunkDelayMs: 30 });
  try {
    const { participant, runs } = await setup();
    const from = fake.requests.length;
    const stop = cancellation();
    const done = participant.handle(request('Explain closures.'), chatOf(), recorder().stream, stop.token);
    while (chatCalls(from).length < 3) await sleep(10);
    stop.cancel();
    const stoppedAt = performance.now();
    await done;
    while (chatCalls(from).some((r) => r.clientClosedAt === undefined) && performance.now() - stoppedAt < 1000) await sleep(10);
    for (const r of chatCalls(from)) assert.ok(r.clientClosedAt !== undefined && r.completedAt === undefined, `${r.model} was still answering a second after Stop`);
    assert.equal(runs.history[0]?.status, 'cancelled');
  } finally {
    for (const m of ['m1', 'm2', 'm3']) fake.script(m, {});
  }
});

test('no server: the chat says what to do, with the button that does it, and nothing is sent', async () => {
  const { participant } = await setup({ hasEndpoints: false });
  const from = fake.requests.length;
  const { stream, parts } = recorder();
  const result = await participant.handle(request('Hi'), chatOf(), stream, cancellation().token);
  assert.match(String(parts[0]?.value), /SMCS has no server to ask/);
  assert.deepEqual(parts[1], { kind: 'button', value: { command: 'smcs.addVllmServer', title: 'Add vLLM Server' } });
  assert.match(result.errorDetails?.message ?? '', /no server/);
  assert.equal(fake.requests.length, from);
});
