/**
 * The view of one run (one question) in the panel: stage strip, answer, candidates, references and
 * "Why these models". Built once, then patched by `update(run)` so streaming keeps focus, scroll
 * position and the open/closed state of collapsible sections.
 */
import { STAGES, effectiveChoice, shownAnswer, stageCounts, type CandidateState, type ReferencerState, type RunState, type StageName } from '../shared/runState';
import type { MarkdownRenderer } from './markdown';
import { commandButton, h, setAttr, setText } from './dom';
import { errorHelp } from './errorHelp';
import { formatCost, formatMs, formatScore, formatTokens } from './format';

const STAGE_LABELS: Record<StageName, string> = {
  retrieve: 'Retrieve',
  referencers: 'Referencers',
  aggregate: 'Aggregate',
  score: 'Score',
};

const STATUS_LABELS: Record<string, string> = {
  waiting: 'waiting',
  streaming: 'streaming',
  done: 'done',
  failed: 'failed',
  abandoned: 'stopped',
};

/** Renders markdown into an element only when the source changed. */
class MarkdownBox {
  readonly el = h('div', { class: 'markdown' });
  private source: string | undefined;

  constructor(private readonly render: MarkdownRenderer) {}

  show(markdown: string): void {
    if (markdown === this.source) return;
    this.source = markdown;
    this.el.classList.remove('streaming-text');
    this.el.innerHTML = this.render(markdown);
  }

  /** Shows text as it streams in (plain text, no markdown yet). */
  stream(text: string): void {
    this.source = undefined;
    this.el.classList.add('streaming-text');
    setText(this.el, text);
  }
}

class StageStrip {
  readonly el: HTMLElement;
  private readonly items = new Map<StageName, { li: HTMLElement; count: HTMLElement; time: HTMLElement }>();
  private readonly elapsed = h('span', { class: 'elapsed', 'data-testid': 'elapsed', 'aria-label': 'Elapsed time' });
  readonly stop = h('button', { type: 'button', class: 'button secondary stop', 'data-action': 'stop', 'data-testid': 'stop', title: 'Stop this run (SMCS: Cancel)' }, 'Stop');

  constructor() {
    const list = h('ol', { class: 'stages' });
    for (const name of STAGES) {
      const count = h('span', { class: 'stage-count' });
      const time = h('span', { class: 'stage-time' });
      const li = h('li', { class: 'stage', 'data-stage': name, 'data-testid': `stage-${name}` }, h('span', { class: 'stage-icon', 'aria-hidden': 'true' }), h('span', { class: 'stage-name' }, STAGE_LABELS[name]), count, time);
      this.items.set(name, { li, count, time });
      list.append(li);
    }
    this.el = h('div', { class: 'stage-strip', 'data-testid': 'stage-strip', role: 'group', 'aria-label': 'Pipeline progress' }, list, this.elapsed, this.stop);
  }

  update(run: RunState, now: number): void {
    const counts = stageCounts(run);
    for (const name of STAGES) {
      const item = this.items.get(name);
      if (!item) continue;
      const stage = run.stages[name];
      setAttr(item.li, 'data-status', stage.status);
      const c = counts[name];
      let countText = '';
      if (name === 'retrieve' && run.selectionFallback === 'empty-bank') countText = 'no bank yet';
      else if (name === 'retrieve' && run.supportCount !== undefined) countText = `${run.supportCount} similar`;
      else if (name === 'score' && run.winner !== undefined && run.winner >= 0) countText = `#${run.winner + 1} wins`;
      else if (name !== 'retrieve' && name !== 'score' && c.total > 0) countText = `${c.done}/${c.total}`;
      setText(item.count, countText);
      const end = stage.endedAt ?? (stage.status === 'active' ? now : undefined);
      setText(item.time, stage.startedAt !== undefined && end !== undefined && stage.status !== 'skipped' ? formatMs(end - stage.startedAt) : '');
      setAttr(item.li, 'aria-label', `${STAGE_LABELS[name]}: ${stage.status}${countText ? `, ${countText}` : ''}`);
    }
    setText(this.elapsed, formatMs((run.finishedAt ?? now) - run.startedAt));
    this.stop.hidden = run.status !== 'running';
  }
}

class ReferencerCard {
  readonly el: HTMLDetailsElement;
  private readonly meta = h('span', { class: 'meta' });
  private readonly status = h('span', { class: 'status-dot', role: 'img' });
  private readonly error = h('span', { class: 'chip error', 'data-testid': 'error-chip' });
  private readonly body: MarkdownBox;
  private readonly reasoning = h('details', { class: 'reasoning' }, h('summary', {}, 'Reasoning'), h('div', { class: 'streaming-text' }));

  constructor(model: string, render: MarkdownRenderer) {
    this.body = new MarkdownBox(render);
    this.el = h(
      'details',
      { class: 'card ref', 'data-testid': 'referencer', 'data-model': model, open: true },
      h('summary', {}, this.status, h('span', { class: 'model' }, model), this.meta, this.error),
      this.reasoning,
      this.body.el,
    );
  }

  update(ref: ReferencerState): void {
    setAttr(this.el, 'data-status', ref.status);
    setAttr(this.status, 'aria-label', STATUS_LABELS[ref.status] ?? ref.status);
    const meta: string[] = [];
    if (ref.latencyMs !== undefined) meta.push(formatMs(ref.latencyMs));
    if (ref.usage) meta.push(formatTokens(ref.usage.completionTokens));
    if (ref.costUsd !== undefined) meta.push(formatCost(ref.costUsd));
    if (ref.trimmed) meta.push('trimmed to fit');
    if (ref.status === 'abandoned') meta.push('stopped');
    setText(this.meta, meta.join(' · '));
    // The chip names the kind of failure in a few words; the full message is its tooltip.
    this.error.hidden = ref.error === undefined;
    setText(this.error, ref.error === undefined ? '' : errorHelp(ref.errorKind).label);
    setAttr(this.error, 'title', ref.error);
    this.reasoning.hidden = ref.reasoning === '';
    const reasoningBody = this.reasoning.lastElementChild;
    if (reasoningBody) setText(reasoningBody, ref.reasoning);
    if (ref.status === 'done') this.body.show(ref.text);
    else this.body.stream(ref.text);
  }
}

class CandidateCard {
  readonly el: HTMLElement;
  private readonly badges = h('span', { class: 'badges' });
  private readonly subset = h('span', { class: 'subset', 'aria-label': 'References in this subset' });
  private readonly scores = h('dl', { class: 'scores' });
  private readonly actions = h('div', { class: 'cand-actions' });
  private readonly details: HTMLDetailsElement;
  private readonly body: MarkdownBox;
  private latest: CandidateState | undefined;

  constructor(private readonly runId: string, private readonly index: number, render: MarkdownRenderer) {
    this.body = new MarkdownBox(render);
    this.details = h('details', { class: 'cand-body' }, h('summary', {}, 'Show reply'), this.body.el);
    this.details.addEventListener('toggle', () => this.renderBody());
    this.el = h(
      'div',
      { class: 'card cand', 'data-testid': 'candidate', 'data-index': index, 'data-candidate': index },
      h('div', { class: 'cand-head' }, h('span', { class: 'cand-title' }, `Candidate ${index + 1}`), this.badges, this.subset),
      this.scores,
      this.actions,
      this.details,
    );
  }

  private renderBody(): void {
    const c = this.latest;
    if (!c || !this.details.open) return;
    if (c.status === 'done') this.body.show(c.text);
    else this.body.stream(c.error ? `${c.text}\n\n(${c.error})` : c.text);
  }

  update(c: CandidateState, run: RunState): void {
    this.latest = c;
    const isWinner = run.winner === c.index;
    const shown = effectiveChoice(run) === c.index;
    const chosenByUser = run.chosen === c.index;
    setAttr(this.el, 'data-status', c.status);
    setAttr(this.el, 'data-winner', String(isWinner));
    setAttr(this.el, 'data-chosen', String(shown));
    this.badges.replaceChildren(
      ...[
        isWinner ? h('span', { class: 'badge winner', 'data-testid': 'winner-badge' }, 'Winner') : null,
        chosenByUser ? h('span', { class: 'badge chosen', 'data-testid': 'chosen-badge' }, 'Your choice') : null,
        c.status === 'failed' ? h('span', { class: 'chip error', 'data-testid': 'error-chip', title: c.error ?? 'failed' }, errorHelp(c.errorKind).label) : null,
        c.status === 'streaming' ? h('span', { class: 'badge muted' }, 'writing…') : null,
      ].filter((x): x is HTMLSpanElement => x !== null),
    );
    const subsetKey = c.subset.join('\u0000');
    if (this.subset.getAttribute('data-key') !== subsetKey) {
      this.subset.setAttribute('data-key', subsetKey);
      this.subset.replaceChildren(...c.subset.map((m, i) => h('span', { class: 'chip', title: `Reference ${i + 1}` }, m)));
    }
    const ppl = run.logprobsUsed === false ? 'n/a' : formatScore(c.perplexity);
    const scoreKey = `${formatScore(c.similarity)}|${ppl}|${formatScore(c.total)}`;
    if (this.scores.getAttribute('data-key') !== scoreKey) {
      this.scores.setAttribute('data-key', scoreKey);
      this.scores.replaceChildren(
        h('div', {}, h('dt', {}, 'similarity'), h('dd', { 'data-testid': 'score-similarity' }, formatScore(c.similarity))),
        h('div', {}, h('dt', {}, 'perplexity'), h('dd', { 'data-testid': 'score-perplexity' }, ppl)),
        h('div', {}, h('dt', {}, 'total'), h('dd', { 'data-testid': 'score-total' }, formatScore(c.total))),
      );
    }
    const actionKey = `${run.status}|${c.status}|${shown}|${chosenByUser}`;
    if (this.actions.getAttribute('data-key') !== actionKey) {
      this.actions.setAttribute('data-key', actionKey);
      const buttons: HTMLElement[] = [];
      if (run.status === 'done' && c.status === 'done' && !shown) {
        buttons.push(h('button', { type: 'button', class: 'button secondary', 'data-action': 'choose', 'data-index': c.index, 'data-run-id': this.runId, 'data-testid': 'use-reply', 'aria-label': `Use candidate ${this.index + 1} as the reply` }, 'Use this reply'));
      }
      if (chosenByUser) {
        buttons.push(h('button', { type: 'button', class: 'button secondary', 'data-action': 'revert', 'data-run-id': this.runId, 'data-testid': 'revert-choice', 'aria-label': 'Revert to the scored winner' }, 'Revert to winner'));
      }
      this.actions.replaceChildren(...buttons);
      this.actions.hidden = buttons.length === 0;
    }
    this.renderBody();
  }
}

class WhyPanel {
  readonly el: HTMLDetailsElement;
  private readonly summary = h('summary', {}, 'Why these models');
  private readonly intro = h('p', { class: 'why-intro', 'data-testid': 'support-size' });
  private readonly list = h('ul', { class: 'priors', 'aria-label': 'Model priors' });
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
    } else if (run.selectionFallback === 'no-profiled-model') {
      setText(this.intro, `Found ${run.supportCount ?? 0} similar questions, but none has labels for the configured models, so they answer with equal weight.`);
    } else {
      setText(this.intro, `Support set: ${run.supportCount ?? 0} similar questions from the bank. Each bar is a model's prior: similarity-weighted correctness on those questions.`);
    }
    const max = Math.max(0, ...run.priors.map((p) => p.prior));
    this.list.replaceChildren(
      ...run.priors.map((p) => {
        const fill = h('span', { class: 'bar-fill' });
        const share = max > 0 ? p.prior / max : 0;
        fill.style.width = `${Math.round(share * 100)}%`;
        return h(
          'li',
          { class: 'prior', 'data-testid': 'prior', 'data-model': p.model, 'data-selected': String(selected.has(p.model)), 'data-unprofiled': String(p.unprofiled) },
          h('span', { class: 'prior-name', title: p.model }, p.model),
          h('span', { class: 'bar', role: 'meter', 'aria-label': `${p.model} prior`, 'aria-valuemin': 0, 'aria-valuemax': max > 0 ? max.toFixed(3) : 1, 'aria-valuenow': p.prior.toFixed(3) }, fill),
          h('span', { class: 'prior-value' }, p.prior.toFixed(3)),
          p.unprofiled ? h('span', { class: 'badge muted', 'data-testid': 'unprofiled', title: 'No label in the support set: given the mean prior of the others' }, 'unprofiled') : null,
          selected.has(p.model) ? h('span', { class: 'badge', title: 'Selected as a referencer' }, 'selected') : null,
        );
      }),
    );
  }
}

/** The whole view of one run. */
export class RunView {
  readonly root: HTMLElement;
  private readonly strip = new StageStrip();
  private readonly banner = h('div', { class: 'banner', 'data-testid': 'run-banner', role: 'status' });
  private readonly answerHead = h('div', { class: 'answer-head' });
  private readonly answerBox: MarkdownBox;
  private readonly answer: HTMLElement;
  private readonly candidatesSummary = h('summary', {}, 'Candidates');
  private readonly candidateList = h('div', { class: 'cand-list' });
  private readonly candidates: HTMLDetailsElement;
  private readonly referencesSummary = h('summary', {}, 'References');
  private readonly referenceList = h('div', { class: 'ref-list' });
  private readonly references: HTMLDetailsElement;
  private readonly why = new WhyPanel();
  private readonly refCards = new Map<string, ReferencerCard>();
  private readonly candCards = new Map<number, CandidateCard>();
  private lastStatus: RunState['status'] | undefined;
  private run: RunState;

  constructor(run: RunState, private readonly render: MarkdownRenderer) {
    this.run = run;
    this.answerBox = new MarkdownBox(render);
    this.answer = h('section', { class: 'answer', 'data-testid': 'answer', 'aria-label': 'Answer', 'data-candidate': '' }, this.answerHead, this.answerBox.el);
    this.candidates = h('details', { class: 'section', 'data-testid': 'candidates', open: true }, this.candidatesSummary, this.candidateList);
    this.references = h('details', { class: 'section', 'data-testid': 'referencers', open: run.status === 'running' }, this.referencesSummary, this.referenceList);
    const question = h(
      'div',
      { class: 'question', 'data-testid': 'question' },
      h('div', { class: 'question-text' }, run.question),
      run.context ? h('div', { class: 'chip context', title: 'Editor context sent with the question' }, 'with editor context') : null,
    );
    this.root = h('article', { class: 'run', 'data-testid': 'run', 'data-run-id': run.id, 'aria-label': `Question: ${run.question.slice(0, 80)}` }, question, this.strip.el, this.banner, this.answer, this.candidates, this.references, this.why.el);
    this.update(run, Date.now());
  }

  /** Patches the view to show `run`. */
  update(run: RunState, now: number): void {
    this.run = run;
    setAttr(this.root, 'data-status', run.status);
    this.strip.update(run, now);
    this.updateBanner(run);
    this.updateAnswer(run);
    this.updateReferencers(run);
    this.updateCandidates(run);
    this.why.update(run);
    if (this.lastStatus === 'running' && run.status !== 'running') this.references.open = false;
    this.lastStatus = run.status;
  }

  /** Refreshes the elapsed-time counters of a running run. */
  tick(now: number): void {
    if (this.run.status === 'running') this.strip.update(this.run, now);
  }

  private updateBanner(run: RunState): void {
    let text = '';
    let kind = '';
    let actions: HTMLElement[] = [];
    if (run.status === 'error' && run.error) {
      const help = errorHelp(run.error.kind);
      const message = run.error.causes.length > 0 ? `${run.error.message} — ${run.error.causes.join('; ')}` : run.error.message;
      text = `${message}. ${help.hint}`;
      kind = 'error';
      actions = help.actions.map((a, i) =>
        'command' in a
          ? commandButton(a.command, a.label, i === 0 ? 'run-banner-action' : `run-banner-action-${i}`, { secondary: true, size: 'small' })
          : h('button', { type: 'button', class: 'button secondary small', 'data-action': 'retry-with', 'data-remedy': a.remedy, 'data-run-id': run.id, 'data-testid': `retry-with-${a.remedy}` }, a.label),
      );
    } else if (run.status === 'cancelled') {
      text = 'Stopped. Replies received so far are kept below.';
      kind = 'info';
    } else if (run.status === 'done' && run.fallbackReference !== undefined) {
      text = `Every aggregation failed; showing the reply of ${run.fallbackReference} (highest prior).`;
      kind = 'warning';
    } else if (run.status === 'done' && run.logprobsUsed === false && run.candidates.length > 1) {
      text = 'No log-probabilities were returned, so candidates are ranked by similarity only.';
      kind = 'info';
    }
    this.banner.hidden = text === '';
    const key = `${kind}|${text}`;
    if (this.banner.getAttribute('data-key') !== key) {
      this.banner.setAttribute('data-key', key);
      this.banner.replaceChildren(h('span', { class: 'banner-text' }, text), ...actions);
    }
    setAttr(this.banner, 'data-kind', kind || undefined);
  }

  private updateAnswer(run: RunState): void {
    const text = shownAnswer(run);
    this.answer.hidden = run.status !== 'done' || text === undefined;
    if (this.answer.hidden || text === undefined) return;
    const choice = effectiveChoice(run);
    setAttr(this.answer, 'data-candidate', String(choice));
    const headKey = `${choice}|${run.chosen}|${run.winner}|${run.candidates.length}`;
    if (this.answerHead.getAttribute('data-key') !== headKey) {
      this.answerHead.setAttribute('data-key', headKey);
      const parts: HTMLElement[] = [h('span', { class: 'answer-title' }, 'Answer')];
      if (run.chosen !== undefined) {
        parts.push(h('span', { class: 'badge chosen', 'data-testid': 'answer-chosen' }, `Your choice: candidate ${run.chosen + 1}`));
        parts.push(h('button', { type: 'button', class: 'link-button', 'data-action': 'revert', 'data-run-id': run.id, 'data-testid': 'answer-revert', 'aria-label': 'Revert to the scored winner' }, 'Revert to winner'));
      } else if (run.winner !== undefined && run.winner >= 0) {
        parts.push(h('span', { class: 'badge winner' }, `Winner: candidate ${run.winner + 1} of ${run.candidates.length}`));
      } else if (run.fallbackReference !== undefined) {
        parts.push(h('span', { class: 'badge muted' }, `Reference from ${run.fallbackReference}`));
      }
      this.answerHead.replaceChildren(...parts);
    }
    this.answerBox.show(text);
  }

  private updateReferencers(run: RunState): void {
    const done = run.referencers.filter((r) => r.status !== 'waiting' && r.status !== 'streaming').length;
    setText(this.referencesSummary, `References ${run.referencers.length > 0 ? `(${done}/${run.referencers.length})` : ''}`.trim());
    this.references.hidden = run.referencers.length === 0;
    for (const ref of run.referencers) {
      let card = this.refCards.get(ref.model);
      if (!card) {
        card = new ReferencerCard(ref.model, this.render);
        this.refCards.set(ref.model, card);
        this.referenceList.append(card.el);
      }
      card.update(ref);
    }
  }

  private updateCandidates(run: RunState): void {
    setText(this.candidatesSummary, run.candidates.length > 0 ? `Candidates (${run.candidates.length})` : 'Candidates');
    this.candidates.hidden = run.candidates.length === 0;
    for (const c of run.candidates) {
      let card = this.candCards.get(c.index);
      if (!card) {
        card = new CandidateCard(run.id, c.index, this.render);
        this.candCards.set(c.index, card);
        this.candidateList.append(card.el);
      }
      card.update(c, run);
    }
  }
}
