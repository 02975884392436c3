/** `smcs ask`'s text output for a code question: the checks column, how the winner was chosen, the referencer offer. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AskResult } from '../../../core/contracts/events';
import type { CheckSet } from '../../../core/contracts/checks';
import { formatResult } from '../ask';
import { quietAskFields } from '../../../../test/fixtures/askResults';

const usage = { promptTokens: 1, completionTokens: 1 };
const checkSet: CheckSet = {
  source: 'question',
  rules: {},
  checks: [1, 2, 3].map((i) => ({ kind: 'stdio', source: 'question', label: `Sample Input ${i}`, input: `${i}\n`, expected: `${i * 2}\n` })),
};
const summary = (passed: number) => ({ total: 3, passed, failed: 3 - passed, errored: 0, timedOut: 0, source: 'question' as const });

function result(extra: Partial<AskResult>): AskResult {
  return {
    question: 'q',
    support: { count: 0 },
    priors: [],
    referencers: [
      { model: 'deepseek-coder', ok: true, latencyMs: 1000, usage, text: 'a', reasoning: '', checks: summary(3) },
      { model: 'llama', ok: true, latencyMs: 1000, usage, text: 'b', reasoning: '', checks: summary(1) },
    ],
    aggregator: 'agg',
    candidates: [
      {
        index: 0, subset: ['llama'], draws: 1, ok: true, text: 'c', reasoning: '', similarity: 1, perplexity: null, total: 1, checks: summary(1),
        checkRuns: [{ check: 0, status: 'passed', durationMs: 1 }, { check: 1, status: 'failed', actual: '5\n', durationMs: 1 }, { check: 2, status: 'failed', actual: '7\n', durationMs: 1 }],
      },
    ],
    winner: 0,
    selectedBy: 'score',
    bestByChecks: { kind: 'referencer', model: 'deepseek-coder', passed: 3, total: 3 },
    checkSet,
    answer: { reply: { kind: 'candidate', index: 0 }, because: 'score' },
    ...quietAskFields(usage),
    ...extra,
  };
}

test('a code question: checks per reply, how the winner was chosen, the offer and the first failing example', () => {
  const text = formatResult(result({}));
  assert.equal(text.split('\n')[0], 'answer: candidate 1 of 1, the highest score · passes 1/3 examples');
  assert.match(text, /candidate\s+subset\s+similarity\s+perplexity\s+total\s+checks/);
  assert.match(text, /^1\s+llama\s+1\.000\s+—\s+1\.000\s+1\/3 examples\s+← winner/m);
  assert.match(text, /deepseek-coder .* 3\/3 examples\s+ok/);
  assert.match(text, /checks: 3 from the question; the candidates tie on the checks; the score chose/);
  assert.match(text, /Candidate 1 fails 2 of 3 examples; deepseek-coder's reply passes all 3 \(bestByChecks\)/);
  assert.match(text, /candidate 1 fails Sample Input 2: expected "4", got "5"/);
});

test('an unverifiable question says why nothing ran; a question without checks shows no checks at all', () => {
  const unverifiable = formatResult(result({ checkSet: { source: 'question', checks: [], rules: {}, unverifiable: 'the statement accepts any valid answer' }, bestByChecks: null }));
  assert.match(unverifiable, /checks: none run — the statement accepts any valid answer/);
  assert.doesNotMatch(unverifiable, /\bchecks\s*$/m);
  const { checkSet: _none, ...plain } = result({ bestByChecks: null });
  const text = formatResult({ ...plain, referencers: plain.referencers.map(({ checks: _c, ...r }) => r) });
  assert.doesNotMatch(text, /checks/);
});

test('a reference the checks answer with after the examples tied: the answer line names it, the checks line says what the derived inputs showed', () => {
  const derived = [1, 2, 3, 4].map((i) => ({ kind: 'call' as const, source: 'question' as const, label: `derived ${i}`, name: 'f', method: false, args: [{ value: String(-i) }], expected: '' }));
  const text = formatResult(
    result({
      checkSet: { ...checkSet, derived },
      referencers: [
        { model: 'deepseek-coder', ok: true, latencyMs: 1000, usage, text: 'a', reasoning: '', checks: summary(3), behaviour: { crashes: 0, group: 0, support: 1 } },
        { model: 'llama', ok: true, latencyMs: 1000, usage, text: 'b', reasoning: '', checks: summary(3), behaviour: { crashes: 0, group: 0, support: 1 } },
      ],
      candidates: [{ index: 0, subset: ['llama'], draws: 1, ok: true, text: 'c', reasoning: '', similarity: 1, perplexity: null, total: 1, checks: summary(3), behaviour: { crashes: 2, group: 1, support: 0 } }],
      selectedBy: 'checks',
      answer: { reply: { kind: 'referencer', model: 'deepseek-coder' }, because: 'checks' },
    }),
  );
  assert.match(text, /^answer: deepseek-coder's reply: the checks rank it above every candidate · passes 3\/3 examples\na\n/);
  assert.match(text, /^1\s+llama\s+.*3\/3 examples · crashed on 2 of 4 derived inputs\s+← best candidate$/m);
  assert.match(text, /checks: 3 from the question; the examples tied; on 4 derived inputs 2 models behave as deepseek-coder's reply does, candidate 1 crashed on 2$/m);
  assert.doesNotMatch(text, /bestByChecks|← winner/);
});
