/** "Why these models" says how many similar questions the bank found and, when they are uneven, what they are worth. */
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createRun, type RunState } from '../../presentation/runState';
import { installPanelDom, oneByTestId } from '../../../test/fixtures/panelDom';
import { WhyPanel } from '../whyPanel';

before(() => {
  installPanelDom();
});

function retrieved(support: Partial<Pick<RunState, 'supportCount' | 'supportEffective' | 'selectionFallback'>>): RunState {
  return {
    ...createRun('run-why', 'Which cache?', 1000),
    ...support,
    priors: [
      { model: 'model-a', prior: 30.2, unprofiled: false },
      { model: 'model-b', prior: 12.1, unprofiled: false },
    ],
    referencers: [{ model: 'model-a', status: 'waiting', text: '', reasoning: '' }],
  };
}

const introOf = (run: RunState): HTMLElement => {
  const panel = new WhyPanel();
  panel.update(run);
  return oneByTestId(panel.el, 'support-size');
};

test('uneven similarities: the count and what the questions are worth, with the meaning in the title', () => {
  const intro = introOf(retrieved({ supportCount: 143, supportEffective: 36.6 }));
  assert.match(intro.textContent ?? '', /^143 similar questions from the bank \(as informative as 37: the closer to yours count more\)\. Each bar is the share of them/);
  assert.match(intro.title, /together these 143 count as much as 37 questions of equal weight/);
  assert.match(intro.title, /a model's record on the whole bank counts beside them \(setting priorShrinkage; 0 turns this off\)/);
});

test('equally similar questions, or a run that did not report the effective size: the count alone, no title', () => {
  for (const run of [retrieved({ supportCount: 40, supportEffective: 39.8 }), retrieved({ supportCount: 40 })]) {
    const intro = introOf(run);
    assert.match(intro.textContent ?? '', /^40 similar questions from the bank\. Each bar/);
    assert.equal(intro.hasAttribute('title'), false);
  }
});

test('a fallback says why the models answer with equal weight, without the effective size', () => {
  const intro = introOf(retrieved({ supportCount: 5, supportEffective: 1.2, selectionFallback: 'no-profiled-model' }));
  assert.match(intro.textContent ?? '', /^Found 5 similar questions, but none has labels/);
  assert.equal(intro.hasAttribute('title'), false);
});

test('the title goes when a later run shows equally similar questions', () => {
  const panel = new WhyPanel();
  panel.update(retrieved({ supportCount: 143, supportEffective: 36.6 }));
  panel.update(retrieved({ supportCount: 143, supportEffective: 143 }));
  const intro = oneByTestId(panel.el, 'support-size');
  assert.equal(intro.hasAttribute('title'), false);
  assert.doesNotMatch(intro.textContent ?? '', /informative/);
});
