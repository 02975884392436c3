/**
 * The checks stage of an ask: replies run on the question's examples as they arrive, the checks choose the winner,
 * a referencer that beats every candidate is named, ties leave the hybrid score in charge, model-written tests when
 * the question has none, and nothing at all for questions that are not code tasks. The CheckRunner and the LLM
 * servers are test doubles (checkFakes.ts); the pipeline is the real one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPipeline, type PipelineDeps, type PipelineInput } from '../pipeline';
import type { AskResult, PipelineEvent } from '../../contracts/events';
import { DEFAULT_PARAMS, type ChatRequest } from '../../contracts/types';
import { LexicalEmbedder } from '../../../embed/lexical';
import { firstReference, scriptedGateway, tableReply, tableRunner } from '../../checks/test/checkFakes';
import { contextItem, fileItem } from '../../context/contextItem';
import { answerText } from '../../contracts/answer';

const SAMPLES = `You are given two integers A and B. Print A+B.

Input

The input is given from Standard Input in the following format:
A B

Output

Print the answer.

Sample Input 1

1 2

Sample Output 1

3

Sample Input 2

10 -4

Sample Output 2

6

Sample Input 3

0 0

Sample Output 3

0
`;

const RIGHT = tableReply('Read both numbers and print their sum.', { '1 2\n': '3', '10 -4\n': '6', '0 0\n': '0' });
const WRONG = tableReply('Print the difference.', { '1 2\n': '-1', '10 -4\n': '14', '0 0\n': '0' });

function input(question: string, models: string[], overrides: Partial<PipelineInput> = {}): PipelineInput {
  return { question, models, aggregator: 'agg', params: { ...DEFAULT_PARAMS, k: models.length, kDrop: models.length > 1 ? 1 : 0, n: 4, maxTokens: 512 }, ...overrides };
}

async function ask(question: string, deps: Partial<PipelineDeps> & Pick<PipelineDeps, 'gateway'>, models: string[], overrides: Partial<PipelineInput> = {}, signal = new AbortController().signal): Promise<PipelineEvent[]> {
  const events: PipelineEvent[] = [];
  for await (const e of runPipeline(input(question, models, overrides), { embedder: new LexicalEmbedder(), bank: null, ...deps }, signal)) events.push(e);
  return events;
}

function resultOf(events: PipelineEvent[]): AskResult {
  const end = events.at(-1);
  assert.equal(end?.type, 'done', JSON.stringify(end));
  return (end).result;
}

const copyFirst = (request: ChatRequest): string => firstReference(request);

test('the examples choose the candidate that passes them, and every reply carries its checks', async () => {
  const runner = tableRunner();
  const gateway = scriptedGateway({ right: RIGHT, wrong: WRONG, agg: copyFirst });
  const result = resultOf(await ask(SAMPLES, { gateway, checkRunner: runner }, ['right', 'wrong']));

  assert.equal(result.selectedBy, 'checks');
  assert.equal(answerText(result), RIGHT, 'the winner is a candidate written from the passing reference');
  assert.deepEqual(result.bestByChecks, { kind: 'candidate', index: result.winner, passed: 3, total: 3 });
  assert.deepEqual(
    result.referencers.map((r) => [r.model, r.checks]),
    [
      ['right', { total: 3, passed: 3, failed: 0, errored: 0, timedOut: 0, source: 'question' }],
      ['wrong', { total: 3, passed: 1, failed: 2, errored: 0, timedOut: 0, source: 'question' }],
    ],
  );
  for (const c of result.candidates) assert.equal(c.checks?.passed, c.text === RIGHT ? 3 : 1);
  assert.equal(result.checkSet?.source, 'question');
  assert.deepEqual(result.checkSet?.checks.map((c) => c.label), ['Sample Input 1', 'Sample Input 2', 'Sample Input 3']);
  const texts = new Set([...result.referencers, ...result.candidates].map((r) => r.text));
  assert.equal(runner.runs.length, texts.size, 'every distinct reply was run once: a candidate copying its reference shares its runs');
  assert.deepEqual(result.answerOrder?.[0], { kind: 'candidate', index: result.winner }, 'the answer heads the order');
  assert.equal(result.answerOrder?.length, 4);
  assert.equal(result.candidates.length, 2, 'two references with Kdrop 1: two distinct subsets, one aggregation each');
});

test('when no candidate passes but a referencer does, that reference is the answer; the winner stays the best candidate', async () => {
  const gateway = scriptedGateway({ right: RIGHT, wrong: WRONG, agg: () => WRONG });
  const result = resultOf(await ask(SAMPLES, { gateway, checkRunner: tableRunner() }, ['right', 'wrong']));
  assert.equal(result.selectedBy, 'checks');
  assert.equal(result.winner, 0, 'the candidates tie on the checks: the score picks the best of them');
  assert.deepEqual(result.bestByChecks, { kind: 'referencer', model: 'right', passed: 3, total: 3 });
  assert.deepEqual(result.answer, { reply: { kind: 'referencer', model: 'right' }, because: 'checks' });
  assert.equal(answerText(result), RIGHT, 'an aggregation that fails what its reference passed never beats it');
});

test('examples that cannot tell the replies apart are a tie: no reply is favoured and the score decides', async () => {
  const alsoRight = tableReply('Another sum.', { '1 2\n': '3', '10 -4\n': '6', '0 0\n': '0' });
  const gateway = scriptedGateway({ a: RIGHT, b: alsoRight, agg: copyFirst });
  const result = resultOf(await ask(SAMPLES, { gateway, checkRunner: tableRunner() }, ['a', 'b']));
  assert.equal(result.selectedBy, 'score');
  assert.equal(result.bestByChecks, null);
});

test('a question that is not a code task has no checks stage: no events, no check fields, the runner is never called', async () => {
  const runner = tableRunner();
  const gateway = scriptedGateway({ a: RIGHT, b: WRONG, agg: copyFirst });
  const events = await ask('Why is my Rust borrow checker complaining about a mutable borrow in a loop?', { gateway, checkRunner: runner }, ['a', 'b']);
  const result = resultOf(events);
  assert.equal(runner.runs.length, 0);
  assert.ok(!events.some((e) => e.type === 'checks' || e.type === 'reply-checked'));
  assert.equal(result.checkSet, undefined);
  assert.equal(result.selectedBy, 'score');
  assert.equal(result.bestByChecks, null);
  assert.ok(result.referencers.every((r) => r.checks === undefined) && result.candidates.every((c) => c.checks === undefined));
  assert.equal(result.timings.checksMs, undefined);
  assert.ok(!gateway.requests.some((r) => r.messages[0]?.content.includes('small tests')), 'no tests were asked for');
});

test("referencers' runs start as their replies arrive, while the aggregations are still running", async () => {
  const runner = tableRunner(5);
  const gateway = scriptedGateway({ right: RIGHT, wrong: WRONG, agg: copyFirst }, { agg: 80 });
  const events: PipelineEvent[] = [];
  const stamps: { type: string; at: number }[] = [];
  for await (const e of runPipeline(input(SAMPLES, ['right', 'wrong']), { embedder: new LexicalEmbedder(), bank: null, gateway, checkRunner: runner }, new AbortController().signal)) {
    events.push(e);
    stamps.push({ type: e.type, at: performance.now() });
  }
  resultOf(events);
  const firstAggregationDone = stamps.find((s) => s.type === 'aggregation-done')?.at ?? 0;
  const referencerRuns = runner.runs.filter((r) => r.reply === RIGHT || r.reply === WRONG).slice(0, 2);
  assert.ok(referencerRuns.every((r) => r.at < firstAggregationDone), 'both references were running before any aggregation ended');
  const checkedBeforeScore = events.findIndex((e) => e.type === 'reply-checked') < events.findIndex((e) => e.type === 'aggregation-done');
  assert.ok(checkedBeforeScore, 'a reference was checked before the first candidate arrived');
});

test('cancelling the ask while replies are being run stops the runs and ends the ask as cancelled', async () => {
  const runner = tableRunner(10_000);
  const gateway = scriptedGateway({ right: RIGHT, wrong: WRONG, agg: copyFirst });
  const controller = new AbortController();
  const started = performance.now();
  const pending = ask(SAMPLES, { gateway, checkRunner: runner }, ['right', 'wrong'], {}, controller.signal);
  setTimeout(() => controller.abort(), 50);
  const events = await pending;
  assert.ok(performance.now() - started < 5000, 'the ask did not wait for the 10 s runs');
  const end = events.at(-1);
  assert.equal(end?.type, 'error');
  assert.equal((end).kind, 'cancelled');
  assert.ok(runner.runs.length > 0 && runner.runs.every((r) => r.signal.aborted), 'every run got the cancelled signal');
});

test('a runner that fails leaves the replies unchecked and says why; the ask still answers by the score', async () => {
  const gateway = scriptedGateway({ right: RIGHT, wrong: WRONG, agg: copyFirst });
  const result = resultOf(await ask(SAMPLES, { gateway, checkRunner: tableRunner(0, new Error('python3 is not installed')) }, ['right', 'wrong']));
  assert.equal(result.selectedBy, 'score');
  assert.equal(result.bestByChecks, null);
  assert.match(result.checkSet?.error ?? '', /checks could not run: python3 is not installed/);
  assert.ok(result.referencers.every((r) => r.checks === undefined));
});

test('when every aggregation fails, the reference the checks favour answers, not the highest prior', async () => {
  const gateway = scriptedGateway({ wrong: WRONG, right: RIGHT });
  const result = resultOf(await ask(SAMPLES, { gateway, checkRunner: tableRunner() }, ['wrong', 'right']));
  assert.equal(result.winner, -1);
  assert.deepEqual(result.answer, { reply: { kind: 'referencer', model: 'right' }, because: 'fallback' });
  assert.equal(answerText(result), RIGHT);
  assert.deepEqual(result.bestByChecks, { kind: 'referencer', model: 'right', passed: 3, total: 3 });
});

test('an any-valid-answer problem is unverifiable: nothing is run and nothing is favoured', async () => {
  const runner = tableRunner();
  const question = `${SAMPLES}\nIf there are multiple solutions, print any of them.`;
  const gateway = scriptedGateway({ right: RIGHT, wrong: WRONG, agg: copyFirst });
  const result = resultOf(await ask(question, { gateway, checkRunner: runner }, ['right', 'wrong']));
  assert.equal(runner.runs.length, 0);
  assert.match(result.checkSet?.unverifiable ?? '', /any valid answer/);
  assert.equal(result.bestByChecks, null);
});

const FACTORIAL = 'Write a Python function factorial(n) that returns n! for n ≥ 0.';
const factorial = (label: string, wrongAt?: number): string => {
  const table: Record<string, string> = {};
  for (const [n, v] of [[0, 1], [1, 1], [3, 6], [5, 120]] as const) table[`factorial(${n})`] = String(n === wrongAt ? v + 1 : v);
  return `${label}\n\n\`\`\`python\ndef factorial(n):\n    ...\nOUTPUTS = ${JSON.stringify(table)}\n\`\`\``;
};
const TESTS_REPLY = 'Here they are:\n```json\n{"tests": [{"args": [0], "expected": 1}, {"args": [3], "expected": 6}, {"args": [5], "expected": 120},]}\n```';

test('a question that asks why, with the code selected, gets no model-written tests (no call the question does not need)', async () => {
  const gateway = scriptedGateway({
    good: factorial('It recurses without a base case.'),
    bad: factorial('It overflows.', 5),
    agg: (r) => (r.messages[0]?.content.includes('small tests') ? TESTS_REPLY : firstReference(r)),
  });
  const selected = contextItem({ source: 'selection', path: 'mathutil/factorial.py', startLine: 1, endLine: 2, text: 'def factorial(n):\n    return n * factorial(n - 1)', reason: 'selected', language: 'python' });
  const result = resultOf(await ask('Why does factorial never return?', { gateway, checkRunner: tableRunner() }, ['good', 'bad'], { contextItems: [selected] }));
  assert.equal(gateway.requests.filter((r) => r.messages[0]?.content.includes('small tests')).length, 0);
  assert.equal(result.calls.filter((c) => c.stage === 'tests').length, 0);
  // The same code asked to be fixed is a code task: tests are written.
  const fixed = resultOf(await ask('Fix factorial so that it returns n!.', { gateway, checkRunner: tableRunner() }, ['good', 'bad'], { contextItems: [selected] }));
  assert.equal(fixed.calls.filter((c) => c.stage === 'tests').length, 1);
});

test('a code question without examples gets model-written tests from one priced aggregator call; they weigh by agreement', async () => {
  const runner = tableRunner();
  const gateway = scriptedGateway({
    good: factorial('Iterative.'),
    bad: factorial('Recursive, off by one.', 5),
    agg: (r) => (r.messages[0]?.content.includes('small tests') ? TESTS_REPLY : firstReference(r)),
  });
  const events = await ask(FACTORIAL, { gateway, checkRunner: runner }, ['good', 'bad']);
  const result = resultOf(events);
  const testsCalls = gateway.requests.filter((r) => r.messages[0]?.content.includes('small tests'));
  assert.equal(testsCalls.length, 1);
  assert.match(testsCalls[0]?.messages[0]?.content ?? '', /`factorial\(n\)`/);
  assert.equal(result.calls.filter((c) => c.stage === 'tests').length, 1);
  assert.equal(result.checkSet?.source, 'model');
  assert.deepEqual(result.checkSet?.checks.map((c) => c.label), ['model-written test 1', 'model-written test 2', 'model-written test 3']);
  // Test 3 (factorial(5) = 120) is passed by the good reply and the candidates copying it, not by the bad ones.
  const weights = result.checkSet?.weights ?? [];
  assert.equal(weights[0], 1);
  assert.ok((weights[2] ?? 1) < 1);
  assert.deepEqual(result.referencers.find((r) => r.model === 'good')?.checks, { total: 3, passed: 3, failed: 0, errored: 0, timedOut: 0, source: 'model' });
  assert.equal(result.referencers.find((r) => r.model === 'bad')?.checks?.passed, 2);
  assert.ok(answerText(result).includes('Iterative.') || result.selectedBy === 'score');
  assert.ok(events.findIndex((e) => e.type === 'checks') > events.findIndex((e) => e.type === 'referencer-done'), 'tests were asked for once a reply showed the code');
});

test('with the setting off, no tests are asked for and nothing is checked', async () => {
  const runner = tableRunner();
  const gateway = scriptedGateway({ good: factorial('Iterative.'), bad: factorial('Off by one.', 5), agg: (r) => (r.messages[0]?.content.includes('small tests') ? TESTS_REPLY : firstReference(r)) });
  const result = resultOf(await ask(FACTORIAL, { gateway, checkRunner: runner }, ['good', 'bad'], { modelWrittenTests: false }));
  assert.equal(gateway.requests.filter((r) => r.messages[0]?.content.includes('small tests')).length, 0);
  assert.equal(runner.runs.length, 0);
  assert.equal(result.checkSet, undefined);
});

test('a LeetCode question without a starter: each reply is called by its own method name', async () => {
  const question = 'Given nums and target, return the indices.\n\nExample 1:\n\nInput: nums = [2,7,11,15], target = 9\nOutput: [0,1]\n';
  const replyA = '```python\nclass Solution:\n    def twoSum(self, nums, target):\n        ...\nOUTPUTS = {"twoSum([2,7,11,15],9)": "[0,1]"}\n```';
  const replyB = '```python\nclass Solution:\n    def two_sum(self, nums: List[int], target: int) -> List[int]:\n        ...\nOUTPUTS = {"two_sum([2,7,11,15],9)": "[1,0]"}\n```';
  const runner = tableRunner();
  const gateway = scriptedGateway({ a: replyA, b: replyB, agg: copyFirst });
  const result = resultOf(await ask(question, { gateway, checkRunner: runner }, ['a', 'b']));
  const names = new Map(runner.runs.map((r) => [r.reply, r.checks.checks[0]?.kind === 'call' ? r.checks.checks[0].name : '']));
  assert.equal(names.get(replyA), 'twoSum');
  assert.equal(names.get(replyB), 'two_sum');
  assert.equal(result.referencers.find((r) => r.model === 'a')?.checks?.passed, 1);
  assert.equal(result.referencers.find((r) => r.model === 'b')?.checks?.passed, 0);
});

test('the context goes to every referencer, every aggregation and the tests call alike, and the result reports it', async () => {
  const runner = tableRunner();
  const gateway = scriptedGateway({
    good: factorial('Iterative.'),
    bad: factorial('Recursive, off by one.', 5),
    agg: (r) => (r.messages[0]?.content.includes('small tests') ? TESTS_REPLY : firstReference(r)),
  });
  const file = fileItem('file', 'mathutil/factorial.py', 'def factorial(n):\n    # CONTEXT-MARKER: the caller passes n >= 0\n    ...', 'attached');
  const result = resultOf(await ask(FACTORIAL, { gateway, checkRunner: runner }, ['good', 'bad'], { contextItems: [file] }));
  const calls = gateway.requests;
  assert.ok(calls.some((r) => r.messages[0]?.content.includes('small tests')), 'the tests were asked for');
  for (const r of calls) {
    const text = r.messages.map((m) => m.content).join('\n');
    assert.match(text, /mathutil\/factorial\.py lines 1–3 \(attached\):\n````?python\ndef factorial\(n\):\n {4}# CONTEXT-MARKER/, `${r.model} received the file`);
  }
  assert.deepEqual(result.context, [{ source: 'file', path: 'mathutil/factorial.py', startLine: 1, endLine: 3, tokens: file.tokens, reason: 'attached' }]);
  assert.deepEqual(result.contextNotes, []);
});

test('the checks are read from the selection as from the question, never from a file sent beside it', async () => {
  const problem = (source: 'selection' | 'file') => contextItem({ source, path: 'contest/a.txt', startLine: 1, endLine: SAMPLES.split('\n').length, text: SAMPLES, reason: source === 'file' ? 'attached' : 'selected' });
  const asked = async (source: 'selection' | 'file') => {
    const runner = tableRunner();
    const gateway = scriptedGateway({ right: RIGHT, wrong: WRONG, agg: copyFirst });
    return { runner, result: resultOf(await ask('Solve this problem in Python.', { gateway, checkRunner: runner }, ['right', 'wrong'], { contextItems: [problem(source)], modelWrittenTests: false })) };
  };
  const selected = await asked('selection');
  assert.deepEqual(selected.result.checkSet?.checks.map((c) => c.label), ['Sample Input 1', 'Sample Input 2', 'Sample Input 3']);
  assert.equal(selected.result.referencers.find((r) => r.model === 'right')?.checks?.passed, 3);
  assert.equal(selected.result.selectedBy, 'checks');
  assert.equal(answerText(selected.result), RIGHT);
  const attached = await asked('file');
  assert.equal(attached.result.checkSet, undefined, 'a file\'s samples are not the question\'s examples');
  assert.equal(attached.runner.runs.length, 0);
});

const EDGE_TESTS = '```json\n{"tests": [{"input": "-5 -7", "output": "-12"}, {"input": "0 -1", "output": "-1"}, {"input": "1000000000 1000000000", "output": "2000000000"}]}\n```';
const SUM = tableReply('Sum them.', { '1 2\n': '3', '10 -4\n': '6', '0 0\n': '0', '-5 -7\n': '-12', '0 -1\n': '-1', '1000000000 1000000000\n': '2000000000' });
/** Right on every published sample, wrong once both numbers are negative or one is -1 (no sample shows it). */
const ABS_SUM = tableReply('Add the magnitudes.', { '1 2\n': '3', '10 -4\n': '6', '0 0\n': '0', '-5 -7\n': '12', '0 -1\n': '1', '1000000000 1000000000\n': '2000000000' });
const isTestsCall = (r: ChatRequest): boolean => r.messages[0]?.content.includes('small tests') ?? false;

test('examples that pass two different programs alike: tests are written to separate them, and the trusted ones choose', async () => {
  const runner = tableRunner();
  const gateway = scriptedGateway({ abs: ABS_SUM, sum: SUM, agg: (r) => (isTestsCall(r) ? EDGE_TESTS : firstReference(r)) });
  const file = fileItem('file', 'calc/add.py', '# CONTEXT-MARKER: inputs may be negative\n', 'attached');
  const events = await ask(SAMPLES, { gateway, checkRunner: runner }, ['abs', 'sum'], { contextItems: [file] });
  const result = resultOf(events);
  const testsCalls = gateway.requests.filter(isTestsCall);
  assert.equal(testsCalls.length, 1, 'one tests call');
  assert.match(testsCalls[0]?.messages[0]?.content ?? '', /cannot tell a right one from a subtly wrong one[\s\S]*empty input, a single element/);
  assert.match(testsCalls[0]?.messages.at(-1)?.content ?? '', /CONTEXT-MARKER/, 'the tests call carries the context the question carried');
  assert.equal(result.calls.filter((c) => c.stage === 'tests').length, 1);
  const tieBreak = result.checkSet?.tieBreak;
  assert.equal(result.checkSet?.source, 'question');
  assert.equal(tieBreak?.checks.length, 3);
  assert.deepEqual(tieBreak?.trusted, [0, 1, 2], 'the right program and the candidate copying it agree on all three');
  assert.equal(result.selectedBy, 'tests', 'the examples tie: the tests written to break it chose');
  assert.equal(result.bestByChecks, null, 'the examples favour neither program');
  assert.equal(answerText(result), SUM);
  assert.deepEqual(result.referencers.map((r) => [r.model, r.checks?.passed, r.checks?.tieBreak]), [
    ['abs', 3, { passed: 1, trusted: 3 }],
    ['sum', 3, { passed: 3, trusted: 3 }],
  ]);
  assert.ok(events.filter((e) => e.type === 'checks').length === 2, 'the check set is sent again with the tests that broke the tie');
});

test('examples that tell the replies apart write no tests; neither do replies that are one program', async () => {
  const toldApart = scriptedGateway({ right: RIGHT, wrong: WRONG, agg: (r) => (isTestsCall(r) ? EDGE_TESTS : firstReference(r)) });
  const told = resultOf(await ask(SAMPLES, { gateway: toldApart, checkRunner: tableRunner() }, ['right', 'wrong']));
  assert.equal(toldApart.requests.filter(isTestsCall).length, 0);
  assert.equal(told.checkSet?.tieBreak, undefined);
  const same = scriptedGateway({ a: SUM, b: `Another wording.\n\n${SUM.slice(SUM.indexOf('```'))}`, agg: (r) => (isTestsCall(r) ? EDGE_TESTS : firstReference(r)) });
  resultOf(await ask(SAMPLES, { gateway: same, checkRunner: tableRunner() }, ['a', 'b']));
  assert.equal(same.requests.filter(isTestsCall).length, 0, 'the same program twice is no tie to break');
  const off = scriptedGateway({ abs: ABS_SUM, sum: SUM, agg: (r) => (isTestsCall(r) ? EDGE_TESTS : firstReference(r)) });
  resultOf(await ask(SAMPLES, { gateway: off, checkRunner: tableRunner() }, ['abs', 'sum'], { modelWrittenTests: false }));
  assert.equal(off.requests.filter(isTestsCall).length, 0, 'the setting off writes no tests for ties either');
});
