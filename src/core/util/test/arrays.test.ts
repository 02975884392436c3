import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, percentile } from '../arrays';

test('percentile: the nearest rank below, whatever the order of the values; 0 for none', () => {
  assert.equal(percentile([5, 1, 4, 2, 3], 0.5), 3);
  assert.equal(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9), 100);
  assert.equal(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.5), 60);
  assert.equal(percentile([7], 0.95), 7);
  assert.equal(percentile([], 0.5), 0);
});

test('at: the element, or a RangeError naming the index', () => {
  assert.equal(at([1, 2], 1), 2);
  assert.throws(() => at([1, 2], 2), /index 2 is out of range \(length 2\)/);
});
