import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  STARTER_BARS,
  checkStarterBars,
  parseChoiceOptions,
  validateStarterBank,
} from '../check-starter-bank';
import { REPO } from '../../test/fixtures/repo';

const SHIPPED = join(REPO, 'media', 'starter-bank.jsonl');

function line(fields: Record<string, unknown>): string {
  return JSON.stringify({
    id: 'starter-math-001',
    question: 'What is 6 times 7? Answer with the number only.',
    answer: '42',
    grader: 'number',
    domain: 'math',
    source: 'starter',
    ...fields,
  });
}

const CHOICE_QUESTION = 'Which is a prime?\nA. 4\nB. 6\nC. 7\nD. 9\nAnswer with the letter of the correct option.';

test('the shipped starter bank has no problems', () => {
  const { problems } = validateStarterBank(readFileSync(SHIPPED, 'utf8'));
  assert.deepEqual(problems, []);
});

test('the shipped starter bank meets the size, breadth and balance bars', () => {
  const { stats } = validateStarterBank(readFileSync(SHIPPED, 'utf8'));
  assert.deepEqual(checkStarterBars(stats), []);
  assert.ok(stats.questions >= STARTER_BARS.minQuestions, `${stats.questions} questions`);
  assert.ok(Object.keys(stats.byDomain).length >= STARTER_BARS.minDomains);
  const choices = Object.values(stats.byLetter).reduce((sum, count) => sum + count, 0);
  for (const [letter, count] of Object.entries(stats.byLetter)) {
    assert.ok(count / choices <= STARTER_BARS.maxLetterShare, `letter ${letter}: ${count} of ${choices}`);
  }
});

test('every shipped choice question offers the options its answer refers to', () => {
  const { records } = validateStarterBank(readFileSync(SHIPPED, 'utf8'));
  for (const record of records.filter((r) => r.grader === 'choice')) {
    const letters = parseChoiceOptions(record.question).map((option) => option.letter);
    assert.ok(letters.includes(record.answer as string), record.id);
  }
});

test('a valid line of each grader passes and is counted', () => {
  const text = [
    line({}),
    line({ id: 'starter-math-002', question: CHOICE_QUESTION, answer: 'C', grader: 'choice' }),
    line({ id: 'starter-git-001', domain: 'git', question: 'Which command shows the current branch name only?', answer: 'git branch --show-current', grader: 'exact' }),
  ].join('\n');
  const { problems, stats, records } = validateStarterBank(`${text}\n`);
  assert.deepEqual(problems, []);
  assert.equal(records.length, 3);
  assert.deepEqual(stats.byDomain, { math: 2, git: 1 });
  assert.deepEqual(stats.byGrader, { number: 1, choice: 1, exact: 1 });
  assert.deepEqual(stats.byLetter, { C: 1 });
});

test('problems name the line and the field', () => {
  const text = [
    line({}),
    '{not json',
    line({ id: 'starter-math-001', question: 'Another question?' }),
    line({ id: 'starter-math-003', grader: 'code' }),
    line({ id: 'starter-math-004', answer: 'forty-two' }),
    line({ id: 'starter-math-005', question: CHOICE_QUESTION, answer: 'E', grader: 'choice' }),
    line({ id: 'starter-sql-006' }),
    line({ id: 'starter-math-007', source: 'import' }),
    line({ id: 'starter-math-008', answer: undefined }),
    line({ id: 'starter-math-009', correct: { m: 1 } }),
    '',
    line({ id: 'starter-math-010' }),
  ].join('\n');
  const { problems, records } = validateStarterBank(text);
  const found = problems.map((p) => `${p.line}:${p.field}`);
  assert.deepEqual(found, [
    '2:line',
    '3:id',
    '4:grader',
    '5:answer',
    '6:answer',
    '7:id',
    '8:source',
    '9:answer',
    '10:correct',
    '11:line',
    '12:question',
  ]);
  assert.match(problems[1]!.message, /duplicate id starter-math-001, first on line 1/);
  assert.match(problems[4]!.message, /letter E is not among the options ABCD/);
  assert.match(problems[10]!.message, /same question as line 1/);
  assert.deepEqual(records.map((r) => r.id), ['starter-math-001']);
});

test('choice questions need 4 to 10 consecutively lettered options and the instruction', () => {
  const threeOptions = 'Pick one.\nA. x\nB. y\nC. z\nAnswer with the letter of the correct option.';
  const skipped = 'Pick one.\nA. w\nB. x\nD. y\nE. z\nAnswer with the letter of the correct option.';
  const noInstruction = 'Pick one.\nA. w\nB. x\nC. y\nD. z';
  const repeated = 'Pick one.\nA. w\nB. x\nC. x\nD. z\nAnswer with the letter of the correct option.';
  const text = [threeOptions, skipped, noInstruction, repeated]
    .map((question, index) => line({ id: `starter-math-00${index + 1}`, question, answer: 'A', grader: 'choice' }))
    .join('\n');
  const { problems } = validateStarterBank(text);
  assert.deepEqual(
    problems.map((p) => [p.line, p.field]),
    [
      [1, 'question'],
      [2, 'question'],
      [3, 'question'],
      [4, 'question'],
    ],
  );
  assert.match(problems[0]!.message, /found 3/);
  assert.match(problems[1]!.message, /lettered D, expected C/);
  assert.match(problems[2]!.message, /must contain/);
  assert.match(problems[3]!.message, /same text/);
});

test('the bars reject a small, narrow or lopsided bank', () => {
  const failures = checkStarterBars({
    questions: 10,
    byDomain: { math: 6, git: 4 },
    byGrader: { choice: 5, exact: 5 },
    byLetter: { A: 4, B: 1 },
  });
  assert.equal(failures.length, 4);
  assert.match(failures[0]!, /only 10 questions/);
  assert.match(failures[1]!, /only 2 domains/);
  assert.match(failures[2]!, /letter A answers 4 of 5/);
  assert.match(failures[3]!, /5 of 10 questions use the exact grader/);
});
