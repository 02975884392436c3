/**
 * Runs that end without an answer, as the panel shows them: what their stages came to and what they paid for, and the
 * banner of a run a team server ended as it shut down.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CandidateOutcome, PipelineEvent, Spent } from '../../core/contracts/events';
import { failureNotice } from '../errorHelp';
import { createRun, reduceRun, stageCounts, type RunAction, type RunState } from '../runState';
import { threadCost } from '../threads';

const MODELS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];
const usage = { promptTokens: 100, completionTokens: 40 };

const apply = (run: RunState, actions: RunAction[]): RunState => actions.reduce(reduceRun, run);
const events = (list: PipelineEvent[], t0 = 1000): RunAction[] => list.map((event, i) => ({ type: 'event', event, at: t0 + i }));

/** Seven referencers start; the first `answered` of them reply. */
function referencersRunning(answered: number): RunState {
  return apply(createRun('r1', 'Which cache?', 1000), [
    ...events([
      { type: 'retrieve', ms: 1, supportCount: 40, priors: [], referencers: MODELS },
      ...MODELS.map((model): PipelineEvent => ({ type: 'referencer-started', model })),
      ...MODELS.slice(0, answered).map((model): PipelineEvent => ({ type: 'referencer-done', reference: { model, ok: true, latencyMs: 10, usage, text: `reply of ${model}`, reasoning: '', costUsd: 0.0001 } })),
    ]),
  ]);
}

const spent = (models: readonly string[]): Spent => ({
  calls: models.map((model) => ({ stage: 'referencer', model, tokens: { prompt: 100, completion: 40 }, costUsd: 0.0001, latencyMs: 10, estimated: false })),
  costUsd: models.length * 0.0001,
  tokens: { prompt: models.length * 100, completion: models.length * 40 },
});

test('stopped after five of seven replies: the referencers count five that arrived and two stopped', () => {
  const run = apply(referencersRunning(5), [{ type: 'cancelled', at: 2000 }]);
  assert.deepEqual(stageCounts(run).referencers, { ok: 5, failed: 0, stopped: 2, late: 0, total: 7 });
});

test('every referencer failing: none counted as arrived, all as failed', () => {
  const run = apply(
    referencersRunning(0),
    events(MODELS.map((model): PipelineEvent => ({ type: 'referencer-failed', model, error: 'HTTP 401', kind: 'auth' }))),
  );
  assert.deepEqual(stageCounts(run).referencers, { ok: 0, failed: 7, stopped: 0, late: 0, total: 7 });
});

test('Stop (applied at once by the host) then the pipeline’s cancelled end: the run keeps the five paid calls, their cost and tokens', () => {
  const stopped = apply(referencersRunning(5), [{ type: 'cancelled', at: 2000 }]);
  assert.equal(stopped.status, 'cancelled');
  const paid = spent(MODELS.slice(0, 5));
  const run = apply(stopped, events([{ type: 'error', message: 'Cancelled', kind: 'cancelled', causes: [], spent: paid }], 2001));
  assert.equal(run.status, 'cancelled');
  assert.equal(run.finishedAt, 2000, 'the run ended when the user stopped it');
  assert.deepEqual(run.calls, paid.calls);
  assert.equal(run.costUsd, paid.costUsd);
  assert.deepEqual(run.tokens, paid.tokens);
  assert.equal(threadCost([run]), paid.costUsd, 'the conversation list counts the stopped run');
  // A later event changes nothing more.
  assert.equal(apply(run, events([{ type: 'error', message: 'Cancelled', kind: 'cancelled', causes: [], spent: spent(MODELS) }])), run);
});

test('the cancelled end arriving first (Ctrl-C, or a stop the engine saw first) and a failure keep their paid calls too', () => {
  const paid = spent(MODELS.slice(0, 2));
  const cancelled = apply(referencersRunning(2), events([{ type: 'error', message: 'Cancelled', kind: 'cancelled', causes: [], spent: paid }]));
  assert.equal(cancelled.status, 'cancelled');
  assert.equal(cancelled.costUsd, paid.costUsd);
  const failed = apply(referencersRunning(0), events([{ type: 'error', message: 'All 7 referencers failed', kind: 'auth', causes: [], spent: paid }]));
  assert.equal(failed.status, 'error');
  assert.deepEqual(failed.calls, paid.calls);
  const nothingPaid = apply(referencersRunning(0), events([{ type: 'error', message: 'All 7 referencers failed', kind: 'auth', causes: [], spent: spent([]) }]));
  assert.equal(nothingPaid.calls, undefined, 'no calls, no cost line');
});

test('every aggregation failing: the aggregate stage failed (its dot red beside "all 3 failed"), the score still chose a reference', () => {
  const candidates: CandidateOutcome[] = [0, 1, 2].map((index) => ({ index, subset: ['m1', 'm2'], draws: 1, ok: false, error: 'HTTP 500', text: '', reasoning: '', similarity: 0, perplexity: 0, total: 0 }));
  const run = apply(referencersRunning(7), [
    ...events([
      { type: 'subsets', aggregator: 'm1', subsets: [['m1', 'm2']], draws: [3] },
      ...[0, 1, 2].map((index): PipelineEvent => ({ type: 'aggregation-started', index, subset: ['m1', 'm2'] })),
      ...[0, 1, 2].map((index): PipelineEvent => ({ type: 'aggregation-failed', index, error: 'HTTP 500', kind: 'server' })),
      { type: 'scored', candidates, winner: -1, logprobsUsed: false },
    ]),
  ]);
  assert.deepEqual(stageCounts(run).aggregate, { ok: 0, failed: 3, stopped: 0, late: 0, total: 3 });
  assert.equal(run.stages.aggregate.status, 'failed');
  assert.equal(run.stages.score.status, 'done');
});

/** The banner of a run the server's error `event` ended, read from the run state as the panel and `@smcs` read it. */
function banner(event: Extract<PipelineEvent, { type: 'error' }>): ReturnType<typeof failureNotice> {
  const run = apply(referencersRunning(2), events([event]));
  assert.ok(run.error);
  return failureNotice(run.error);
}

const STOPPED_HINT = 'Whoever runs it shut it down (perhaps to restart it); nothing in your settings needs to change.';
const MID_ASK = 'the SMCS server stopped (it is shutting down) before this ask was answered: what its 2 calls cost so far, $0.000376, is counted; ask again in a moment';

test('a team server shut down mid-ask (`serverStopping`): its words as one sentence, what its calls cost kept, then that it was shut down; Retry is the only way forward', () => {
  assert.deepEqual(banner({ type: 'error', message: MID_ASK, kind: 'server', causes: [], spent: spent(['m1', 'm2']), serverStopping: true }), {
    text: `The SMCS server stopped (it is shutting down) before this ask was answered: what its 2 calls cost so far, $0.000376, is counted; ask again in a moment. ${STOPPED_HINT}`,
    details: [],
    actions: [],
  });
});

test('a team server stopping before the stream (503 `server_stopping`): its words that nothing is counted, not the endpoint that "failed while answering"', () => {
  const message = 'the SMCS server is stopping (it is shutting down) and did not run this request: nothing is counted for it; ask again in a moment';
  assert.deepEqual(banner({ type: 'error', message, kind: 'server', causes: [], endpoints: [{ id: 'team', host: '127.0.0.1:8000', teamServer: true }], serverStopping: true }), {
    text: `The SMCS server is stopping (it is shutting down) and did not run this request: nothing is counted for it; ask again in a moment. ${STOPPED_HINT}`,
    details: [],
    actions: [],
  });
});

test('the mark decides, not the words: the same message without `serverStopping` is a server failure, told as one', () => {
  assert.equal(banner({ type: 'error', message: MID_ASK, kind: 'server', causes: [] }).text, `${MID_ASK}. The server failed while answering; its log may say why.`);
});
