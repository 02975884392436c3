import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckRun, CheckRunner, QuestionChecks } from '../../contracts/checks';
import { runOnce } from '../runOnce';

const checks = (expected: string): QuestionChecks => ({ checks: [{ kind: 'stdio', source: 'question', label: 'Sample', input: '1\n', expected }], rules: {} });

test('one text on one set of checks runs once; another text or other checks run again; a failed start is tried again', async () => {
  const started: string[] = [];
  let failNext = false;
  const inner: CheckRunner = {
    run: async (reply) => {
      started.push(reply);
      if (failNext) {
        failNext = false;
        throw new Error('sandbox could not start');
      }
      return [{ check: 0, status: 'passed', durationMs: 1 }] satisfies CheckRun[];
    },
  };
  const runner = runOnce(inner);
  const signal = new AbortController().signal;
  const [a, b] = await Promise.all([runner.run('print(1)', checks('1'), signal), runner.run('print(1)', checks('1'), signal)]);
  assert.equal(a, b);
  await runner.run('print(2)', checks('1'), signal);
  await runner.run('print(1)', checks('2'), signal);
  assert.deepEqual(started, ['print(1)', 'print(2)', 'print(1)']);
  failNext = true;
  await assert.rejects(runner.run('print(3)', checks('1'), signal), /sandbox could not start/);
  assert.equal((await runner.run('print(3)', checks('1'), signal))?.[0]?.status, 'passed');
});
