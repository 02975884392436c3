import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerShape, compareFinalAnswers, describeAnswer, finalAnswer, statedAnswers, type FinalAnswer } from '../finalAnswer';

const MC = 'How much is the discount?\n\nOptions:\nA. $900\nB. $557.34\nC. $44,100\nD. $1,400\n\nThink step by step.';
const PAREN = 'Which gas is inert?\n(A) Oxygen\n(B) Argon\n(C) Hydrogen';
const NUMBERED = 'Pick the prime:\n1) 21\n2) 23\n3) 25';
const HOW_MUCH = 'Q: Eliza earns $10 an hour for 40 hours. How much does she earn?\n\nYour final answer should be a single numerical number, in the form \\boxed{answer}, at the end of your response.';

test('the shape of the answer a question asks for', () => {
  const table: [string, ReturnType<typeof answerShape>][] = [
    [MC, { kind: 'choice', labels: ['A', 'B', 'C', 'D'] }],
    [PAREN, { kind: 'choice', labels: ['A', 'B', 'C'] }],
    [NUMBERED, { kind: 'choice', labels: ['1', '2', '3'] }],
    ['Is 91 a prime number?', { kind: 'yesno' }],
    ['Which file defines the router?', { kind: 'name' }],
    ['What is the integral of 2x?', { kind: 'open' }],
    ['Explain how merge sort works.', { kind: 'open' }],
    ['A. only one option line here', { kind: 'open' }],
    // As typed into a chat, on one line: at least three in sequence from A.
    ['Which is prime? A. 21 B. 23 C. 25 D. 27', { kind: 'choice', labels: ['A', 'B', 'C', 'D'] }],
    ['Pick one: (A) heapsort (B) mergesort (C) quicksort', { kind: 'choice', labels: ['A', 'B', 'C'] }],
    ['Is plan A. better than plan B.?', { kind: 'yesno' }],
  ];
  for (const [question, shape] of table) assert.deepEqual(answerShape(question), shape, question);
});

// Replies as MMLU-Pro's published outputs write them (test/fixtures/e2e/mmlu-pro-replay.jsonl), and other shapes.
test('the final answer of each reply, read as its question asks', () => {
  const table: [string, string | undefined, FinalAnswer | null][] = [
    ['A: Let\'s think step by step. P = 45,000 - 900 = 44,100. The answer is (C).', MC, { kind: 'choice', letter: 'C' }],
    ['Substituting the values: P = 45,000 - 900 = 44,100\n\nTherefore, the answer is $\\boxed{A}$.', MC, { kind: 'choice', letter: 'A' }],
    ['The total revenue is the sum of both. Therefore, the correct answer is (B).', MC, { kind: 'choice', letter: 'B' }],
    ['Reasoning first.\n\n**Answer: D**', MC, { kind: 'choice', letter: 'D' }],
    ['So the discount is what is left.\n\n(B)', MC, { kind: 'choice', letter: 'B' }],
    ['The discount is simply the difference.\n$44,100', MC, { kind: 'choice', letter: 'C' }],
    ['The answer is (K).', MC, null],
    ["I'm sorry, but I can't assist with that request.", MC, null],
    ['Argon is a noble gas. The answer is (B)', PAREN, { kind: 'choice', letter: 'B' }],
    ['23 has no divisors but 1 and itself. The answer is 2.', NUMBERED, { kind: 'choice', letter: '2' }],
    ['Check each:\n2) 23', NUMBERED, { kind: 'choice', letter: '2' }],
    ['No. 91 = 7 × 13.', 'Is 91 a prime number?', { kind: 'yesno', yes: false }],
    ['Check the divisors: 7 × 13 = 91.\n\nAnswer: **No**, it is composite.', 'Is 91 a prime number?', { kind: 'yesno', yes: false }],
    ['Yes, it is: 97 has no divisor up to 9.', 'Is 97 a prime number?', { kind: 'yesno', yes: true }],
    ['The routes live in `src/router.ts`.\n\nAnswer: `src/router.ts`', 'Which file defines the router?', { kind: 'name', text: 'src/router.ts' }],
    ['We get \\boxed{x^2 + C}', 'What is the integral of 2x?', { kind: 'expression', span: 'x^2 + C' }],
    ['#### 1,234', undefined, { kind: 'number', span: '1,234', value: { value: 1234, percent: false } }],
    ['Merge sort splits the list and merges the halves.', 'Explain how merge sort works.', null],
    // GSM8K replies as gpt-3.5-turbo published them (test/fixtures/e2e/gsm8k-replay.jsonl): the number in the concluding sentence.
    ["Total earnings = $400 + $60 = $<<400+60=460>>460\n\nTherefore, Eliza's earnings for this week are $460.", HOW_MUCH, { kind: 'number', span: '460', value: { value: 460, percent: false } }],
    ['Profit = $70,000\n\nTherefore, Josh made a profit of $70,000.', HOW_MUCH, { kind: 'number', span: '70,000', value: { value: 70000, percent: false } }],
    ['We add them: 2 + 3 = 5.\nLet me know if you want more.', HOW_MUCH, null],
    ['Therefore, it finishes in 3 passes.', 'Explain how merge sort works.', null],
    ['78 x 2 = 156kgs.\n\n\\boxed{156kgs}', 'How heavy are the marbles?', { kind: 'number', span: '156', value: { value: 156, percent: false }, quantity: '156kgs' }],
  ];
  for (const [reply, question, expected] of table) assert.deepEqual(finalAnswer(reply, question), expected, reply);
});

test('every answer stated on the way: a reply that goes on to other questions states several', () => {
  const rambling = 'The answer is (C).\n\nNow, let\'s combine all the answers:\nThe answer is (F).';
  assert.deepEqual(statedAnswers(rambling, MC).map(describeAnswer), ['C']);
  const options = 'Which is it?\nA. a\nB. b\nC. c\nD. d\nE. e\nF. f';
  assert.deepEqual(statedAnswers(rambling, options).map(describeAnswer), ['C', 'F']);
  assert.deepEqual(finalAnswer(rambling, options), { kind: 'choice', letter: 'F' }, 'the final answer is the last');
});

test('answers compare as quantities and as mathematics when an equivalence is given', () => {
  const number = (span: string): FinalAnswer => {
    const answer = finalAnswer(`Answer: ${span}`);
    assert.ok(answer !== null, span);
    return answer;
  };
  assert.equal(compareFinalAnswers(number('1/2'), number('50%')), 1);
  assert.equal(compareFinalAnswers(number('1.5e-3'), number('0.0015')), 1);
  assert.equal(compareFinalAnswers(number('3/4'), number('0.7')), 0);
  const km = number('12 km');
  const m = number('12000 m');
  assert.equal(compareFinalAnswers(km, m), 0, 'without an equivalence, the numbers alone');
  assert.equal(compareFinalAnswers(km, m, undefined, (a, b) => (a === '12 km' && b === '12000 m' ? true : null)), 1, 'with one, as quantities');
  assert.equal(compareFinalAnswers(number('12'), number('12.0'), undefined, () => false), 1, 'no units: the numbers');
  const x1: FinalAnswer = { kind: 'expression', span: '\\frac{x^2-1}{x-1}' };
  const x2: FinalAnswer = { kind: 'expression', span: 'x+1' };
  assert.equal(compareFinalAnswers(x1, x2), 0, 'different texts, no equivalence: different');
  assert.equal(compareFinalAnswers(x1, x2, undefined, () => true), 1);
  assert.equal(compareFinalAnswers({ kind: 'expression', span: '\\dfrac{1}{x}' }, { kind: 'expression', span: '\\frac{1}{x}' }), 1, 'the same text up to spacing and \\dfrac');
  assert.equal(compareFinalAnswers({ kind: 'yesno', yes: true }, { kind: 'choice', letter: 'A' }), null, 'different kinds');
});

test('options listed on one line are read like options listed one per line: by letter, and by their text', () => {
  const inline = 'Which sort is stable? A. heapsort B. merge sort C. quicksort';
  assert.deepEqual(finalAnswer('Merge sort keeps equal keys in order. The answer is (B).', inline), { kind: 'choice', letter: 'B' });
  assert.deepEqual(finalAnswer('Answer: merge sort', inline), { kind: 'choice', letter: 'B' }, 'the option named by its text');
});
