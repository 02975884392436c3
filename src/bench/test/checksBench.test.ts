import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benchmarkChecks } from '../checksBench';

test('the checks benchmark times 8 candidates × 3 examples per scenario, on runs that really pass and fail', async () => {
  const bench = await benchmarkChecks({ runs: 1 });
  assert.deepEqual(bench.scenarios.map((s) => [s.name, s.candidates, s.examples]), [
    ['python stdin (AtCoder samples)', 8, 3],
    ['python LeetCode method', 8, 3],
    ['javascript stdin', 8, 3],
  ]);
  for (const s of bench.scenarios) {
    // The candidates are built so that a known number of checks pass: a sandbox that errored every run would show here.
    assert.equal(s.passed, s.expectedPassed, s.name);
    assert.ok(s.minMs > 0 && s.minMs <= s.wallMs && s.wallMs <= s.maxMs, s.name);
  }
  assert.equal(bench.goalMs, 1500);
  assert.equal(bench.withinGoal, bench.scenarios[0] !== undefined && bench.scenarios[0].wallMs <= 1500);
  assert.ok(bench.concurrency >= 1);
});
