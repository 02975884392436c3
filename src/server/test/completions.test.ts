/** The `smcs` field of a completion: which reply answered, for scripts that read it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AskResult } from '../../core/contracts/events';
import { completion, smcsSummary } from '../completions';

const usage = { promptTokens: 1, completionTokens: 1 };

function result(extra: Partial<AskResult> = {}): AskResult {
  return {
    question: 'q',
    support: { count: 0 },
    priors: [],
    referencers: [{ model: 'right', ok: true, latencyMs: 10, usage, text: 'right reply', reasoning: '' }],
    aggregator: 'agg',
    candidates: [{ index: 0, subset: ['right'], draws: 1, ok: true, text: 'candidate', reasoning: '', similarity: 1, perplexity: null, total: 1 }],
    winner: 0,
    selectedBy: 'score',
    bestByChecks: null,
    answer: 'candidate',
    logprobsUsed: false,
    trimmedReferences: [],
    timings: { embedMs: 0, retrieveMs: 0, referencersMs: 0, aggregateMs: 0, scoreMs: 0, totalMs: 0 },
    usage,
    calls: [],
    costUsd: null,
    tokens: { prompt: 0, completion: 0 },
    conversation: { turns: 0, dropped: [] },
    cappedOutput: [],
    ...extra,
  };
}

test('when the checks answer with a reference, the smcs field names it beside the best candidate, and the content is its reply', () => {
  const answered = result({ selectedBy: 'checks', checksReference: 'right', answer: 'right reply', bestByChecks: { kind: 'referencer', model: 'right', passed: 1, total: 1 } });
  const summary = smcsSummary(answered);
  assert.equal(summary.checksReference, 'right');
  assert.equal(summary.winner, 0);
  const body = completion('id', 'smcs', 0, answered) as { choices: { message: { content: string } }[]; smcs: { checksReference?: string } };
  assert.equal(body.choices[0]?.message.content, 'right reply');
  assert.equal(body.smcs.checksReference, 'right');
});

test('when a candidate answers, the field has no checksReference', () => {
  assert.equal('checksReference' in smcsSummary(result()), false);
});
