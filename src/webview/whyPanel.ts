/**
 * "Why these models": the support set and each model's prior as a bar, the selected referencers first and then by
 * prior, every bar on one scale (the largest prior fills its track), every name readable in full.
 */
import type { RunState } from '../shared/runState';
import { meter, modelNameText } from './bars';
import { h, setText } from './dom';

type PriorInfo = RunState['priors'][number];

/** The priors in the order the panel lists them: selected referencers first, each part by prior (highest first). */
function orderPriors(priors: readonly PriorInfo[], selected: ReadonlySet<string>): PriorInfo[] {
  // Array sort is stable: equal priors keep the order the run lists them in.
  return [...priors].sort((a, b) => Number(selected.has(b.model)) - Number(selected.has(a.model)) || b.prior - a.prior);
}

export class WhyPanel {
  readonly el: HTMLDetailsElement;
  private readonly summary = h('summary', {}, 'Why these models');
  private readonly intro = h('p', { class: 'why-intro', 'data-testid': 'support-size' });
  private readonly list = h('ul', { class: 'bar-list priors', 'aria-label': 'Model priors', 'data-bar-group': 'priors' });
  private key = '';

  constructor() {
    this.el = h('details', { class: 'section why', 'data-testid': 'why' }, this.summary, this.intro, this.list);
  }

  update(run: RunState): void {
    const selected = new Set(run.referencers.map((r) => r.model));
    const key = JSON.stringify([run.supportCount, run.selectionFallback, run.priors, [...selected]]);
    if (key === this.key) return;
    this.key = key;
    this.el.hidden = run.supportCount === undefined && run.priors.length === 0;
    if (run.selectionFallback === 'empty-bank') {
      setText(this.intro, 'The question bank is empty, so the first configured models answer with equal weight (plain mixture of agents). Profile your models to enable retrieval-based selection.');
    } else if (run.selectionFallback === 'bank-unavailable') {
      setText(this.intro, 'The team bank could not be reached (the SMCS log says why), so the first configured models answer with equal weight, as with an empty bank.');
    } else if (run.selectionFallback === 'no-profiled-model') {
      setText(this.intro, `Found ${run.supportCount ?? 0} similar questions, but none has labels for the configured models, so they answer with equal weight.`);
    } else {
      setText(this.intro, `Support set: ${run.supportCount ?? 0} similar questions from the bank. Each bar is a model's prior: similarity-weighted correctness on those questions.`);
    }
    const max = Math.max(0, ...run.priors.map((p) => p.prior));
    this.list.replaceChildren(
      ...orderPriors(run.priors, selected).map((p) =>
        h(
          'li',
          { class: 'bar-row prior', 'data-testid': 'prior', 'data-model': p.model, 'data-selected': String(selected.has(p.model)), 'data-unprofiled': String(p.unprofiled) },
          h(
            'span',
            { class: 'bar-name' },
            modelNameText(p.model, 'prior-name'),
            selected.has(p.model) ? h('span', { class: 'badge', title: 'Selected as a referencer' }, 'selected') : null,
            p.unprofiled ? h('span', { class: 'badge muted', 'data-testid': 'unprofiled', title: 'No label in the support set: given the mean prior of the others' }, 'unprofiled') : null,
          ),
          meter({ label: `${p.model} prior`, value: p.prior, max }),
          h('span', { class: 'bar-value', 'aria-hidden': 'true' }, p.prior.toFixed(3)),
        ),
      ),
    );
  }
}
