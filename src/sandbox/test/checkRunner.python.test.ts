import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Check, CheckRun, QuestionChecks } from '../../core/contracts/checks';
import { createCheckRunner } from '../checkRunner';

const runner = createCheckRunner({ timeoutMs: 5000 });
const run = (reply: string, checks: Check[], rules: QuestionChecks['rules'] = {}) => runner.run(reply, { checks, rules }, new AbortController().signal);
const statuses = (runs: CheckRun[] | null) => runs?.map((r) => r.status);

const sample = (input: string, expected: string, n: number): Check => ({ kind: 'stdio', source: 'question', label: `Sample Input ${n}`, input, expected });
const call = (name: string, args: string[], expected: string, method = true): Check => ({ kind: 'call', source: 'question', label: 'Example', name, method, args: args.map((value) => ({ value })), expected });

// AtCoder ABC 300-style samples: "N\nA_1 … A_N", print the sum of the largest two.
const ATCODER = [sample('3\n1 5 3\n', '8\n', 1), sample('4\n10 10 1 1\n', '20\n', 2), sample('2\r\n7 -2\r\n', '5\n', 3)];

test('an AtCoder program in prose with a main guard passes; a wrong one fails the samples it gets wrong', async () => {
  const right = [
    'We sort and add the two largest values.',
    '',
    '```python',
    'def main():',
    '    n = int(input())',
    '    a = sorted(map(int, input().split()))',
    '    print(a[-1] + a[-2])',
    '',
    'if __name__ == "__main__":',
    '    main()',
    '```',
    '',
    'This runs in O(N log N).',
  ].join('\n');
  assert.deepEqual(statuses(await run(right, ATCODER)), ['passed', 'passed', 'passed']);
  const wrong = '```python\nn = int(input())\na = list(map(int, input().split()))\nprint(a[0] + a[1])\n```';
  const runs = await run(wrong, ATCODER);
  assert.deepEqual(statuses(runs), ['failed', 'passed', 'passed']);
  assert.equal(runs?.[0]?.actual, '6\n');
});

test('sys.stdin.read, a deep recursion on a big thread stack, LiveCodeBench\'s imports without import lines, exit()', async () => {
  const reply = [
    '```python',
    'import sys, threading',
    '',
    'def main():',
    '    data = sys.stdin.read().split()',
    '    n = int(data[0])',
    '    sys.setrecursionlimit(1 << 25)',
    '    def depth(k):',
    '        return 0 if k == 0 else 1 + depth(k - 1)',
    '    q = deque(range(3))',
    '    print(depth(n), len(q), gcd(12, 18))',
    '    exit()',
    '',
    'threading.stack_size(1 << 27)',
    'threading.Thread(target=main).start()',
    '```',
  ].join('\n');
  assert.deepEqual(statuses(await run(reply, [sample('100000\n', '100000 3 6', 1)])), ['passed']);
});

test('a program that raises is errored with its traceback; one that prints a real number is compared within the tolerance', async () => {
  const runs = await run('```python\nx = int(input())\nprint(1 / x)\n```', [sample('3', '0.333333333333', 1), sample('0', '0', 2)], { tolerance: 1e-9 });
  assert.deepEqual(statuses(runs), ['passed', 'errored']);
  assert.match(runs?.[1]?.error ?? '', /ZeroDivisionError/);
  assert.doesNotMatch(runs?.[1]?.error ?? '', /_child|<string>/, 'the harness frames are not shown');
});

const TWO_SUM = [call('twoSum', ['[2,7,11,15]', '9'], '[0,1]'), call('twoSum', ['[3,2,4]', '6'], '[1,2]'), call('twoSum', ['[3,3]', '6'], '[0,1]')];

test('LeetCode: a fresh Solution() per example, arguments by position, List[int] without importing typing', async () => {
  const reply = 'Hash map:\n```python\nclass Solution:\n    def twoSum(self, numbers: List[int], goal: int) -> List[int]:\n        seen = {}\n        for i, x in enumerate(numbers):\n            if goal - x in seen:\n                return (seen[goal - x], i)\n            seen[x] = i\n```\nUsage:\n```python\nprint(Solution().twoSum([2, 7, 11, 15], 9))\n```';
  const runs = await run(reply, TWO_SUM);
  assert.deepEqual(statuses(runs), ['passed', 'passed', 'passed']);
  assert.equal(runs?.[0]?.actual, '[0,1]');
  const brute = '```python\nclass Solution:\n    def twoSum(self, nums, target):\n        return [0, 1]\n```';
  assert.deepEqual(statuses(await run(brute, TWO_SUM)), ['passed', 'failed', 'passed']);
});

test('LeetCode: in-place methods are judged on their first argument; floats within the printed rounding; any order', async () => {
  const rotate = '```python\nclass Solution:\n    def rotate(self, nums: List[int], k: int) -> None:\n        """Do not return anything, modify nums in-place instead."""\n        k %= len(nums)\n        nums[:] = nums[-k:] + nums[:-k]\n```';
  assert.deepEqual(statuses(await run(rotate, [call('rotate', ['[1,2,3,4,5,6,7]', '3'], '[5,6,7,1,2,3,4]')])), ['passed']);
  const median = '```python\nclass Solution:\n    def findMedianSortedArrays(self, a: List[int], b: List[int]) -> float:\n        c = sorted(a + b)\n        n = len(c)\n        return (c[(n - 1) // 2] + c[n // 2]) / 2\n```';
  assert.deepEqual(statuses(await run(median, [call('findMedianSortedArrays', ['[1,3]', '[2]'], '2.00000'), call('findMedianSortedArrays', ['[1,2]', '[3,4]'], '2.50000')])), ['passed', 'passed']);
  const third = '```python\nclass Solution:\n    def third(self) -> float:\n        return 1 / 3\n```';
  assert.deepEqual(statuses(await run(third, [call('third', [], '0.33333'), call('third', [], '0.33334')])), ['passed', 'failed']);
  const perms = '```python\nclass Solution:\n    def permute(self, nums: List[int]) -> List[List[int]]:\n        return [list(p) for p in permutations(nums)][::-1]\n```';
  const expected = '[[1,2,3],[1,3,2],[2,1,3],[2,3,1],[3,1,2],[3,2,1]]';
  assert.deepEqual(statuses(await run(perms, [call('permute', ['[1,2,3]'], expected)], { anyOrder: true })), ['passed']);
  assert.deepEqual(statuses(await run(perms, [call('permute', ['[1,2,3]'], expected)])), ['failed']);
});

test('LeetCode: ListNode and TreeNode arguments and results built from their list encodings', async () => {
  const reverse = '```python\n# class ListNode:\n#     def __init__(self, val=0, next=None): ...\nclass Solution:\n    def reverseList(self, head: Optional[ListNode]) -> Optional[ListNode]:\n        prev = None\n        while head:\n            head.next, prev, head = prev, head, head.next\n        return prev\n```';
  assert.deepEqual(statuses(await run(reverse, [call('reverseList', ['[1,2,3,4,5]'], '[5,4,3,2,1]'), call('reverseList', ['[]'], '[]')])), ['passed', 'passed']);
  const depth = '```python\nclass Solution:\n    def maxDepth(self, root: Optional[TreeNode]) -> int:\n        return 0 if not root else 1 + max(self.maxDepth(root.left), self.maxDepth(root.right))\n```';
  assert.deepEqual(statuses(await run(depth, [call('maxDepth', ['[3,9,20,null,null,15,7]'], '3'), call('maxDepth', ['[1,null,2]'], '2')])), ['passed', 'passed']);
  const invert = "```python\nfrom __future__ import annotations\nclass Solution:\n    def invertTree(self, root: 'Optional[TreeNode]') -> 'Optional[TreeNode]':\n        if root:\n            root.left, root.right = self.invertTree(root.right), self.invertTree(root.left)\n        return root\n```";
  assert.deepEqual(statuses(await run(invert, [call('invertTree', ['[4,2,7,1,3,6,9]'], '[4,7,2,9,6,3,1]'), call('invertTree', ['[2,1]'], '[2,null,1]')])), ['passed', 'passed']);
  const unannotated = '```python\nclass Solution:\n    def reverseList(self, head):\n        prev = None\n        while head:\n            head.next, prev, head = prev, head, head.next\n        return prev\n# uses ListNode\n```';
  const runs = await run(unannotated, [call('reverseList', ['[1,2]'], '[2,1]')]);
  assert.deepEqual(statuses(runs), ['errored']);
  assert.match(runs?.[0]?.error ?? '', /cannot tell which arguments are ListNode\/TreeNode/);
});

test('plain functions, a method name the reply spelled in snake case, and a name the reply lacks', async () => {
  const reply = '```python\ndef f(n):\n    return n * 2\n\ndef two_sum(nums, target):\n    return [0, 1]\n```';
  assert.deepEqual(statuses(await run(reply, [call('f', ['3'], '6', false), call('twoSum', ['[2,7]', '9'], '[0,1]')])), ['passed', 'passed']);
  const runs = await run(reply, [call('g', ['3'], '6', false)]);
  assert.deepEqual(statuses(runs), ['errored']);
  assert.match(runs?.[0]?.error ?? '', /defines no function g/);
});

test('assert lines run after the code: pass, a failed assertion, an error', async () => {
  const reply = '```python\ndef add(a, b):\n    return a + b\n```';
  const lines = (code: string): Check => ({ kind: 'assert', source: 'question', label: 'assert', language: 'python', code });
  const runs = await run(reply, [lines('assert add(2, 3) == 5\nassert add(-1, 1) == 0'), lines('assert add(2, 2) == 5, "two and two"'), lines('assert subtract(2, 3) == -1')]);
  assert.deepEqual(statuses(runs), ['passed', 'failed', 'errored']);
  assert.match(runs?.[1]?.error ?? '', /two and two/);
  assert.match(runs?.[2]?.error ?? '', /NameError/);
});

test('a reply that does not parse errors on every check; a reply without code is null; bad literals error', async () => {
  const runs = await run('```python\ndef broken(:\n    pass\n```', ATCODER);
  assert.deepEqual(statuses(runs), ['errored', 'errored', 'errored']);
  assert.match(runs?.[0]?.error ?? '', /SyntaxError/);
  assert.equal(await run('Sort the list and add the two largest numbers.', ATCODER), null);
  const bad = await run('```python\ndef f(x):\n    return x\n```', [call('f', ['nums'], '1', false)]);
  assert.match(bad?.[0]?.error ?? '', /argument 1 is not a literal/);
});

test("a check's own problem is unusable, never the reply's failure: a syntax error or a name only the question knew", async () => {
  const reply = '```python\ndef double(n):\n    return 2 * n\n```';
  const assertCheck = (code: string): Check => ({ kind: 'assert', source: 'question', label: 'doctest on line 3', language: 'python', code });
  const runs = await run(reply, [
    assertCheck('assert (double(2) # a comment kept by mistake) == (4)'),
    assertCheck('assert double(2) == expected_four'),
    assertCheck('assert triple(2) == 6'),
    assertCheck('assert double(2) == 5'),
    call('double', ['[1, 2'], '4', false),
  ]);
  // a name the check calls and the reply lacks is the reply's: it misses the function asked for
  assert.deepEqual(statuses(runs), ['unusable', 'unusable', 'errored', 'failed', 'unusable']);
});

test("the question's own helpers run before the reply, which may use them or define them again (HumanEval's poly)", async () => {
  const setup = { language: 'python' as const, code: 'import math\n\ndef poly(xs, x):\n    return sum(c * math.pow(x, i) for i, c in enumerate(xs))\n' };
  const check: Check = { kind: 'assert', source: 'question', label: 'doctest on line 9', language: 'python', code: 'assert (round(find_zero([1, 2]), 2)) == (-0.5)' };
  const usesHelper = '```python\ndef find_zero(xs):\n    lo, hi = -10.0, 10.0\n    for _ in range(100):\n        mid = (lo + hi) / 2\n        if poly(xs, lo) * poly(xs, mid) <= 0:\n            hi = mid\n        else:\n            lo = mid\n    return lo\n```';
  assert.deepEqual(statuses(await runner.run(usesHelper, { checks: [check], rules: {}, setup }, new AbortController().signal)), ['passed']);
  assert.deepEqual(statuses(await runner.run(usesHelper, { checks: [check], rules: {} }, new AbortController().signal)), ['errored']);
  const ownHelper = usesHelper.replace('def find_zero', 'def poly(xs, x):\n    return xs[0] + xs[1] * x\n\ndef find_zero');
  assert.deepEqual(statuses(await runner.run(ownHelper, { checks: [check], rules: {}, setup }, new AbortController().signal)), ['passed']);
});

test('a check that is not passed says why when the output alone does not: never called, wrong name, no entry point, too little input', async () => {
  const reasons = (runs: CheckRun[] | null) => runs?.map((r) => r.reason);
  const doubles = sample('3\n', '6\n', 1);
  const neverCalled = '```python\ndef solve():\n    n = int(input())\n    print(n * 2)\n```';
  assert.deepEqual(reasons(await run(neverCalled, [doubles])), ['printed nothing: `solve` is defined but never called']);
  const twoLines = '```python\na = int(input())\nb = int(input())\nprint(a + b)\n```';
  assert.deepEqual(reasons(await run(twoLines, [doubles])), ['read more input than the example gives']);
  const add = call('add_up', ['2', '3'], '5', false);
  const otherName = '```python\ndef plus(a, b):\n    return a + b\n```';
  assert.deepEqual(reasons(await run(otherName, [add])), ['the example calls `add_up`, which the code does not define (it defines `plus`): a wrong function name']);
  const program = '```python\na, b = map(int, input().split())\nprint(a + b)\n```';
  assert.deepEqual(reasons(await run(program, [add])), ['the example calls `add_up`, but the code is a program reading standard input: the entry point is missing']);
  const right = '```python\ndef solve():\n    print(int(input()) * 2)\n\nsolve()\n```';
  assert.deepEqual(reasons(await run(right, [doubles])), [undefined]);
});
