import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatUsd } from '../format';

test('costs below a dollar keep three significant digits, so a fraction of a cent is not shown as $0.00', () => {
  assert.deepEqual(
    [0.0123, 0.12, 0.1234, 0.5, 0.000456, 0.00999, 0.009999, 0.999].map(formatUsd),
    ['$0.0123', '$0.12', '$0.123', '$0.50', '$0.000456', '$0.00999', '$0.01', '$0.999'],
  );
});

test('costs of a dollar or more show cents; zero, tiny and invalid costs read plainly', () => {
  assert.deepEqual([1, 1.234, 12.5, 0.99999].map(formatUsd), ['$1.00', '$1.23', '$12.50', '$1.00']);
  assert.equal(formatUsd(0), '$0');
  assert.equal(formatUsd(0.0000004), '< $0.000001');
  assert.equal(formatUsd(Number.NaN), '');
  assert.equal(formatUsd(-1), '');
});

test('a small limit and an estimate just above it never read the same', () => {
  assert.notEqual(formatUsd(0.0149), formatUsd(0.01));
  assert.equal(formatUsd(0.00236), '$0.00236');
  assert.equal(formatUsd(0.000001), '$0.000001');
});
