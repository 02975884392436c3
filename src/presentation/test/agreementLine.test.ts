import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agreementLine, agreementLineText, CLOSE_MARGIN, replyAnswerLabel } from '../agreementLine';
import type { AgreementSummary } from '../../core/contracts/events';

const ref = (model: string, answer: string | null) => ({ reply: { kind: 'referencer' as const, model }, answer });
const cand = (index: number, answer: string | null) => ({ reply: { kind: 'candidate' as const, index }, answer });

/** A choice by the final answers: the split (answer, models, support), each reply's answer. */
function chosen(split: [string, string[], number][], answers: AgreementSummary['answers'], extra: Partial<AgreementSummary> = {}): AgreementSummary {
  const [first] = split;
  return { basis: 'answer', answer: first?.[0] ?? '', agreeing: first?.[1].length ?? 0, of: 3, support: first?.[2] ?? 0, split: split.map(([answer, models, support]) => ({ answer, models, support })), options: true, answers, ...extra };
}

test('unanimous: "3 of 3 models answer (D)", and every reply carries its badge', () => {
  const agreement = chosen([['D', ['a', 'b', 'c', 'agg'], 4.9]], [ref('a', 'D'), ref('b', 'D'), ref('c', 'D'), cand(0, 'D'), cand(1, null)]);
  assert.deepEqual(agreementLine(agreement), { text: '3 of 3 models answer (D)' });
  assert.equal(replyAnswerLabel(agreement, { kind: 'referencer', model: 'b' }), '(D)');
  assert.equal(replyAnswerLabel(agreement, { kind: 'candidate', index: 0 }), '(D)');
  assert.equal(replyAnswerLabel(agreement, { kind: 'candidate', index: 1 }), undefined, 'a reply stating no final answer has no badge');
});

test('a reply without a final answer is counted apart, never as agreeing', () => {
  const agreement = chosen([['D', ['a', 'b'], 3.3]], [ref('a', 'D'), ref('b', 'D'), ref('c', null)]);
  assert.deepEqual(agreementLine(agreement), { text: '2 of 3 models answer (D); 1 gives no final answer' });
  assert.equal(replyAnswerLabel(agreement, { kind: 'referencer', model: 'c' }), undefined);
  const two = chosen([['42', ['a'], 1.6]], [ref('a', '42'), ref('b', null), ref('c', null)], { options: false });
  assert.deepEqual(agreementLine(two), { text: '1 of 3 models answer 42; 2 give no final answer' }, 'numbers are shown as stated');
});

test('a split names who answers what and why the answer was chosen', () => {
  const name = (m: string): string => m.replace(/-00\d$/, '');
  const strong = chosen(
    [['B', ['gemini-1.5-pro-002'], 4.0], ['D', ['llama-3.1-70b', 'gemini-1.5-flash-001'], 2.2]],
    [ref('gemini-1.5-pro-002', 'B'), ref('llama-3.1-70b', 'D'), ref('gemini-1.5-flash-001', 'D'), cand(0, 'B')],
  );
  assert.deepEqual(agreementLine(strong, name), {
    text: 'gemini-1.5-pro answers (B) · llama-3.1-70b and gemini-1.5-flash answer (D) — chose (B): on similar questions gemini-1.5-pro is right more often than such a pair',
  });
  const majority = chosen([['D', ['b', 'c'], 3.3], ['B', ['a'], 1.6]], [ref('a', 'B'), ref('b', 'D'), ref('c', 'D')]);
  assert.equal(agreementLine(majority)?.text, 'b and c answer (D) · a answers (B) — chose (D): most models answer it');
  const kept = chosen([['B', ['a'], 1.6], ['D', ['b', 'c'], 3.3]], [ref('a', 'B'), ref('b', 'D'), ref('c', 'D')], { keptTop1: true });
  assert.equal(agreementLine(kept)?.text, 'a answers (B) · b and c answer (D) — chose (B): on similar questions a alone is right more often than a vote of these models');
  const aggregation = chosen([['C', ['agg'], 2.0], ['A', ['a'], 1.2], ['B', ['b'], 1.1]], [ref('a', 'A'), ref('b', 'B'), cand(0, 'C')]);
  assert.equal(agreementLine(aggregation)?.text, "the aggregation answers (C) · a answers (A) · b answers (B) — chose (C): the aggregation's answer weighs most");
});

test('where the working of the replies decided, the line says whose working arrives at the chosen value', () => {
  const worked = (model: string, answer: string) => ({ ...ref(model, answer), worked: true as const });
  const one = chosen([['B', ['b'], 1.96], ['A', ['a'], 1.74], ['C', ['c'], 1.2]], [ref('a', 'A'), worked('b', 'B'), ref('c', 'C')], { byWorking: true });
  assert.equal(agreementLine(one)?.text, 'b answers (B) · a answers (A) · c answers (C) — chose (B): the working of b arrives at the value of (B)');
  assert.equal(agreementLine(one)?.disagree, 'models disagree: a close choice between (B) and (A)', 'the working tips a close choice; it stays close');
  const pair = chosen([['B', ['b', 'c'], 3.4], ['A', ['a', 'd'], 3.2]], [ref('a', 'A'), worked('b', 'B'), worked('c', 'B'), ref('d', 'A')], { byWorking: true });
  assert.equal(agreementLine(pair)?.text, 'b and c answer (B) · a and d answer (A) — chose (B): the working of b and c arrives at the value of (B)');
  const aggregation = chosen([['C', ['agg'], 2.0], ['A', ['a'], 1.8]], [ref('a', 'A'), { ...cand(0, 'C'), worked: true }], { byWorking: true });
  assert.equal(agreementLine(aggregation)?.text, "the aggregation answers (C) · a answers (A) — chose (C): the aggregation's working arrives at the value of (C)");
  const most = chosen([['B', ['b', 'c'], 3.4], ['A', ['a'], 2.2]], [ref('a', 'A'), worked('b', 'B'), ref('c', 'B')], { byWorking: true });
  assert.equal(agreementLine(most)?.text, 'b and c answer (B) · a answers (A) — chose (B): most models answer it', 'more models: the count says why');
});

test('a tie of equal weights says so, never that the bank prefers the model kept', () => {
  const tie = chosen([['A', ['a'], 0.8], ['B', ['b'], 0.8], ['D', ['c'], 0.8]], [ref('a', 'A'), ref('b', 'B'), ref('c', 'D')]);
  assert.equal(agreementLine(tie)?.text, "a answers (A) · b answers (B) · c answers (D) — chose (A): the votes tie, and a is routing's first choice");
  assert.equal(agreementLine(tie)?.disagree, 'models disagree: a close choice between (A) and (B)');
  const weighed = chosen([['A', ['a'], 0.9], ['B', ['b'], 0.8]], [ref('a', 'A'), ref('b', 'B')]);
  assert.equal(agreementLine(weighed)?.text, 'a answers (A) · b answers (B) — chose (A): on similar questions a is right more often than b');
});

test('a close choice says the models disagree; a clear one does not', () => {
  const close = chosen([['B', ['a'], 1.8], ['D', ['b'], 1.6]], [ref('a', 'B'), ref('b', 'D'), ref('c', null)]);
  const line = agreementLine(close);
  assert.equal(line?.text, 'a answers (B) · b answers (D) · 1 gives no final answer — chose (B): on similar questions a is right more often than b');
  assert.equal(line?.disagree, 'models disagree: a close choice between (B) and (D)');
  assert.equal(agreementLineText(line ?? { text: '' }), `${line?.text ?? ''} (models disagree: a close choice between (B) and (D))`);
  const clear = chosen([['B', ['a'], 1.6 + CLOSE_MARGIN + 0.01], ['D', ['b'], 1.6]], [ref('a', 'B'), ref('b', 'D')]);
  assert.equal(agreementLine(clear)?.disagree, undefined);
  const against = chosen([['B', ['a'], 1.6], ['D', ['b', 'c'], 3.3]], [ref('a', 'B'), ref('b', 'D'), ref('c', 'D')], { keptTop1: true });
  assert.match(agreementLine(against)?.disagree ?? '', /models disagree/, 'the bank keeping top-1 against more support is close too');
});

test('no line without extracted answers: near-identical replies, or no answers read; the shortcut says what all stated', () => {
  assert.equal(agreementLine(undefined), undefined);
  assert.equal(agreementLine({ basis: 'similarity', similarity: 0.9, agreeing: 3, of: 3 }), undefined);
  assert.equal(agreementLine({ basis: 'answer', answer: 'C', agreeing: 2, of: 3, split: [{ answer: 'C', models: ['a', 'b'] }] }), undefined, 'a split without the answers behind it claims nothing');
  const shortcut: AgreementSummary = { basis: 'answer', answer: 'C', agreeing: 3, of: 3 };
  assert.deepEqual(agreementLine(shortcut), { text: '3 of 3 models answer C' });
  assert.equal(replyAnswerLabel(shortcut, { kind: 'referencer', model: 'any' }), 'C', 'every referencer stated it');
  assert.equal(replyAnswerLabel({ ...shortcut, agreeing: 2 }, { kind: 'referencer', model: 'any' }), undefined, 'a majority: which ones is not known');
});
