import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createRun, type RunState } from '../../../presentation/runState';
import { candidatePath, candidateText, candidateTitle, diffTitle, parseCandidatePath } from '../candidateDocs';

function run(): RunState {
  return {
    ...createRun('lx3/9 a', 'q', 0),
    status: 'done',
    winner: 0,
    answer: { reply: { kind: 'candidate', index: 0 }, because: 'score' },
    choice: { kind: 'candidate', index: 2 },
    candidates: [
      { index: 0, subset: [], status: 'done', text: 'first' },
      { index: 1, subset: [], status: 'failed', text: '', error: 'timed out' },
      { index: 2, subset: [], status: 'done', text: 'third' },
    ],
  };
}

test('a candidate document path names the run and candidate, and reads back exactly', () => {
  const path = candidatePath({ runId: 'lx3/9 a', index: 2 });
  assert.equal(path, '/lx3%2F9%20a/2/Candidate 3.md');
  assert.deepEqual(parseCandidatePath(path), { runId: 'lx3/9 a', index: 2 });
  for (const bad of ['/', '/x', '/x/y/z', '/x/1/a/b', '/%E0%A4%A/1/c.md']) assert.equal(parseCandidatePath(bad), undefined, bad);
});

test('the diff title names both candidates, marking the winner and the user’s choice', () => {
  assert.equal(diffTitle(run(), 2, 0), 'Candidate 3 (your choice) ↔ Candidate 1 (winner)');
  assert.equal(candidateTitle(undefined, 4), 'Candidate 5');
});

test('when the checks answered with a reference, the winner is titled the best candidate', () => {
  assert.equal(diffTitle({ ...run(), answer: { reply: { kind: 'referencer', model: 'qwen/qwen-32b' }, because: 'checks' } }, 2, 0), 'Candidate 3 (your choice) ↔ Candidate 1 (best candidate)');
});

test('a document holds the candidate’s text, or says why there is none', () => {
  const runs = [run()];
  assert.equal(candidateText(runs, { runId: 'lx3/9 a', index: 2 }), 'third');
  assert.match(candidateText(runs, { runId: 'lx3/9 a', index: 1 }), /^Candidate 2 failed: timed out/);
  assert.match(candidateText(runs, { runId: 'lx3/9 a', index: 7 }), /no candidate 8/);
  assert.match(candidateText(runs, { runId: 'gone', index: 0 }), /no longer in the SMCS history/);
});
