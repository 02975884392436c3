import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reliabilities, shareRight } from '../reliability';
import type { SupportSet } from '../../contracts/priorSource';

const support: SupportSet = {
  bankSize: 4,
  ids: ['q1', 'q2', 'q3', 'q4'],
  similarities: [1, 1, 0.5, 0.5],
  columns: new Map([
    ['a', { correct: [1, 1, 0, 1] }],
    ['b', { correct: [0, -1, 1, 0] }],
  ]),
};

test('a model\'s share right on the support set is similarity-weighted, and shrinks toward its bank-wide share', () => {
  assert.equal(shareRight(support, 'a', [0, 1, 2, 3]), 2.5 / 3);
  assert.equal(shareRight(support, 'b', [0, 1, 2, 3]), 0.5 / 2, 'b has no label on q2');
  assert.equal(shareRight(support, 'c', [0, 1, 2, 3]), null);
  const shrunk = shareRight(support, 'a', [0, 1, 2, 3], { alpha: 1e9, overall: new Map([['a', { correct: 1, labelled: 4 }]]) });
  assert.ok(Math.abs((shrunk ?? 0) - 0.25) < 1e-6, 'a huge α: the bank-wide share');
});

test('each support question comes with its labels and the shares of the others', () => {
  const { shares, rows } = reliabilities(support, ['a', 'b', 'c']);
  assert.equal(shares.get('a'), 2.5 / 3);
  assert.equal(shares.get('c'), 0.5, 'no label anywhere: even odds');
  assert.equal(rows.length, 4);
  assert.equal(rows[0]?.labels.get('a'), 1);
  assert.equal(rows[0]?.reliability.get('a'), 1.5 / 2, 'q1 left out');
  assert.equal(rows[2]?.reliability.get('b'), 0, 'q3 left out: b right nowhere else');
});
