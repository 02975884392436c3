import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createRun, type RunState } from '../../presentation/runState';
import type { MarkdownRenderer } from '../markdown';
import { installPanelDom, oneByTestId, byTestId } from '../../../test/fixtures/panelDom';
import { RunView } from '../runView';
import { totalsView } from '../totals';

let render: MarkdownRenderer;
before(() => {
  render = installPanelDom();
});

/** A finished run whose candidates have these totals; `winner` as the hybrid score picked it. */
function scored(totals: number[], winner: number): RunState {
  return {
    ...createRun('run-t', 'Which cache?', 1000),
    status: 'done',
    candidates: totals.map((total, index) => ({ index, subset: ['a'], status: 'done' as const, text: `Candidate ${index + 1}`, similarity: 0.9, perplexity: 1.2, total })),
    winner,
    logprobsUsed: true,
    answer: { reply: { kind: 'candidate', index: winner }, because: 'score' },
  };
}

const shownTotals = (run: RunState): string[] => byTestId(new RunView(run, render).root, 'score-total').map((e) => e.textContent ?? '');

test('totals that read the same at three decimals get as many more as it takes to tell the winner from them', () => {
  const run = scored([0.58612, 0.58649, 0.3], 1);
  assert.deepEqual(totalsView(run), { decimals: 4, tiedWithWinner: [], chosenByChecks: false });
  assert.deepEqual(shownTotals(run), ['0.5861', '0.5865', '0.3000']);
  assert.deepEqual(shownTotals(scored([0.4, 0.7, 0.3], 1)), ['0.400', '0.700', '0.300'], 'three decimals when they suffice');
});

test('an exact tie: the winner is the first in order and says so, on its card and beside the answer', () => {
  const run = scored([0.3, 0.586, 0.586, 0.586], 1);
  const view = totalsView(run);
  assert.equal(view.tieNote, 'tie — first in order');
  assert.equal(view.tieHelp, 'Candidates 2, 3 and 4 have the same total; on a tie the first in order wins.');
  const root = new RunView(run, render).root;
  const winnerCard = root.querySelector<HTMLElement>('[data-testid="candidate"][data-index="1"]');
  assert.ok(winnerCard);
  assert.equal(oneByTestId(winnerCard, 'tie-note').textContent, 'tie — first in order');
  assert.equal(oneByTestId(root, 'answer-tie').textContent, 'tie — first in order');
  assert.equal(byTestId(root, 'tie-note').length, 1, 'only the winner carries the note');
});

test('a lead smaller than six decimals is called a tie to 6 decimals, not "first in order"', () => {
  const run = scored([0.5860000001, 0.5860000004], 1);
  const view = totalsView(run);
  assert.equal(view.decimals, 3);
  assert.deepEqual(view.tiedWithWinner, [0]);
  assert.equal(view.tieNote, 'tie to 6 decimals');
  assert.match(view.tieHelp ?? '', /candidate 2's is higher by less than that/);
});

test('a winner the checks chose carries no "tie" its reason contradicts: failing candidates with a higher or equal total are no rivals', () => {
  const passing = { total: 3, passed: 3, failed: 0, errored: 0, timedOut: 0, source: 'question' as const };
  const failing = { total: 3, passed: 1, failed: 2, errored: 0, timedOut: 0, source: 'question' as const };
  const base = scored([0.712, 0.827, 0.827, 0.712], 0);
  const run: RunState = {
    ...base,
    selectedBy: 'checks',
    bestByChecks: { kind: 'candidate', index: 0, passed: 3, total: 3 },
    candidates: base.candidates.map((c) => ({ ...c, checks: c.index === 0 ? passing : failing })),
  };
  const view = totalsView(run);
  assert.equal(view.tieNote, undefined, 'candidate 4 fails the checks: its equal total is no tie');
  assert.equal(view.chosenByChecks, true);
  const root = new RunView(run, render).root;
  assert.equal(byTestId(root, 'tie-note').length, 0);
  assert.equal(byTestId(root, 'answer-tie').length, 0);
  const winnerCard = root.querySelector<HTMLElement>('[data-testid="candidate"][data-index="0"]');
  assert.ok(winnerCard);
  assert.equal(oneByTestId(winnerCard, 'checks-badge').textContent, 'by the checks');
  assert.match(oneByTestId(winnerCard, 'score-total').getAttribute('aria-description') ?? '', /checks chose the winner/);
  // Among candidates passing as many checks, an equal total is still a tie, and says which candidates it is among.
  const both: RunState = { ...run, candidates: run.candidates.map((c) => (c.index === 3 ? { ...c, checks: passing } : c)) };
  assert.equal(totalsView(both).tieNote, 'tie — first in order');
  assert.match(totalsView(both).tieHelp ?? '', /Candidates 1 and 4 pass as many checks and have the same total/);
});
