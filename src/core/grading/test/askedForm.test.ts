import { test } from 'node:test';
import assert from 'node:assert/strict';
import { askedAnswerForm } from '../askedForm';

/** Whether `reply` matches the form `question` asks for (false when it asks for none). */
const inAskedForm = (reply: string, question: string): boolean => askedAnswerForm(question)?.test(reply) ?? false;

const MMLU_PRO = 'Which is stable?\n\nOptions:\nA. Heap sort\nB. Merge sort\n\nThink step by step, then finish with "The answer is (X)" where X is the letter of the correct option.';

test('the template a question gives for its answer, with the placeholder read as a label', () => {
  assert.ok(inAskedForm('Merge sort keeps equal keys in order.\n\nThe answer is (B).', MMLU_PRO));
  assert.ok(inAskedForm('so the answer is B', MMLU_PRO), 'without the parentheses, in another case');
  assert.ok(inAskedForm('The answer is **(B)**', MMLU_PRO), 'in bold');
  assert.equal(inAskedForm('The correct answer is: B. Merge sort', MMLU_PRO), false, 'another wording is not the asked form');
  assert.equal(inAskedForm('**Answer: B**', MMLU_PRO), false);
  assert.ok(inAskedForm('Final: 42 points', 'Reply in the form “Final: X points”.'), 'text after the placeholder, typographic quotes');
  assert.equal(inAskedForm('Final: 42', 'Reply in the form “Final: X points”.'), false);
});

test('a question without a template, or with a quoted X alone, asks for no form', () => {
  assert.equal(askedAnswerForm('What is 7 times 8?\nA. 54\nB. 56'), null);
  assert.equal(askedAnswerForm('What does "X" stand for in "X-Forwarded-For"?'), null);
  assert.equal(inAskedForm('The answer is (B).', 'Which is stable? A. Heap B. Merge'), false);
});
