import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hybridScores, perplexity } from '../hybridScore';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

test('hand-computed hybrid score', () => {
  const emb = [
    [1, 0],
    [0, 1],
    [1, 0],
  ];
  const result = hybridScores(emb, [[-0.1, -0.3], [0, 0], [-0.5]], 1);
  close(result.similarity[0] as number, 2 / 3);
  close(result.similarity[1] as number, 1 / 3);
  close(result.perplexity[0] as number, Math.exp(0.2));
  close(result.perplexity[2] as number, Math.exp(0.5));
  close(result.total[0] as number, 2 / 3 + 1 - Math.exp(0.2));
  close(result.total[1] as number, 1 / 3);
  close(result.total[2] as number, 2 / 3 + 1 - Math.exp(0.5));
  assert.equal(result.winner, 0);
  assert.equal(result.logprobsUsed, true);
});

test('λ weights the perplexity term and can change the winner', () => {
  const emb = [
    [1, 0],
    [0.8, 0.6],
    [1, 0],
  ];
  const lp = [[-2], [-0.01], [-2]];
  assert.equal(hybridScores(emb, lp, 0).winner, 0);
  assert.equal(hybridScores(emb, lp, 1).winner, 1);
});

test('a missing log-prob drops the λ-term for everyone', () => {
  const result = hybridScores([[1, 0], [0.6, 0.8]], [[-0.1], null], 1);
  assert.equal(result.logprobsUsed, false);
  assert.deepEqual(result.perplexity, [Math.exp(0.1), null]);
  assert.deepEqual(result.total, result.similarity);
});

test('ties go to the lowest index', () => {
  const result = hybridScores([[0, 1], [0, 1], [0, 1]], [null, null, null], 1);
  assert.equal(result.winner, 0);
});

test('perplexity of no tokens is missing, not 1', () => {
  assert.equal(perplexity([]), null);
  assert.equal(perplexity(null), null);
  close(perplexity([Math.log(0.5), Math.log(0.5)]) as number, 2);
});

test('a candidate standing for a subset drawn w times counts w times in every similarity, as its w draws would', () => {
  const a = [1, 0];
  const b = [0, 1];
  // Draws a, a, a, b scored one by one …
  const each = hybridScores([a, a, a, b], [null, null, null, null], 1);
  // … and a once with three draws, b once with one: the same similarities.
  const once = hybridScores([a, b], [null, null], 1, [3, 1]);
  assert.deepEqual(once.similarity, [each.similarity[0], each.similarity[3]]);
  assert.equal(once.winner, 0);
  assert.deepEqual(hybridScores([a, b], [null, null], 1, [1, 3]).winner, 1, 'the subset drawn more often wins the agreement');
  assert.throws(() => hybridScores([a, b], [null, null], 1, [1]), /draw count/);
});
