import { test } from 'node:test';
import assert from 'node:assert/strict';
import { voteDetail } from '../voteDetail';
import { voteOnAnswers, type Voter } from '../../posterior/answerVote';
import { finalAnswer, type FinalAnswer } from '../../grading/finalAnswer';

const choice = (letter: string): FinalAnswer => ({ kind: 'choice', letter });
const read = (text: string): FinalAnswer | null => finalAnswer(text);

test("each reply's answer is worded as the split entry it falls in, so equal numbers written apart read as one", () => {
  const voters: Voter[] = [
    { model: 'a', answer: read('The answer is 0.5'), reliability: 0.7 },
    { model: 'b', answer: read('The answer is 1/2'), reliability: 0.7 },
    { model: 'c', answer: read('The answer is 3'), reliability: 0.7 },
  ];
  const vote = voteOnAnswers({ voters, bank: [], options: 0 });
  assert.ok(vote);
  const detail = voteDetail(vote, voters, [
    ...voters.map((v) => ({ reply: { kind: 'referencer' as const, model: v.model }, answer: v.answer, worked: false })),
    { reply: { kind: 'candidate', index: 0 }, answer: read('So the answer is 50%'), worked: false },
    { reply: { kind: 'candidate', index: 1 }, answer: null, worked: false },
  ]);
  assert.deepEqual(detail.split?.map((s) => [s.answer, s.models]), [['0.5', ['a', 'b']], ['3', ['c']]]);
  assert.ok((detail.split?.[0]?.support ?? 0) > (detail.split?.[1]?.support ?? 0), 'each entry carries its support');
  assert.deepEqual(detail.answers?.map((a) => a.answer), ['0.5', '0.5', '3', '0.5', null]);
  assert.equal(detail.options, undefined, 'numbers are no options');
  assert.equal(detail.keptTop1, undefined);
  assert.equal(detail.byWorking, undefined);
  assert.ok(detail.answers?.every((a) => !('worked' in a)), 'no reply worked an option out');
});

test('options are marked when every stated answer names one; the bank keeping top-1 is said', () => {
  const voters: Voter[] = [
    { model: 'top', answer: choice('B'), reliability: 0.7 },
    { model: 'b', answer: choice('D'), reliability: 0.7 },
    { model: 'c', answer: choice('D'), reliability: 0.7 },
  ];
  const labels = new Map([['top', 1], ['b', 0], ['c', 0]]);
  const reliability = new Map([['top', 0.7], ['b', 0.7], ['c', 0.7]]);
  const vote = voteOnAnswers({ voters, bank: Array.from({ length: 10 }, () => ({ weight: 1, labels, reliability })), options: 10 });
  assert.ok(vote?.fallback);
  const detail = voteDetail(vote, voters, [...voters.map((v) => ({ reply: { kind: 'referencer' as const, model: v.model }, answer: v.answer, worked: v.model === 'b' })), { reply: { kind: 'referencer', model: 'quiet' }, answer: null, worked: false }]);
  assert.equal(detail.keptTop1, true);
  assert.equal(detail.options, true);
  assert.deepEqual(detail.split?.map((s) => s.answer), ['B', 'D']);
  assert.deepEqual(detail.answers?.at(-1), { reply: { kind: 'referencer', model: 'quiet' }, answer: null });
  assert.deepEqual(detail.answers?.[1], { reply: { kind: 'referencer', model: 'b' }, answer: 'D', worked: true }, 'a reply that worked its option out says so');
});
