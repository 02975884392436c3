import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelTestsMessages, parseModelTests } from '../modelTests';
import { checksForReply, testShapeOf, type TestShape } from '../targets';
import type { CallCheck } from '../../contracts/checks';

const call: TestShape = { kind: 'call', name: 'add', method: false, params: ['a', 'b'] };

test('tests in a fence, after prose, with a trailing comma and reasoning before them are read', () => {
  const reply = '<think>let me compute 2+2</think>Sure! Here are tests:\n```json\n{"tests": [{"args": [1, 2], "expected": 3}, {"args": [-1, 1], "expected": 0},]}\n```\nHope this helps.';
  assert.deepEqual(
    parseModelTests(reply, call).map((c) => [c.label, c.source, (c as CallCheck).args.map((a) => `${a.name}=${a.value}`), (c as CallCheck).expected]),
    [
      ['model-written test 1', 'model', ['a=1', 'b=2'], '3'],
      ['model-written test 2', 'model', ['a=-1', 'b=1'], '0'],
    ],
  );
});

test('reasoning the chat template opened (a lone </think>) or never closed is not read for tests', () => {
  // The reasoning drafts a wrong test in the JSON form; only the answer's tests count.
  const prefilled = 'Draft: {"tests": [{"args": [1, 2], "expected": 4}]} no, 1+2 is 3.</think>\n{"tests": [{"args": [1, 2], "expected": 3}]}';
  assert.deepEqual(parseModelTests(prefilled, call).map((c) => (c as CallCheck).expected), ['3']);
  const cut = '{"tests": [{"args": [2, 2], "expected": 4}]}\n<think>maybe also {"tests": [{"args": [0, 0], "expected": 1}]}';
  assert.deepEqual(parseModelTests(cut, call).map((c) => (c as CallCheck).expected), ['4']);
});

test('malformed tests are dropped, the rest kept; garbage, prose and an empty list give none', () => {
  const reply = '{"tests": [{"args": [1], "expected": 1}, {"expected": 2}, "x", {"args": [2, 2], "output": 4}]}';
  assert.deepEqual(parseModelTests(reply, call).map((c) => (c as CallCheck).expected), ['4']);
  assert.deepEqual(parseModelTests('I cannot write tests for this.', call), []);
  assert.deepEqual(parseModelTests('{"tests": []}', call), []);
  assert.deepEqual(parseModelTests('{"tests": [{"args": [1, 2], "expected": 3}', call), []);
});

test('program tests get their line ends; an empty expected output is dropped; at most 8 are kept', () => {
  const tests = Array.from({ length: 12 }, (_, i) => ({ input: `${i}`, output: `${i * 2}` }));
  const parsed = parseModelTests(JSON.stringify({ tests: [{ input: '1 2', output: '' }, ...tests] }), { kind: 'stdio' });
  assert.equal(parsed.length, 8);
  assert.deepEqual(parsed[0], { kind: 'stdio', source: 'model', label: 'model-written test 1', input: '0\n', expected: '0\n' });
});

test('the tests prompt names the function and asks for strict JSON', () => {
  const [system, user] = modelTestsMessages('Write add(a, b).', call);
  assert.match(system?.content ?? '', /`add\(a, b\)`/);
  assert.match(system?.content ?? '', /\{"tests": \[ \.\.\. \]\}/);
  assert.equal(user?.content, 'Write add(a, b).');
});

test('the shape of a reply: a stdin program, the function the question names, a Solution method, or no code', () => {
  assert.deepEqual(testShapeOf('```python\nn = int(input())\nprint(n * 2)\n```', 'double it'), { kind: 'stdio' });
  assert.deepEqual(testShapeOf("```js\nconst lines = require('fs').readFileSync(0, 'utf8')\n```", 'q'), { kind: 'stdio' });
  assert.deepEqual(testShapeOf('```python\ndef helper(x):\n    pass\n\ndef factorial(n):\n    pass\n```', 'Write factorial(n).'), { kind: 'call', name: 'factorial', method: false, params: ['n'] });
  assert.deepEqual(testShapeOf('```python\nclass Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        pass\n```', 'q'), { kind: 'call', name: 'twoSum', method: true, params: ['nums', 'target'] });
  assert.equal(testShapeOf('Use a dict.', 'q'), null);
});

test("call checks follow the reply's own function: same name, else the one taking the same arguments", () => {
  const checks = { checks: [{ kind: 'call', source: 'question', label: 'Example 1', name: '', method: true, args: [{ name: 'nums', value: '[1]' }, { name: 'k', value: '1' }], expected: '[1]' } satisfies CallCheck], rules: {} };
  const js = '```javascript\nvar topKFrequent = function(nums, k) {\n};\n```';
  assert.deepEqual(checksForReply(checks, js)?.checks[0], { ...checks.checks[0], name: 'topKFrequent', method: false });
  const py = '```python\nclass Solution:\n    def _count(self, xs):\n        pass\n    def topK(self, nums: List[int], k: int) -> List[int]:\n        pass\n```';
  assert.equal((checksForReply(checks, py)?.checks[0] as CallCheck).name, 'topK');
  assert.equal(checksForReply(checks, 'No code, just words.'), null);
});
