import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { AskResult, PipelineEvent } from '../../core/contracts/events';
import { runPipeline } from '../../core/ask/pipeline';
import { DEFAULT_PARAMS, type ChatResult, type LlmGateway } from '../../core/contracts/types';
import { LexicalEmbedder } from '../../embed/lexical';
import { createRun, isRunState, reduceRun, stageCounts, stageMs, waitingFor, type RunAction, type RunState } from '../runState';
import { answerView } from '../answerView';
import { resultFromRun } from '../runResult';

const usage = { promptTokens: 10, completionTokens: 5 };

function result(): AskResult {
  return {
    question: 'q',
    support: { count: 12 },
    priors: [{ model: 'a', prior: 2, unprofiled: false }, { model: 'b', prior: 1, unprofiled: true }],
    referencers: [
      { model: 'a', ok: true, latencyMs: 100, usage, text: 'ref a', reasoning: 'thinking' },
      { model: 'b', ok: false, error: 'HTTP 500', latencyMs: 50, usage: { promptTokens: 0, completionTokens: 0 }, text: '', reasoning: '' },
    ],
    aggregator: 'a',
    candidates: [
      { index: 0, subset: ['a'], draws: 1, ok: true, text: 'cand 0', reasoning: '', similarity: 0.9, perplexity: 1.2, total: 0.7 },
      { index: 1, subset: ['a'], draws: 1, ok: true, text: 'cand 1', reasoning: '', similarity: 0.8, perplexity: 1.1, total: 0.7 },
    ],
    winner: 0,
    selectedBy: 'score',
    bestByChecks: null,
    answer: { reply: { kind: 'candidate', index: 0 }, because: 'score' },
    logprobsUsed: true,
    trimmedReferences: [],
    timings: { embedMs: 1, retrieveMs: 2, referencersMs: 3, aggregateMs: 4, scoreMs: 5, totalMs: 15 },
    usage,
    calls: [
      { stage: 'referencer', model: 'a', tokens: { prompt: 10, completion: 5 }, costUsd: 0.001, latencyMs: 100, estimated: false },
      { stage: 'aggregation', model: 'a', tokens: { prompt: 30, completion: 5 }, costUsd: 0.002, latencyMs: 200, estimated: false },
    ],
    costUsd: 0.003,
    tokens: { prompt: 40, completion: 10 },
    conversation: { turns: 0, dropped: [] },
    cappedOutput: [],
  };
}

/** A full run's events, in pipeline order. */
function fullEvents(): PipelineEvent[] {
  const r = result();
  return [
    { type: 'embed', ms: 1 },
    { type: 'retrieve', ms: 2, supportCount: 12, priors: r.priors, referencers: ['a', 'b'] },
    { type: 'referencer-started', model: 'a' },
    { type: 'referencer-started', model: 'b' },
    { type: 'referencer-delta', model: 'a', kind: 'reasoning', text: 'thinking' },
    { type: 'referencer-delta', model: 'a', kind: 'text', text: 'ref ' },
    { type: 'referencer-delta', model: 'a', kind: 'text', text: 'a' },
    { type: 'referencer-done', reference: r.referencers[0]! },
    { type: 'referencer-failed', model: 'b', error: 'HTTP 500', kind: 'server' },
    { type: 'subsets', aggregator: 'a', subsets: [['a'], ['a']], draws: [1, 1] },
    { type: 'aggregation-started', index: 0, subset: ['a'] },
    { type: 'aggregation-delta', index: 0, text: 'cand ' },
    { type: 'aggregation-delta', index: 0, text: '0' },
    { type: 'aggregation-done', index: 0, latencyMs: 10, usage, text: 'cand 0', reasoning: '' },
    { type: 'aggregation-started', index: 1, subset: ['a'] },
    { type: 'aggregation-done', index: 1, latencyMs: 11, usage, text: 'cand 1', reasoning: '' },
    { type: 'scored', candidates: r.candidates, winner: 0, logprobsUsed: true },
    { type: 'done', result: r },
  ];
}

const apply = (run: RunState, actions: RunAction[]): RunState => actions.reduce(reduceRun, run);
const asActions = (events: PipelineEvent[], t0 = 1000): RunAction[] => events.map((event, i) => ({ type: 'event', event, at: t0 + i * 10 }));

test('a full event stream ends done with the winner, scores and every stage done', () => {
  const run = apply(createRun('r1', 'q', 1000), asActions(fullEvents()));
  assert.equal(run.status, 'done');
  assert.equal(run.winner, 0);
  assert.equal(answerView(run).text, 'cand 0');
  assert.equal(run.supportCount, 12);
  for (const stage of Object.values(run.stages)) assert.equal(stage.status, 'done');
  assert.equal(run.referencers[0]?.text, 'ref a');
  assert.equal(run.referencers[0]?.reasoning, 'thinking');
  assert.equal(run.referencers[1]?.status, 'failed');
  assert.equal(run.referencers[1]?.error, 'HTTP 500');
  assert.deepEqual(run.candidates.map((c) => c.total), [0.7, 0.7]);
  assert.equal(run.finishedAt, 1000 + 17 * 10);
  assert.deepEqual(stageCounts(run).referencers, { ok: 1, failed: 1, stopped: 0, late: 0, total: 2 });
});

test('streamed deltas accumulate while the stage is active, and counts follow', () => {
  const events = fullEvents().slice(0, 7);
  const run = apply(createRun('r1', 'q', 0), asActions(events, 0));
  assert.equal(run.referencers[0]?.status, 'streaming');
  assert.equal(run.referencers[0]?.text, 'ref a');
  assert.equal(run.stages.referencers.status, 'active');
  assert.equal(run.stages.retrieve.status, 'done');
  assert.equal(run.stages.aggregate.status, 'pending');
  assert.deepEqual(stageCounts(run).referencers, { ok: 0, failed: 0, stopped: 0, late: 0, total: 2 });
});

test('the reducer never mutates its input, so snapshots taken mid-stream stay valid', () => {
  const start = createRun('r1', 'q', 0);
  const frozen = JSON.stringify(start);
  const mid = apply(start, asActions(fullEvents().slice(0, 8)));
  assert.equal(JSON.stringify(start), frozen);
  const midFrozen = JSON.stringify(mid);
  apply(mid, asActions(fullEvents().slice(8)));
  assert.equal(JSON.stringify(mid), midFrozen);
});

test('replaying the rest of the actions on a JSON round-tripped snapshot gives the same state (host ↔ webview agree)', () => {
  const actions = asActions(fullEvents());
  const host = apply(createRun('r1', 'q', 1000), actions);
  const snapshot = JSON.parse(JSON.stringify(apply(createRun('r1', 'q', 1000), actions.slice(0, 9)))) as RunState;
  const webview = apply(snapshot, actions.slice(9));
  assert.deepEqual(webview, host);
});

test('cancelling keeps what arrived, marks active replies stopped and ignores later events', () => {
  let run = apply(createRun('r1', 'q', 0), asActions(fullEvents().slice(0, 7), 0));
  run = reduceRun(run, { type: 'cancelled', at: 500 });
  assert.equal(run.status, 'cancelled');
  assert.equal(run.referencers[0]?.status, 'abandoned');
  assert.equal(run.referencers[0]?.text, 'ref a');
  assert.equal(run.stages.referencers.status, 'skipped');
  assert.equal(run.stages.aggregate.status, 'skipped');
  const after = reduceRun(run, { type: 'event', event: { type: 'referencer-delta', model: 'a', kind: 'text', text: 'late' }, at: 600 });
  assert.equal(after, run);
});

test('a run answered by a reference without aggregation shows the aggregate and score stages skipped, not done', () => {
  const r = { ...result(), candidates: [], winner: -1, answer: { reply: { kind: 'referencer' as const, model: 'a' }, because: 'agreement' as const }, savedCalls: 2, agreement: { basis: 'answer' as const, answer: 'B', agreeing: 2, of: 2 } };
  // What the pipeline sends then: no subsets, nothing scored.
  const events = fullEvents().filter((e) => !['subsets', 'aggregation-started', 'aggregation-delta', 'aggregation-done', 'scored', 'done'].includes(e.type));
  const none: PipelineEvent[] = [{ type: 'scored', candidates: [], winner: -1, logprobsUsed: false }, { type: 'done', result: r }];
  const run = apply(createRun('r1', 'q', 1000), asActions([...events, ...none]));
  assert.equal(run.status, 'done');
  assert.deepEqual(Object.fromEntries(Object.entries(run.stages).map(([name, stage]) => [name, stage.status])), { retrieve: 'done', referencers: 'done', aggregate: 'skipped', score: 'skipped' });
});

test('an error event fails the active stage and records message, kind and causes', () => {
  let run = apply(createRun('r1', 'q', 0), asActions(fullEvents().slice(0, 9), 0));
  run = reduceRun(run, { type: 'event', event: { type: 'error', message: 'all referencers failed', kind: 'timeout', causes: ['a: timeout'] }, at: 900 });
  assert.equal(run.status, 'error');
  assert.equal(run.stages.referencers.status, 'failed');
  assert.equal(run.stages.score.status, 'skipped');
  assert.deepEqual(run.error, { message: 'all referencers failed', kind: 'timeout', causes: ['a: timeout'] });
});

test('an error event of kind cancelled ends the run as cancelled, not failed', () => {
  let run = apply(createRun('r1', 'q', 0), asActions(fullEvents().slice(0, 9), 0));
  run = reduceRun(run, { type: 'event', event: { type: 'error', message: 'Cancelled', kind: 'cancelled', causes: [] }, at: 900 });
  assert.equal(run.status, 'cancelled');
  assert.equal(run.error, undefined);
  assert.equal(run.finishedAt, 900);
});

test('failed referencers and candidates keep the kind of their failure', () => {
  const run = apply(createRun('r1', 'q', 0), asActions(fullEvents().slice(0, 14), 0));
  assert.equal(run.referencers.find((r) => r.model === 'b')?.errorKind, 'server');
  const failed = reduceRun(run, { type: 'event', event: { type: 'aggregation-failed', index: 1, error: 'HTTP 400', kind: 'http' }, at: 950 });
  assert.equal(failed.candidates[1]?.errorKind, 'http');
});

test('choosing another candidate changes the shown answer; choosing null or the winner reverts', () => {
  const done = apply(createRun('r1', 'q', 0), asActions(fullEvents()));
  const chosen = reduceRun(done, { type: 'choose', index: 1 });
  assert.deepEqual(chosen.choice, { kind: 'candidate', index: 1 });
  assert.equal(answerView(chosen).candidate, 1);
  assert.equal(answerView(chosen).text, 'cand 1');
  const reverted = reduceRun(chosen, { type: 'choose', index: null });
  assert.equal(reverted.choice, undefined);
  assert.equal(answerView(reverted).text, 'cand 0');
  assert.equal(reduceRun(chosen, { type: 'choose', index: 0 }).choice, undefined);
});

test('choices of unknown or failed candidates, or while running, are ignored', () => {
  const done = apply(createRun('r1', 'q', 0), asActions(fullEvents()));
  assert.equal(reduceRun(done, { type: 'choose', index: 7 }), done);
  const running = apply(createRun('r1', 'q', 0), asActions(fullEvents().slice(0, 14)));
  assert.equal(reduceRun(running, { type: 'choose', index: 0 }), running);
  const failed = apply(createRun('r1', 'q', 0), asActions([
    ...fullEvents().slice(0, 14),
    { type: 'aggregation-failed', index: 1, error: 'HTTP 400', kind: 'http' },
    { type: 'scored', candidates: [result().candidates[0]!, { ...result().candidates[1]!, ok: false }], winner: 0, logprobsUsed: true },
    { type: 'done', result: result() },
  ]));
  assert.equal(failed.candidates[1]?.status, 'failed');
  assert.equal(reduceRun(failed, { type: 'choose', index: 1 }), failed);
});

test('late referencers (straggler deadline) are marked with when they were left out, finished ones are kept', () => {
  const events = fullEvents().slice(0, 8);
  let run = apply(createRun('r1', 'q', 0), asActions(events));
  run = reduceRun(run, { type: 'event', event: { type: 'referencers-abandoned', models: ['a', 'b'], afterMs: 2100 }, at: 5000 });
  assert.equal(run.referencers[0]?.status, 'done');
  assert.equal(run.referencers[0]?.lateAfterMs, undefined);
  assert.equal(run.referencers[1]?.status, 'abandoned');
  assert.equal(run.referencers[1]?.lateAfterMs, 2100);
});

/** A gateway where `slow` answers only when aborted (by rejecting) and every other model answers at once. */
const stragglerGateway: LlmGateway = {
  chat(request, onDelta, signal) {
    if (request.model === 'slow') {
      return new Promise<ChatResult>((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      });
    }
    const text = `answer from ${request.model}`;
    onDelta({ kind: 'text', text });
    return Promise.resolve({ text, reasoning: '', tokenLogprobs: null, usage, usageEstimated: false, latencyMs: 1, finishReason: 'stop' });
  },
  contextWindow: () => undefined,
  price: () => undefined,
};

test('a straggler stays abandoned through the real pipeline event sequence (abandoned, then failed)', async () => {
  const params = { ...DEFAULT_PARAMS, k: 2, kDrop: 1, n: 1, stragglerFactor: 1 };
  const events: PipelineEvent[] = [];
  const stream = runPipeline(
    { question: 'How do I sort a list?', models: ['fast', 'slow'], aggregator: 'fast', params },
    { embedder: new LexicalEmbedder(), bank: null, gateway: stragglerGateway },
    new AbortController().signal,
  );
  for await (const event of stream) events.push(event);
  const types = events.map((e) => e.type);
  assert.ok(types.indexOf('referencers-abandoned') < types.lastIndexOf('referencer-failed'), types.join(','));
  const run = apply(createRun('r1', 'q', 0), asActions(events));
  assert.equal(run.status, 'done');
  const slow = run.referencers.find((r) => r.model === 'slow');
  assert.equal(slow?.status, 'abandoned');
  assert.match(slow?.error ?? '', /^late: left out after 2\.\d s$/);
  assert.ok((slow?.lateAfterMs ?? 0) >= 2000, 'at least 2 s after the first reply');
  assert.equal(run.referencers.find((r) => r.model === 'fast')?.status, 'done');
});

test('aggregations that start before the last referencer answers: both stages are active, the referencers stage ends with its last reply, and the strip names what it waits for', async () => {
  const gateway: LlmGateway = {
    ...stragglerGateway,
    chat(request, onDelta, signal) {
      if (request.model !== 'slow') return stragglerGateway.chat(request, onDelta, signal);
      return new Promise<ChatResult>((resolve) => setTimeout(() => resolve({ text: 'slow answer', reasoning: '', tokenLogprobs: null, usage, usageEstimated: false, latencyMs: 80, finishReason: 'stop' }), 80));
    },
  };
  const params = { ...DEFAULT_PARAMS, k: 3, kDrop: 1, n: 3, stragglerFactor: 0 };
  const events: PipelineEvent[] = [];
  const stream = runPipeline(
    { question: 'How do I sort a list?', models: ['a', 'b', 'slow'], aggregator: 'a', params },
    { embedder: new LexicalEmbedder(), bank: null, gateway },
    new AbortController().signal,
  );
  for await (const event of stream) events.push(event);
  const actions = asActions(events);
  const firstStart = events.findIndex((e) => e.type === 'aggregation-started');
  const slowDone = events.findIndex((e) => e.type === 'referencer-done' && e.reference.model === 'slow');
  assert.ok(firstStart >= 0 && firstStart < slowDone, events.map((e) => e.type).join(','));
  const during = apply(createRun('r1', 'q', 0), actions.slice(0, firstStart + 1));
  assert.equal(during.stages.referencers.status, 'active');
  assert.equal(during.stages.aggregate.status, 'active');
  const at = (actions[firstStart] as Extract<RunAction, { type: 'event' }>).at;
  const wait = waitingFor(during, at + 3100);
  assert.deepEqual(wait?.models, ['slow']);
  assert.ok(wait !== undefined && wait.ms >= 3000, JSON.stringify(wait));
  const after = apply(during, actions.slice(firstStart + 1, slowDone + 1));
  assert.equal(after.stages.referencers.status, 'done');
  assert.equal(after.stages.referencers.endedAt, (actions[slowDone] as Extract<RunAction, { type: 'event' }>).at);
  assert.equal(waitingFor(after, at + 3100), undefined);
  const end = apply(after, actions.slice(slowDone + 1));
  assert.equal(end.status, 'done');
  assert.ok(end.candidates.every((c) => c.status === 'done'));
  assert.deepEqual(end.candidates.map((c) => c.subset), (events.at(-1) as Extract<PipelineEvent, { type: 'done' }>).result.candidates.map((c) => c.subset));
});

test('waitingFor names at most two referencers, only once every other one is in, timed from the last reply', () => {
  const r = result();
  const done = (model: string, latencyMs: number): PipelineEvent => ({ type: 'referencer-done', reference: { ...r.referencers[0]!, model, latencyMs } });
  const start: PipelineEvent[] = [
    { type: 'retrieve', ms: 2, supportCount: 12, priors: r.priors, referencers: ['org/a', 'org/b', 'org/c', 'org/d'] },
    ...['org/a', 'org/b', 'org/c', 'org/d'].map((model): PipelineEvent => ({ type: 'referencer-started', model })),
  ];
  const run0 = apply(createRun('r1', 'q', 0), asActions(start, 1000));
  assert.equal(waitingFor(run0, 9000), undefined, 'nothing has answered yet');
  const run1 = reduceRun(run0, { type: 'event', event: done('org/a', 500), at: 1500 });
  assert.equal(waitingFor(run1, 9000), undefined, 'three still answer');
  const run2 = reduceRun(reduceRun(run1, { type: 'event', event: done('org/b', 900), at: 1900 }), { type: 'event', event: { type: 'referencer-failed', model: 'org/c', error: 'HTTP 500', kind: 'server' }, at: 1950 });
  // The referencers stage became active at the retrieve event (1000); the last reply came 900 ms later.
  assert.deepEqual(waitingFor(run2, 5000), { models: ['org/d'], ms: 5000 - 1900 });
  const finished = reduceRun(run2, { type: 'event', event: done('org/d', 6000), at: 7000 });
  assert.equal(waitingFor(finished, 9000), undefined);
});

test('resultFromRun rebuilds the AskResult of a finished run (for choice events after a reload)', () => {
  const run = apply(createRun('r1', 'q', 0), asActions(fullEvents()));
  const rebuilt = resultFromRun(JSON.parse(JSON.stringify(run)) as RunState);
  assert.ok(rebuilt);
  const expected = result();
  assert.equal(rebuilt.winner, expected.winner);
  assert.deepEqual(rebuilt.answer, expected.answer);
  assert.deepEqual(rebuilt.candidates, expected.candidates);
  assert.deepEqual(rebuilt.referencers.map((r) => [r.model, r.ok, r.error]), [['a', true, undefined], ['b', false, 'HTTP 500']]);
  assert.deepEqual(rebuilt.timings, expected.timings);
  assert.equal(resultFromRun(createRun('r2', 'q', 0)), undefined);
});

test('the support set\'s effective size reaches the run from the retrieve event and the result, and back into a rebuilt result', () => {
  const events = fullEvents().map((e): PipelineEvent => (e.type === 'retrieve' ? { ...e, supportEffective: 4.6 } : e.type === 'done' ? { ...e, result: { ...e.result, support: { count: 12, effective: 4.5 } } } : e));
  const retrieved = apply(createRun('r1', 'q', 0), asActions(events.slice(0, 2)));
  assert.equal(retrieved.supportEffective, 4.6);
  const done = apply(createRun('r1', 'q', 0), asActions(events));
  assert.equal(done.supportEffective, 4.5);
  assert.deepEqual(resultFromRun(JSON.parse(JSON.stringify(done)) as RunState)?.support, { count: 12, effective: 4.5 });
  // A run from before the effective size was reported keeps none.
  const old = apply(createRun('r2', 'q', 0), asActions(fullEvents()));
  assert.equal(old.supportEffective, undefined);
  assert.deepEqual(resultFromRun(old)?.support, { count: 12 });
});

test('isRunState accepts a run (also JSON round-tripped) and rejects values missing any collection', () => {
  const run = apply(createRun('r1', 'q', 0), asActions(fullEvents()));
  assert.equal(isRunState(run), true);
  assert.equal(isRunState(JSON.parse(JSON.stringify(run))), true);
  for (const key of ['id', 'question', 'status', 'stages', 'priors', 'referencers', 'candidates']) {
    assert.equal(isRunState({ ...run, [key]: null }), false, `${key}: null accepted`);
  }
  assert.equal(isRunState(null), false);
  assert.equal(isRunState([run]), false);
});

test('a wait before a retry is kept on the reference or candidate until its next news, and only then', () => {
  let run = apply(createRun('r1', 'q', 0), asActions(fullEvents().slice(0, 3), 0));
  const wait = (event: PipelineEvent, at: number) => (run = reduceRun(run, { type: 'event', event, at }));
  wait({ type: 'referencer-waiting', model: 'a', ms: 45_000, reason: 'rate limited' }, 100);
  assert.deepEqual(run.referencers.find((r) => r.model === 'a')?.waiting, { ms: 45_000, reason: 'rate limited', at: 100 });
  wait({ type: 'referencer-delta', model: 'b', kind: 'text', text: 'x' }, 110);
  assert.ok(run.referencers.find((r) => r.model === 'a')?.waiting, 'news of another model keeps the wait');
  wait({ type: 'referencer-delta', model: 'a', kind: 'text', text: 'ref' }, 120);
  assert.equal(run.referencers.find((r) => r.model === 'a')?.waiting, undefined);
  wait({ type: 'referencer-waiting', model: 'b', ms: 1000, reason: 'server error' }, 130);
  wait({ type: 'referencer-failed', model: 'b', error: 'gave up', kind: 'server' }, 140);
  assert.equal(run.referencers.find((r) => r.model === 'b')?.waiting, undefined);
  wait({ type: 'subsets', aggregator: 'a', subsets: [['a']], draws: [1] }, 150);
  wait({ type: 'aggregation-waiting', index: 0, ms: 2000, reason: 'rate limited' }, 160);
  assert.equal(run.candidates[0]?.waiting?.ms, 2000);
  wait({ type: 'aggregation-done', index: 0, latencyMs: 1, usage, text: 'c', reasoning: '' }, 170);
  assert.equal(run.candidates[0]?.waiting, undefined);
});

test("Retrieve's time leaves out the 30 s the download's consent was open; a dialog after the run ended changes nothing", () => {
  const [embed, retrieve] = fullEvents();
  const asked = createRun('r1', 'q', 1_000);
  const waiting = reduceRun(asked, { type: 'user-waited', ms: 30_000 });
  assert.equal(stageMs(waiting.stages.retrieve, 32_500), 1_500, 'while active: the wall time less the dialog');
  const retrieved = apply(waiting, [{ type: 'event', event: embed!, at: 32_000 }, { type: 'event', event: retrieve!, at: 32_800 }]);
  assert.equal(stageMs(retrieved.stages.retrieve, 99_000), 1_800, 'done: 31.8 s from the start, 30 of them in the dialog');
  assert.equal(stageMs(retrieved.stages.referencers, 33_000), 200, 'the next stage is not charged');
  const later = reduceRun(retrieved, { type: 'user-waited', ms: 100 });
  assert.equal(later.stages.retrieve.waitedMs, 30_000, 'a dialog during the referencers is theirs, not Retrieve\'s');
  assert.equal(later.stages.referencers.waitedMs, 100);
  const done = apply(retrieved, asActions(fullEvents().slice(2), 40_000));
  assert.equal(reduceRun(done, { type: 'user-waited', ms: 5_000 }), done, 'an ended run is left as it was');
});
