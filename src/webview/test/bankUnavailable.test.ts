/** A run whose team bank could not be reached says so in the panel: the stage strip and "Why these models". */
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createRun, type RunState } from '../../presentation/runState';
import type { MarkdownRenderer } from '../markdown';
import { installPanelDom, oneByTestId } from '../../../test/fixtures/panelDom';
import { RunView } from '../runView';

let render: MarkdownRenderer;
before(() => {
  render = installPanelDom();
});

/** A finished run of plain MoA because the team bank was unreachable: no support set, equal priors. */
function unreachableRun(): RunState {
  return {
    ...createRun('run-team', 'Which cache?', 1000),
    status: 'done',
    finishedAt: 4000,
    supportCount: 0,
    selectionFallback: 'bank-unavailable',
    priors: [
      { model: 'model-a', prior: 1, unprofiled: true },
      { model: 'model-b', prior: 1, unprofiled: true },
    ],
  };
}

test('a run without its unreachable team bank says the bank was unreachable and that the first models answered', () => {
  const view = new RunView(unreachableRun(), render);
  const retrieve = oneByTestId(view.root, 'stage-retrieve');
  assert.match(retrieve.textContent ?? '', /bank unreachable/);
  assert.match(retrieve.getAttribute('aria-label') ?? '', /bank unreachable/);
  const why = oneByTestId(view.root, 'why');
  assert.equal(why.hidden, false);
  assert.match(why.textContent ?? '', /The team bank could not be reached \(the SMCS log says why\), so the first configured models answer with equal weight/);
});
