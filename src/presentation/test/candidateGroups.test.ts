import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { candidateGroups, candidatesSummary, comparedText, groupName, nameOf } from '../candidateGroups';
import { candidatePhrase } from '../answerView';
import type { CandidateState } from '../runState';

const done = (index: number, text: string, draws = 1): CandidateState => ({ index, subset: [`m${index}`], draws, status: 'done', text, similarity: 0.9, perplexity: 1.2, total: 0.8 });
const members = (run: { candidates: CandidateState[]; winner?: number }): number[][] => candidateGroups(run).map((g) => g.members.map((c) => c.index));

test('identical replies share a group, in the order of their first candidate; each group names its candidates', () => {
  const candidates = [done(0, 'Use lru_cache.'), done(1, 'Use a dict.'), done(2, 'Use lru_cache.'), done(3, 'Use lru_cache.')];
  const groups = candidateGroups({ candidates });
  assert.deepEqual(members({ candidates }), [[0, 2, 3], [1]]);
  assert.deepEqual(groups.map(groupName), ['Candidates 1, 3 and 4', 'Candidate 2']);
  assert.equal(candidatesSummary(groups), 'Candidates (2 distinct of 4)');
  assert.equal(nameOf(groups, 2), 'Candidates 1, 3 and 4');
  assert.equal(candidatesSummary(candidateGroups({ candidates: [done(0, 'a'), done(1, 'b')] })), 'Candidates (2)', 'nothing agrees: the count alone');
  assert.equal(candidatesSummary([]), 'Candidates');
});

test('replies that differ only in blanks around them, line endings or blanks at line ends are the same reply', () => {
  const candidates = [done(0, 'Use **lru_cache**:\n\n```py\n@cache\n```'), done(1, '  Use **lru_cache**:  \r\n\r\n```py\r\n@cache \r\n```\n\n')];
  assert.deepEqual(members({ candidates }), [[0, 1]]);
  assert.equal(comparedText(' a \r\n b\t\n'), 'a\n b');
});

test('indentation and markdown punctuation make a different reply: code and emphasis the user would read differ', () => {
  assert.deepEqual(members({ candidates: [done(0, 'if x:\n    return 1'), done(1, 'if x:\n  return 1')] }), [[0], [1]]);
  assert.deepEqual(members({ candidates: [done(0, 'Use **lru_cache**.'), done(1, 'Use lru_cache.')] }), [[0], [1]]);
  assert.deepEqual(members({ candidates: [done(0, 'a  b'), done(1, 'a b')] }), [[0], [1]]);
});

test('a failed, stopped or unfinished candidate is never grouped, even with the same text', () => {
  const failed: CandidateState = { ...done(1, 'Use lru_cache.'), status: 'failed', error: 'rate limited' };
  const streaming: CandidateState = { ...done(2, 'Use lru_cache.'), status: 'streaming' };
  const stopped: CandidateState = { ...done(3, 'Use lru_cache.'), status: 'abandoned' };
  const candidates = [done(0, 'Use lru_cache.'), failed, streaming, stopped, { ...failed, index: 4 }];
  assert.deepEqual(members({ candidates }), [[0], [1], [2], [3], [4]]);
});

test('the group holding the winner leads with it, even when it is not the first; the user\'s choice leads before it', () => {
  const candidates = [done(0, 'same'), done(1, 'other'), done(2, 'same'), done(3, 'same')];
  const [group] = candidateGroups({ candidates, winner: 2 });
  assert.equal(group?.lead.index, 2);
  assert.equal(candidatePhrase({ candidates, winner: 2 }, 2), 'candidates 1, 3 and 4 (3 of 4 agree)');
  assert.equal(candidatePhrase({ candidates, winner: 1 }, 1), 'candidate 2 of 4');
  assert.equal(candidateGroups({ candidates, winner: 2, choice: { kind: 'candidate', index: 3 } })[0]?.lead.index, 3);
  assert.equal(candidateGroups({ candidates, winner: 1 })[0]?.lead.index, 0, 'no winner inside: the first leads');
});

test('a group counts every draw of its candidates; candidates are read in index order whatever order they come in', () => {
  const candidates = [done(2, 'same', 1), done(0, 'same', 3), done(1, 'other', 2)];
  const groups = candidateGroups({ candidates });
  assert.deepEqual(groups.map((g) => [g.members.map((c) => c.index), g.draws]), [[[0, 2], 4], [[1], 2]]);
  assert.deepEqual(candidateGroups({ candidates: [{ ...done(0, 'x'), draws: undefined }] }).map((g) => g.draws), [1], 'a run stored before draws counts 1');
});
