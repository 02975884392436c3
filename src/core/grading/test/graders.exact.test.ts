import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractExact, grade, gradeExact, gradeNone, isPureGrader, normaliseExact } from '../graders';

test('normalisation: case, whitespace, quotes, backticks, bold, trailing period', () => {
  assert.equal(normaliseExact('  `git   stash pop`. '), 'git stash pop');
  assert.equal(normaliseExact('**"O(N LOG N)"**'), 'o(n log n)');
  assert.equal(normaliseExact('“Paris”!'), 'paris');
});

test('the text after "Answer:" is compared, not the explanation', () => {
  const reply = 'To drop the last commit but keep the changes staged you move HEAD back one.\n\nAnswer: `git reset --soft HEAD~1`';
  assert.equal(extractExact(reply), '`git reset --soft HEAD~1`');
  assert.equal(gradeExact(reply, 'git reset --soft HEAD~1').correct, true);
  assert.equal(gradeExact(reply, 'git reset --hard HEAD~1').correct, false);
});

test('a one-line reply is the answer; otherwise the last non-empty line', () => {
  assert.equal(gradeExact('SELECT DISTINCT', 'select distinct').correct, true);
  assert.equal(gradeExact('The keyword you need removes duplicates.\n\nDISTINCT\n', 'distinct').correct, true);
  assert.equal(gradeExact('Use a set.\n```python\nset(xs)\n```\nset(xs)', 'set(xs)').correct, true);
});

test('an empty reply is unparseable', () => {
  assert.deepEqual(gradeExact('   ', 'x'), { kind: 'exact', gradable: true, correct: false, extracted: null, unparseable: true });
});

test('grader none is not gradable and distinct from wrong', () => {
  assert.deepEqual(gradeNone(), { kind: 'none', gradable: false, correct: false, extracted: null, unparseable: false });
  assert.deepEqual(grade('none', 'anything', ''), gradeNone());
});

test('grade() dispatches by kind and code is not a pure grader', () => {
  assert.equal(grade('choice', 'The answer is (B).', 'B').correct, true);
  assert.equal(grade('number', 'so 2^10 = 1024', '1024').correct, true);
  assert.equal(grade('exact', 'Answer: LIFO', 'lifo').correct, true);
  assert.equal(isPureGrader('code'), false);
  assert.equal(isPureGrader('exact'), true);
  assert.throws(() => grade('code' as never, 'print(1)', 'assert True'), /not a pure grader/);
});

test('an "Answer:" line beats an earlier "the answer is" in the explanation', () => {
  const reply = 'The answer is simple once you know the flag.\nAnswer: git log --oneline';
  assert.equal(gradeExact(reply, 'git log --oneline').correct, true);
});

test('first match vs last: the last "Answer:" line in the answer part', () => {
  const reply = 'Answer: git stash\nThat loses untracked files, though.\nAnswer: git stash -u';
  assert.equal(gradeExact(reply, 'git stash -u').correct, true);
  assert.equal(gradeExact('Answer: merge\n</think>\n\nAnswer: rebase', 'rebase').correct, true);
  assert.equal(gradeExact('<think>Answer: merge</think>rebase', 'rebase').correct, true);
});
