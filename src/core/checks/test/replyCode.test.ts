import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeBlocks, definedFunctions, extractCode, extractPythonCode, guessLanguage, readsStdin, runnableBlocks } from '../replyCode';
import { extractChecks } from '../extraction';
import { testShapeOf } from '../targets';

const SOLUTION = 'class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        seen = {}\n        for i, x in enumerate(nums):\n            if target - x in seen:\n                return [seen[target - x], i]\n            seen[x] = i\n';

test('the solution block, not the usage example after it', () => {
  const reply = `Use a hash map:\n\n\`\`\`python\n${SOLUTION}\`\`\`\n\nExample:\n\n\`\`\`python\nprint(Solution().twoSum([2, 7, 11, 15], 9))\n\`\`\`\n`;
  assert.deepEqual(extractCode(reply, { names: ['twoSum'] }), { language: 'python', code: SOLUTION });
  assert.deepEqual(extractCode(reply), { language: 'python', code: SOLUTION }, 'without names: the last block that defines something');
});

test('of two versions, the last one that defines what the checks call', () => {
  const reply = '```python\ndef f(n):\n    return n\n```\nBetter:\n```py\ndef f(n):\n    return n * 2\n```\n```python\nassert f(3) == 6\n```';
  assert.equal(extractCode(reply, { names: ['f'] })?.code, 'def f(n):\n    return n * 2\n');
});

test('a stdin program: the block that reads input, not the sample shown in an untagged fence', () => {
  const reply = 'Read N then the list:\n```python\nimport sys\ndata = sys.stdin.read().split()\nprint(sum(map(int, data[1:])))\n```\nFor the sample:\n```\n3\n1 2 3\n```\nprints `6`.';
  assert.equal(extractCode(reply, { stdin: true })?.code, 'import sys\ndata = sys.stdin.read().split()\nprint(sum(map(int, data[1:])))\n');
});

test('JavaScript and TypeScript by tag or, untagged, by content; reasoning is ignored', () => {
  assert.equal(extractCode('```js\nvar twoSum = function(nums, target) {\n  return [0, 1];\n};\n```')?.language, 'javascript');
  assert.equal(extractCode('```typescript\nfunction add(a: number, b: number): number { return a + b; }\n```')?.language, 'typescript');
  assert.equal(extractCode('```\nfunction add(a: number, b: number): number {\n  return a + b;\n}\n```')?.language, 'typescript');
  assert.equal(extractCode('```\nconst add = (a, b) => a + b;\nconsole.log(add(1, 2));\n```')?.language, 'javascript');
  assert.equal(extractCode('```\ndef add(a, b):\n    return a + b\n```')?.language, 'python');
  assert.equal(extractCode('<think>\n```python\ndef wrong(): pass\n```\n</think>\n```js\nfunction right() { return 1; }\n```')?.language, 'javascript');
});

test('only the languages that can run the checks', () => {
  const reply = '```python\ndef add(a, b):\n    return a + b\n```\n```js\nfunction add(a, b) { return a + b; }\n```';
  assert.equal(extractCode(reply, { languages: ['javascript', 'typescript'] })?.language, 'javascript');
  assert.equal(extractCode('```cpp\nint main() { return 0; }\n```'), null);
});

test('no code: prose, a REPL transcript, an empty fence; unfenced code counts when it starts like code', () => {
  assert.equal(extractCode('Use a hash map: store each number and look up target - x. It runs in O(n).'), null);
  assert.equal(extractCode('```python\n>>> add(2, 3)\n5\n```'), null);
  assert.equal(extractCode('```python\n\n```'), null);
  assert.equal(extractCode('def add(a, b):\n    return a + b\n')?.code, 'def add(a, b):\n    return a + b\n');
});

test('a block cut off at the end of the reply still counts', () => {
  assert.equal(extractCode('```python\ndef add(a, b):\n    return a + b')?.code, 'def add(a, b):\n    return a + b\n');
});

test('guessLanguage says nothing about data', () => {
  assert.equal(guessLanguage('3\n1 2 3\n'), null);
  assert.equal(guessLanguage('Yes\n'), null);
});

test('the code grader keeps its rule: the last python block, else the whole reply without fences', () => {
  const reply = 'First try:\n```python\ndef add(a, b):\n    return a - b\n```\nFixed:\n```py\ndef add(a, b):\n    return a + b\n```\nDone.';
  assert.equal(extractPythonCode(reply), 'def add(a, b):\n    return a + b\n');
  assert.equal(extractPythonCode('def add(a, b): return a + b'), 'def add(a, b): return a + b');
  assert.equal(extractPythonCode('```bash\nls\n```'), null);
});

test('the twins that once disagreed: a block cut off inside its fence is read on the checks side too', () => {
  const cut = 'Here you go:\n```python\nclass Solution:\n    def climbStairs(self, n: int) -> int:\n        a, b = 1, 1';
  assert.deepEqual(runnableBlocks(cut).map((b) => b.language), ['python']);
  assert.deepEqual(definedFunctions(runnableBlocks(cut)[0]?.code ?? '', 'python').map((f) => f.name), ['climbStairs']);
  assert.deepEqual(testShapeOf(cut, 'Climb n stairs'), { kind: 'call', name: 'climbStairs', method: true, params: ['n'] });
  // a question whose starter fence is left open still names the method its examples call
  const question = 'Example 1:\nInput: n = 2\nOutput: 2\n\n```python\nclass Solution:\n    def climbStairs(self, n: int) -> int:\n';
  const [first] = extractChecks(question).checks;
  assert.equal(first?.kind === 'call' ? first.name : first?.kind, 'climbStairs');
});

test('the twins that once disagreed: ```nodejs is JavaScript everywhere', () => {
  const reply = '```nodejs\nfunction add(a, b) { return a + b; }\n```';
  assert.equal(codeBlocks(reply)[0]?.language, 'javascript');
  assert.deepEqual(testShapeOf(reply, 'Write add(a, b)'), { kind: 'call', name: 'add', method: false, params: ['a', 'b'] });
  assert.equal(extractCode(reply)?.language, 'javascript');
});

test('the twins that once disagreed: one stdin detector for choosing the block and for the shape of model-written tests', () => {
  assert.equal(readsStdin('from sys import stdin\nn = int(stdin.readline())\nprint(n * 2)\n', 'python'), true);
  assert.equal(readsStdin('import fileinput\nfor line in fileinput.input():\n    print(line)\n', 'python'), true);
  assert.equal(readsStdin("const lines = require('fs').readFileSync(0, 'utf8').split('\\n');\n", 'javascript'), true);
  assert.equal(readsStdin('def f(n):\n    return n * 2\n', 'python'), false);
  assert.deepEqual(testShapeOf('```python\nfrom sys import stdin\nprint(int(stdin.readline()) * 2)\n```', 'Double N.'), { kind: 'stdio' });
  const reply = '```python\nimport fileinput\nprint(sum(int(l) for l in fileinput.input()))\n```\n```python\ndef helper():\n    return 1\n```';
  assert.equal(extractCode(reply, { stdin: true })?.code, 'import fileinput\nprint(sum(int(l) for l in fileinput.input()))\n');
});
