/** Candidates that wrote the same reply as one card, and the line on unequal draws (issue 37, item 6). */
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { PipelineEvent } from '../../core/contracts/events';
import { createRun, reduceRun, type CandidateState, type RunState } from '../../presentation/runState';
import type { MarkdownRenderer } from '../markdown';
import { byTestId, installPanelDom, oneByTestId } from '../../../test/fixtures/panelDom';
import { RunView } from '../runView';

const [A, B, C] = ['org/alpha', 'org/beta', 'org/gamma'];
const SAME = 'Use `functools.lru_cache`: it keeps the results of earlier calls.';

let render: MarkdownRenderer;
before(() => {
  render = installPanelDom();
});

const cand = (index: number, subset: string[], text: string, draws = 1, total = 0.8): CandidateState => ({ index, subset, draws, status: 'done', text, similarity: 0.9, perplexity: 1.2, total });

function doneRun(candidates: CandidateState[], winner: number): RunState {
  return {
    ...createRun('run-g', 'Which cache?', 1000),
    status: 'done',
    finishedAt: 5000,
    referencers: [A, B, C].map((model) => ({ model, status: 'done' as const, text: `Reference from ${model}`, reasoning: '' })),
    candidates,
    winner,
    logprobsUsed: true,
    answer: { reply: { kind: 'candidate', index: winner }, because: 'score' },
  };
}

const cards = (root: Element): HTMLElement[] => byTestId(root, 'candidate');
const summaryOf = (root: Element): string => root.querySelector('[data-testid="candidates"] > summary')?.textContent ?? '';

test('every aggregation wrote the same reply: one card says they agree, holds the winner, and no tie is claimed between them', () => {
  // Equal totals, the winner third in order: the hybrid score's tie rule would pick the first, but these are one reply.
  const run = doneRun([cand(0, [A, B], SAME, 2), cand(1, [A, C], SAME), cand(2, [B, C], `  ${SAME}\n`)], 1);
  const view = new RunView(run, render);
  const [only, ...more] = cards(view.root);
  assert.ok(only);
  assert.equal(more.length, 0, 'one card');
  assert.equal(oneByTestId(only, 'cand-title').textContent, 'Candidates 1, 2 and 3 — 3 aggregations agree');
  assert.equal(summaryOf(view.root), 'Candidates (1 distinct of 3)');
  assert.deepEqual([only.dataset.winner, only.dataset.index, only.dataset.members, only.dataset.draws], ['true', '1', '0 1 2', '4']);
  assert.equal(byTestId(only, 'winner-badge').length, 1);
  assert.equal(byTestId(view.root, 'tie-note').length, 0, 'equal totals within one reply are no tie');
  assert.equal(byTestId(view.root, 'answer-tie').length, 0);
  assert.equal(oneByTestId(view.root, 'answer-winner').textContent, 'Winner: candidates 1, 2 and 3 (3 of 3 agree)');
  assert.equal(byTestId(only, 'use-reply').length, 0, 'the shown reply is not offered again');
  assert.equal(oneByTestId(view.root, 'draw-note').hidden, true, 'nothing to weigh against');
  // Each candidate's subset one click away.
  assert.equal(oneByTestId(only, 'left-out').textContent, 'from 3 different subsets · drawn 4 times');
  const rows = byTestId(only, 'member-subset');
  assert.deepEqual(
    rows.map((r) => r.querySelector('.subset-label')?.textContent),
    ['Candidate 1: without gamma · drawn 2 times', 'Candidate 2: without beta', 'Candidate 3: without alpha'],
  );
  assert.deepEqual(byTestId(rows[0] as HTMLElement, 'subset-member').map((m) => m.textContent), [A, B]);
});

test('two replies: the group card names its candidates, its buttons act on its first, and the Compare menu names it as the card does', () => {
  const run = doneRun([cand(0, [A, B], SAME, 1, 0.7), cand(1, [A, C], 'Use a dict.', 2, 0.9), cand(2, [B, C], SAME, 1, 0.7)], 1);
  const view = new RunView(run, render);
  const [group, winner] = cards(view.root);
  assert.ok(group && winner);
  assert.equal(cards(view.root).length, 2);
  assert.equal(summaryOf(view.root), 'Candidates (2 distinct of 3)');
  assert.equal(oneByTestId(group, 'cand-title').textContent, 'Candidates 1 and 3 — 2 aggregations agree');
  assert.equal(oneByTestId(winner, 'cand-title').textContent, 'Candidate 2');
  assert.equal(oneByTestId(group, 'use-reply').dataset.index, '0');
  assert.equal(oneByTestId(group, 'use-reply').getAttribute('aria-label'), 'Use candidates 1 and 3 as the reply');
  const compare = oneByTestId(group, 'compare-winner');
  assert.deepEqual([compare.dataset.left, compare.dataset.right], ['0', '1']);
  assert.equal(byTestId(group, 'compare-with').length, 0, 'no third reply to compare with');
  const menu = oneByTestId(winner, 'compare-with') as HTMLSelectElement;
  assert.deepEqual([...menu.options].map((o) => [o.value, o.textContent]), [['', 'Compare with…'], ['0', 'Candidates 1 and 3']]);
  // Candidate 2 was drawn twice, the others once each: together they were drawn as often, so the draws weigh nothing apart.
  assert.equal(oneByTestId(view.root, 'draw-note').hidden, true);

  view.update(reduceRun(run, { type: 'choose', index: 0 }), 6000);
  assert.equal(oneByTestId(view.root, 'answer-chosen').textContent, 'Your choice: candidates 1 and 3');
  assert.equal(group.dataset.chosen, 'true');
  assert.equal(byTestId(group, 'chosen-badge').length, 1);
});

test('unequal draws: one line above the cards says which was drawn more and what its agreement counts for', () => {
  const run = doneRun([cand(0, [A, B], 'Use lru_cache.', 3, 0.9), cand(1, [A, C], 'Use a dict.', 1, 0.6)], 0);
  const view = new RunView(run, render);
  const note = oneByTestId(view.root, 'draw-note');
  assert.equal(note.hidden, false);
  assert.equal(note.textContent, 'Candidate 1 was drawn 3 times of 4, so its agreement counts 3×.');
  assert.match(note.title, /aggregated once/);
  assert.ok(note.compareDocumentPosition(cards(view.root)[0] as HTMLElement) & 4, 'above the cards');
  view.update({ ...run, candidates: [{ ...cand(0, [A, B], 'Use lru_cache.', 2, 0.9) }, cand(1, [A, C], 'Use a dict.', 2, 0.6)] }, 6000);
  assert.equal(note.hidden, true, 'equal draws: the line goes');
});

test('cards follow the current candidates: finished replies join a card as they agree, and new subsets replace them all', () => {
  const usage = { promptTokens: 1, completionTokens: 1 };
  const events: PipelineEvent[] = [
    { type: 'retrieve', ms: 1, supportCount: 3, priors: [], referencers: [A, B, C] },
    { type: 'subsets', aggregator: A, subsets: [[A, B], [A, C], [B, C]], draws: [1, 1, 2] },
    { type: 'aggregation-started', index: 0, subset: [A, B] },
    { type: 'aggregation-started', index: 1, subset: [A, C] },
    { type: 'aggregation-done', index: 1, latencyMs: 5, usage, text: SAME, reasoning: '' },
  ];
  let run = events.reduce((r, event, i) => reduceRun(r, { type: 'event', event, at: 1000 + i }), createRun('run-g', 'Which cache?', 1000));
  const view = new RunView(run, render);
  assert.equal(cards(view.root).length, 3, 'a reply still being written stands alone');
  const step = (event: PipelineEvent): void => {
    run = reduceRun(run, { type: 'event', event, at: 2000 });
    view.update(run, 2000);
  };
  step({ type: 'aggregation-delta', index: 0, text: SAME });
  assert.equal(cards(view.root).length, 3, 'the same words, not yet finished: still apart');
  step({ type: 'aggregation-done', index: 0, latencyMs: 6, usage, text: SAME, reasoning: '' });
  assert.deepEqual(cards(view.root).map((c) => c.dataset.members), ['0 1', '2']);
  step({ type: 'aggregation-failed', index: 2, error: 'rate limited', kind: 'rate-limit' });
  assert.deepEqual(cards(view.root).map((c) => [c.dataset.members, c.dataset.status]), [['0 1', 'done'], ['2', 'failed']], 'a failed candidate is never grouped');
  // A referencer failed late: the subsets are drawn again over the others, and replace the candidates.
  step({ type: 'subsets', aggregator: A, subsets: [[A, B]], draws: [4] });
  assert.deepEqual(cards(view.root).map((c) => [c.dataset.members, c.dataset.status, c.dataset.draws]), [['0', 'waiting', '4']]);
  assert.equal(oneByTestId(cards(view.root)[0] as HTMLElement, 'cand-title').textContent, 'Candidate 1');
  assert.equal(summaryOf(view.root), 'Candidates (1)');
});
