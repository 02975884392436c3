import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Check, CheckRun, QuestionChecks } from '../../core/contracts/checks';
import { createCheckRunner, nodeTypes } from '../checkRunner';
import { extractChecks } from '../../core/checks/extraction';

const runner = createCheckRunner({ timeoutMs: 5000 });
const run = (reply: string, checks: Check[], rules: QuestionChecks['rules'] = {}) => runner.run(reply, { checks, rules }, new AbortController().signal);
const statuses = (runs: CheckRun[] | null) => runs?.map((r) => r.status);
const sample = (input: string, expected: string): Check => ({ kind: 'stdio', source: 'question', label: 'Example', input, expected });
const call = (name: string, args: string[], expected: string, method = true): Check => ({ kind: 'call', source: 'question', label: 'Example', name, method, args: args.map((value) => ({ value })), expected });

// Codeforces 4A "Watermelon": print YES when w splits into two even parts.
const WATERMELON = [sample('8\n', 'YES\n'), sample('5\n', 'NO\n'), sample('2\n', 'NO\n')];

test('a node program reading fs.readFileSync(0)', async () => {
  const reply = 'Check parity:\n```javascript\nconst w = Number(require("fs").readFileSync(0, "utf8").trim());\nconsole.log(w > 2 && w % 2 === 0 ? "YES" : "NO");\n```';
  assert.deepEqual(statuses(await run(reply, WATERMELON)), ['passed', 'passed', 'passed']);
  const wrong = '```js\nconst w = Number(require("fs").readFileSync(0, "utf8"));\nconsole.log(w % 2 === 0 ? "YES" : "NO");\n```';
  assert.deepEqual(statuses(await run(wrong, WATERMELON)), ['passed', 'passed', 'failed']);
});

test('a node program reading lines with readline, and a TypeScript one with ES imports', async () => {
  const readline = '```js\nconst rl = require("readline").createInterface({ input: process.stdin });\nconst lines = [];\nrl.on("line", (l) => lines.push(l));\nrl.on("close", () => {\n  const w = parseInt(lines[0], 10);\n  console.log(w > 2 && w % 2 === 0 ? "YES" : "NO");\n});\n```';
  assert.deepEqual(statuses(await run(readline, WATERMELON)), ['passed', 'passed', 'passed']);
  const typescript = '```ts\nimport { readFileSync } from "fs";\nconst w: number = Number(readFileSync(0, "utf8"));\nconst even = (n: number): boolean => n > 2 && n % 2 === 0;\nconsole.log(even(w) ? "YES" : "NO");\n```';
  assert.deepEqual(statuses(await run(typescript, WATERMELON)), ['passed', 'passed', 'passed']);
});

const TWO_SUM = [call('twoSum', ['[2,7,11,15]', '9'], '[0,1]'), call('twoSum', ['[3,2,4]', '6'], '[1,2]')];

test('LeetCode JavaScript: var twoSum = function, a class Solution, a TypeScript function', async () => {
  const leetcode = '```javascript\n/**\n * @param {number[]} nums\n * @param {number} target\n * @return {number[]}\n */\nvar twoSum = function(nums, target) {\n  const seen = new Map();\n  for (let i = 0; i < nums.length; i++) {\n    if (seen.has(target - nums[i])) return [seen.get(target - nums[i]), i];\n    seen.set(nums[i], i);\n  }\n};\n```';
  assert.deepEqual(statuses(await run(leetcode, TWO_SUM)), ['passed', 'passed']);
  const klass = '```js\nclass Solution {\n  twoSum(nums, target) {\n    return [0, 1];\n  }\n}\n```';
  assert.deepEqual(statuses(await run(klass, TWO_SUM)), ['passed', 'failed']);
  const ts = '```typescript\nfunction twoSum(nums: number[], target: number): number[] {\n  const seen = new Map<number, number>();\n  for (const [i, x] of nums.entries()) {\n    const j = seen.get(target - x);\n    if (j !== undefined) return [j, i];\n    seen.set(x, i);\n  }\n  return [];\n}\n```';
  assert.deepEqual(statuses(await run(ts, TWO_SUM)), ['passed', 'passed']);
});

test('LeetCode JavaScript: ListNode arguments from the JSDoc, in-place arrays, a thrown error', async () => {
  const reverse = '```js\n/**\n * @param {ListNode} head\n * @return {ListNode}\n */\nvar reverseList = function(head) {\n  let prev = null;\n  while (head) { const next = head.next; head.next = prev; prev = head; head = next; }\n  return prev;\n};\n```';
  assert.deepEqual(statuses(await run(reverse, [call('reverseList', ['[1,2,3]'], '[3,2,1]'), call('reverseList', ['[]'], '[]')])), ['passed', 'passed']);
  const sortColors = '```js\nvar sortColors = function(nums) {\n  nums.sort((a, b) => a - b);\n};\n```';
  assert.deepEqual(statuses(await run(sortColors, [call('sortColors', ['[2,0,2,1,1,0]'], '[0,0,1,1,2,2]')])), ['passed']);
  const throws = await run('```js\nvar f = function(n) { throw new RangeError("too big: " + n); };\n```', [call('f', ['3'], '6', false)]);
  assert.deepEqual(statuses(throws), ['errored']);
  assert.match(throws?.[0]?.error ?? '', /RangeError: too big: 3/);
});

test('assert lines in JavaScript and TypeScript after the reply\'s code; Python lines never run on JavaScript', async () => {
  const reply = '```js\nfunction add(a, b) { return a + b; }\n```';
  const lines = (language: 'javascript' | 'typescript' | 'python', code: string): Check => ({ kind: 'assert', source: 'question', label: 'assert', language, code });
  const runs = await run(reply, [lines('javascript', 'assert.strictEqual(add(2, 3), 5);'), lines('typescript', 'const x: number = add(2, 2);\nconsole.assert(x === 5, "two and two");'), lines('python', 'assert add(2, 3) == 5')]);
  assert.deepEqual(statuses(runs), ['passed', 'failed', 'errored']);
  assert.match(runs?.[1]?.error ?? '', /two and two/);
  assert.match(runs?.[2]?.error ?? '', /assert lines are python/);
});

test('parameter types for ListNode/TreeNode from JSDoc or TypeScript; null when the code names none', () => {
  assert.deepEqual(nodeTypes('var twoSum = function(nums, target) {}', 'twoSum'), { params: [], returnsNode: false });
  assert.deepEqual(nodeTypes('/**\n * @param {ListNode} l1\n * @param {ListNode} l2\n * @return {ListNode}\n */\nvar addTwoNumbers = function(l1, l2) {};', 'addTwoNumbers'), { params: ['ListNode', 'ListNode'], returnsNode: true });
  assert.deepEqual(nodeTypes('function isSame(p: TreeNode | null, k: number, q: Map<string, number>): boolean {}', 'isSame'), { params: ['TreeNode', null, null], returnsNode: false });
  assert.deepEqual(nodeTypes('function build(xs: number[]): TreeNode | null {}', 'build'), { params: [null], returnsNode: true });
  assert.equal(nodeTypes('// ListNode\nvar f = function(head) {}', 'f'), null);
});

test("the question's own JavaScript helpers run before the reply, which may use them or declare them again with const", async () => {
  const question =
    'Complete `makePalindrome` using the helper below.\n\n```javascript\n/** Whether a string reads the same backwards. */\nfunction isPalindrome(s) {\n  return s === [...s].reverse().join("");\n}\n\n/**\n * The shortest palindrome that begins with s.\n * makePalindrome("cat") // => "catac"\n */\nfunction makePalindrome(s) {\n}\n```';
  const checks = extractChecks(question);
  assert.ok(checks.setup, 'the helper became the setup');
  assert.equal(checks.setup.language, 'javascript');
  const usesHelper = '```javascript\nfunction makePalindrome(s) {\n  for (let i = 0; ; i++) {\n    if (isPalindrome(s.slice(i))) return s + [...s.slice(0, i)].reverse().join("");\n  }\n}\n```';
  assert.deepEqual(statuses(await runner.run(usesHelper, checks, new AbortController().signal)), ['passed']);
  assert.deepEqual(statuses(await runner.run(usesHelper, { ...checks, setup: undefined }, new AbortController().signal)), ['errored'], 'without the setup the helper is missing');
  const ownHelper = usesHelper.replace('function makePalindrome', 'const isPalindrome = (s) => s === [...s].reverse().join("");\n\nfunction makePalindrome');
  assert.deepEqual(statuses(await runner.run(ownHelper, checks, new AbortController().signal)), ['passed'], 'a reply declaring the helper again does not clash with it');
  const typescript = '```ts\nconst makePalindrome = (s: string): string => {\n  let i = 0;\n  while (!isPalindrome(s.slice(i))) i++;\n  return s + [...s.slice(0, i)].reverse().join("");\n};\n```';
  assert.deepEqual(statuses(await runner.run(typescript, checks, new AbortController().signal)), ['passed']);
});
