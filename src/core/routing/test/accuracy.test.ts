import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accuracyLowerBound } from '../accuracy';

test('the Wilson lower bound trusts many labels over few lucky ones', () => {
  assert.equal(accuracyLowerBound(0, 0), 0);
  assert.ok(accuracyLowerBound(1, 1) < 0.3, `1 of 1: ${accuracyLowerBound(1, 1)}`);
  assert.ok(accuracyLowerBound(900, 1000) > 0.88, `900 of 1000: ${accuracyLowerBound(900, 1000)}`);
  assert.ok(accuracyLowerBound(7, 10) > accuracyLowerBound(4, 10));
  // Known value: 90 of 100 at z = 1.645 → (0.9 + 0.01353 − 0.05117) / 1.02706 = 0.8396 (Wilson score interval).
  assert.ok(Math.abs(accuracyLowerBound(90, 100) - 0.8396) < 1e-3);
  assert.ok(accuracyLowerBound(0, 50) >= 0);
});
