import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { StdioCheck } from '../../core/contracts/checks';
import type { AskResult, PipelineEvent } from '../../core/contracts/events';
import { StageLine } from '../../server/stageLine';
import { ended, RunTracker, runProgress } from '../runProgress';
import { stageCounts } from '../runState';

const usage = { promptTokens: 10, completionTokens: 5 };
const ref = (model: string, ok = true) => ({ model, ok, latencyMs: 1, usage, text: ok ? `ref ${model}` : '', reasoning: '', ...(ok ? {} : { error: 'HTTP 500' }) });

function result(): AskResult {
  return {
    question: 'q',
    support: { count: 3 },
    priors: [],
    referencers: [ref('a'), ref('b', false), ref('c')],
    aggregator: 'a',
    candidates: [{ index: 0, subset: ['a', 'c'], draws: 2, ok: true, text: 'x', reasoning: '', similarity: 1, perplexity: 1, total: 1 }],
    winner: 0,
    selectedBy: 'score',
    bestByChecks: null,
    answer: { reply: { kind: 'candidate', index: 0 }, because: 'score' },
    logprobsUsed: true,
    trimmedReferences: [],
    timings: { embedMs: 1, retrieveMs: 1, referencersMs: 1, aggregateMs: 1, scoreMs: 1, totalMs: 5 },
    usage,
    calls: [],
    costUsd: null,
    tokens: { prompt: 0, completion: 0 },
    conversation: { turns: 0, dropped: [] },
    cappedOutput: [],
  };
}

const sample = (n: number): StdioCheck => ({ kind: 'stdio', source: 'question', label: `Sample Input ${n}`, input: `${n}`, expected: `${n + 1}` });

/** An ask of three referencers (one fails, one is rate limited first), two subsets, checks, and the answer. */
function events(): PipelineEvent[] {
  return [
    { type: 'embed', ms: 1 },
    { type: 'retrieve', ms: 1, supportCount: 3, priors: [], referencers: ['a', 'b', 'c'] },
    { type: 'checks', checkSet: { source: 'question', checks: [sample(1), sample(2)], rules: {} } },
    { type: 'referencer-started', model: 'a' },
    { type: 'referencer-waiting', model: 'c', ms: 4000, reason: 'rate limited (429)' },
    { type: 'referencer-done', reference: ref('a') },
    { type: 'referencer-failed', model: 'b', error: 'HTTP 500', kind: 'server' },
    { type: 'referencer-delta', model: 'c', kind: 'text', text: 'ref ' },
    { type: 'referencer-done', reference: ref('c') },
    { type: 'subsets', aggregator: 'a', subsets: [['a', 'c'], ['c', 'a']], draws: [1, 1] },
    { type: 'aggregation-started', index: 0, subset: ['a', 'c'] },
    { type: 'aggregation-done', index: 0, latencyMs: 1, usage, text: 'x', reasoning: '' },
    { type: 'aggregation-failed', index: 1, error: 'HTTP 500', kind: 'server' },
    { type: 'scored', candidates: result().candidates, winner: 0, logprobsUsed: true },
    { type: 'done', result: result() },
  ];
}

test('the progress of an ask, read from its reduced state: phase, replies ended of asked, the checks, a wait', () => {
  const tracker = new RunTracker('q', 0);
  const seen = events().map((e, i) => {
    const p = tracker.update(e, i);
    return [e.type, p.phase, `${ended(p.referencers)}/${p.referencers.total}`, `${ended(p.aggregations)}/${p.aggregations.total}`, p.waiting?.who ?? '-'];
  });
  assert.deepEqual(seen, [
    ['embed', 'embedding', '0/0', '0/0', '-'],
    ['retrieve', 'referencers', '0/3', '0/0', '-'],
    ['checks', 'referencers', '0/3', '0/0', '-'],
    ['referencer-started', 'referencers', '0/3', '0/0', '-'],
    ['referencer-waiting', 'referencers', '0/3', '0/0', 'c'],
    ['referencer-done', 'referencers', '1/3', '0/0', 'c'],
    ['referencer-failed', 'referencers', '2/3', '0/0', 'c'],
    ['referencer-delta', 'referencers', '2/3', '0/0', '-'],
    ['referencer-done', 'referencers', '3/3', '0/0', '-'],
    ['subsets', 'aggregations', '3/3', '0/2', '-'],
    ['aggregation-started', 'aggregations', '3/3', '0/2', '-'],
    ['aggregation-done', 'aggregations', '3/3', '1/2', '-'],
    ['aggregation-failed', 'checks', '3/3', '2/2', '-'],
    ['scored', 'scored', '3/3', '2/2', '-'],
    ['done', 'scored', '3/3', '2/2', '-'],
  ]);
  const last = tracker.progress;
  assert.deepEqual([last.models, last.aggregator, last.checks], [['a', 'b', 'c'], 'a', { count: 2, source: 'question' }]);
  assert.deepEqual({ referencers: last.referencers, aggregate: last.aggregations }, stageCounts(tracker.run), 'the counts the panel shows');
  assert.deepEqual(runProgress(tracker.run), last);
});

test('the server says each new stage once, from the same reading', () => {
  const stage = new StageLine();
  const lines = events().flatMap((e) => stage.update(e) ?? []);
  assert.deepEqual(lines, [
    'smcs referencers 0/3',
    'smcs referencers 1/3',
    'smcs referencers 2/3',
    'smcs referencers 3/3',
    'smcs aggregations 0/2',
    'smcs aggregations 1/2',
    'smcs checks 2',
    'smcs scored',
  ]);
  assert.equal(stage.line, 'smcs scored');
});
