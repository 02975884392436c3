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

const CERTS = Array.from({ length: 12 }, (_, i) => `tests/certs/example-${i + 1}.pem left out: key or certificate`);

function turn(contextNotes: string[] | undefined): RunState {
  return { ...createRun('run-1', 'Why does the Router return 405?', 1000), ...(contextNotes ? { contextNotes } : {}) };
}

test('a turn that withheld thirteen files shows them as one folded line that lists them when opened; other notes stay beside it', () => {
  const view = new RunView(turn(['.env left out: environment file', ...CERTS, 'router.py lines 200–900 left out: context window']), render);
  const line = oneByTestId(view.root, 'withheld-line') as HTMLDetailsElement;
  assert.equal(line.hidden, false);
  assert.equal(line.open, false);
  assert.equal(oneByTestId(view.root, 'withheld-count').textContent, '13 files withheld: secrets and certificates');
  const items = [...oneByTestId(view.root, 'withheld-items').querySelectorAll('li')].map((li) => li.textContent);
  assert.equal(items.length, 13);
  assert.equal(items[0], '.env (environment file)');
  assert.equal(oneByTestId(view.root, 'context-notes').textContent, 'router.py lines 200–900 left out: context window');
  assert.ok(!(oneByTestId(view.root, 'context-notes').textContent ?? '').includes('.env'), 'the withheld files are not listed again in the notes');
});

test('a turn that withheld nothing shows no withheld line; one that later does shows it', () => {
  const view = new RunView(turn(['not searched: the question names nothing the workspace holds and does not point at it']), render);
  assert.equal(oneByTestId(view.root, 'withheld-line').hidden, true);
  assert.equal(oneByTestId(view.root, 'context-notes').hidden, false);
  view.update(turn(['.env left out: environment file']), 2000);
  assert.equal(oneByTestId(view.root, 'withheld-line').hidden, false);
  assert.equal(oneByTestId(view.root, 'withheld-count').textContent, '1 file withheld: secrets');
  assert.equal(oneByTestId(view.root, 'context-notes').hidden, true);
});
