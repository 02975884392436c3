import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BankRecord } from '../../../core/contracts/types';
import { planCopy } from '../copyPlan';

const vector = [1, 0, 0];
const q = (id: string, question: string, correct?: Record<string, 0 | 1>, tokens?: BankRecord['tokens']): BankRecord => ({
  id,
  question,
  embedding: vector,
  ...(correct ? { correct } : {}),
  ...(tokens ? { tokens } : {}),
});
const held = (records: BankRecord[]) => ({ byId: new Map(records.map((r) => [r.id, r])), byText: new Map(records.map((r) => [r.question, r])) });

describe('planCopy: what copying questions into a bank adds, skips and merges', () => {
  it('adds the questions the target lacks, with their embeddings and labels', () => {
    const plan = planCopy([q('a', 'What is a closure?', { m1: 1 }), q('b', 'What is a monad?')], held([]));
    assert.deepEqual(plan.add.map((r) => [r.id, r.correct]), [['a', { m1: 1 }], ['b', undefined]]);
    assert.deepEqual(plan.add[0]?.embedding, vector);
    assert.deepEqual([plan.labels, plan.alreadyThere, plan.labelsMerged], [[], 0, 0]);
  });

  it('skips a question the target holds under the same id, or under another id with the same text, and merges labels into the target’s id', () => {
    const target = [q('t-1', 'What is a closure?', { m1: 1 }), q('t-2', 'What is a monad?', { m2: 0 })];
    const plan = planCopy([q('t-1', 'Closures, explained', { m1: 1, m3: 0 }), q('local-9', 'What is a monad?', { m2: 0 })], held(target));
    assert.deepEqual(plan.add, []);
    assert.equal(plan.alreadyThere, 2);
    assert.deepEqual(plan.labels, [{ id: 't-1', model: 'm3', correct: 0 }], 'm1 agrees and m2 agrees: only the label the target lacks');
    assert.equal(plan.labelsMerged, 1);
  });

  it('keeps a model labelled on either side; where both label it differently, the copied label wins, with its reply tokens', () => {
    const target = [q('t-1', 'Same text', { kept: 1, conflict: 1 }, { conflict: { prompt: 10, completion: 5 } })];
    const plan = planCopy([q('x', 'Same text', { conflict: 0, added: 1 }, { conflict: { prompt: 12, completion: 7 } })], held(target));
    assert.deepEqual(plan.labels, [
      { id: 't-1', model: 'conflict', correct: 0, tokens: { prompt: 12, completion: 7 } },
      { id: 't-1', model: 'added', correct: 1 },
    ]);
    assert.equal(plan.labels.some((l) => l.model === 'kept'), false, 'the target’s own label is left as it is');
  });

  it('copies a label again when only its reply tokens differ', () => {
    const plan = planCopy([q('a', 'Q', { m: 1 }, { m: { prompt: 3, completion: 4 } })], held([q('a', 'Q', { m: 1 })]));
    assert.deepEqual(plan.labels, [{ id: 'a', model: 'm', correct: 1, tokens: { prompt: 3, completion: 4 } }]);
    assert.equal(plan.labelsMerged, 1);
  });

  it('makes two copied questions with the same text one: the first is added, the later one adds only labels the first lacks', () => {
    const plan = planCopy([q('a', 'Twice', { m1: 1 }), q('b', 'Twice', { m1: 0, m2: 1 }, { m2: { prompt: 1, completion: 2 } })], held([]));
    assert.deepEqual(plan.add.map((r) => [r.id, r.correct, r.tokens]), [['a', { m1: 1, m2: 1 }, { m2: { prompt: 1, completion: 2 } }]]);
    assert.deepEqual([plan.alreadyThere, plan.labelsMerged], [1, 1]);
  });

  it('does not count a question whose labels all agree as merged, and keeps model names such as __proto__ as data', () => {
    const plan = planCopy([q('a', 'Q', JSON.parse('{"__proto__": 1}') as Record<string, 0 | 1>)], held([q('a', 'Q', {})]));
    assert.deepEqual(plan.labels, [{ id: 'a', model: '__proto__', correct: 1 }]);
    const same = planCopy([q('a', 'Q', { m: 1 })], held([q('a', 'Q', { m: 1 })]));
    assert.deepEqual([same.labels, same.alreadyThere, same.labelsMerged], [[], 1, 0]);
  });
});
