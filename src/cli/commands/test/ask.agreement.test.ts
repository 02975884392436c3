/** `smcs ask`'s text output when the models' final answers chose: the lines above the answer, each reply's answer in its row, the top candidate named as the panel names it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AskResult } from '../../../core/contracts/events';
import { formatResult } from '../ask';
import { quietAskFields } from '../../../../test/fixtures/askResults';

const usage = { promptTokens: 1, completionTokens: 1 };

function result(extra: Partial<AskResult> = {}): AskResult {
  return {
    question: 'Which sort is stable?\nA. heapsort\nB. mergesort',
    support: { count: 0 },
    priors: [],
    referencers: [
      { model: 'pro', ok: true, latencyMs: 1000, usage, text: 'The answer is (B).', reasoning: '' },
      { model: 'flash', ok: true, latencyMs: 1000, usage, text: 'The answer is (A).', reasoning: '' },
      { model: 'mini', ok: true, latencyMs: 1000, usage, text: 'It depends.', reasoning: '' },
    ],
    aggregator: 'pro',
    candidates: [{ index: 0, subset: ['pro', 'flash'], draws: 1, ok: true, text: 'Mergesort keeps equal keys in order: the answer is (B).', reasoning: '', similarity: 1, perplexity: null, total: 1 }],
    winner: 0,
    selectedBy: 'agreement',
    bestByChecks: null,
    answer: { reply: { kind: 'candidate', index: 0 }, because: 'agreement' },
    agreement: {
      basis: 'answer',
      answer: 'B',
      agreeing: 1,
      of: 2,
      support: 3.0,
      split: [{ answer: 'B', models: ['pro', 'pro'], support: 3.0 }, { answer: 'A', models: ['flash'], support: 1.6 }],
      options: true,
      answers: [
        { reply: { kind: 'referencer', model: 'pro' }, answer: 'B' },
        { reply: { kind: 'referencer', model: 'flash' }, answer: 'A' },
        { reply: { kind: 'referencer', model: 'mini' }, answer: null },
        { reply: { kind: 'candidate', index: 0 }, answer: 'B' },
      ],
    },
    ...quietAskFields(usage),
    ...extra,
  };
}

test('the final answers: the split and why above the answer, each reply its answer in the tables', () => {
  const lines = formatResult(result()).split('\n');
  assert.equal(lines[0], 'final answers: pro answers (B) · flash answers (A) · 1 gives no final answer — chose (B): on similar questions pro is right more often than flash');
  assert.equal(lines[1], "answer: candidate 1 of 1: the models' final answers chose it");
  assert.equal(lines[2], 'Mergesort keeps equal keys in order: the answer is (B).');
  const row = (first: string): string[] => (lines.find((l) => l.startsWith(first)) ?? '').split(/\s{2,}/);
  assert.deepEqual(row('candidate').slice(0, 3), ['candidate', 'subset', 'answer']);
  assert.equal(row('1 ')[2], '(B)');
  assert.equal(row('flash')[1], '(A)');
  assert.equal(row('mini')[1], '—', 'no final answer, no claim');
});

test('the final answers chose the top candidate: it is the winner', () => {
  const text = formatResult(result());
  assert.match(text, /^1\s+pro, flash\s+\(B\)\s+.*← winner$/m);
  assert.doesNotMatch(text, /← best candidate|← answer/);
});

test("the final answers chose a referencer's reply: its row is the answer, the top candidate only the best candidate, as in the panel", () => {
  const lines = formatResult(result({ answer: { reply: { kind: 'referencer', model: 'pro' }, because: 'agreement' } })).split('\n');
  assert.equal(lines[1], "answer: pro's reply: the models' final answers chose it");
  assert.equal(lines[2], 'The answer is (B).');
  assert.match(lines.find((l) => l.startsWith('1 ')) ?? '', /← best candidate$/);
  assert.match(lines.find((l) => l.startsWith('pro ')) ?? '', /ok {2}← answer$/);
  assert.ok(!lines.some((l) => l.endsWith('← winner')));
});

test('no line and no answer column when the final answers did not choose', () => {
  const { agreement: _a, ...plain } = result({ selectedBy: 'score', answer: { reply: { kind: 'candidate', index: 0 }, because: 'score' } });
  const text = formatResult(plain);
  assert.doesNotMatch(text, /final answers|answer {2}/);
});

test('the final answers chose a candidate below a higher total: the lines under the table say why, as the cards do', () => {
  const base = result();
  const [chosen] = base.candidates;
  const candidates = [{ ...chosen!, total: 0.537 }, { ...chosen!, index: 1, subset: ['flash', 'mini'], text: 'Heapsort, so (A).', total: 0.624 }];
  const agreement = { ...base.agreement!, answers: [...(base.agreement?.answers ?? []), { reply: { kind: 'candidate' as const, index: 1 }, answer: 'A' }] };
  const lines = formatResult(result({ candidates, agreement })).split('\n');
  assert.ok(lines.includes("candidate 1: chosen by the models' final answers: 2 of 5 replies answer (B)"), lines.join('\n'));
  assert.ok(lines.includes('candidate 2: higher total, passed over: it answers (A); the final answers chose (B)'));
  assert.ok(!formatResult(result()).includes('passed over'), 'the top total chosen: no word');
});

test('each reference row says its record on the similar questions in the panel\'s words, not a prior without a unit', () => {
  const estimate = (model: string, accuracy: number, labelled: number, unprofiled = false) => ({ model, accuracy, unprofiled, labelled, tokens: null, tokensFrom: 'assumed' as const, costUsd: null });
  const routing = { mode: 'quality' as const, costWeight: 0, expectedUsd: null, qualityUsd: null, worstUsd: null, estimates: [estimate('pro', 0.57, 80), estimate('flash', 0.5, 1), estimate('mini', 0.6, 0, true)] };
  const lines = formatResult(result({ priors: [{ model: 'pro', prior: 45.122, unprofiled: false }], routing })).split('\n');
  const header = lines.find((l) => l.startsWith('reference'));
  assert.ok(header && /\brecord\b/.test(header) && !/\bprior\b/.test(header), header);
  assert.ok(lines.some((l) => l.startsWith('pro') && l.includes('right on 57 % of 80 similar questions')));
  assert.ok(lines.some((l) => l.startsWith('flash') && l.includes('right on 50 % of 1 similar question ')));
  assert.ok(lines.some((l) => l.startsWith('mini') && l.includes('no label among the similar questions')));
  assert.ok(!lines.some((l) => l.includes('45.122')));
});
