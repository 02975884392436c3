import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksForCode, extractChecks, looksLikeCodeTask } from '..';
import { outputRules, unverifiableReason } from '../outputRules';

test('stated tolerances in every spelling, the largest wins', () => {
  const tol = (text: string): number | undefined => outputRules(text, []).tolerance;
  assert.equal(tol('Your output will be considered correct if the absolute or relative error from the true value is at most 10^{-6}.'), 1e-6);
  assert.equal(tol('Your answer is considered correct if its absolute or relative error does not exceed $10^{-9}$.'), 1e-9);
  assert.equal(tol('Answers within 10^-5 of the actual answer will be accepted.'), 1e-5);
  assert.equal(tol('Answers within 10-5 of the actual answer will be accepted.'), 1e-5);
  assert.equal(tol('relative error at most 1e-4 or absolute error at most 1E−7'), 1e-4);
  assert.equal(tol('Print the answer.'), undefined);
});

test('a shown real number without a stated tolerance allows half a unit of its last digit', () => {
  const { rules } = extractChecks('Example 1:\nInput: a = 1, b = 3\nOutput: 0.33333\n\nclass Solution:\n    def divide(self, a: int, b: int) -> float:');
  assert.ok(rules.tolerance !== undefined && rules.tolerance > 5e-6 && rules.tolerance < 5.0001e-6, String(rules.tolerance));
});

test('order and case rules follow the answer, not the operations', () => {
  assert.equal(outputRules('You may return the answer in any order.', []).anyOrder, true);
  assert.equal(outputRules('Print the pairs in any order.', []).anyOrder, true);
  assert.equal(outputRules('You can perform the operations in any order.', []).anyOrder, undefined);
  assert.equal(outputRules('You can output the answer in any case (upper or lower).', []).caseInsensitive, true);
  assert.equal(outputRules('Print Yes or No.', []).caseInsensitive, undefined);
});

test('any-answer problems are unverifiable; answers in any order or case are not', () => {
  for (const text of [
    'If there are multiple solutions, print any of them.',
    'If there are multiple answers, you can output any of them.',
    'You may return any answer, and it is guaranteed an answer exists.',
    'Return any array that satisfies this condition.',
    'Any valid answer will be accepted.',
    'This is an interactive problem.',
  ]) {
    assert.ok(unverifiableReason(text) !== undefined, text);
  }
  for (const text of [
    'You may return the answer in any order.',
    'You can output the answer in any case.',
    'Return true if any value appears at least twice in the array.',
    'Find if there is any path from the source to the target.',
    'If there are multiple such indices, return the smallest one.',
  ]) {
    assert.equal(unverifiableReason(text), undefined, text);
  }
});

test('questions that ask for code, and those that do not', () => {
  assert.equal(looksLikeCodeTask('Write a Python function that reverses a linked list.'), true);
  assert.equal(looksLikeCodeTask('Implement an LRU cache in TypeScript.'), false);
  assert.equal(looksLikeCodeTask('Implement an LRU cache class in TypeScript.'), true);
  assert.equal(looksLikeCodeTask('Read N from standard input and print its square.'), true);
  assert.equal(looksLikeCodeTask('Why is my Rust borrow checker complaining?'), false);
});

test('tests are written for questions that ask for code to be written or fixed, not for ones that ask why', () => {
  const selected = 'Why does parse return None here?\n\n```python\ndef parse(text):\n    if text:\n        return int(text)\n```';
  assert.equal(looksLikeCodeTask(selected), true, 'the selected code looks like a task');
  assert.equal(asksForCode('Why does parse return None here?', selected), false);
  assert.equal(asksForCode('Why does my code crash when the function gets an empty list?'), false);
  assert.equal(asksForCode('How does this function handle an empty list?', 'How does this function handle an empty list?\n\ndef f(xs):\n    return xs[0]'), false);
  assert.equal(asksForCode('What is wrong with this function? Fix it.', 'What is wrong with this function? Fix it.\n\ndef f(xs):\n    return xs[0]'), true);
  assert.equal(asksForCode('How do I write a function that reverses a linked list?'), true);
  assert.equal(asksForCode('Write a Python function that reverses a linked list.'), true);
  assert.equal(asksForCode('Complete the following Python function.\n```python\ndef add(a, b):\n    """Add two numbers."""\n```'), true);
});

test('a question that is not a code task has no checks and no unverifiable reason', () => {
  assert.deepEqual(extractChecks('Which is faster, and should I return any rows early? f(2) = 3 in my notes.'), { checks: [], rules: {} });
});

test('a design problem (a sequence of method calls) gives no call checks', () => {
  const found = extractChecks('Example 1:\n\nInput: ["LRUCache", "put", "get"]\n[[2], [1, 1], [1]]\nOutput: [null, null, 1]\n\nclass LRUCache:\n    def get(self, key: int) -> int:');
  assert.deepEqual(found.checks, []);
});
