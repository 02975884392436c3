import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { AskResult, PipelineEvent } from '../../../core/contracts/events';
import { contextItem } from '../../../core/context/contextItem';
import type { HostToWebview } from '../../../presentation/protocol';
import { createRun, type RunAction, type RunState } from '../../../presentation/runState';
import type { ReplyChoice } from '../../learning/choiceFeedback';
import type { TelemetryPayload } from '../../telemetry/telemetryEvents';
import { FLUSH_MS, PanelRuns } from '../panelRuns';
import { ReplyChoices } from '../replyChoices';
import { eventLogLine, finishedRunEvent } from '../runReport';

const usage = { promptTokens: 10, completionTokens: 5 };

function result(question: string): AskResult {
  return {
    question,
    support: { count: 3 },
    priors: [{ model: 'a', prior: 1, unprofiled: false }],
    referencers: [{ model: 'a', ok: true, latencyMs: 100, usage, text: 'ref a', reasoning: '' }],
    aggregator: 'a',
    candidates: [
      { index: 0, subset: ['a'], draws: 1, ok: true, text: 'cand 0', reasoning: '', similarity: 0.9, perplexity: 1.2, total: 0.7 },
      { index: 1, subset: ['a'], draws: 1, ok: true, text: 'cand 1', reasoning: '', similarity: 0.8, perplexity: 1.1, total: 0.6 },
    ],
    winner: 0,
    selectedBy: 'score',
    bestByChecks: null,
    answer: { reply: { kind: 'candidate', index: 0 }, because: 'score' },
    logprobsUsed: true,
    trimmedReferences: [],
    timings: { embedMs: 1, retrieveMs: 2, referencersMs: 3, aggregateMs: 4, scoreMs: 5, totalMs: 15 },
    usage,
    calls: [],
    costUsd: null,
    tokens: { prompt: 10, completion: 5 },
    conversation: { turns: 0, dropped: [] },
    cappedOutput: [],
  };
}

/** A whole run's events, in pipeline order. */
function events(question: string): PipelineEvent[] {
  const r = result(question);
  return [
    { type: 'embed', ms: 1 },
    { type: 'retrieve', ms: 2, supportCount: 3, priors: r.priors, referencers: ['a'] },
    { type: 'referencer-started', model: 'a' },
    { type: 'referencer-delta', model: 'a', kind: 'text', text: 'ref ' },
    { type: 'referencer-delta', model: 'a', kind: 'text', text: 'a' },
    { type: 'referencer-done', reference: r.referencers[0]! },
    { type: 'subsets', aggregator: 'a', subsets: [['a'], ['a']], draws: [1, 1] },
    { type: 'aggregation-started', index: 0, subset: ['a'] },
    { type: 'aggregation-done', index: 0, latencyMs: 10, usage, text: 'cand 0', reasoning: '' },
    { type: 'aggregation-started', index: 1, subset: ['a'] },
    { type: 'aggregation-done', index: 1, latencyMs: 11, usage, text: 'cand 1', reasoning: '' },
    { type: 'scored', candidates: r.candidates, winner: 0, logprobsUsed: true },
    { type: 'done', result: r },
  ];
}

/** The host's side of a panel with a recording webview, an in-memory history and a scripted confirmation. */
function panel(stored: RunState[] = [], confirmed = true) {
  const sent: HostToWebview[] = [];
  const logged: string[] = [];
  const saved: RunState[][] = [];
  const asked: string[] = [];
  const runs = new PanelRuns({
    history: { load: () => stored, save: async (r) => (saved.push([...r]), [...r]), clear: async () => undefined },
    log: { write: (level, message) => logged.push(`${level}: ${message}`) },
    setup: () => ({ hasEndpoints: true }),
    confirm: async (message) => (asked.push(message), confirmed),
  });
  runs.attachView((msg) => sent.push(msg));
  sent.length = 0;
  return { runs, sent, logged, saved, asked };
}

/** Runs a question to its end through `runs`, as the ask does. */
function answer(runs: PanelRuns, id: string, question: string, threadId = id, retriedId?: string): void {
  runs.start(createRun(id, question, Number.parseInt(id.replace(/\D/g, '') || '0', 10), threadId), retriedId);
  for (const event of events(question)) runs.apply(id, { type: 'event', event, at: 1 });
  runs.finish(id);
}

const actionsSent = (sent: HostToWebview[]): RunAction[] => sent.flatMap((m) => (m.type === 'run-actions' ? m.actions : []));

test('streamed deltas of the active run reach the webview in batches, everything else at once, and in the same order the host applied them', async () => {
  const { runs, sent } = panel();
  runs.start(createRun('r1', 'q', 0), undefined);
  runs.apply('r1', { type: 'event', event: { type: 'embed', ms: 1 }, at: 1 });
  assert.equal(actionsSent(sent).length, 0, 'an action that changes nothing is not sent');
  runs.apply('r1', { type: 'event', event: { type: 'retrieve', ms: 2, supportCount: 3, priors: [], referencers: ['a'] }, at: 1 });
  assert.equal(actionsSent(sent).length, 1, 'a stage event is sent at once');
  runs.apply('r1', { type: 'event', event: { type: 'referencer-started', model: 'a' }, at: 2 });
  runs.apply('r1', { type: 'event', event: { type: 'referencer-delta', model: 'a', kind: 'text', text: 'x' }, at: 3 });
  runs.apply('r1', { type: 'event', event: { type: 'referencer-delta', model: 'a', kind: 'text', text: 'y' }, at: 4 });
  assert.equal(actionsSent(sent).length, 2, 'deltas wait for the batch');
  await new Promise((resolve) => setTimeout(resolve, FLUSH_MS * 2));
  assert.equal(actionsSent(sent).length, 4, 'the batch went out');
  assert.equal(runs.find('r1')?.referencers[0]?.text, 'xy');
  runs.finish('r1');
  runs.apply('r1', { type: 'cancelled', at: 5 });
  assert.deepEqual(sent.at(-1), { type: 'run-actions', runId: 'r1', actions: [{ type: 'cancelled', at: 5 }] }, 'a run no longer active is sent action by action');
});

test('a follow-up continues its thread with the earlier turns as sent; a retry takes the failed run’s place', () => {
  const { runs, sent } = panel();
  answer(runs, 'r1', 'first');
  assert.equal(runs.activeThreadId, 'r1');
  assert.deepEqual(runs.turns('r1'), [{ question: 'first', answer: 'cand 0' }]);
  runs.start(createRun('r2', 'second', 2, 'r1'), undefined);
  runs.apply('r2', { type: 'event', event: { type: 'error', message: 'boom', kind: 'server', causes: [] }, at: 3 });
  runs.finish('r2');
  answer(runs, 'r3', 'second', 'r1', 'r2');
  assert.deepEqual(runs.history.map((r) => r.id), ['r1', 'r3']);
  assert.ok(sent.some((m) => m.type === 'runs-removed' && m.runIds.join() === 'r2'));
  assert.deepEqual(runs.earlierQuestions(runs.find('r3')!), ['first']);
  runs.newChat();
  assert.equal(runs.activeThreadId, undefined);
  assert.deepEqual(sent.at(-1), { type: 'active-thread', threadId: null });
});

test('a run keeps the selection it was about: a follow-up carries it as the models read it, and learning from a choice sees it', async () => {
  const { runs } = panel();
  const fired: ReplyChoice[] = [];
  const choices = new ReplyChoices({ runs, choices: { fire: (choice) => fired.push(choice) }, telemetry: { send: () => undefined }, log: { write: () => undefined }, learnFromChoices: () => true, forgetLearning: async () => false });
  const selected = contextItem({ source: 'selection', path: 'src/cells.py', startLine: 4, endLine: 6, text: '    total = 0\n    for ch in text:\n        total += char_width(ch)', reason: 'selected', language: 'python' });
  runs.start({ ...createRun('r1', 'Why is the width wrong?', 1), selection: { items: [selected], notes: [] } }, undefined);
  for (const event of events('Why is the width wrong?')) runs.apply('r1', { type: 'event', event, at: 1 });
  runs.finish('r1');
  const [turn] = runs.turns('r1');
  assert.match(turn?.question ?? '', /^Why is the width wrong\?\n\nContext from the user's workspace [^\n]*\n\nsrc\/cells\.py lines 4–6 \(selected\):\n```python\n {4}total = 0\n/);
  await choices.choose('r1', 1);
  assert.equal(fired[0]?.context, 'src/cells.py lines 4–6 (selected):\n```python\n    total = 0\n    for ch in text:\n        total += char_width(ch)\n```');
  answer(runs, 'r2', 'And for CJK?', 'r1');
  await choices.choose('r2', 1);
  assert.equal(fired[1]?.context, undefined, 'a follow-up without a selection of its own learns none');
});

test('deleting a conversation and clearing the history persist; clearing asks first, and a refusal keeps everything', async () => {
  const { runs, saved, asked } = panel([], false);
  answer(runs, 'r1', 'one');
  answer(runs, 'r2', 'two');
  await runs.clearHistory();
  assert.equal(asked.length, 1);
  assert.match(asked[0] ?? '', /Clear all 2 conversations/);
  assert.equal(runs.history.length, 2, 'declined: nothing cleared');
  await runs.deleteThread('r1');
  assert.deepEqual(runs.history.map((r) => r.id), ['r2']);
  assert.deepEqual(saved.at(-1)?.map((r) => r.id), ['r2']);

  const accepting = panel();
  let cleared = 0;
  accepting.runs.onDidClear(() => cleared++);
  answer(accepting.runs, 'r1', 'one');
  await accepting.runs.clearHistory();
  assert.deepEqual(accepting.runs.history, []);
  assert.equal(cleared, 1);
  assert.equal(accepting.sent.at(-1)?.type, 'snapshot');
});

test('choosing a candidate and taking the shown reply’s code are reported and fired as feedback, a taken reply once', async () => {
  const { runs } = panel();
  const fired: ReplyChoice[] = [];
  const sentTelemetry: TelemetryPayload[] = [];
  const choices = new ReplyChoices({
    runs,
    choices: { fire: (choice) => fired.push(choice) },
    telemetry: { send: (e) => sentTelemetry.push(e) },
    log: { write: () => undefined },
    learnFromChoices: () => true,
    forgetLearning: async () => false,
  });
  answer(runs, 'r1', 'first');
  answer(runs, 'r2', 'again', 'r1');
  await choices.choose('r2', 1);
  assert.deepEqual(runs.find('r2')?.choice, { kind: 'candidate', index: 1 });
  assert.deepEqual(fired.map((c) => [c.kind, c.chosenIndex, c.chosenText, c.earlier.join()]), [['chosen', 1, 'cand 1', 'first']]);
  assert.deepEqual(sentTelemetry.map((e) => [e.name, e.measurements.chosen, e.properties.reverted]), [['reply.chosen', 1, 'false']]);
  await choices.choose('r2', 1);
  assert.equal(fired.length, 1, 'the same choice again changes nothing');

  choices.codeUsed({ type: 'code', action: 'copy', code: 'x', runId: 'r2', candidate: 1 });
  choices.codeUsed({ type: 'code', action: 'insert', code: 'x', runId: 'r2', candidate: 1 });
  choices.appliedFrom('r2');
  assert.deepEqual(fired.map((c) => c.kind), ['chosen', 'accepted'], 'the shown reply is learned from once');
  choices.codeUsed({ type: 'code', action: 'copy', code: 'x', runId: 'r2', candidate: 0 });
  assert.equal(fired.length, 2, 'code of a reply not shown teaches nothing');
  assert.deepEqual(sentTelemetry.filter((e) => e.name === 'code.action').map((e) => e.properties.fromWinner), ['false', 'false', 'true']);
});

test('Undo Apply forgets the learning of exactly the choice the accept fired, and the reply may be learned from again', async () => {
  const { runs } = panel();
  const fired: ReplyChoice[] = [];
  const forgotten: ReplyChoice[] = [];
  let learn = true;
  const choices = new ReplyChoices({
    runs,
    choices: { fire: (choice) => fired.push(choice) },
    telemetry: { send: () => undefined },
    log: { write: () => undefined },
    learnFromChoices: () => learn,
    forgetLearning: async (choice) => (forgotten.push(choice), true),
  });
  answer(runs, 'r1', 'first');
  answer(runs, 'r2', 'second');
  const taken = choices.appliedFrom('r1');
  assert.equal(taken?.learning, true);
  assert.equal(choices.appliedFrom('r1'), undefined, 'applied again: nothing new was learned, nothing to forget');
  choices.codeUsed({ type: 'code', action: 'copy', code: 'x', runId: 'r2', candidate: 0 });
  assert.equal(await taken?.forget(), true);
  assert.deepEqual(forgotten, [fired[0]], 'the choice fired by the accept, not the later copy of another run');
  assert.equal(fired[0]?.question, 'first');
  const again = choices.appliedFrom('r1');
  assert.ok(again, 'once forgotten, accepting the reply again teaches the bank again');
  assert.equal(fired.length, 3);
  choices.codeUsed({ type: 'code', action: 'insert', code: 'x', runId: 'r2', candidate: 0 });
  assert.equal(fired.length, 3, 'the copied reply of r2 stays taken');
  choices.untake(fired[1]!);
  choices.codeUsed({ type: 'code', action: 'insert', code: 'x', runId: 'r2', candidate: 0 });
  assert.equal(fired.length, 4, 'forgotten elsewhere (Forget This Choice), the reply of r2 teaches again when taken again');

  learn = false;
  answer(runs, 'r3', 'third');
  assert.equal(choices.appliedFrom('r3')?.learning, false, 'with learning off the accept teaches nothing, so Undo Apply only restores the file');
});

test('Forget This Choice takes the forgotten choice back in the panel too: the run shows its answer, not "Your choice"', async () => {
  const { runs } = panel();
  const fired: ReplyChoice[] = [];
  const choices = new ReplyChoices({ runs, choices: { fire: (choice) => fired.push(choice) }, telemetry: { send: () => undefined }, log: { write: () => undefined }, learnFromChoices: () => true, forgetLearning: async () => true });
  answer(runs, 'r1', 'first');
  answer(runs, 'r2', 'second');
  await choices.choose('r1', 1);
  await choices.choose('r2', 1);
  assert.deepEqual(runs.find('r1')?.choice, { kind: 'candidate', index: 1 });
  choices.untake(fired[0]!);
  assert.equal(runs.find('r1')?.choice, undefined, 'the forgotten choice no longer stands');
  assert.deepEqual(runs.find('r2')?.choice, { kind: 'candidate', index: 1 }, 'another run’s choice stays');
  await choices.choose('r2', 0);
  choices.untake(fired[1]!);
  assert.equal(runs.find('r2')?.choice, undefined, 'reverted by the user meanwhile: nothing to take back');
  assert.equal(fired.length, 3, 'taking a choice back fires no new choice');
});

test('a run leaves a log line for its stages and failures and one telemetry event when it ends', () => {
  assert.equal(eventLogLine('r1', { type: 'referencer-delta', model: 'a', kind: 'text', text: 'x' }), undefined);
  assert.deepEqual(eventLogLine('r1', { type: 'referencer-failed', model: 'a', error: 'HTTP 500', kind: 'server' }), { level: 'warn', message: 'ask r1: a failed: HTTP 500' });
  assert.deepEqual(eventLogLine('r1', { type: 'error', message: 'no bank', kind: 'bank', causes: ['a', 'b'] }), { level: 'error', message: 'ask r1: no bank (a; b)' });
  const { runs } = panel();
  answer(runs, 'r1', 'q');
  assert.equal(finishedRunEvent(runs.find('r1')!, 'quality', 0)?.name, 'ask.done');
  runs.start(createRun('r2', 'q', 100), undefined);
  assert.equal(finishedRunEvent(runs.find('r2')!, 'quality', 150), undefined, 'a running run reports nothing');
  runs.apply('r2', { type: 'cancelled', at: 140 });
  const cancelled = finishedRunEvent(runs.find('r2')!, 'quality', 150);
  assert.deepEqual([cancelled?.name, cancelled?.measurements.elapsedMs], ['ask.cancelled', 40]);
});

test('a run shown before its question was sent and then declined (a large paste) leaves the history and the panel, queued actions and all', async () => {
  const { runs, sent } = panel();
  runs.start(createRun('r9', 'a large paste', 0), undefined);
  runs.apply('r9', { type: 'event', event: { type: 'referencer-started', model: 'a' }, at: 1 });
  runs.apply('r9', { type: 'event', event: { type: 'referencer-delta', model: 'a', kind: 'text', text: 'x' }, at: 2 });
  runs.discard('r9');
  assert.equal(runs.find('r9'), undefined);
  assert.deepEqual(sent.at(-1), { type: 'runs-removed', runIds: ['r9'] });
  const before = sent.length;
  await new Promise((resolve) => setTimeout(resolve, FLUSH_MS * 2));
  assert.equal(sent.length, before, 'nothing queued for the discarded run is sent after it left');
  runs.discard('r9');
  assert.equal(sent.length, before, 'discarding it again sends nothing');
});
