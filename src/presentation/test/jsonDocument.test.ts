/** Money in JSON for scripts (the CLI's `--json`, `smcs serve`'s answers): rounded where written, and nothing else. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatUsd, roundUsd } from '../format';
import { jsonDocument } from '../jsonDocument';

test('roundUsd keeps ten significant digits and drops the float noise of sums; zero and non-finite values pass through', () => {
  assert.equal(roundUsd(0.0056619999999999995), 0.005662, 'the cost a user saw');
  assert.equal(roundUsd(8.999999999999999e-5), 0.00009);
  assert.equal(roundUsd(0.1 + 0.2), 0.3);
  assert.equal(roundUsd(0.000123456789012), 0.0001234567890);
  assert.equal(roundUsd(1234.5678901234), 1234.56789);
  assert.equal(roundUsd(0), 0);
  assert.ok(Number.isNaN(roundUsd(Number.NaN)));
});

test('jsonDocument rounds every money field at any depth, and nothing else', () => {
  const doc = { costUsd: 0.1 + 0.2, calls: [{ costUsd: 8.999999999999999e-5, latencyMs: 0.1 + 0.2 }, { costUsd: null }], singles: { a: { usdPer1kQuestions: 1.1 + 2.2 } }, similarity: 0.1 + 0.2 };
  assert.deepEqual(JSON.parse(jsonDocument(doc)), { costUsd: 0.3, calls: [{ costUsd: 0.00009, latencyMs: 0.1 + 0.2 }, { costUsd: null }], singles: { a: { usdPer1kQuestions: 3.3 } }, similarity: 0.1 + 0.2 });
  assert.equal(jsonDocument({ a: 1 }, 2), '{\n  "a": 1\n}');
});

test('a sum of call costs with float noise is written 0.005662 in JSON and $0.00566 in text', () => {
  const calls = [0.0001, 0.0002, 0.005362];
  const total = calls.reduce((a, b) => a + b, 0);
  assert.equal(total, 0.0056619999999999995, 'the sum carries float noise');
  assert.equal(jsonDocument({ costUsd: total }), '{"costUsd":0.005662}');
  assert.equal(formatUsd(total), '$0.00566');
});
