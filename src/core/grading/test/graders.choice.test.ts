import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractChoice, gradeChoice, GraderAnswerError } from '../graders';

test('explicit "answer is (X)" wins over distractor letters in the reasoning', () => {
  const reply = [
    'Let me go through the options. (A) confuses stack and heap, so it is out.',
    'B would leak memory. I think C is tempting but it ignores the base case.',
    'Option D handles both cases correctly.',
    'The answer is (D).',
  ].join('\n');
  assert.equal(extractChoice(reply), 'D');
  const graded = gradeChoice(reply, 'D');
  assert.deepEqual(graded, { kind: 'choice', gradable: true, correct: true, extracted: 'D', unparseable: false });
  assert.equal(gradeChoice(reply, 'C').correct, false);
});

test('the last stated answer is the final one: a self-correction wins over the first statement', () => {
  const reply = 'At first sight the answer is (B), since the loop runs once.\nWait: the guard is checked twice, so the answer is (D).';
  assert.equal(extractChoice(reply), 'D');
  assert.equal(gradeChoice(reply, 'D').correct, true);
  assert.equal(extractChoice('Answer: A\n\nOn reflection the base case fails for 0.\n\nAnswer: C'), 'C');
  assert.equal(extractChoice('Maybe \\boxed{A}. No: the final choice is \\boxed{E}.'), 'E');
});

test('first match vs last: a later statement replaces an earlier one, also across answer forms of one kind', () => {
  // MMLU-Pro-style continuation (Qwen1.5-72B-Chat, 5-shot): the last statement is taken, by design
  const reply = 'Depreciation is 0.36 per hour, so 478 hours cost $172.08. The answer is (G).\n\nNow, combining all the answers:\nThe answer is (B).';
  assert.equal(extractChoice(reply), 'B');
  assert.equal(extractChoice('The answer is (C). Final check done, the answer is C.'), 'C');
});

test('the last answer statement naming several letters makes the reply unparseable; a single one after a list decides', () => {
  assert.equal(extractChoice('The answer is (B). Thinking more, the answer is (A, C).'), null);
  assert.equal(extractChoice('The answer is A or B. Checking the units, the answer is (B).'), 'B');
});

test('"answer is" variants: no parentheses, ellipsis, option word, lower-case answer word', () => {
  assert.equal(extractChoice('So the correct answer is B because the loop runs n times.'), 'B');
  assert.equal(extractChoice('Final Answer: The answer is ... G.'), 'G');
  assert.equal(extractChoice('Hence the answer would be option E, which matches O(n log n).'), 'E');
});

test('"Answer: X" with markdown bold around the colon', () => {
  assert.equal(extractChoice('We compare both regexes; only one anchors the end.\n\n**Final Answer:** (C)'), 'C');
  assert.equal(extractChoice('Answer: H'), 'H');
});

test('\\boxed{X} in LaTeX style replies', () => {
  assert.equal(extractChoice('Evaluating each expression, only the third is idempotent.\n\n$\\boxed{\\text{C}}$'), 'C');
  assert.equal(extractChoice('Thus \\boxed{(F)}.'), 'F');
});

test('a bold letter as the final answer', () => {
  assert.equal(extractChoice('Checking options A through E, the only one that terminates is **E**.'), 'E');
});

test('last standalone letter fallback skips "A" and "I" used as words', () => {
  assert.equal(extractChoice('I think a hash map is best here. It gives O(1) lookups, so I pick F'), 'F');
  assert.equal(extractChoice('Between the candidates, B looks right. A list would be slower.'), 'B');
  assert.equal(extractChoice('After ruling out the others I would choose (A).'), 'A');
  assert.equal(extractChoice('The remaining option is I.'), 'I');
});

test('letters inside formulas are not choices', () => {
  assert.equal(extractChoice('We get $E = mc^2$ and then F = ma gives the force.'), null);
});

test('an answer naming several letters is unparseable, not the first or last of them', () => {
  assert.equal(extractChoice('Options B, D and E fail. The answer is (A, C).'), null);
  assert.equal(extractChoice('The answer is A or B.'), null);
  assert.equal(gradeChoice('The answer is (A, C).', 'A').unparseable, true);
});

test('a reply with no recognisable choice is unparseable and wrong, not guessed', () => {
  const reply = 'The question does not give enough information to determine the result, so no option can be chosen.';
  assert.equal(extractChoice(reply), null);
  assert.deepEqual(gradeChoice(reply, 'A'), { kind: 'choice', gradable: true, correct: false, extracted: null, unparseable: true });
});

test('letters beyond J are not options', () => {
  assert.equal(extractChoice('The answer is (K).'), null);
});

test('reasoning blocks are ignored', () => {
  assert.equal(extractChoice('<think>The answer is (B)? no...</think>The answer is (C).'), 'C');
});

test('everything before a lone </think> is reasoning, and so is a <think> never closed', () => {
  assert.equal(extractChoice('The answer is (B)? Let me check.\n</think>\n\nThe option that compiles is (C).'), 'C');
  assert.equal(extractChoice('Answer: E\n</think>\n\nNone of them; unparseable on purpose.'), null);
  assert.equal(extractChoice('The answer is (D).\n<think>but the answer is (A)'), 'D');
});

test('reference answers are normalised and bad ones are refused', () => {
  assert.equal(gradeChoice('The answer is (c).', '(C)').correct, false);
  assert.equal(gradeChoice('The answer is (C).', ' c. ').correct, true);
  assert.throws(() => gradeChoice('The answer is (C).', 'Paris'), GraderAnswerError);
});
