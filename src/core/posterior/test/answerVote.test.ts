import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bankPrefersTop1, compareOnBank, DERIVED_BONUS, voteOnAnswers, voteWeight, WRONG_AGREE, type Voter, type VoteRow } from '../answerVote';
import type { FinalAnswer } from '../../grading/finalAnswer';
import { createRng } from '../../util/rng';

const choice = (letter: string): FinalAnswer => ({ kind: 'choice', letter });
const voter = (model: string, letter: string | null, reliability: number): Voter => ({ model, answer: letter === null ? null : choice(letter), reliability });

/** `count` support questions with the given labels per model, and each model's share (the same with one left out, for brevity). */
function rows(count: number, labels: Record<string, number>, shares: Record<string, number>): VoteRow[] {
  return Array.from({ length: count }, () => ({ weight: 1, labels: new Map(Object.entries(labels)), reliability: new Map(Object.entries(shares)) }));
}

test('a vote weighs a model by its odds of being right over the chance a wrong answer is shared', () => {
  assert.ok(Math.abs(voteWeight(0.8, 10) - (Math.log(4) - Math.log(WRONG_AGREE))) < 1e-12);
  assert.ok(Math.abs(voteWeight(0.8, 2) - Math.log(4)) < 1e-12, 'two options: every wrong answer is shared');
  assert.equal(voteWeight(0.2, 10), 0, 'a model right less often than a wrong answer is shared counts for nothing');
  assert.ok(voteWeight(0.9, 10) > 2 * voteWeight(0.55, 10), 'one strong model outweighs two weak ones');
});

test('without a bank the votes decide: two agreeing models overrule top-1', () => {
  const vote = voteOnAnswers({ voters: [voter('top', 'A', 0.6), voter('b', 'C', 0.6), voter('c', 'C', 0.6)], bank: [], options: 10 });
  assert.equal(vote?.fallback, false);
  assert.deepEqual(vote?.answer, choice('C'));
  assert.equal(vote?.overruled, true);
  assert.deepEqual(vote?.split.map((s) => [s.answer, s.models]), [['C', ['b', 'c']], ['A', ['top']]]);
});

test('two weak models do not overrule a strong one', () => {
  const vote = voteOnAnswers({ voters: [voter('strong', 'B', 0.9), voter('weak1', 'D', 0.5), voter('weak2', 'D', 0.5)], bank: [], options: 10 });
  assert.deepEqual(vote?.answer, choice('B'));
  assert.equal(vote?.overruled, false);
});

test('the bank decides between the vote and top-1: where top-1 alone is right, top-1 is kept; where the others are, they overrule', () => {
  const shares = { top: 0.7, b: 0.7, c: 0.7 };
  const topRight = rows(20, { top: 1, b: 0, c: 0 }, shares);
  const othersRight = rows(20, { top: 0, b: 1, c: 1 }, shares);
  assert.equal(bankPrefersTop1(topRight, ['top', 'b', 'c'], 10), true, 'the wrong pair agrees 45 % of the time and would overrule top-1');
  assert.equal(bankPrefersTop1(othersRight, ['top', 'b', 'c'], 10), false);
  const voters = [voter('top', 'A', 0.7), voter('b', 'C', 0.7), voter('c', 'C', 0.7)];
  const kept = voteOnAnswers({ voters, bank: topRight, options: 10 });
  assert.deepEqual([kept?.answer, kept?.fallback], [choice('A'), true]);
  assert.deepEqual(voteOnAnswers({ voters, bank: othersRight, options: 10 })?.answer, choice('C'));
  assert.equal(bankPrefersTop1(rows(5, { b: 1, c: 1 }, shares), ['top', 'b', 'c'], 10), false, 'questions without top-1\'s label say nothing: the vote');
  const bothRight = rows(5, { top: 1, b: 1, c: 1 }, shares);
  assert.equal(bankPrefersTop1(bothRight, ['top', 'b', 'c'], 10), false, 'a tie: the vote, which does no worse');
});

test('top-1 is kept only where its lead on the bank is more than one standard error: a smaller lead is what a small bank shows by chance', () => {
  const shares = { top: 0.7, b: 0.7, c: 0.7 };
  const models = ['top', 'b', 'c'];
  // Top-1 alone right: the vote is right unless the wrong pair agrees (1 − 0.45); the pair right: only the vote is.
  const narrow = [...rows(10, { top: 1, b: 0, c: 0 }, shares), ...rows(4, { top: 0, b: 1, c: 1 }, shares)];
  const close = compareOnBank(narrow, models, 10);
  assert.ok(Math.abs(close.top1 - 10 / 14) < 1e-12 && Math.abs(close.vote - (10 * 0.55 + 4) / 14) < 1e-12);
  assert.ok(close.top1 > close.vote, 'top-1 leads, barely');
  assert.ok(close.top1 - close.vote < close.standardError);
  assert.equal(bankPrefersTop1(narrow, models, 10), false, 'a lead within one standard error: the vote');
  const wide = [...rows(20, { top: 1, b: 0, c: 0 }, shares), ...rows(5, { top: 0, b: 1, c: 1 }, shares)];
  const clear = compareOnBank(wide, models, 10);
  assert.ok(clear.top1 - clear.vote > clear.standardError);
  assert.equal(bankPrefersTop1(wide, models, 10), true, 'a lead beyond one standard error: top-1');
  const voters = [voter('top', 'A', 0.7), voter('b', 'C', 0.7), voter('c', 'C', 0.7)];
  assert.deepEqual(voteOnAnswers({ voters, bank: narrow, options: 10 })?.answer, choice('C'));
  assert.deepEqual(voteOnAnswers({ voters, bank: wide, options: 10 })?.answer, choice('A'));
  assert.equal(compareOnBank(rows(1, { top: 1, b: 0, c: 0 }, shares), models, 10).standardError, Infinity, 'one question says nothing of the spread');
  assert.equal(bankPrefersTop1(rows(1, { top: 1, b: 0, c: 0 }, shares), models, 10), false);
});

test('an aggregation adds no vote for an answer its own references stated, one vote for a new one', () => {
  const refs = [voter('top', 'A', 0.7), voter('b', 'C', 0.7)];
  const echo = voteOnAnswers({ voters: [...refs, { model: 'agg', answer: choice('C'), reliability: 0.9, subset: ['b'] }], bank: [], options: 10 });
  assert.deepEqual(echo?.answer, choice('A'), 'C is b\'s own answer again: a tie, top-1 keeps it');
  assert.deepEqual(echo?.split[1]?.models, ['b', 'agg']);
  const own = voteOnAnswers({ voters: [...refs, voter('c', 'D', 0.7), { model: 'agg', answer: choice('D'), reliability: 0.7, subset: ['top', 'b'] }], bank: [], options: 10 });
  assert.deepEqual(own?.answer, choice('D'), 'D is new to the aggregation\'s references: its vote and c\'s overrule');
});

test('no final answer among the referencers: no vote; top-1 is the first that states one', () => {
  assert.equal(voteOnAnswers({ voters: [voter('a', null, 0.9), voter('b', null, 0.5)], bank: [], options: 10 }), null);
  const vote = voteOnAnswers({ voters: [voter('a', null, 0.9), voter('b', 'B', 0.6), voter('c', 'C', 0.6)], bank: [], options: 10 });
  assert.deepEqual(vote?.answer, choice('B'), 'a tie between b and c: b is top-1 among those stating one');
});

test('on any bank the rule chosen does worse than top-1 by no more than one standard error (random banks)', () => {
  const rng = createRng(44);
  const models = ['top', 'b', 'c'];
  const voters = [voter('top', 'A', 0.7), voter('b', 'C', 0.7), voter('c', 'C', 0.7)];
  let kept = 0;
  for (let trial = 0; trial < 300; trial++) {
    const bank: VoteRow[] = Array.from({ length: 5 + Math.floor(rng.next() * 60) }, () => ({
      weight: rng.next(),
      labels: new Map(models.map((m) => [m, rng.next() < (m === 'top' ? 0.4 + 0.5 * rng.next() : 0.3 + 0.5 * rng.next()) ? 1 : 0])),
      reliability: new Map(models.map((m) => [m, 0.3 + 0.6 * rng.next()])),
    }));
    const { vote, top1, standardError } = compareOnBank(bank, models, 10);
    const chosen = voteOnAnswers({ voters, bank, options: 10 });
    const onBank = chosen?.fallback === true ? top1 : vote;
    assert.ok(onBank >= top1 - standardError - 1e-9, `trial ${trial}: the rule chosen ${onBank} against top-1 ${top1} ± ${standardError}`);
    assert.equal(chosen?.fallback, top1 - vote > standardError + 1e-9);
    assert.deepEqual(chosen?.answer, choice(chosen?.fallback === true ? 'A' : 'C'));
    if (chosen?.fallback === true) kept++;
  }
  assert.ok(kept > 0 && kept < 300, `both rules chosen on some banks (top-1 kept on ${kept})`);
});

test("a reply that works out its option's value weighs DERIVED_BONUS more, and the vote says when that decided", () => {
  assert.ok(Math.abs(voteWeight(0.7, 10, true) - voteWeight(0.7, 10) - DERIVED_BONUS) < 1e-12);
  const worked = (model: string, letter: string, reliability: number): Voter => ({ ...voter(model, letter, reliability), worked: true });
  // Three different answers: top-1 (0.72) leads a model of 0.66 by less than the bonus.
  const plain = voteOnAnswers({ voters: [voter('top', 'A', 0.72), voter('b', 'B', 0.66), voter('c', 'C', 0.6)], bank: [], options: 10 });
  assert.deepEqual([plain?.answer, plain?.byWorking], [choice('A'), false]);
  const decided = voteOnAnswers({ voters: [voter('top', 'A', 0.72), worked('b', 'B', 0.66), voter('c', 'C', 0.6)], bank: [], options: 10 });
  assert.deepEqual([decided?.answer, decided?.byWorking, decided?.overruled], [choice('B'), true, true]);
  const both = voteOnAnswers({ voters: [worked('top', 'A', 0.72), worked('b', 'B', 0.66), voter('c', 'C', 0.6)], bank: [], options: 10 });
  assert.deepEqual([both?.answer, both?.byWorking], [choice('A'), false], 'both worked out: the weights decide as before');
  const pair = voteOnAnswers({ voters: [worked('top', 'A', 0.72), voter('b', 'C', 0.66), voter('c', 'C', 0.66)], bank: [], options: 10 });
  assert.deepEqual([pair?.answer, pair?.byWorking], [choice('C'), false], 'the bonus does not outweigh an agreeing pair of similar models');
  const kept = voteOnAnswers({ voters: [voter('top', 'A', 0.7), worked('b', 'B', 0.7), voter('c', 'C', 0.7)], bank: rows(20, { top: 1, b: 0, c: 0 }, { top: 0.7, b: 0.7, c: 0.7 }), options: 10 });
  assert.deepEqual([kept?.answer, kept?.fallback, kept?.byWorking], [choice('A'), true, false], 'where the bank keeps top-1, the working does not decide');
});
