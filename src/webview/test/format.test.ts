import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatCost, formatTokenPhrase, formatTokens } from '../format';

test('costs below a dollar keep three significant digits, so a fraction of a cent is not shown as $0.00', () => {
  assert.deepEqual(
    [0.0123, 0.12, 0.1234, 0.5, 0.000456, 0.00999, 0.009999, 0.999].map(formatCost),
    ['$0.0123', '$0.12', '$0.123', '$0.50', '$0.000456', '$0.00999', '$0.01', '$0.999'],
  );
});

test('costs of a dollar or more show cents; zero, tiny and invalid costs read plainly', () => {
  assert.deepEqual([1, 1.234, 12.5, 0.99999].map(formatCost), ['$1.00', '$1.23', '$12.50', '$1.00']);
  assert.equal(formatCost(0), '$0');
  assert.equal(formatCost(0.0000004), '< $0.000001');
  assert.equal(formatCost(Number.NaN), '');
  assert.equal(formatCost(-1), '');
});

test('token counts: short in a reference card, a phrase in the cost line', () => {
  assert.equal(formatTokens(512), '512 tok');
  assert.equal(formatTokens(12_345), '12.3k tok');
  assert.equal(formatTokenPhrase(1), '1 token');
  assert.equal(formatTokenPhrase(812), '812 tokens');
  assert.equal(formatTokenPhrase(2017), '2,017 tokens');
  assert.equal(formatTokenPhrase(12_345), '12.3k tokens');
});
