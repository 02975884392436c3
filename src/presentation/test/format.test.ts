import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatCountdown, formatMs, formatQuantity, formatTokenPhrase, formatTokens, formatUsd } from '../format';

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

test('token counts: short in a reference card, a phrase in the cost line', () => {
  assert.equal(formatTokens(512), '512 tok');
  assert.equal(formatTokens(12_345), '12.3k tok');
  assert.equal(formatTokenPhrase(1), '1 token');
  assert.equal(formatTokenPhrase(812), '812 tokens');
  assert.equal(formatTokenPhrase(2017), '2,017 tokens');
  assert.equal(formatTokenPhrase(12_345), '12.3k tokens');
});

test('the countdown rounds up to whole seconds and switches to minutes from 60 s', () => {
  assert.equal(formatCountdown(45_000), '45 s');
  assert.equal(formatCountdown(44_001), '45 s');
  assert.equal(formatCountdown(1), '1 s');
  assert.equal(formatCountdown(60_000), '1 m 00 s');
  assert.equal(formatCountdown(125_000), '2 m 05 s');
});

test('durations: milliseconds, tenths of a second, then minutes and seconds', () => {
  assert.deepEqual([850, 3_240, 59_940, 65_000, 125_400].map(formatMs), ['850 ms', '3.2 s', '59.9 s', '1 m 05 s', '2 m 05 s']);
  assert.equal(formatMs(-1), '');
});

test('a quantity: one without an s, others with one and thousands separators', () => {
  assert.deepEqual([formatQuantity(1, 'turn'), formatQuantity(3, 'turn'), formatQuantity(0, 'call'), formatQuantity(1234, 'question')], ['1 turn', '3 turns', '0 calls', '1,234 questions']);
});
