import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallCheck, Check } from '../../contracts/checks';
import { DERIVED_INPUTS_MAX, deriveInputs, NO_EXPECTATION } from '../derivedInputs';

const call = (name: string, args: string[], expected = '0'): CallCheck => ({ kind: 'call', source: 'question', label: 'Example', name, method: false, args: args.map((value) => ({ value })), expected });
const text = (c: CallCheck): string => `${c.name}(${c.args.map((a) => a.value).join(', ')})`;

test('each derived call changes one argument of an example to an edge value of its type, every argument before a second variant', () => {
  const derived = deriveInputs([call('below_zero', ['[1, 2, -4]']), call('below_zero', ['[1, 2, 3]'])]);
  const calls = derived.map(text);
  assert.deepEqual(calls.slice(0, 2), ['below_zero([])', 'below_zero([])'.replace('[]', '[1]')], 'empty first, then one element (the first example\'s)');
  assert.ok(calls.includes('below_zero([-4,2,1])'), 'reversed');
  assert.ok(calls.includes('below_zero([1,2,-4,1,2,-4])'), 'doubled');
  assert.equal(new Set(calls).size, calls.length, 'no call twice (both examples empty to the same [])');
  assert.ok(!calls.includes('below_zero([1, 2, -4])') && !calls.includes('below_zero([1,2,3])'), 'never an example itself');
  assert.ok(derived.every((c) => c.expected === NO_EXPECTATION && c.kind === 'call' && c.name === 'below_zero'));
});

test('numbers, strings and booleans get edge values of their own; the other arguments keep the example\'s values', () => {
  const calls = deriveInputs([call('f', ['"abc"', '5', 'true', '2.5'])]).map(text);
  assert.ok(calls.includes('f("", 5, true, 2.5)'));
  assert.ok(calls.includes('f("abc", 0, true, 2.5)'));
  assert.ok(calls.includes('f("abc", 5, false, 2.5)'));
  assert.ok(calls.includes('f("abc", 5, true, 0.0)'));
  assert.ok(calls.includes('f("abc", -5, true, 2.5)'));
  assert.ok(calls.includes('f("cba", 5, true, 2.5)'));
  assert.ok(calls.length <= DERIVED_INPUTS_MAX);
});

test('nothing is derived from programs, asserts, or arguments that are not literals', () => {
  const stdio: Check = { kind: 'stdio', source: 'question', label: 'Sample Input 1', input: '3\n', expected: '6\n' };
  assert.deepEqual(deriveInputs([stdio]), []);
  assert.deepEqual(deriveInputs([call('g', ['None'])]), []);
  assert.deepEqual(deriveInputs([call('g', ['lambda x: x'])]), []);
});
