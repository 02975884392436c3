import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { candidateGroups } from '../../presentation/candidateGroups';
import type { CandidateState } from '../../presentation/runState';
import { drawWeightLine } from '../drawWeight';

const cand = (index: number, draws: number, text = `reply ${index}`, scored = true): CandidateState => ({
  index,
  subset: ['a', 'b'],
  draws,
  status: 'done',
  text,
  ...(scored ? { similarity: 0.9, perplexity: 1.2, total: 0.8 } : {}),
});
const line = (candidates: CandidateState[]): string | undefined => drawWeightLine(candidateGroups({ candidates }))?.text;

test('two candidates drawn unequally: one line names the one drawn more, and what its agreement counts for', () => {
  assert.equal(line([cand(0, 3), cand(1, 1)]), 'Candidate 1 was drawn 3 times of 4, so its agreement counts 3×.');
  assert.equal(line([cand(0, 1), cand(1, 2), cand(2, 1)]), 'Candidate 2 was drawn 2 times of 4, so its agreement counts 2×.');
  const help = drawWeightLine(candidateGroups({ candidates: [cand(0, 3), cand(1, 1)] }))?.help ?? '';
  assert.match(help, /aggregated once and counts as many times as the 4 draws gave it/);
});

test('several drawn most, or a group of the same reply drawn most, are named together', () => {
  assert.equal(line([cand(0, 3), cand(1, 3), cand(2, 2)]), 'Candidates 1 and 2 were each drawn 3 times of 8, so their agreement counts 3×.');
  assert.equal(line([cand(0, 1, 'same'), cand(1, 1), cand(2, 1, 'same')]), 'Candidates 1 and 3 were drawn 2 times of 3, so their agreement counts 2×.');
  assert.equal(line([cand(0, 2), cand(1, 1, 'same'), cand(2, 1), cand(3, 1, 'same')]), 'Candidate 1 and candidates 2 and 4 were each drawn 2 times of 5, so their agreement counts 2×.');
});

test('no line where the draws decide nothing: equal draws, one distinct reply, or scores not in yet', () => {
  assert.equal(line([cand(0, 2), cand(1, 2)]), undefined, 'equal draws weigh equally');
  assert.equal(line([cand(0, 3, 'same'), cand(1, 1, 'same')]), undefined, 'every aggregation agrees: nothing to weigh against');
  assert.equal(line([cand(0, 3, 'x', false), cand(1, 1, 'y', false)]), undefined, 'not scored yet');
  assert.equal(line([cand(0, 3)]), undefined);
});

test('a failed candidate is no rival: the line weighs only the scored ones, and counts every draw', () => {
  const failed: CandidateState = { ...cand(1, 3), status: 'failed', error: 'timed out', similarity: 0, total: 0 };
  assert.equal(line([cand(0, 1), failed]), undefined, 'one scored candidate left');
  assert.equal(line([cand(0, 2), failed, cand(2, 1)]), 'Candidate 1 was drawn 2 times of 6, so its agreement counts 2×.');
});
