/** One outcome type (issue 43): a result reaches the panel's run and comes back whole, every field placed. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { AskResult, PipelineEvent } from '../../core/contracts/events';
import { createRun, reduceRun, type RunAction } from '../runState';
import { resultFromRun } from '../runResult';
import { sharedOf } from '../runOutcome';
import { shownReply } from '../answerView';

const usage = { promptTokens: 10, completionTokens: 5 };
const summary = (passed: number) => ({ total: 2, passed, failed: 2 - passed, errored: 0, timedOut: 0, source: 'question' as const });

/** A result with every field of AskResult set, optional ones included, as a code question's ask gives it. */
function fullResult(): AskResult {
  return {
    question: 'q',
    support: { count: 12, effective: 4.5 },
    priors: [{ model: 'a', prior: 0.8, unprofiled: false }, { model: 'b', prior: 0.4, unprofiled: true }],
    selectionFallback: 'empty-bank',
    referencers: [
      { model: 'a', ok: true, latencyMs: 100, usage, text: 'ref a', reasoning: 'why a', costUsd: 0.001, trimmed: true, checks: summary(2), checkRuns: [{ check: 0, status: 'passed', durationMs: 1 }], behaviour: { crashes: 0, group: 0, support: 0.5 } },
      { model: 'b', ok: false, error: 'HTTP 500', errorKind: 'server', latencyMs: 20, usage, text: '', reasoning: '', stopped: { limit: 'maxTokens', tokens: 700, ms: 900 } },
    ],
    aggregator: 'agg',
    candidates: [
      { index: 0, subset: ['a'], draws: 3, ok: true, text: 'cand 0', reasoning: 'agg thinks', similarity: 0.9, perplexity: 1.2, total: 0.7, checks: summary(1), checkRuns: [{ check: 1, status: 'failed', durationMs: 1 }], behaviour: { crashes: 1, group: 1, support: 0 } },
      { index: 1, subset: ['a', 'b'], draws: 1, ok: false, error: 'timed out', errorKind: 'timeout', text: '', reasoning: '', similarity: 0, perplexity: null, total: 0 },
    ],
    winner: 0,
    selectedBy: 'checks',
    bestByChecks: { kind: 'referencer', model: 'a', passed: 2, total: 2 },
    checkSet: { source: 'question', checks: [], rules: {} },
    answer: { reply: { kind: 'referencer', model: 'a' }, because: 'checks' },
    answerOrder: [{ kind: 'referencer', model: 'a' }, { kind: 'candidate', index: 0 }],
    routing: { mode: 'balanced', costWeight: 20, expectedUsd: 0.01, qualityUsd: 0.02, worstUsd: 0.05, estimates: [] },
    agreement: { basis: 'similarity', similarity: 0.97, agreeing: 1, of: 1 },
    savedCalls: 1,
    logprobsUsed: true,
    trimmedReferences: ['a'],
    timings: { embedMs: 1, retrieveMs: 2, referencersMs: 3, aggregateMs: 4, scoreMs: 5, totalMs: 15, checksMs: 2, contextMs: 1 },
    usage,
    calls: [{ stage: 'referencer', model: 'a', tokens: { prompt: 10, completion: 5 }, costUsd: 0.001, estimated: false, latencyMs: 100 }],
    costUsd: 0.001,
    tokens: { prompt: 10, completion: 5 },
    conversation: { turns: 1, dropped: [{ stage: 'referencer', model: 'b', turns: 1 }] },
    cappedOutput: [{ stage: 'aggregation', model: 'agg', maxTokens: 100 }],
    stoppedOutput: [{ stage: 'referencer', model: 'b', limit: 'maxTokens', tokens: 700, ms: 900 }],
    context: [{ source: 'file', path: 'a.py', startLine: 1, endLine: 2, tokens: 9, reason: 'attached' }],
    contextNotes: ['b.py left out: context window'],
  };
}

/** The events of that ask, as the pipeline sends them, reduced to the run the panel keeps. */
function runOf(result: AskResult) {
  const events: PipelineEvent[] = [
    { type: 'retrieve', ms: 2, supportCount: 12, priors: result.priors, referencers: ['a', 'b'], ...(result.context ? { context: { items: result.context, notes: result.contextNotes ?? [] } } : {}) },
    ...result.referencers.map((reference): PipelineEvent => ({ type: 'referencer-done', reference })),
    { type: 'subsets', aggregator: 'agg', subsets: result.candidates.map((c) => c.subset), draws: result.candidates.map((c) => c.draws) },
    { type: 'aggregation-done', index: 0, latencyMs: 10, usage, text: 'cand 0', reasoning: 'agg thinks' },
    { type: 'aggregation-failed', index: 1, error: 'timed out', kind: 'timeout' },
    { type: 'scored', candidates: result.candidates, winner: result.winner, logprobsUsed: true, selectedBy: result.selectedBy, bestByChecks: result.bestByChecks },
    { type: 'done', result },
  ];
  return events.map((event, i): RunAction => ({ type: 'event', event, at: 1000 + i })).reduce(reduceRun, createRun('r1', 'q', 1000));
}

test('round trip: a result with every field set reaches the run and comes back from it equal', () => {
  const result = fullResult();
  const run = runOf(result);
  assert.deepEqual(resultFromRun(run), result);
  // The run stored in history is JSON: it comes back the same too.
  assert.deepEqual(resultFromRun(JSON.parse(JSON.stringify(run)) as typeof run), result);
});

test('the shared fields are the same values in the result and the run: one type, no copy by hand', () => {
  const result = fullResult();
  const run = runOf(result);
  assert.deepEqual(sharedOf(run), sharedOf(result));
  assert.deepEqual(shownReply(run), result.answer, 'the panel reads the answer through the same type');
  assert.ok(Object.keys(sharedOf(result)).length >= 20, 'most of the result is shared');
});

test('a minimal result (no optional field) comes back without one', () => {
  const { selectionFallback: _a, checkSet: _b, answerOrder: _c, routing: _d, agreement: _e, savedCalls: _f, stoppedOutput: _g, context: _h, contextNotes: _i, ...minimal } = fullResult();
  const result: AskResult = { ...minimal, support: { count: 12 }, referencers: minimal.referencers.map(({ trimmed: _t, ...r }) => r), trimmedReferences: [] };
  assert.deepEqual(resultFromRun(runOf(result)), result);
});

test("a choice by the final answers reaches the run whole: each reply's answer and every entry's support, kept through history's JSON", () => {
  const agreement = {
    basis: 'answer' as const,
    answer: 'B',
    agreeing: 1,
    of: 2,
    support: 2.4,
    split: [{ answer: 'B', models: ['a', 'agg'], support: 2.4 }, { answer: 'D', models: ['b'], support: 1.6 }],
    keptTop1: true,
    options: true,
    answers: [{ reply: { kind: 'referencer' as const, model: 'a' }, answer: 'B' }, { reply: { kind: 'referencer' as const, model: 'b' }, answer: 'D' }, { reply: { kind: 'candidate' as const, index: 0 }, answer: null }],
  };
  const result: AskResult = { ...fullResult(), selectedBy: 'agreement', answer: { reply: { kind: 'candidate', index: 0 }, because: 'agreement' }, agreement };
  const run = JSON.parse(JSON.stringify(runOf(result))) as ReturnType<typeof runOf>;
  assert.deepEqual(run.agreement, agreement);
  assert.deepEqual(resultFromRun(run)?.agreement, agreement);
});
