import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractNumber, gradeNumber, numbersEquivalent, parseNumber, GraderAnswerError } from '../graders';

test('the last \\boxed{} wins over numbers in the working', () => {
  const reply = 'There are 12 workers; each handles 35 requests per second.\nTotal = 12 × 35 = 420, minus 20 retries.\n\n$\\boxed{400}$ requests per second, checked twice in 2 runs.';
  assert.equal(extractNumber(reply), '400');
  assert.equal(gradeNumber(reply, '400').correct, true);
});

test('a boxed value with units or an equation keeps only the number', () => {
  assert.equal(gradeNumber('So \\boxed{x = 7}', '7').correct, true);
  assert.equal(gradeNumber('\\boxed{52{,}000 \\text{ dollars}}', '52000').correct, true);
});

test('without a box, the number after "the answer is" beats a later step number', () => {
  const reply = 'Binary search halves 1,048,576 items until one is left.\nThe answer is 20 comparisons (see step 3).';
  assert.equal(extractNumber(reply), '20');
  assert.equal(gradeNumber(reply, '20').correct, true);
});

test('otherwise the final number in the reply', () => {
  const reply = 'Each of the 3 shards holds 2.5 GB, and replication doubles it, so the cluster stores 15 GB';
  assert.equal(extractNumber(reply), '15');
  assert.equal(gradeNumber('#### 72', '72').correct, true);
});

test('thousands separators, negatives, scientific notation, percentages', () => {
  assert.equal(gradeNumber('The market value is $52,000.', '52000').correct, true);
  assert.equal(gradeNumber('The change in entropy is -0.108 J/K', '-0.108').correct, true);
  assert.equal(gradeNumber('Energy: 3.37 \\times 10^{-12} erg', '3.37e-12').correct, true);
  assert.equal(gradeNumber('The hit rate is 87.5%', '0.875').correct, true);
  assert.equal(gradeNumber('The hit rate is 87.5%', '87.5').correct, true);
  assert.equal(gradeNumber('The hit rate is 0.875', '87.5%').correct, true);
  assert.equal(gradeNumber('The hit rate is 85%', '0.875').correct, false);
});

test('fractions: a/b, \\frac, \\dfrac, negative fractions', () => {
  assert.equal(gradeNumber('The probability is 3/4.', '0.75').correct, true);
  assert.equal(gradeNumber('So $p = \\frac{3}{4}$', '3/4').correct, true);
  assert.equal(gradeNumber('\\boxed{-\\dfrac{1}{2}}', '-0.5').correct, true);
  assert.equal(gradeNumber('\\boxed{\\frac{2}{3}}', '0.6667').correct, true, 'within relative tolerance 1e-4');
  assert.equal(gradeNumber('\\boxed{\\frac{2}{3}}', '0.67').correct, false);
});

test('a range "3-5" ends in 5, not minus 5', () => {
  assert.equal(extractNumber('Expect between 3-5'), '5');
});

test('tolerance is configurable', () => {
  assert.equal(gradeNumber('about 3.14', '3.14159').correct, false);
  assert.equal(gradeNumber('about 3.14', '3.14159', { relTol: 1e-3, absTol: 0 }).correct, true);
  assert.equal(numbersEquivalent({ value: 0, percent: false }, { value: 1e-12, percent: false }), true);
});

test('parseNumber rejects text that is not one number', () => {
  assert.equal(parseNumber('two hundred'), null);
  assert.equal(parseNumber('1/0'), null);
  assert.deepEqual(parseNumber('$1,794'), { value: 1794, percent: false });
  assert.deepEqual(parseNumber('12.5 \\%'), { value: 12.5, percent: true });
});

test('no number at all is unparseable; a bad reference answer is refused', () => {
  assert.deepEqual(gradeNumber('It depends on the input size.', '4'), {
    kind: 'number', gradable: true, correct: false, extracted: null, unparseable: true,
  });
  assert.throws(() => gradeNumber('42', 'forty-two'), GraderAnswerError);
});

test('first match vs last: the last "answer is" in the answer part, not one in the reasoning', () => {
  const reply = 'The answer is 12 if both shards count.\nBut replication doubles it, so the answer is 24.';
  assert.equal(extractNumber(reply), '24');
  assert.equal(extractNumber('<think>the answer is 7</think>\n\nThe answer is 9.'), '9');
  assert.equal(extractNumber('so the answer is 7, I think.\n</think>\n\nThe answer is 9, after 3 checks.'), '9');
  assert.equal(gradeNumber('First: \\boxed{3}. Corrected: \\boxed{4}.', '4').correct, true);
});
