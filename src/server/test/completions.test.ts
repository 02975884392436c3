/** The `smcs` field of a completion: which reply answered and what it cost, for scripts that read it. */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test } from 'node:test';
import type { AskResult } from '../../core/contracts/events';
import { chunk, completion, smcsSummary } from '../completions';
import { sendJson } from '../errors';
import { SseStream } from '../sse';
import { quietAskFields } from '../../../test/fixtures/askResults';

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
    answer: { reply: { kind: 'candidate', index: 0 }, because: 'score' },
    ...quietAskFields(usage),
    ...extra,
  };
}

test('when the checks answer with a reference, the smcs field names it beside the best candidate, and the content is its reply', () => {
  const answered = result({ selectedBy: 'checks', answer: { reply: { kind: 'referencer', model: 'right' }, because: 'checks' }, bestByChecks: { kind: 'referencer', model: 'right', passed: 1, total: 1 } });
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

/** A response that keeps what is written to it. */
function recorded(): { res: ServerResponse; text: () => string } {
  const out: string[] = [];
  const res = {
    writableEnded: false,
    destroyed: false,
    headersSent: false,
    writeHead: () => res,
    flushHeaders: () => undefined,
    write: (text: string) => (out.push(text), true),
    end: (text?: string) => void (text !== undefined && out.push(text)),
  };
  return { res: res as unknown as ServerResponse, text: () => out.join('') };
}

test('the cost a completion reports is written without float noise, whole or streamed; other numbers as they are', () => {
  // A sum of per-call costs as a user saw it; the similarity is a score, not money.
  const noisy = result({ costUsd: 0.0056619999999999995, candidates: [{ index: 0, subset: ['right'], draws: 1, ok: true, text: 'candidate', reasoning: '', similarity: 0.1 + 0.2, perplexity: null, total: 1 }] });
  const whole = recorded();
  sendJson(whole.res, 200, completion('id', 'smcs', 0, noisy));
  const streamed = recorded();
  new SseStream(streamed.res).data(chunk('id', 'smcs', 0, {}, 'stop', { smcs: smcsSummary(noisy) }));
  for (const text of [whole.text(), streamed.text().replace(/^data: |\n\n$/g, '')]) {
    assert.ok(!text.includes('0.0056619999999999995'), text);
    const body = JSON.parse(text) as { smcs: { costUsd: number; candidates: { similarity: number }[] } };
    assert.equal(body.smcs.costUsd, 0.005662);
    assert.equal(body.smcs.candidates[0]?.similarity, 0.1 + 0.2);
  }
});

test("when the final answers chose, the smcs field says where the models agree as the panel and the CLI do", () => {
  const agreement: AskResult['agreement'] = {
    basis: 'answer',
    answer: 'B',
    agreeing: 1,
    of: 1,
    support: 1.6,
    split: [{ answer: 'B', models: ['right', 'agg'], support: 1.6 }],
    options: true,
    answers: [{ reply: { kind: 'referencer', model: 'right' }, answer: 'B' }, { reply: { kind: 'candidate', index: 0 }, answer: 'B' }],
  };
  const summary = smcsSummary(result({ selectedBy: 'agreement', answer: { reply: { kind: 'candidate', index: 0 }, because: 'agreement' }, agreement }));
  assert.equal(summary.agreementLine, '1 of 1 model answers (B)');
  assert.match(summary.answerReason, /^candidate 1 of \d+: the models' final answers chose it/, 'why, in the words of the panel and the CLI');
  assert.deepEqual(summary.agreement, agreement);
  assert.equal('agreementLine' in smcsSummary(result()), false);
});
