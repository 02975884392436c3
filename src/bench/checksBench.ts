/**
 * Code-check benchmark: the time running the candidates' code adds to an ask — 8 candidate replies × 3 examples, all
 * replies at once through one runner (bounded by the cores, as in an ask), for an AtCoder stdin problem and a
 * LeetCode method in Python and the stdin problem in JavaScript. Issue 15's goal: ≤ 1.5 s on a 2-core machine.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { at } from '../core/util/arrays';
import type { Check, QuestionChecks } from '../core/contracts/checks';
import { createCheckRunner } from '../sandbox/checkRunner';
import { sandboxReport } from '../sandbox/sandbox';

export interface ChecksScenario {
  name: string;
  candidates: number;
  examples: number;
  /** Median wall time of running every candidate's checks, ms. */
  wallMs: number;
  minMs: number;
  maxMs: number;
  /** Checks passed in the last run, of `total` (the candidates are built so that `expectedPassed` pass). */
  passed: number;
  expectedPassed: number;
  total: number;
}

export interface ChecksBenchmark {
  sandbox: string;
  concurrency: number;
  runs: number;
  goalMs: number;
  /** Whether the Python stdin scenario's median is within the goal. */
  withinGoal: boolean;
  scenarios: ChecksScenario[];
}

const GOAL_MS = 1500;
const fence = (language: string, code: string) => `Here is a solution.\n\n\`\`\`${language}\n${code}\`\`\`\n\nIt runs in O(N log N).`;
const sample = (input: string, expected: string, n: number): Check => ({ kind: 'stdio', source: 'question', label: `Sample Input ${n}`, input, expected });
const call = (args: string[], expected: string): Check => ({ kind: 'call', source: 'question', label: 'Example', name: 'twoSum', method: true, args: args.map((value) => ({ value })), expected });

/** "Print the sum of the two largest of N numbers": 3 samples; candidates 0–4 right, 5–7 wrong in different ways. */
const STDIN: QuestionChecks = { checks: [sample('3\n1 5 3\n', '8\n', 1), sample('4\n10 10 1 1\n', '20\n', 2), sample('2\n7 -2\n', '5\n', 3)], rules: {} };
const PYTHON_STDIN = [
  'n = int(input())\na = sorted(map(int, input().split()))\nprint(a[-1] + a[-2])\n',
  'import sys\ndata = sys.stdin.read().split()\na = sorted(map(int, data[1:]))\nprint(a[-1] + a[-2])\n',
  'def main():\n    input()\n    a = list(map(int, input().split()))\n    print(sum(heapq.nlargest(2, a)))\n\nif __name__ == "__main__":\n    main()\n',
  'import sys, threading\ndef main():\n    input()\n    a = sorted(map(int, input().split()), reverse=True)\n    print(a[0] + a[1])\nthreading.stack_size(1 << 26)\nthreading.Thread(target=main).start()\n',
  'from functools import reduce\ninput()\na = list(map(int, input().split()))\nm = max(a)\na.remove(m)\nprint(m + max(a))\n',
  'n = int(input())\na = list(map(int, input().split()))\nprint(a[0] + a[1])\n',
  'input()\nprint(max(map(int, input().split())) * 2)\n',
  'n = int(input())\na = sorted(map(int, input().split()))\nprint(a[n])\n',
].map((code) => fence('python', code));
const JS_STDIN = [
  'const [, line] = require("fs").readFileSync(0, "utf8").split("\\n");\nconst a = line.trim().split(/\\s+/).map(Number).sort((x, y) => y - x);\nconsole.log(a[0] + a[1]);\n',
  'const lines = require("fs").readFileSync(0, "utf8").trim().split("\\n");\nconst a = lines[1].split(" ").map(Number);\nconsole.log(a[0] + a[1]);\n',
].map((code) => fence('javascript', code));

const TWO_SUM: QuestionChecks = { checks: [call(['[2,7,11,15]', '9'], '[0,1]'), call(['[3,2,4]', '6'], '[1,2]'), call(['[3,3]', '6'], '[0,1]')], rules: {} };
const PYTHON_LEETCODE = [
  'class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        seen = {}\n        for i, x in enumerate(nums):\n            if target - x in seen:\n                return [seen[target - x], i]\n            seen[x] = i\n',
  'class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        for i in range(len(nums)):\n            for j in range(i + 1, len(nums)):\n                if nums[i] + nums[j] == target:\n                    return [i, j]\n',
  'class Solution:\n    def twoSum(self, nums, target):\n        return [0, 1]\n',
].map((code) => fence('python', code));

interface Scenario {
  name: string;
  replies: string[];
  checks: QuestionChecks;
  expectedPassed: number;
}

const pick = (replies: string[], count: number) => Array.from({ length: count }, (_, i) => at(replies, i % replies.length));

const SCENARIOS: Scenario[] = [
  { name: 'python stdin (AtCoder samples)', replies: PYTHON_STDIN, checks: STDIN, expectedPassed: 5 * 3 + 2 + 1 },
  { name: 'python LeetCode method', replies: pick(PYTHON_LEETCODE, 8), checks: TWO_SUM, expectedPassed: 3 * 3 + 3 * 3 + 2 * 2 },
  { name: 'javascript stdin', replies: pick(JS_STDIN, 8), checks: STDIN, expectedPassed: 4 * 3 + 4 * 2 },
];

/** Times each scenario `runs` times after one warm-up (which pays the sandbox probe once). */
export async function benchmarkChecks(options: { runs: number; onProgress?: (message: string) => void }): Promise<ChecksBenchmark> {
  const runner = createCheckRunner();
  const signal = new AbortController().signal;
  const scenarios: ChecksScenario[] = [];
  for (const scenario of SCENARIOS) {
    options.onProgress?.(`checks: ${scenario.name}`);
    const times: number[] = [];
    let passed = 0;
    for (let run = 0; run <= options.runs; run++) {
      const started = performance.now();
      const results = await Promise.all(scenario.replies.map((reply) => runner.run(reply, scenario.checks, signal)));
      if (run > 0) times.push(performance.now() - started);
      passed = results.flat().filter((r) => r?.status === 'passed').length;
    }
    const sorted = [...times].sort((a, b) => a - b);
    const round = (x: number) => Math.round(x);
    scenarios.push({
      name: scenario.name,
      candidates: scenario.replies.length,
      examples: scenario.checks.checks.length,
      wallMs: round(at(sorted, Math.floor(sorted.length / 2))),
      minMs: round(at(sorted, 0)),
      maxMs: round(at(sorted, sorted.length - 1)),
      passed,
      expectedPassed: scenario.expectedPassed,
      total: scenario.replies.length * scenario.checks.checks.length,
    });
  }
  const report = await sandboxReport();
  return {
    sandbox: report.mode,
    concurrency: typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
    runs: options.runs,
    goalMs: GOAL_MS,
    withinGoal: at(scenarios, 0).wallMs <= GOAL_MS,
    scenarios,
  };
}
