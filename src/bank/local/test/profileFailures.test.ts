import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFailureUpdate } from '../profileFailures';
import type { FailureMap } from '../../bank';

test('failures of models named after prototype members are kept under their names and touch nothing else', () => {
  const failures: FailureMap = {};
  const now = new Date('2026-01-01T00:00:00Z');
  applyFailureUpdate(failures, { failed: [{ model: 'constructor', id: 'q1', lastError: 'timeout' }, { model: '__proto__', id: 'toString', lastError: 'reset' }], answered: [] }, now);
  applyFailureUpdate(failures, { failed: [{ model: 'constructor', id: 'q1', lastError: 'timeout again' }], answered: [{ model: 'hasOwnProperty', id: 'q1' }] }, now);
  assert.deepEqual(JSON.parse(JSON.stringify(failures)), {
    constructor: { q1: { count: 2, lastError: 'timeout again', at: '2026-01-01T00:00:00.000Z' } },
    ['__proto__']: { toString: { count: 1, lastError: 'reset', at: '2026-01-01T00:00:00.000Z' } },
  });
  assert.equal((Object as unknown as Record<string, unknown>).q1, undefined, 'nothing was written on Object itself');
  assert.equal(Object.getPrototypeOf(failures), Object.prototype);
});
