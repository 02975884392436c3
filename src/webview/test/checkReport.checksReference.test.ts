/** What the answer's note and the cards' check lines say when the checks answered with a referencer's own reply (issue 32). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Behaviour, CallCheck, CheckSet } from '../../core/contracts/checks';
import { createRun, type RunState } from '../../presentation/runState';
import { answerChecks, checkLineView } from '../checkReport';

const QWEN = 'qwen/qwen-32b';
const LLAMA = 'meta/llama-70b';
const PHI = 'microsoft/phi-4';

const call = (label: string, value: string): CallCheck => ({ kind: 'call', source: 'question', label, name: 'solve', method: false, args: [{ value }], expected: '1' });
const EXAMPLES: CheckSet = { source: 'question', rules: {}, checks: [1, 2, 3, 4, 5].map((i) => call(`Example ${i}`, String(i))) };
const DERIVED = Array.from({ length: 12 }, (_, i) => call(`derived ${i + 1}`, String(-i)));
const summary = (passed: number, total = 5) => ({ total, passed, failed: total - passed, errored: 0, timedOut: 0, source: 'question' as const });
const code = '```python\ndef solve(x):\n    return 1\n```';
const short = (m: string): string => m.slice(m.lastIndexOf('/') + 1);

function run(overrides: Partial<RunState> = {}, behaviour: Partial<Record<string, Behaviour>> = {}, passed: Partial<Record<string, number>> = {}): RunState {
  const reply = (key: string, fallback: number) => ({ status: 'done' as const, text: code, checks: summary(passed[key] ?? fallback), ...(behaviour[key] ? { behaviour: behaviour[key] } : {}) });
  return {
    ...createRun('r1', 'Write solve.', 0),
    status: 'done',
    referencers: [
      { model: QWEN, reasoning: '', ...reply(QWEN, 5) },
      { model: LLAMA, reasoning: '', ...reply(LLAMA, 3) },
      { model: PHI, reasoning: '', ...reply(PHI, 2) },
    ],
    candidates: [
      { index: 0, subset: [LLAMA, PHI], total: 0.9, ...reply('c0', 3) },
      { index: 1, subset: [QWEN, LLAMA], total: 0.8, ...reply('c1', 2) },
    ],
    winner: 0,
    answer: { reply: { kind: 'referencer', model: QWEN }, because: 'checks' },
    checkSet: EXAMPLES,
    selectedBy: 'checks',
    bestByChecks: { kind: 'referencer', model: QWEN, passed: 5, total: 5 },
    ...overrides,
  };
}

test('a reference that passes more than every aggregation: the note names it and what the aggregations pass at most; no offer', () => {
  assert.deepEqual(answerChecks(run(), short), { how: "Answer: qwen-32b's reply — passes 5/5 examples; the aggregations pass at most 3." });
});

test('aggregations without code the checks could run: the note says so', () => {
  const prose = run();
  prose.candidates = prose.candidates.map(({ checks: _none, ...c }) => ({ ...c, text: 'Both look right.' }));
  assert.equal(answerChecks(prose, short)?.how, "Answer: qwen-32b's reply — passes 5/5 examples; the aggregations have no code the checks could run.");
});

test('the examples tied and derived inputs decided: how many models behave as the reference does, which candidate crashed', () => {
  const tied = run(
    { checkSet: { ...EXAMPLES, derived: DERIVED }, bestByChecks: { kind: 'referencer', model: QWEN, passed: 5, total: 5 } },
    { [QWEN]: { crashes: 0, group: 0, support: 0.9 }, [LLAMA]: { crashes: 0, group: 0, support: 0.9 }, [PHI]: { crashes: 0, group: 0, support: 0.9 }, c0: { crashes: 0, group: 0, support: 0.9 }, c1: { crashes: 2, group: 1, support: 0 } },
    { [LLAMA]: 5, [PHI]: 5, c0: 5, c1: 5 },
  );
  assert.equal(answerChecks(tied, short)?.how, "The examples tied; on 12 derived inputs 3 models behave as qwen-32b's reply does, candidate 2 crashed on 2.");
  const crashedCard = tied.candidates[1];
  assert.ok(crashedCard);
  assert.equal(checkLineView(crashedCard, tied)?.text, 'passes 5/5 examples · crashed on 2 of 12 derived inputs');
  const referenceCard = tied.referencers[0];
  assert.ok(referenceCard);
  assert.equal(checkLineView(referenceCard, tied)?.text, 'passes 5/5 examples', 'no crash, nothing added');
});

test('derived inputs: a reference alone in its behaviour beside a best candidate no model shares', () => {
  const apart = run(
    { checkSet: { ...EXAMPLES, derived: DERIVED.slice(0, 4) } },
    { [QWEN]: { crashes: 0, group: 0, support: 0.6 }, [LLAMA]: { crashes: 0, group: 1, support: 0.4 }, c0: { crashes: 0, group: 2, support: 0 } },
    { [LLAMA]: 5, c0: 5 },
  );
  assert.equal(answerChecks(apart, short)?.how, "The examples tied; on 4 derived inputs no other model behaves as qwen-32b's reply does, no model behaves as candidate 1 does.");
});

test('the examples tied and model-written tests decided: what the reference and the best candidate pass of the trusted ones', () => {
  const tests = { checks: [call('model-written test 1', '9'), call('model-written test 2', '8')], trusted: [0, 1], weight: 0.9 };
  const tied = run({ checkSet: { ...EXAMPLES, tieBreak: tests } }, {}, { c0: 5 });
  const qwen = tied.referencers[0];
  const best = tied.candidates[0];
  assert.ok(qwen?.checks && best?.checks);
  qwen.checks = { ...qwen.checks, tieBreak: { passed: 2, trusted: 2 } };
  best.checks = { ...best.checks, tieBreak: { passed: 1, trusted: 2 } };
  assert.equal(answerChecks(tied, short)?.how, "The examples tied; qwen-32b's reply passes 2/2 tie-breaking tests (model-written), candidate 1 passes 1.");
});

test('a runner problem is named after the note, as for a candidate', () => {
  assert.equal(answerChecks(run({ checkSet: { ...EXAMPLES, error: '1 reply could not run: python3 not found' } }), short)?.how, "Answer: qwen-32b's reply — passes 5/5 examples; the aggregations pass at most 3 (1 reply could not run: python3 not found).");
});
