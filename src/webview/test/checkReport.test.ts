import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Check, CheckRun } from '../../core/contracts/checks';
import type { CheckSet } from '../../core/contracts/checks';
import { createRun, type CandidateState, type RunState } from '../../presentation/runState';
import { answerChecks, checkLineView, failedChecks, visibleOutput } from '../checkReport';

const DEEPSEEK = 'deepseek/deepseek-coder-v2';
const QWEN = 'qwen/qwen-2.5-coder-32b-instruct';

const SAMPLES: Check[] = [
  { kind: 'stdio', source: 'question', label: 'Sample Input 1', input: '3\n1 2 3\n', expected: '6\n' },
  { kind: 'stdio', source: 'question', label: 'Sample Input 2', input: '2\n5 5\n', expected: '10\n' },
  { kind: 'stdio', source: 'question', label: 'Sample Input 3', input: '1\n7\n', expected: '7\n' },
];
const QUESTION_SET: CheckSet = { source: 'question', checks: SAMPLES, rules: {} };

/** Runs from a pattern: p = passed, f = failed, e = errored, t = timed out. */
function runs(pattern: string): CheckRun[] {
  const status = { p: 'passed', f: 'failed', e: 'errored', t: 'timedOut' } as const;
  return [...pattern].map((m, check) => {
    const s = status[m as keyof typeof status];
    return { check, status: s, durationMs: 5, ...(s === 'failed' ? { actual: '5\n' } : {}), ...(s === 'errored' ? { error: 'Traceback…\nValueError: bad' } : {}), ...(s === 'timedOut' ? { error: 'killed after 2000 ms' } : {}) };
  });
}

function checked(pattern: string, source: 'question' | 'model' = 'question'): Pick<CandidateState, 'checks' | 'checkRuns'> {
  const r = runs(pattern);
  const count = (s: CheckRun['status']): number => r.filter((x) => x.status === s).length;
  return { checks: { total: r.length, passed: count('passed'), failed: count('failed'), errored: count('errored'), timedOut: count('timedOut'), source }, checkRuns: r };
}

const code = 'Sum them:\n\n```python\nprint(sum(map(int, open(0).read().split()[1:])))\n```\n';

function doneRun(overrides: Partial<RunState> = {}): RunState {
  return {
    ...createRun('r1', 'Sum the numbers.', 0),
    status: 'done',
    referencers: [
      { model: DEEPSEEK, status: 'done', text: code, reasoning: '', ...checked('ppp') },
      { model: QWEN, status: 'done', text: code, reasoning: '', ...checked('pff') },
    ],
    candidates: [
      { index: 0, subset: [DEEPSEEK, QWEN], status: 'done', text: code, total: 0.9, ...checked('pff') },
      { index: 1, subset: [DEEPSEEK, QWEN], status: 'done', text: code, total: 0.8, ...checked('pft') },
    ],
    winner: 0,
    answer: { reply: { kind: 'candidate', index: 0 }, because: 'score' },
    checkSet: QUESTION_SET,
    selectedBy: 'score',
    bestByChecks: { kind: 'referencer', model: DEEPSEEK, passed: 3, total: 3 },
    ...overrides,
  };
}

const short = (m: string): string => m.slice(m.lastIndexOf('/') + 1);

test('a reply passing every example reads "passes 3/3 examples" and lists no failure', () => {
  const view = checkLineView({ status: 'done', text: code, ...checked('ppp') }, doneRun());
  assert.deepEqual(view, { state: 'passed', text: 'passes 3/3 examples', failed: [] });
});

test('a failing reply says what went wrong besides failing, and each failed check shows input, expected, got and error', () => {
  const view = checkLineView({ status: 'done', text: code, ...checked('pet') }, doneRun());
  assert.equal(view?.state, 'failed');
  assert.equal(view?.text, 'passes 1/3 examples · 1 error · 1 timed out');
  assert.ok(view?.state === 'failed');
  assert.deepEqual(view.failed, [
    { label: 'Sample Input 2', outcome: 'error', given: { name: 'Input', text: '2\n5 5\n' }, expected: '10\n', actual: undefined, error: 'Traceback…\nValueError: bad' },
    { label: 'Sample Input 3', outcome: 'timed out', given: { name: 'Input', text: '1\n7\n' }, expected: '7\n', actual: undefined, error: 'killed after 2000 ms' },
  ]);
});

test('model-written tests are called so on the line', () => {
  const set: CheckSet = { source: 'model', checks: SAMPLES.map((c, i) => ({ ...c, source: 'model', label: `model-written test ${i + 1}` })), rules: {} };
  const view = checkLineView({ status: 'done', text: code, ...checked('ppf', 'model') }, doneRun({ checkSet: set }));
  assert.equal(view?.text, 'passes 2/3 model-written tests');
  assert.ok(view?.state === 'failed');
  assert.equal(view.failed[0]?.label, 'model-written test 3');
});

test('while the ask runs, a reply with code waits for its checks and says so; prose and unfinished replies show no line', () => {
  const running = doneRun({ status: 'running' });
  assert.deepEqual(checkLineView({ status: 'done', text: code }, running), { state: 'running', text: 'running 3 examples…' });
  assert.equal(checkLineView({ status: 'done', text: 'Add them up in a loop.' }, running), undefined);
  assert.equal(checkLineView({ status: 'streaming', text: code }, running), undefined);
});

test('once the ask is done, a reply the checks could not run says so, with the runner problem when there was one', () => {
  assert.deepEqual(checkLineView({ status: 'done', text: 'Add them up.' }, doneRun()), { state: 'none', text: 'not checked: no code the checks could run' });
  const broken = doneRun({ checkSet: { ...QUESTION_SET, error: 'the checks could not run: python3 not found' } });
  assert.deepEqual(checkLineView({ status: 'done', text: code }, broken), { state: 'none', text: 'not checked', why: 'the checks could not run: python3 not found' });
});

test('a question without checks (not code) shows no check line and no note', () => {
  const plain = doneRun({ checkSet: undefined, selectedBy: 'score', bestByChecks: null });
  delete plain.checkSet;
  assert.equal(checkLineView({ status: 'done', text: code }, plain), undefined);
  assert.equal(answerChecks(plain, short), undefined);
});

test('an unverifiable question: cards say "not checked", the answer says why nothing ran', () => {
  const run = doneRun({ checkSet: { source: 'question', checks: [], rules: {}, unverifiable: 'the statement accepts any valid answer' }, bestByChecks: null });
  assert.deepEqual(checkLineView({ status: 'done', text: code }, run), { state: 'none', text: 'not checked' });
  assert.deepEqual(answerChecks(run, short), { how: 'Not checked: the statement accepts any valid answer. The score chose the winner.' });
});

test('model-written tests that could not be written: the answer says why', () => {
  const run = doneRun({ checkSet: { source: 'model', checks: [], rules: {}, error: 'the tests could not be written: HTTP 500' }, bestByChecks: null });
  assert.equal(answerChecks(run, short)?.how, 'Not checked: the tests could not be written: HTTP 500. The score chose the winner.');
});

test('the answer says the checks chose the winner, with what it passes', () => {
  const run = doneRun({ selectedBy: 'checks', winner: 1, bestByChecks: { kind: 'candidate', index: 1, passed: 2, total: 3 } });
  run.candidates[1] = { ...run.candidates[1]!, ...checked('ppf') };
  assert.deepEqual(answerChecks(run, short), { how: 'Chosen by the checks: candidate 2 passes 2/3 examples.' });
});

test('when another candidate passes the same checks as the winner, the answer says the checks tied and the score chose', () => {
  const run = doneRun({ selectedBy: 'checks', winner: 0, bestByChecks: { kind: 'candidate', index: 0, passed: 3, total: 3 } });
  run.referencers = run.referencers.map((r) => ({ ...r, ...checked('pff') }));
  run.candidates[0] = { ...run.candidates[0]!, ...checked('ppp') };
  run.candidates[1] = { ...run.candidates[1]!, ...checked('ppp') };
  assert.deepEqual(answerChecks(run, short), { how: 'The checks tie candidates 1 and 2 (each passes 3/3 examples); the score chose candidate 1.' });
});

test('when model-written tests broke a tie of the examples, the card says what each passes and the answer says how they chose', () => {
  const tests: Check[] = [1, 2, 3].map((i) => ({ kind: 'stdio', source: 'model', label: `model-written test ${i}`, input: `${i}\n${i}\n`, expected: `${i}\n` }));
  const tieBreak = { checks: tests, trusted: [0, 2], weight: 0.9 };
  const run = doneRun({ bestByChecks: null, checkSet: { ...QUESTION_SET, tieBreak } });
  run.candidates[0] = { ...run.candidates[0]!, ...checked('ppp') };
  run.candidates[0].checks = { ...run.candidates[0].checks!, tieBreak: { passed: 2, trusted: 2 } };
  run.candidates[1] = { ...run.candidates[1]!, ...checked('ppp') };
  run.candidates[1].checks = { ...run.candidates[1].checks!, tieBreak: { passed: 1, trusted: 2 } };
  assert.equal(checkLineView(run.candidates[1], run)?.text, 'passes 3/3 examples · passes 1/2 tie-breaking tests (model-written)');
  assert.deepEqual(answerChecks(run, short), {
    how: 'The examples could not tell the replies apart: the aggregator wrote 3 tests, dual agreement trusted 2, candidate 1 passes 2 — they count in the score, which chose the winner.',
  });
  // Tests that could not be written leave the plain tie.
  const failed = doneRun({ bestByChecks: null, checkSet: { ...QUESTION_SET, tieBreak: { ...tieBreak, trusted: [], error: 'the tests reply held no tests' } } });
  assert.match(answerChecks(failed, short)?.how ?? '', /could not tell the replies apart; the score chose the winner/);
});

test('when the checks cannot tell the replies apart, or the candidates tie on them, the score chose', () => {
  assert.deepEqual(answerChecks(doneRun({ bestByChecks: null }), short), { how: 'The checks could not tell the replies apart; the score chose the winner.' });
  assert.deepEqual(answerChecks(doneRun({ bestByChecks: { kind: 'candidate', index: 0, passed: 1, total: 3 } }), short), { how: 'The candidates tie on the checks; the score chose the winner.' });
});

test('a referencer reply that beats every candidate is offered by its short name, until it is taken', () => {
  const run = doneRun();
  assert.deepEqual(answerChecks(run, short), {
    how: 'The candidates tie on the checks; the score chose the winner.',
    offer: { text: "Candidate 1 fails 2 of 3 examples; deepseek-coder-v2's reply passes all 3 — use it?", model: DEEPSEEK, name: 'deepseek-coder-v2' },
  });
  assert.deepEqual(answerChecks({ ...run, choice: { kind: 'referencer', model: DEEPSEEK } }, short), {
    how: 'The candidates tie on the checks; the score chose the winner.',
    taken: "deepseek-coder-v2's reply passes all 3 examples.",
  });
});

test('no offer when the answer already is that reference (every aggregation failed)', () => {
  const run = doneRun({ winner: -1, answer: { reply: { kind: 'referencer', model: DEEPSEEK }, because: 'fallback' }, candidates: [] });
  assert.deepEqual(answerChecks(run, short), { how: 'The candidates tie on the checks; the score chose the winner.' });
});

test('failed checks of calls and asserts show the call and the test code; runs of unknown checks are left out', () => {
  const checks: Check[] = [
    { kind: 'call', source: 'question', label: 'Example 1', name: 'twoSum', method: true, args: [{ name: 'nums', value: '[2,7,11,15]' }, { name: 'target', value: '9' }], expected: '[0,1]' },
    { kind: 'assert', source: 'question', label: 'assert on line 3', language: 'python', code: 'assert f(3) == 6' },
  ];
  const failed = failedChecks(
    [
      { check: 0, status: 'failed', actual: '[1,0]', durationMs: 1 },
      { check: 1, status: 'errored', error: 'AssertionError', durationMs: 1 },
      { check: 7, status: 'failed', durationMs: 1 },
    ],
    checks,
  );
  assert.deepEqual(failed, [
    { label: 'Example 1', outcome: 'wrong output', given: { name: 'Call', text: 'Solution().twoSum(nums = [2,7,11,15], target = 9)' }, expected: '[0,1]', actual: '[1,0]', error: undefined },
    { label: 'assert on line 3', outcome: 'error', given: { name: 'Test', text: 'assert f(3) == 6' }, expected: undefined, actual: undefined, error: 'AssertionError' },
  ]);
});

test('output shows control characters and bidirectional overrides as escapes, keeping tabs and line breaks but the last', () => {
  assert.equal(visibleOutput('a\tb\r\nc\n'), 'a\tb\r\nc');
  assert.equal(visibleOutput('6\n\n'), '6\n');
  assert.equal(visibleOutput('\u001b[31mred\u001b[0m'), '\\u{1b}[31mred\\u{1b}[0m');
  assert.equal(visibleOutput('ok\rNO'), 'ok\\u{d}NO');
  assert.equal(visibleOutput('user\u202Eexe.txt'), 'user\\u{202e}exe.txt');
});

test('referencers tied above every candidate are named as a tie, and none is offered', () => {
  const run = doneRun({ bestByChecks: null });
  run.referencers[1] = { ...run.referencers[1]!, ...checked('ppp') };
  assert.deepEqual(answerChecks(run, short), {
    how: 'The replies of deepseek-coder-v2 and qwen-2.5-coder-32b-instruct pass 3/3 examples, more than any candidate: a tie, the checks favour neither; the score chose the winner.',
  });
});

test('when no reply had code the checks could run, the answer says so', () => {
  const run = doneRun({ bestByChecks: null });
  run.referencers = run.referencers.map(({ checks: _c, checkRuns: _r, ...r }) => r);
  run.candidates = run.candidates.map(({ checks: _c, checkRuns: _r, ...c }) => c);
  assert.deepEqual(answerChecks(run, short), { how: 'Not checked: no reply had code the checks could run. The score chose the winner.' });
});

test('the check line says which of the question\'s examples could not be checked, and a check that could not run is no failure', () => {
  const set: CheckSet = { ...QUESTION_SET, unchecked: [{ reason: 'prose results', count: 2 }] };
  const passing = checkLineView({ status: 'done', text: code, ...checked('ppp') }, doneRun({ checkSet: set }));
  assert.deepEqual(passing, { state: 'passed', text: 'passes 3/3 examples · 2 examples could not be checked: prose results', failed: [] });
  const unusable: CheckRun[] = [{ check: 0, status: 'passed', durationMs: 5 }, { check: 1, status: 'unusable', error: 'SyntaxError', durationMs: 5 }, { check: 2, status: 'passed', durationMs: 5 }];
  const reply = { status: 'done' as const, text: code, checks: { total: 2, passed: 2, failed: 0, errored: 0, timedOut: 0, unusable: 1, source: 'question' as const }, checkRuns: unusable };
  assert.deepEqual(checkLineView(reply, doneRun()), { state: 'passed', text: 'passes 2/2 examples · 1 could not run (a problem of the check, not of the reply)', failed: [] });
});

test('a failure that says why shows the reason as its outcome', () => {
  const why: CheckRun[] = [{ check: 0, status: 'failed', actual: '', reason: 'printed nothing: `solve` is defined but never called', durationMs: 5 }];
  assert.equal(failedChecks(why, SAMPLES)[0]?.outcome, 'printed nothing: `solve` is defined but never called');
});

test('two referencers of different programs tied on the checks above every candidate: a tie broken by the prior, or by derived inputs, and no reply offered', () => {
  const other = code.replace('sum(map(int', 'sum(list(map(int');
  const run = doneRun({
    selectedBy: 'prior',
    bestByChecks: null,
    answer: { reply: { kind: 'referencer', model: DEEPSEEK }, because: 'checks' },
    referencers: [
      { model: DEEPSEEK, status: 'done', text: code, reasoning: '', ...checked('ppp') },
      { model: QWEN, status: 'done', text: other, reasoning: '', ...checked('ppp') },
    ],
  });
  assert.deepEqual(answerChecks(run, short), { how: "Tied on the checks (3/3 each) with qwen-2.5-coder-32b-instruct's reply; chosen by the higher prior." });
  const derived: RunState = {
    ...run,
    selectedBy: 'derived',
    checkSet: { ...QUESTION_SET, derived: [{ kind: 'call', source: 'question', label: 'derived 1', name: 'total', method: false, args: [{ value: '[]' }], expected: '' }] },
    referencers: [
      { ...run.referencers[0]!, behaviour: { crashes: 0, group: 0, support: 0.6 } },
      { ...run.referencers[1]!, behaviour: { crashes: 1, group: 1, support: 0.4 } },
    ],
  };
  assert.deepEqual(answerChecks(derived, short), {
    how: "Tied on the checks (3/3 each) with qwen-2.5-coder-32b-instruct's reply; chosen by their behaviour on inputs derived from the examples — on 1 derived input no other model behaves as deepseek-coder-v2's reply does.",
  });
});
