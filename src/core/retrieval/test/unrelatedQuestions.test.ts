import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UNRELATED_QUESTIONS } from '../unrelatedQuestions';

test('every reference question is non-empty, with nothing around it to trim', () => {
  for (const question of UNRELATED_QUESTIONS) {
    assert.ok(question.length > 0, 'an empty question');
    assert.equal(question, question.trim(), `whitespace around ${JSON.stringify(question.slice(0, 60))}`);
  }
});

test('there are at least 240 reference questions', () => {
  assert.ok(UNRELATED_QUESTIONS.length >= 240, `${UNRELATED_QUESTIONS.length} questions`);
});

test('no two reference questions are the same once case and whitespace are ignored', () => {
  const seen = new Map<string, number>();
  UNRELATED_QUESTIONS.forEach((question, i) => {
    const key = question.toLowerCase().replace(/\s+/g, '');
    const earlier = seen.get(key);
    assert.equal(earlier, undefined, `questions ${earlier} and ${i} are the same: ${JSON.stringify(question.slice(0, 60))}`);
    seen.set(key, i);
  });
});
