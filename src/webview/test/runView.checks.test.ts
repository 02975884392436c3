import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CheckRun } from '../../core/contracts/checks';
import { createRun, reduceRun, type RunState } from '../../presentation/runState';
import type { MarkdownRenderer } from '../markdown';
import { byTestId, installPanelDom, oneByTestId } from '../../../test/fixtures/panelDom';
import { RunView } from '../runView';

const DEEPSEEK = 'deepseek/deepseek-coder-v2';
const QWEN = 'qwen/qwen-2.5-coder-32b-instruct';

let render: MarkdownRenderer;

before(() => {
  render = installPanelDom();
});

const code = (n: number): string => `Read and print:\n\n\`\`\`python\nprint(sum(map(int, input().split())) + ${n})\n\`\`\`\n`;
const summary = (passed: number, total: number, extra: Partial<{ failed: number; errored: number; timedOut: number }> = {}) => ({
  total, passed, failed: extra.failed ?? total - passed - (extra.errored ?? 0) - (extra.timedOut ?? 0), errored: extra.errored ?? 0, timedOut: extra.timedOut ?? 0, source: 'question' as const,
});
const pass = (check: number): CheckRun => ({ check, status: 'passed', actual: 'ok', durationMs: 3 });

/** A code question with two samples: DeepSeek's reply passes both, both candidates fail the second (one by printing `<b>7</b>`). */
function checkedRun(): RunState {
  return {
    ...createRun('run-c', 'Print the sum.', 1000),
    status: 'done',
    finishedAt: 4000,
    referencers: [
      { model: DEEPSEEK, status: 'done', text: code(0), reasoning: '', checks: summary(2, 2), checkRuns: [pass(0), pass(1)] },
      { model: QWEN, status: 'done', text: code(1), reasoning: '', checks: summary(0, 2, { errored: 1, timedOut: 1 }), checkRuns: [{ check: 0, status: 'errored', error: 'NameError: name \u001b[1mx\u001b[0m', durationMs: 4 }, { check: 1, status: 'timedOut', error: 'killed after 2 s', durationMs: 2000 }] },
    ],
    candidates: [
      { index: 0, subset: [DEEPSEEK, QWEN], status: 'done', text: code(1), total: 0.9, checks: summary(1, 2), checkRuns: [pass(0), { check: 1, status: 'failed', actual: '<b>7</b>', durationMs: 3 }] },
      { index: 1, subset: [DEEPSEEK, QWEN], status: 'done', text: code(2), total: 0.7, checks: summary(1, 2), checkRuns: [pass(0), { check: 1, status: 'failed', actual: '8', durationMs: 3 }] },
    ],
    winner: 0,
    answer: { reply: { kind: 'candidate', index: 0 }, because: 'score' },
    checkSet: {
      source: 'question',
      rules: {},
      checks: [
        { kind: 'stdio', source: 'question', label: 'Sample Input 1', input: '1 2\n', expected: '3\n' },
        { kind: 'stdio', source: 'question', label: 'Sample Input 2', input: '3 4\n', expected: '7\n' },
      ],
    },
    selectedBy: 'score',
    bestByChecks: { kind: 'referencer', model: DEEPSEEK, passed: 2, total: 2 },
  };
}

const candidate = (root: Element, index: number): HTMLElement => {
  const found = root.querySelector<HTMLElement>(`[data-testid="candidate"][data-index="${index}"]`);
  assert.ok(found);
  return found;
};
const referencer = (root: Element, model: string): HTMLElement => {
  const found = root.querySelector<HTMLElement>(`[data-testid="referencer"][data-model="${model}"]`);
  assert.ok(found);
  return found;
};

test('each card has a check line; a failing one opens on its failed checks: input, expected and got as text, never as HTML', () => {
  const view = new RunView(checkedRun(), render);
  const line = oneByTestId(candidate(view.root, 0), 'check-line');
  assert.equal(line.dataset.state, 'failed');
  assert.equal(oneByTestId(line, 'check-text').textContent, 'passes 1/2 examples');
  const details = oneByTestId(line, 'check-details') as HTMLDetailsElement;
  assert.equal(details.open, false, 'the failures wait one click away');
  const [failure, ...more] = byTestId(line, 'check-failure');
  assert.ok(failure);
  assert.equal(more.length, 0);
  assert.match(failure.textContent ?? '', /^Sample Input 2 — wrong output/);
  assert.equal(oneByTestId(failure, 'check-given').textContent, '3 4');
  assert.equal(oneByTestId(failure, 'check-expected').textContent, '7');
  assert.equal(oneByTestId(failure, 'check-actual').textContent, '<b>7</b>');
  assert.equal(failure.querySelector('b'), null, 'model output became markup');

  const passing = oneByTestId(referencer(view.root, DEEPSEEK), 'check-line');
  assert.equal(passing.dataset.state, 'passed');
  assert.equal(passing.textContent, '✓passes 2/2 examples');
  assert.equal(byTestId(passing, 'check-details').length, 0);
  const broken = oneByTestId(referencer(view.root, QWEN), 'check-line');
  assert.equal(oneByTestId(broken, 'check-text').textContent, 'passes 0/2 examples · 1 error · 1 timed out');
  assert.deepEqual(byTestId(broken, 'check-error').map((e) => e.textContent), ['NameError: name \\u{1b}[1mx\\u{1b}[0m', 'killed after 2 s']);
});

test('the answer says how the winner was chosen and offers the referencer reply that passes every example; taking it shows it as the answer', () => {
  const run = checkedRun();
  const view = new RunView(run, render);
  assert.equal(oneByTestId(view.root, 'answer-checks').textContent, 'The candidates tie on the checks; the score chose the winner.');
  assert.equal(oneByTestId(view.root, 'check-offer-text').textContent, "Candidate 1 fails 1 of 2 examples; deepseek-coder-v2's reply passes all 2 — use it?");
  const button = oneByTestId(view.root, 'use-reference');
  assert.deepEqual([button.dataset.action, button.dataset.model, button.dataset.runId], ['use-reference', DEEPSEEK, 'run-c']);

  const taken = reduceRun(run, { type: 'use-reference', model: DEEPSEEK });
  view.update(taken, 5000);
  assert.equal(byTestId(view.root, 'check-offer').length, 0);
  assert.equal(oneByTestId(view.root, 'answer-chosen').textContent, "Your choice: deepseek-coder-v2's reply");
  assert.equal(oneByTestId(view.root, 'answer-taken').textContent, "deepseek-coder-v2's reply passes all 2 examples.");
  assert.match(oneByTestId(view.root, 'answer').textContent ?? '', /\+ 0\)/);
  assert.equal(oneByTestId(referencer(view.root, DEEPSEEK), 'chosen-badge').hidden, false);
  assert.equal(oneByTestId(referencer(view.root, QWEN), 'chosen-badge').hidden, true);
  assert.equal(byTestId(view.root, 'answer-revert').length, 1);

  view.update(reduceRun(taken, { type: 'choose', index: null }), 6000);
  assert.equal(byTestId(view.root, 'check-offer').length, 1, 'reverting to the winner offers the reply again');
});

test('a question that is not code: no check line, no note on the answer', () => {
  const run = checkedRun();
  const { checkSet: _set, bestByChecks: _best, ...plain } = run;
  const view = new RunView({ ...plain, referencers: run.referencers.map(({ checks: _c, checkRuns: _r, ...r }) => r), candidates: run.candidates.map(({ checks: _c, checkRuns: _r, ...c }) => c) }, render);
  assert.ok(byTestId(view.root, 'check-line').every((l) => l.hidden));
  assert.equal(byTestId(view.root, 'answer-checks').length, 0);
  assert.equal(byTestId(view.root, 'check-offer').length, 0);
});

test('when every aggregation failed, the banner says the reference shown is the one the checks favour, and offers nothing more', () => {
  const run: RunState = { ...checkedRun(), candidates: [], winner: -1, answer: { reply: { kind: 'referencer', model: DEEPSEEK }, because: 'fallback' } };
  const view = new RunView(run, render);
  assert.equal(oneByTestId(view.root, 'run-banner').textContent, `Every aggregation failed; showing the reply of ${DEEPSEEK} (the one the checks favour).`);
  assert.equal(byTestId(view.root, 'check-offer').length, 0);
});

/** The run the checks answered with DeepSeek's own reply: it passes both samples, the candidates one (issue 32). */
function referenceRun(): RunState {
  return { ...checkedRun(), selectedBy: 'checks', answer: { reply: { kind: 'referencer', model: DEEPSEEK }, because: 'checks' } };
}

test('when the checks answer with a reference: its reply is the answer, named as such; the best candidate keeps a neutral label; nothing is offered', () => {
  const view = new RunView(referenceRun(), render);
  const answer = oneByTestId(view.root, 'answer');
  assert.equal(answer.dataset.candidate, '-1', 'no candidate is the answer');
  assert.match(answer.textContent ?? '', /\+ 0\)/, "DeepSeek's code is shown");
  assert.equal(oneByTestId(view.root, 'answer-reference').textContent, 'Reply of deepseek-coder-v2 — chosen by the checks');
  assert.equal(byTestId(view.root, 'answer-revert').length, 0);
  assert.equal(oneByTestId(view.root, 'answer-checks').textContent, "Answer: deepseek-coder-v2's reply — passes 2/2 examples; the aggregations pass at most 1.");
  assert.equal(byTestId(view.root, 'check-offer').length, 0, 'the reference already is the answer');
  assert.equal(byTestId(view.root, 'use-reference').length, 0);
  assert.doesNotMatch(view.root.textContent ?? '', /Winner: candidate/);

  const best = candidate(view.root, 0);
  assert.equal(best.dataset.winner, 'true');
  assert.equal(best.dataset.chosen, 'false');
  assert.equal(oneByTestId(best, 'winner-badge').textContent, 'Best candidate');
  assert.equal(byTestId(best, 'checks-badge').length, 0, 'the checks did not make it the answer');
  assert.equal(byTestId(best, 'use-reply').length, 1, 'the best candidate can still be chosen');
  assert.equal(oneByTestId(candidate(view.root, 1), 'compare-winner').textContent, 'Compare with best candidate');
  assert.equal(oneByTestId(referencer(view.root, DEEPSEEK), 'answer-badge').hidden, false);
  assert.equal(oneByTestId(referencer(view.root, QWEN), 'answer-badge').hidden, true);
  assert.equal(view.root.querySelector('[data-stage="score"] .stage-count')?.textContent, 'reference wins');
});

test('two references tied on the checks: the answer is named as chosen by what broke the tie, and says it is a tie', () => {
  const run = referenceRun();
  const tied: RunState = {
    ...run,
    selectedBy: 'prior',
    bestByChecks: null,
    referencers: [run.referencers[0]!, { ...run.referencers[1]!, checks: summary(2, 2), checkRuns: [pass(0), pass(1)] }],
  };
  const view = new RunView(tied, render);
  assert.equal(oneByTestId(view.root, 'answer-reference').textContent, 'Reply of deepseek-coder-v2 — chosen by the higher prior');
  assert.equal(oneByTestId(view.root, 'answer-checks').textContent, "Tied on the checks (2/2 each) with qwen-2.5-coder-32b-instruct's reply; chosen by the higher prior.");
  assert.equal(byTestId(view.root, 'check-offer').length, 0, 'a tie offers neither reply');
});

test('choosing the best candidate shows it; "Revert to the answer" brings the reference back', () => {
  const run = referenceRun();
  const view = new RunView(run, render);
  const chosen = reduceRun(run, { type: 'choose', index: 0 });
  view.update(chosen, 5000);
  assert.equal(oneByTestId(view.root, 'answer-chosen').textContent, 'Your choice: candidate 1');
  const revert = oneByTestId(view.root, 'answer-revert');
  assert.equal(revert.textContent, 'Revert to the answer');
  assert.equal(revert.getAttribute('aria-label'), `Revert to the answer, ${DEEPSEEK}'s reply`);
  assert.equal(oneByTestId(candidate(view.root, 0), 'revert-choice').textContent, 'Revert to the answer');
  assert.equal(oneByTestId(referencer(view.root, DEEPSEEK), 'answer-badge').hidden, true, 'it is not shown as the answer now');
  assert.equal(byTestId(view.root, 'check-offer').length, 0, 'the answer is not offered: Revert brings it back');
  assert.equal(oneByTestId(view.root, 'answer').dataset.candidate, '0');

  view.update(reduceRun(chosen, { type: 'choose', index: null }), 6000);
  assert.equal(oneByTestId(view.root, 'answer-reference').textContent, 'Reply of deepseek-coder-v2 — chosen by the checks');
  assert.match(oneByTestId(view.root, 'answer').textContent ?? '', /\+ 0\)/);
});

test('without a reference answering, the winner keeps its words: "Winner", "by the checks", "Revert to winner"', () => {
  const run: RunState = { ...checkedRun(), selectedBy: 'checks', bestByChecks: { kind: 'candidate', index: 0, passed: 1, total: 2 } };
  const view = new RunView(reduceRun(run, { type: 'choose', index: 1 }), render);
  assert.equal(oneByTestId(candidate(view.root, 0), 'winner-badge').textContent, 'Winner');
  assert.equal(oneByTestId(candidate(view.root, 0), 'checks-badge').textContent, 'by the checks');
  assert.equal(oneByTestId(view.root, 'answer-revert').textContent, 'Revert to winner');
  assert.equal(byTestId(view.root, 'answer-reference').length, 0);
});
