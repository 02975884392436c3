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

test('far from the bank: "Why these models" says models it has no label for are tried too, and the badge says how they were ranked', () => {
  const run: RunState = {
    ...retrieved({ supportCount: 400 }),
    priors: [
      { model: 'model-a', prior: 30.2, unprofiled: false },
      { model: 'coder', prior: 30.2, unprofiled: true },
    ],
    routing: { mode: 'quality', costWeight: 0, expectedUsd: null, qualityUsd: null, worstUsd: null, estimates: [], far: { nearest: 0.123, near: 0.221 } },
  };
  const panel = new WhyPanel();
  panel.update(run);
  const far = oneByTestId(panel.el, 'routing-far');
  assert.equal(far.hidden, false);
  assert.equal(far.textContent, 'The bank has nothing close to this question (the most similar is 0.12 alike; 19 in 20 of its own questions have one at least 0.22 alike), so models it has no label for are tried too, ranked with the best it knows.');
  assert.match(oneByTestId(panel.el, 'unprofiled').title, /ranked with the best of the others \(the bank has nothing close to this question\)$/);
  const { far: _far, ...close } = run.routing!;
  panel.update({ ...run, routing: close });
  assert.equal(oneByTestId(panel.el, 'routing-far').hidden, true, 'a question close to the bank says nothing of it');
  assert.match(oneByTestId(panel.el, 'unprofiled').title, /ranked with the mean of the others$/);
});
