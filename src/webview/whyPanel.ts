/**
 * "Why these models": the support set (and how many questions of full weight it is worth) and, per model, its expected accuracy in the user's terms (the share of the
 * similar bank questions it got right, and of how many) as a bar on the 0–100 % scale, beside what one of its replies
 * is expected to cost; the selected referencers first, then by accuracy; and what the chosen set is expected to cost
 * against the `quality` choice. Every name readable in full, the numbers in aligned columns.
 */
import { formatCount, formatQuantity, formatUsd } from '../presentation/format';
import type { RunState } from '../presentation/runState';
import { similarRecord, unprofiledModels, wholePercent } from '../presentation/unprofiled';
import { meter, modelNameText } from './bars';
import { h, setAttr, setText } from './dom';

type PriorInfo = RunState['priors'][number];
type ModelEstimate = NonNullable<RunState['routing']>['estimates'][number];

interface Row {
  prior: PriorInfo;
  estimate: ModelEstimate | undefined;
  /** One of the run's unprofiled models (presentation/unprofiled, the list the turn's notice names). */
  unprofiled: boolean;
}

/** The rows in the order the panel lists them: selected referencers first, each part by accuracy (else prior), highest first, unprofiled last. */
function orderRows(rows: readonly Row[], selected: ReadonlySet<string>): Row[] {
  // Array sort is stable: equal values keep the order the run lists them in.
  // An unprofiled model's accuracy is the others' mean (its rank), not something it showed: it is listed after them.
  const value = (r: Row) => (r.estimate ? (r.unprofiled ? -1 : r.estimate.accuracy) : r.prior.prior);
  return [...rows].sort((a, b) => Number(selected.has(b.prior.model)) - Number(selected.has(a.prior.model)) || value(b) - value(a));
}

const percent = wholePercent;

/**
 * The cost of one reply as shown: from its own recorded replies, "≈" from its past calls here or other models'
 * replies, "assumed" at a typical length when nothing is known.
 */
function replyCostText(e: ModelEstimate): { text: string; title: string } {
  if (e.costUsd === null) return { text: 'no price', title: `No price is known for ${e.model}: its cost is not counted (and it is not taken as free)` };
  const usd = formatUsd(e.costUsd);
  if (e.tokensFrom === 'assumed') return { text: `${usd} assumed`, title: `Nothing is known of ${e.model}'s reply lengths yet: priced as a typical reply (${Math.round(e.tokens?.completion ?? 0)} tokens)` };
  if (e.tokensFrom === 'history') return { text: `≈ ${usd}`, title: `No reply of ${e.model} to a similar question is recorded, or only its length estimated at import: priced with the length of its recent replies here` };
  if (e.tokensFrom === 'imported') return { text: `≈ ${usd}`, title: `Priced from ${e.model}'s replies to the similar questions, their tokens counted from the text when the bank was imported: this can run high until a few asks here show what it writes` };
  if (e.tokensFrom === 'others') return { text: `≈ ${usd}`, title: `No reply of ${e.model} to a similar question is recorded: priced with the other models' reply lengths` };
  return { text: usd, title: `Expected cost of one reply at ${e.model}'s price, from the length of its replies to the similar questions` };
}

/** The sentence in the user's terms under a model's name. */
function accuracySentence(row: Row): string {
  return similarRecord(row.estimate && { ...row.estimate, unprofiled: row.unprofiled });
}

/**
 * "143 similar questions from the bank (as informative as 37: …)": the effective size is said when it rounds below the
 * count (equal similarities are worth every question); the title says what it means and what it changes.
 */
function supportText(run: RunState): { text: string; title: string | undefined } {
  const count = run.supportCount ?? 0;
  const questions = `${formatQuantity(count, 'similar question')} from the bank`;
  const effective = run.supportEffective === undefined ? count : Math.round(run.supportEffective);
  if (effective >= count) return { text: questions, title: undefined };
  return {
    text: `${questions} (as informative as ${formatCount(effective)}: the closer to yours count more)`,
    title: `The more similar a question is to yours, the more it counts; together these ${formatCount(count)} count as much as ${formatCount(effective)} questions of equal weight. The fewer they are worth, the more a model's record on the whole bank counts beside them (setting priorShrinkage; 0 turns this off).`,
  };
}

/**
 * When the bank has nothing close to the question (core/routing/exploration): that the models it has no label for were
 * tried too, and how far the question is, in the user's terms.
 */
export function farText(run: Pick<RunState, 'routing'>): string {
  const far = run.routing?.far;
  if (!far) return '';
  return `The bank has nothing close to this question (the most similar is ${far.nearest.toFixed(2)} alike; 19 in 20 of its own questions have one at least ${far.near.toFixed(2)} alike), so models it has no label for are tried too, ranked with the best it knows.`;
}

/** "These models: ≈ $0.0041 a question, $0.0162 less than quality's choice (80 %)", when the costs are known. */
function savingText(run: RunState): string {
  const r = run.routing;
  if (!r || r.expectedUsd === null) return '';
  const chosen = `Expected cost of these models' replies and the aggregations: ${formatUsd(r.expectedUsd)} a question`;
  if (r.budget) return `${chosen}, within your limit of ${formatUsd(r.budget.maxUsd)}${r.qualityUsd !== null && r.qualityUsd > r.expectedUsd ? `; quality's choice: ${formatUsd(r.qualityUsd)}` : ''}.`;
  if (r.mode === 'quality' || r.qualityUsd === null) return `${chosen}.`;
  const saved = r.qualityUsd - r.expectedUsd;
  return saved > 0
    ? `${chosen} with ${r.mode} routing, ${formatUsd(saved)} less than quality's choice (${percent(saved / r.qualityUsd)} saved).`
    : `${chosen} with ${r.mode} routing, as much as quality's choice.`;
}

export class WhyPanel {
  readonly el: HTMLDetailsElement;
  private readonly summary = h('summary', {}, 'Why these models');
  private readonly intro = h('p', { class: 'why-intro', 'data-testid': 'support-size' });
  private readonly saving = h('p', { class: 'why-intro', 'data-testid': 'routing-saving' });
  private readonly far = h('p', { class: 'why-intro', 'data-testid': 'routing-far' });
  private readonly head = h('div', { class: 'bar-row prior-head', 'aria-hidden': 'true' }, h('span', { class: 'bar-name' }, 'model'), h('span', { class: 'bar-head' }, 'right on similar questions'), h('span', { class: 'bar-value' }, 'share'), h('span', { class: 'bar-extra' }, 'a reply'));
  private readonly list = h('ul', { class: 'bar-list priors', 'aria-label': 'Each model: share of similar questions it got right, and the expected cost of a reply', 'data-bar-group': 'priors' });
  private key = '';

  constructor() {
    this.el = h('details', { class: 'section why', 'data-testid': 'why' }, this.summary, this.intro, this.far, this.saving, this.head, this.list);
  }

  update(run: RunState): void {
    const selected = new Set(run.referencers.map((r) => r.model));
    const key = JSON.stringify([run.supportCount, run.supportEffective, run.selectionFallback, run.priors, run.routing, [...selected]]);
    if (key === this.key) return;
    this.key = key;
    this.el.hidden = run.supportCount === undefined && run.priors.length === 0;
    const support = supportText(run);
    if (run.selectionFallback === 'empty-bank') {
      setText(this.intro, 'The question bank is empty, so the first configured models answer with equal weight (plain mixture of agents). Profile your models to enable retrieval-based selection.');
    } else if (run.selectionFallback === 'bank-unavailable') {
      setText(this.intro, 'The team bank could not be reached (the SMCS log says why), so the first configured models answer with equal weight, as with an empty bank.');
    } else if (run.selectionFallback === 'no-profiled-model') {
      setText(this.intro, `Found ${run.supportCount ?? 0} similar questions, but none has labels for the configured models, so they answer with equal weight.`);
    } else {
      const how = run.routing && run.routing.mode !== 'quality' ? `chosen by ${run.routing.mode} routing: the share right minus ${run.routing.costWeight} × the cost` : 'chosen by the share right';
      setText(this.intro, `${support.text}. Each bar is the share of them a model got right, the more similar to yours counting more; beside it, what one of its replies is expected to cost. The selected models are ${how}.`);
    }
    setAttr(this.intro, 'title', run.selectionFallback ? undefined : support.title);
    setText(this.far, farText(run));
    this.far.hidden = this.far.textContent === '';
    setText(this.saving, savingText(run));
    this.saving.hidden = this.saving.textContent === '';
    const estimates = new Map((run.routing?.estimates ?? []).map((e) => [e.model, e]));
    this.head.hidden = estimates.size === 0;
    const unprofiled = new Set(unprofiledModels(run));
    const rows = run.priors.map((prior) => ({ prior, estimate: estimates.get(prior.model), unprofiled: unprofiled.has(prior.model) }));
    const ranked = run.routing?.far ? 'ranked with the best of the others (the bank has nothing close to this question)' : 'ranked with the mean of the others';
    this.list.replaceChildren(...orderRows(rows, selected).map((row) => this.row(row, selected.has(row.prior.model), ranked)));
  }

  private row(row: Row, isSelected: boolean, ranked: string): HTMLElement {
    const { prior, estimate, unprofiled } = row;
    const share = estimate && !unprofiled ? estimate.accuracy : 0;
    const cost = estimate ? replyCostText(estimate) : undefined;
    return h(
      'li',
      { class: 'bar-row prior', 'data-testid': 'prior', 'data-model': prior.model, 'data-selected': String(isSelected), 'data-unprofiled': String(unprofiled) },
      h(
        'span',
        { class: 'bar-name' },
        modelNameText(prior.model, 'prior-name'),
        isSelected ? h('span', { class: 'badge', title: 'Selected as a referencer' }, 'selected') : null,
        unprofiled ? h('span', { class: 'badge muted', 'data-testid': 'unprofiled', title: `No label among the similar questions: ${ranked}` }, 'unprofiled') : null,
        estimate ? h('span', { class: 'prior-detail', 'data-testid': 'prior-accuracy' }, accuracySentence(row)) : null,
      ),
      meter({ label: `${prior.model}: share of similar questions right`, value: share, max: 1, valueText: accuracySentence(row) }),
      h('span', { class: 'bar-value', 'aria-hidden': 'true' }, estimate && !unprofiled ? percent(share) : '—'),
      h('span', { class: 'bar-extra', 'data-testid': 'prior-cost', title: cost?.title }, cost?.text ?? '—'),
    );
  }
}
