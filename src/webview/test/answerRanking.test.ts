/** "How the replies ranked": the order the checks ranked the replies with code in, under the answer (issue 32). */
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Behaviour, CallCheck, CheckSet, ReplyRef } from '../../core/contracts/checks';
import { createRun, reduceRun, type RunState } from '../../presentation/runState';
import type { MarkdownRenderer } from '../markdown';
import { byTestId, installPanelDom, oneByTestId } from '../../../test/fixtures/panelDom';
import { answerRanking } from '../checkReport';
import { RunView } from '../runView';

const QWEN = 'qwen/qwen-32b';
const LLAMA = 'meta/llama-70b';
const PHI = 'microsoft/phi-4';

let render: MarkdownRenderer;

before(() => {
  render = installPanelDom();
});

const call = (label: string, value: string): CallCheck => ({ kind: 'call', source: 'question', label, name: 'solve', method: false, args: [{ value }], expected: '1' });
const EXAMPLES: CheckSet = { source: 'question', rules: {}, checks: [1, 2, 3, 4, 5].map((i) => call(`Example ${i}`, String(i))) };
const DERIVED = Array.from({ length: 12 }, (_, i) => call(`derived ${i + 1}`, String(-i)));
const summary = (passed: number) => ({ total: 5, passed, failed: 5 - passed, errored: 0, timedOut: 0, source: 'question' as const });
const code = (n: number): string => `\`\`\`python\ndef solve(x):\n    return ${n}\n\`\`\``;
const short = (m: string): string => m.slice(m.lastIndexOf('/') + 1);

/** Qwen's reply passes 5/5 and answers; candidate 1 and Llama's pass 3 (a candidate ranks above a reference it ties with), Phi's 2; candidate 2 has no code. */
const ORDER: ReplyRef[] = [
  { kind: 'referencer', model: QWEN },
  { kind: 'candidate', index: 0 },
  { kind: 'referencer', model: LLAMA },
  { kind: 'referencer', model: PHI },
  { kind: 'candidate', index: 1 },
];

function run(overrides: Partial<RunState> = {}, behaviour: Partial<Record<string, Behaviour>> = {}): RunState {
  const reply = (key: string, passed: number | undefined, n: number) => ({ status: 'done' as const, text: code(n), ...(passed !== undefined ? { checks: summary(passed) } : {}), ...(behaviour[key] ? { behaviour: behaviour[key] } : {}) });
  return {
    ...createRun('r1', 'Write solve.', 0),
    status: 'done',
    finishedAt: 10,
    referencers: [
      { model: QWEN, reasoning: '', ...reply(QWEN, 5, 1) },
      { model: LLAMA, reasoning: '', ...reply(LLAMA, 3, 2) },
      { model: PHI, reasoning: '', ...reply(PHI, 2, 3) },
    ],
    candidates: [
      { index: 0, subset: [LLAMA, PHI], total: 0.9, ...reply('c0', 3, 4) },
      { index: 1, subset: [QWEN, LLAMA], total: 0.8, ...reply('c1', undefined, 5), text: 'Both look right.' },
    ],
    winner: 0,
    answer: { reply: { kind: 'referencer', model: QWEN }, because: 'checks' },
    checkSet: EXAMPLES,
    selectedBy: 'checks',
    bestByChecks: { kind: 'referencer', model: QWEN, passed: 5, total: 5 },
    answerOrder: ORDER,
    ...overrides,
  };
}

const rows = (root: Element) =>
  byTestId(root, 'ranking-row').map((row) => ({
    name: oneByTestId(row, 'ranking-name').textContent,
    text: oneByTestId(row, 'ranking-text').textContent,
    answer: row.dataset.answer,
    marked: byTestId(row, 'ranking-answer').map((b) => b.textContent),
  }));

test('under the answer, folded: every reply with code in the order the checks ranked them, named as the cards do, the answer first and marked', () => {
  const view = new RunView(run(), render);
  const answer = oneByTestId(view.root, 'answer');
  const ranking = oneByTestId(answer, 'answer-ranking') as HTMLDetailsElement;
  assert.equal(ranking.hidden, false);
  assert.equal(ranking.open, false, 'folded until asked for');
  assert.equal(oneByTestId(ranking, 'ranking-summary').textContent, 'How the replies ranked (5)');
  assert.ok(oneByTestId(answer, 'answer-checks').compareDocumentPosition(ranking) & 4, 'it follows the note on how the answer was chosen');
  assert.deepEqual(rows(ranking), [
    { name: "qwen-32b's reply", text: 'passes 5/5 examples', answer: 'true', marked: ['The answer'] },
    { name: 'Candidate 1', text: 'passes 3/5 examples', answer: 'false', marked: [] },
    { name: "llama-70b's reply", text: 'passes 3/5 examples', answer: 'false', marked: [] },
    { name: "phi-4's reply", text: 'passes 2/5 examples', answer: 'false', marked: [] },
    { name: 'Candidate 2', text: 'has no code the checks could run', answer: 'false', marked: [] },
  ]);
  assert.deepEqual(byTestId(ranking, 'ranking-name').map((n) => n.getAttribute('title')), [QWEN, null, LLAMA, PHI, null], 'the full model key on hover');
});

test('derived inputs decided: the crashes and how many models share each behaviour (a referencer’s own model not counted)', () => {
  const tied = run(
    { checkSet: { ...EXAMPLES, derived: DERIVED } },
    { [QWEN]: { crashes: 0, group: 0, support: 0.9 }, [LLAMA]: { crashes: 0, group: 0, support: 0.9 }, [PHI]: { crashes: 0, group: 0, support: 0.9 }, c0: { crashes: 2, group: 1, support: 0 } },
  );
  for (const r of tied.referencers) r.checks = summary(5);
  assert.deepEqual(
    answerRanking(tied, short)?.map((r) => r.text),
    [
      'passes 5/5 examples · shares its behaviour with 2 other models',
      'passes 3/5 examples · crashed on 2 of 12 derived inputs · shares its behaviour with no model',
      'passes 5/5 examples · shares its behaviour with 2 other models',
      'passes 5/5 examples · shares its behaviour with 2 other models',
      'has no code the checks could run',
    ],
  );
  const alone = run({ checkSet: { ...EXAMPLES, derived: DERIVED } }, { [QWEN]: { crashes: 0, group: 0, support: 0.5 }, [LLAMA]: { crashes: 1, group: 1, support: 0.3 }, [PHI]: { crashes: 0, group: 2, support: 0.2 }, c0: { crashes: 0, group: 0, support: 0.5 } });
  assert.deepEqual(answerRanking(alone, short)?.slice(0, 3).map((r) => r.text), [
    'passes 5/5 examples · shares its behaviour with no other model',
    'passes 3/5 examples · shares its behaviour with 1 model',
    'passes 3/5 examples · crashed on 1 of 12 derived inputs · shares its behaviour with no other model',
  ]);
});

test('a candidate answering heads the list; taking another reply keeps the ranking (and whether it is open) as it was', () => {
  const order: ReplyRef[] = [{ kind: 'candidate', index: 0 }, { kind: 'referencer', model: LLAMA }];
  const byCandidate = run({ answerOrder: order, bestByChecks: { kind: 'candidate', index: 0, passed: 3, total: 5 }, answer: { reply: { kind: 'candidate', index: 0 }, because: 'checks' } });
  const view = new RunView(byCandidate, render);
  const ranking = oneByTestId(view.root, 'answer-ranking') as HTMLDetailsElement;
  assert.deepEqual(rows(ranking).map((r) => [r.name, r.marked]), [['Candidate 1', ['The answer']], ["llama-70b's reply", []]]);
  ranking.open = true;
  view.update(reduceRun(byCandidate, { type: 'use-reference', model: LLAMA }), 20);
  assert.equal(oneByTestId(view.root, 'answer-ranking'), ranking);
  assert.equal(ranking.open, true, 'still open after the choice');
  assert.equal(oneByTestId(ranking, 'ranking-answer').closest('li')?.dataset.answer, 'true', 'the run’s answer stays marked');
});

test('nothing without an order: runs stored before it, questions that are not code, a single reply ranked, a run still going', () => {
  const { answerOrder: _none, ...stored } = run();
  for (const state of [stored, run({ answerOrder: ORDER.slice(0, 1) })]) {
    const view = new RunView(state, render);
    assert.equal(oneByTestId(view.root, 'answer-ranking').hidden, true);
    assert.equal(byTestId(view.root, 'ranking-row').length, 0);
  }
  assert.equal(answerRanking(run({ status: 'running' }), short), undefined);
});

test('candidates that wrote the same reply rank once, where the first of them ranked, named as their card is', () => {
  const base = run();
  const same = { ...base, candidates: [...base.candidates, { ...base.candidates[0], index: 2, subset: [QWEN, PHI] } as RunState['candidates'][number]], answerOrder: [...ORDER, { kind: 'candidate' as const, index: 2 }] };
  assert.deepEqual(
    answerRanking(same, short)?.map((r) => r.name),
    ["qwen-32b's reply", 'Candidates 1 and 3', "llama-70b's reply", "phi-4's reply", 'Candidate 2'],
  );
});
