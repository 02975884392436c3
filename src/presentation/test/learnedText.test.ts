/** What a choice taught the bank, in words true to what labelled each referencer, and why nothing was written when nothing was. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { learnedText } from '../learnedText';

test('labels by checks, by final answers and by closeness are each said as what they were', () => {
  const code = { basis: 'code' as const, label: 1 as const };
  assert.equal(learnedText({ outcome: 'added', labels: [code, { ...code, label: 0 }] }), "SMCS added this question to your bank: 2 referencers labelled by the question's examples their code ran on.");
  assert.equal(
    learnedText({ outcome: 'updated', labels: [{ basis: 'final-answer', label: 1 }, { basis: 'similarity', label: 0 }, { basis: 'similarity', label: null }] }),
    'SMCS updated this question, already in your bank: 1 referencer labelled by whether their final answer matches the one you chose, 1 labelled by how close their reply is to the one you chose.',
  );
  assert.equal(learnedText({ outcome: 'added', labels: [{ basis: 'similarity', label: 1 }, { basis: 'similarity', label: 0 }, { basis: 'similarity', label: 0 }] }), 'SMCS added this question to your bank: 3 referencers labelled by how close their reply is to the one you chose.');
});

test('a choice on a question the bank already labels says it changed nothing; one no reply could be labelled against says so', () => {
  assert.match(learnedText({ outcome: 'skipped', skipped: 'held', labels: [{ basis: 'code', label: 1 }] }), /already in your bank with labels of its own .* changed nothing/);
  assert.match(learnedText({ outcome: 'skipped', skipped: 'uncertain', labels: [{ basis: 'similarity', label: null }] }), /taught the bank nothing/);
});
