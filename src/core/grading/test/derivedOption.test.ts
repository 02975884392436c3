import { test } from 'node:test';
import assert from 'node:assert/strict';
import { derivesOption } from '../derivedOption';

// The question and two replies as MMLU-Pro publishes them (test/fixtures/e2e/mmlu-pro-replay.jsonl, MMLU-Pro/144).
const COST =
  'A wholesaler was going out of business so he sold merchandise for $1,288 at a loss of 8 percent of his original cost. Find the original cost of the merchandise.\n\nOptions:\nA. $1,350.00\nB. $1,600.00\nC. $1,400.00\nD. $1,250.00\nE. $1,550.00\n\nThink step by step, then finish with "The answer is (X)" where X is the letter of the correct option.';
const WORKED = 'Let x be the original cost.\nSo, the selling price is (100 - 8)% = 92% of the original cost.\nSelling price = 0.92 * x\n0.92x = 1288\nx = 1288 / 0.92\nx = 1400\nThe original cost of the merchandise is $1,400.\n\nThe answer is (C).';

test("a reply whose working arrives at the value of the option it picks has worked it out", () => {
  assert.equal(derivesOption(WORKED, COST, 'C'), true, '1400 against $1,400.00');
  assert.equal(derivesOption(WORKED, COST, 'A'), false, 'its working never states 1,350');
  const settled = 'Selling price = 0.92 * x = 1288, but taking 8 % of 1,288 instead: 1288 + 103.04 = 1391.04.\nThe closest option is C.\n\nThe answer is (C).';
  assert.equal(derivesOption(settled, COST, 'C'), false, 'it computed 1,391.04 and settled for the nearest option');
  assert.equal(derivesOption('The answer is (C).', COST, 'C'), null, 'no working to judge');
  assert.equal(derivesOption('It must be the $1,400 one.\n\nThe answer is (C).', COST, 'C'), null, 'one number is not working');
});

test('options restated in a reply are not working; its reasoning is', () => {
  const restated = 'Checking each option against 8 % of 1,288:\nA. $1,350.00\nB. $1,600.00\nC. $1,400.00\n(D) $1,250.00\nThe answer is (C).';
  assert.equal(derivesOption(restated, COST, 'C'), false, 'only the restated options state 1,400');
  const thinking = '<think>0.92x = 1288, so x = 1288 / 0.92 = 1400.</think>\nThe original cost was found above.\n\nThe answer is (C).';
  assert.equal(derivesOption(thinking, COST, 'C'), true);
  assert.equal(derivesOption('x = 1288 / 0.92 = 1400, so C.\n\n**Answer: C**', COST, 'C'), true, 'any final-answer cue ends the working');
});

test('an option of several numbers is worked out when the working states each; an option of words never is', () => {
  const sort = 'Insert 8 into [7, 10, 14]:\nStep 1: 7\nStep 2: 7, 10\n\nOptions:\nA. [7, 10, 13, 14]\nB. [7, 8, 10, 14]\nC. Nothing changes\n\nThe answer is (X).';
  const reply = 'Start with 7, 10 and 14. Inserting 8 keeps 7 first, then 8, then 10 and 14.\nThe answer is (B).';
  assert.equal(derivesOption(reply, sort, 'B'), true);
  assert.equal(derivesOption(reply, sort, 'A'), false, '13 is never stated');
  assert.equal(derivesOption(reply, sort, 'C'), null);
  assert.equal(derivesOption(reply, 'What is 2 + 2?', 'A'), null, 'a question without options');
  const numbered = 'How far does it go at 3 m/s for 4 s?\n1) 7 m\n2) 12 m\n3) 16 m';
  assert.equal(derivesOption('d = 3 × 4 = 12 metres.\nThe answer is 2)', numbered, '2'), true);
  assert.equal(derivesOption('d = 3 × 4 = 12 metres.\nThe answer is 2)', numbered, '3'), false);
});

test('options typed on one line, as in a chat, are read the same', () => {
  const inline = 'A wholesaler sold his goods for $1,288, at a loss of 8 % of their original cost. What was the original cost? A. $1,350 B. $1,400 C. $1,250 D. $1,600';
  assert.equal(derivesOption('0.92x = 1288, so x = 1288 / 0.92 = 1400.\nThe answer is (B).', inline, 'B'), true);
  assert.equal(derivesOption('At a loss it cost more than 1288 + 8 = 1296. The answer is (D).', inline, 'D'), false);
});
