import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLiteral, type Value } from '../literal';
import { stdoutMatches, valueMatches } from '../outputMatch';

const value = (text: string): Value => {
  const v = parseLiteral(text);
  assert.ok(v, text);
  return v;
};
const returns = (actual: string, expected: string, rules = {}) => valueMatches(value(actual), value(expected), rules);

test('printed output: trailing spaces, CRLF and the final newline never matter', () => {
  assert.equal(stdoutMatches('3 4  \r\nYes\r\n\r\n', '3 4\nYes', {}), true);
  assert.equal(stdoutMatches('  1\t2   3\n', '1 2 3\n', {}), true);
  assert.equal(stdoutMatches('', '\n', {}), true);
});

test('printed output: lines and tokens must correspond (as LiveCodeBench judges them)', () => {
  assert.equal(stdoutMatches('1 2\n3', '1\n2 3', {}), false);
  assert.equal(stdoutMatches('1 2 3', '1\n2\n3', {}), false);
  assert.equal(stdoutMatches('1\n\n2', '1\n2', {}), false);
  assert.equal(stdoutMatches('Yes', 'YES', {}), false);
  assert.equal(stdoutMatches('12', '1 2', {}), false);
  assert.equal(stdoutMatches('1 2', '1 2 3', {}), false);
});

test('printed numbers: the same decimal matches exactly without a tolerance, nothing else does', () => {
  assert.equal(stdoutMatches('1.0 2.50', '1 2.5', {}), true);
  assert.equal(stdoutMatches('1e3', '1000', {}), true);
  assert.equal(stdoutMatches('-0.0', '0', {}), true);
  assert.equal(stdoutMatches('0.3333333333', '0.33333333333', {}), false);
  assert.equal(stdoutMatches('100000000000000000001', '100000000000000000000', {}), false);
});

test('printed reals within the statement\'s tolerance, absolute or relative; integers stay exact', () => {
  const rules = { tolerance: 1e-6 };
  assert.equal(stdoutMatches('0.33333333', '0.3333333333', rules), true);
  assert.equal(stdoutMatches('0.3334', '0.3333333333', rules), false);
  assert.equal(stdoutMatches('1000000.5', '1000000.0000', rules), true, 'relative error 5e-7');
  assert.equal(stdoutMatches('1000002', '1000000.0', rules), false, 'relative error 2e-6');
  assert.equal(stdoutMatches('1000000000000000001', '1000000000000000000', rules), false);
  assert.equal(stdoutMatches('2.0000001 Yes', '2 Yes', rules), true);
});

test('printed output in any order: the same tokens and the same number of lines', () => {
  assert.equal(stdoutMatches('3 1 2', '1 2 3', { anyOrder: true }), true);
  assert.equal(stdoutMatches('3 1 1', '1 2 3', { anyOrder: true }), false);
  assert.equal(stdoutMatches('1 2 3', '1\n2 3', { anyOrder: true }), false);
});

test('returned values: structure, numbers, booleans as Python compares them', () => {
  assert.equal(returns('[0, 1]', '[0,1]'), true);
  assert.equal(returns('(0, 1)', '[0,1]'), true);
  assert.equal(returns('[1, 0]', '[0,1]'), false);
  assert.equal(returns('[[1, 2], [3]]', '[[1,2],[3]]'), true);
  assert.equal(returns('[[1, 2], [3]]', '[[1,2],[3,4]]'), false);
  assert.equal(returns('1', 'true'), true);
  assert.equal(returns('true', 'false'), false);
  assert.equal(returns('"5"', '5'), false);
  assert.equal(returns('null', '[]'), false);
  assert.equal(returns("{'a': 1}", '{"a":1}'), true);
  assert.equal(returns("{'a': 1, 'b': 2}", '{"a":1}'), false);
  assert.equal(returns('12345678901234567891', '12345678901234567890'), false);
  assert.equal(returns('2', '2.00000'), true);
});

test('returned reals: within the rounding LeetCode printed, or the statement\'s tolerance', () => {
  assert.equal(returns('0.3333333333333333', '0.33333'), true);
  assert.equal(returns('0.33334', '0.33333'), false);
  assert.equal(returns('2.5', '2.50000'), true);
  assert.equal(returns('2.50001', '2.50000'), false);
  assert.equal(returns('2.0001', '2.00000', { tolerance: 1e-3 }), true);
  assert.equal(returns('Infinity', 'inf'), true);
  assert.equal(returns('-Infinity', 'inf'), false);
});

test('any order applies to the outer list only', () => {
  assert.equal(returns('[[3,4],[1,2]]', '[[1,2],[3,4]]', { anyOrder: true }), true);
  assert.equal(returns('[[4,3],[1,2]]', '[[1,2],[3,4]]', { anyOrder: true }), false);
  assert.equal(returns('[1,1,2]', '[1,2,2]', { anyOrder: true }), false);
  assert.equal(returns('[2,1]', '[1,2]', {}), false);
});

test('"output the answer in any case": printed words and returned strings match whatever their case, only then', () => {
  const anyCase = { caseInsensitive: true };
  assert.equal(stdoutMatches('yes\nno\nYeS\n', 'YES\nNO\nYES\n', anyCase), true);
  assert.equal(stdoutMatches('yes\n', 'YES\n', {}), false);
  assert.equal(stdoutMatches('yes\nyes\n', 'YES\nNO\n', anyCase), false);
  assert.equal(stdoutMatches('no yes\n', 'YES NO\n', { ...anyCase, anyOrder: true }), true);
  assert.equal(returns('"Alice"', '"alice"', anyCase), true);
  assert.equal(returns('"Alice"', '"alice"'), false);
});
