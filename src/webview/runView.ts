/**
 * The view of one run (one question, a turn of its conversation) in the panel: the question, stage strip, notes on
 * what a small context window left out, the answer (where the models' final answers agree, how the checks chose it,
 * and the order they ranked the replies in) and its cost, candidates, references and "Why these models". Built once,
 * then patched by `update(run)` so streaming keeps focus, scroll position and the open/closed state of collapsible
 * sections.
 */
import { STAGES, stageCounts, stageMs, waitingFor, type RunState, type StageName } from '../presentation/runState';
import { answerReferences, answerView, candidatePhrase, chooserWords, referenceChooser } from '../presentation/answerView';
import { chosenInsteadLine, liveAnswer, type LiveAnswer } from '../presentation/liveAnswer';
import type { MarkdownRenderer } from './markdown';
import { contextCount, contextLine, contextParts } from './contextLine';
import { CandidateCard, revertWords } from './candidateCard';
import { addApplyButtons } from './applyButtons';
import { AnswerRanking } from './answerRanking';
import { AgreementView } from './agreementView';
import { answerChecks, answerRanking } from './checkReport';
import { CostLine } from './costLine';
import { candidateGroups, candidatesSummary, nameOf } from '../presentation/candidateGroups';
import { drawWeightLine } from './drawWeight';
import { append, commandButton, h, setAttr, setText } from './dom';
import { failureNotice } from '../presentation/errorHelp';
import { chatStopped } from '../presentation/chatText';
import { endpointTrouble } from '../presentation/endpointTrouble';
import { formatCount, formatMs, formatQuantity, formatReplyCounts } from '../presentation/format';
import { MarkdownBox, ReasoningBox } from './markdownBox';
import { shortModelNames } from './modelNames';
import { QuestionView } from './questionView';
import { ReferencerCard } from './referencerCard';
import { runNotes } from './runNotes';
import { totalsView } from './totals';
import { WhyPanel } from './whyPanel';
import { UnprofiledNotice } from './unprofiledNotice';
import { partNotes } from '../presentation/withheldFiles';
import { WithheldLine } from './withheldLine';

const STAGE_LABELS: Record<StageName, string> = {
  retrieve: 'Retrieve',
  referencers: 'Referencers',
  aggregate: 'Aggregate',
  score: 'Score',
};

class StageStrip {
  readonly el: HTMLElement;
  private readonly items = new Map<StageName, { li: HTMLElement; count: HTMLElement; time: HTMLElement }>();
  private readonly elapsed = h('span', { class: 'elapsed', 'data-testid': 'elapsed', 'aria-label': 'Elapsed time' });
  /** "waiting for model-d, 3.1 s, others done": the slowest referencers, once they are all the run waits for. */
  private readonly waiting = h('span', { class: 'stage-wait', 'data-testid': 'stage-wait', 'aria-live': 'off' });
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
    this.el = h('div', { class: 'stage-strip', 'data-testid': 'stage-strip', role: 'group', 'aria-label': 'Pipeline progress' }, list, this.waiting, this.elapsed, this.stop);
  }

  update(run: RunState, now: number): void {
    const counts = stageCounts(run);
    for (const name of STAGES) {
      const item = this.items.get(name);
      if (!item) continue;
      const stage = run.stages[name];
      setAttr(item.li, 'data-status', stage.status);
      let countText = '';
      if (name === 'retrieve' && run.selectionFallback === 'empty-bank') countText = 'no bank yet';
      else if (name === 'retrieve' && run.selectionFallback === 'bank-unavailable') countText = 'bank unreachable';
      else if (name === 'retrieve' && run.supportCount !== undefined) countText = `${formatCount(run.supportCount)} similar`;
      else if (name === 'score' && answerView(run).topLabel === 'best candidate' && run.answer?.reply.kind === 'referencer') countText = 'reference wins';
      else if (name === 'score' && run.winner !== undefined && run.winner >= 0) countText = `#${run.winner + 1} wins`;
      else if ((name === 'referencers' || name === 'aggregate') && counts[name].total > 0) countText = formatReplyCounts(counts[name]);
      setText(item.count, countText);
      const ms = stageMs(stage, now);
      setText(item.time, ms === undefined ? '' : formatMs(ms));
      setAttr(item.li, 'aria-label', `${STAGE_LABELS[name]}: ${stage.status}${countText ? `, ${countText}` : ''}`);
    }
    const wait = waitingFor(run, now);
    this.waiting.hidden = wait === undefined;
    const names = shortModelNames(run.referencers.map((r) => r.model));
    setText(this.waiting, wait === undefined ? '' : `waiting for ${wait.models.map((m) => names.get(m) ?? m).join(' and ')}, ${formatMs(wait.ms)}, others done`);
    if (wait !== undefined) this.waiting.title = `Waiting for ${wait.models.join(' and ')}; every other referencer has answered. The straggler deadline (setting smcs.stragglerFactor) leaves a late model out.`;
    setText(this.elapsed, formatMs((run.finishedAt ?? now) - run.startedAt));
    this.stop.hidden = run.status !== 'running';
  }
}

/** What the agreement shortcut did: "The referencers agreed on C (3 of 3): 8 aggregation calls saved; this is the reply of …". */
function agreementText(run: RunState, agreement: NonNullable<RunState['agreement']>, saved: number): string {
  const on = agreement.basis === 'answer' ? `on ${agreement.answer ?? 'the answer'}` : 'with near-identical replies';
  const calls = `${saved} aggregation call${saved === 1 ? '' : 's'} saved`;
  const { directReference } = answerReferences(run);
  return `The referencers agreed ${on} (${agreement.agreeing} of ${agreement.of}): ${calls}${directReference !== undefined ? `; this is the reply of ${directReference}` : ''}.`;
}

/** Asks a failed or stopped run's question again (the question box need not be retyped). */
function retryButton(runId: string, label: string, title: string): HTMLElement {
  return h('button', { type: 'button', class: 'button small', 'data-action': 'retry', 'data-run-id': runId, 'data-testid': 'run-retry', title }, label);
}

/** Whether the references show unfolded: while they stream, and on a stopped run, whose banner says the replies received so far are kept below. */
const referencesOpen = (status: RunState['status']): boolean => status === 'running' || status === 'cancelled';

/** The whole view of one run. */
export class RunView {
  readonly root: HTMLElement;
  private readonly strip = new StageStrip();
  private readonly banner = h('div', { class: 'banner', 'data-testid': 'run-banner', role: 'status' });
  private readonly notes = h('ul', { class: 'run-notes', 'data-testid': 'run-notes', 'aria-label': 'Notes on this answer' });
  private readonly cost = new CostLine();
  private readonly answerHead = h('div', { class: 'answer-head' });
  /** Why the answer is not the reply the card showed while it was written (presentation/liveAnswer chosenInsteadLine). */
  private readonly answerInstead = h('p', { class: 'answer-instead', 'data-testid': 'answer-instead' });
  private readonly agreement = new AgreementView();
  private readonly answerChecks = h('div', { class: 'answer-checks-box' });
  private readonly ranking = new AnswerRanking();
  private readonly answerBox: MarkdownBox;
  private readonly answerReasoning = new ReasoningBox();
  /**
   * The shown answer, which the panel brings into view when the run finishes; while the run runs, the first candidate's
   * words as it writes them, said to be not yet chosen (hidden until one writes).
   */
  readonly answer: HTMLElement;
  /** Whether the answer card shows a candidate as it is written (the panel follows it then, not the run's end). */
  private live = false;
  private readonly candidatesSummary = h('summary', {}, 'Candidates');
  /** Why two candidates' similarities differ when their subsets were drawn unequally (see drawWeight.ts). */
  private readonly drawNote = h('p', { class: 'cand-note', 'data-testid': 'draw-note' });
  private readonly candidateList = h('div', { class: 'cand-list' });
  private readonly candidates: HTMLDetailsElement;
  private readonly referencesSummary = h('summary', {}, 'References');
  private readonly referenceList = h('div', { class: 'ref-list' });
  private readonly references: HTMLDetailsElement;
  private readonly why = new WhyPanel();
  private readonly unprofiled = new UnprofiledNotice();
  private readonly refCards = new Map<string, ReferencerCard>();
  /** The candidates' cards, by the index of their first candidate. */
  private readonly candCards = new Map<number, CandidateCard>();
  private readonly contextCount = h('span', { class: 'context-count', 'data-testid': 'context-count' });
  /** The parts after the count, on one line cut with an ellipsis; a narrow panel (media/panel.css) shows the count alone. */
  private readonly contextPreview = h('span', { class: 'context-preview', 'aria-hidden': 'true' });
  private readonly contextSummary = h('summary', { class: 'context-summary' }, this.contextCount, this.contextPreview);
  private readonly contextItems = h('ul', { class: 'context-items', 'data-testid': 'context-items' });
  private readonly contextEl = h('details', { class: 'context-line', 'data-testid': 'context-line' }, this.contextSummary, this.contextItems);
  private readonly contextNotes = h('div', { class: 'context-notes muted', 'data-testid': 'context-notes' });
  private readonly withheld = new WithheldLine();
  private run: RunState;

  constructor(run: RunState, private readonly render: MarkdownRenderer) {
    this.run = run;
    this.answerBox = new MarkdownBox(render);
    this.answer = h('section', { class: 'answer', 'data-testid': 'answer', 'aria-label': 'Answer', 'data-candidate': '' }, this.answerHead, this.answerInstead, this.agreement.el, this.answerChecks, this.ranking.el, this.answerReasoning.el, this.answerBox.el);
    this.candidates = h('details', { class: 'section', 'data-testid': 'candidates', open: true }, this.candidatesSummary, this.drawNote, this.candidateList);
    this.references = h('details', { class: 'section', 'data-testid': 'referencers', open: referencesOpen(run.status) }, this.referencesSummary, this.referenceList);
    const question = new QuestionView(run.question, render);
    this.root = h('article', { class: 'run', 'data-testid': 'run', 'data-run-id': run.id, 'aria-label': `Question: ${run.question.slice(0, 80)}` }, question.el, this.contextEl, this.withheld.el, this.contextNotes, this.strip.el, this.banner, this.notes, this.answer, this.cost.el, this.unprofiled.el, this.candidates, this.references, this.why.el);
    this.update(run, Date.now());
  }

  /** The turn's context line ("Context: cells.py 1–120 · 2 problems"), the files withheld as secret, and what else was left out. */
  private updateContext(run: RunState): void {
    const line = contextLine(run.contextReport);
    this.contextEl.hidden = line === undefined;
    const parts = contextParts(run.contextReport ?? []);
    setText(this.contextCount, contextCount(parts));
    setText(this.contextPreview, parts.join(' · '));
    setAttr(this.contextSummary, 'title', line ?? '');
    const key = JSON.stringify(parts);
    if (this.contextItems.dataset.parts !== key) {
      this.contextItems.dataset.parts = key;
      this.contextItems.replaceChildren(...parts.map((p) => h('li', {}, p)));
    }
    const { withheld, others } = partNotes(run.contextNotes ?? []);
    this.withheld.update(withheld);
    this.contextNotes.hidden = others.length === 0;
    setText(this.contextNotes, others.join(' · '));
  }

  /** Patches the view to show `run`. */
  update(run: RunState, now: number): void {
    const before = this.run.status;
    this.run = run;
    setAttr(this.root, 'data-status', run.status);
    this.strip.update(run, now);
    this.updateContext(run);
    this.updateBanner(run);
    this.updateNotes(run);
    this.updateAnswer(run);
    this.cost.update(run);
    this.updateReferencers(run, now);
    this.updateCandidates(run, now);
    this.why.update(run);
    this.unprofiled.update(run);
    if (before === 'running' && !referencesOpen(run.status)) this.references.open = false;
  }

  /** Another run asks this one's question again with the unprofiled models it left out: its notice goes. */
  markAskedAgain(): void {
    this.unprofiled.markAskedAgain();
  }

  /** Folds the candidates of a turn the conversation has moved on from, so the thread reads as questions and answers. */
  foldCandidates(): void {
    this.candidates.open = false;
  }

  /** Refreshes the elapsed-time counters and the countdowns of waits before a retry of a running run. */
  tick(now: number): void {
    if (this.run.status !== 'running') return;
    this.strip.update(this.run, now);
    for (const card of this.refCards.values()) card.tick(now);
    for (const card of this.candCards.values()) card.tick(now);
  }

  private updateBanner(run: RunState): void {
    const { fallbackReference, directReference } = answerReferences(run);
    let text = '';
    let kind = '';
    let actions: HTMLElement[] = [];
    let causes: HTMLElement | undefined;
    if (run.status === 'error' && run.error) {
      // The sentence `@smcs` says too (presentation/errorHelp failureNotice): which endpoint, what went wrong, what to do.
      const notice = failureNotice(run.error);
      text = notice.text;
      if (notice.details.length > 0) causes = foldedCauses(endpointTrouble(run.error.kind, run.error.endpoints) !== undefined ? 'Details' : formatQuantity(notice.details.length, 'cause'), notice.details);
      kind = 'error';
      actions = notice.actions.map((a, i) =>
        'command' in a
          ? commandButton(a.command, a.label, i === 0 ? 'run-banner-action' : `run-banner-action-${i}`, { secondary: true, size: 'small' })
          : h('button', { type: 'button', class: 'button secondary small', 'data-action': 'retry-with', 'data-remedy': a.remedy, 'data-run-id': run.id, 'data-testid': `retry-with-${a.remedy}` }, a.label),
      );
      actions.push(retryButton(run.id, 'Retry', 'Ask this question again'));
    } else if (run.status === 'cancelled') {
      // The words `@smcs` says too (presentation/chatText chatStopped).
      text = chatStopped(run).text;
      kind = 'info';
      actions = [retryButton(run.id, 'Ask again', 'Ask this question again from the start')];
    } else if (run.status === 'done' && fallbackReference !== undefined) {
      const favoured = run.bestByChecks?.kind === 'referencer' && run.bestByChecks.model === fallbackReference;
      const why = favoured ? 'the one the checks favour' : run.selectedBy === 'derived' || run.selectedBy === 'tests' ? `chosen by ${chooserWords(run.selectedBy)}` : 'highest prior';
      text = `Every aggregation failed; showing the reply of ${fallbackReference} (${why}).`;
      kind = 'warning';
    } else if (run.status === 'done' && (run.savedCalls ?? 0) > 0 && run.agreement) {
      text = agreementText(run, run.agreement, run.savedCalls ?? 0);
      kind = 'info';
    } else if (run.status === 'done' && directReference !== undefined) {
      text = `To stay within your cost limit, no aggregation ran: this is the reply of ${directReference}.`;
      kind = 'info';
    }
    this.banner.hidden = text === '';
    const key = `${kind}|${text}|${run.error?.message ?? ''}|${run.error?.causes.join('\u0000') ?? ''}`;
    if (this.banner.getAttribute('data-key') !== key) {
      this.banner.setAttribute('data-key', key);
      this.banner.replaceChildren(h('span', { class: 'banner-text' }, text), ...(causes ? [causes] : []), ...(actions.length > 0 ? [h('div', { class: 'banner-actions' }, ...actions)] : []));
    }
    setAttr(this.banner, 'data-kind', kind || undefined);
  }

  private updateNotes(run: RunState): void {
    const notes = runNotes(run);
    const key = JSON.stringify(notes);
    this.notes.hidden = notes.length === 0;
    if (this.notes.getAttribute('data-key') === key) return;
    this.notes.setAttribute('data-key', key);
    this.notes.replaceChildren(...notes.map((n) => h('li', { class: 'run-note', 'data-testid': 'run-note', 'data-kind': n.kind }, n.text)));
  }

  /** Whether the answer card shows a candidate's words as it writes them (presentation/liveAnswer). */
  get writing(): boolean {
    return this.live;
  }

  /** The height of the stage strip, which stays over the top of the view while the run is live. */
  get stripHeight(): number {
    return this.strip.el.offsetHeight;
  }

  private updateAnswer(run: RunState): void {
    const live = liveAnswer(run);
    this.live = live !== undefined;
    if (live !== undefined) return this.updateLiveAnswer(live);
    setAttr(this.answer, 'data-writing', undefined);
    setAttr(this.answer, 'aria-busy', undefined);
    const view = answerView(run);
    const { text, shown, candidate: choice } = view;
    this.answer.hidden = run.status !== 'done' || text === undefined;
    if (this.answer.hidden || text === undefined) return;
    setAttr(this.answer, 'data-candidate', String(choice));
    const instead = chosenInsteadLine(run);
    this.answerInstead.hidden = instead === undefined;
    setText(this.answerInstead, instead ?? '');
    const names = shortModelNames(run.referencers.map((r) => r.model));
    const name = (model: string): string => names.get(model) ?? model;
    const groups = candidateGroups(run);
    const headKey = JSON.stringify([choice, shown, run.winner, groups.map((g) => g.members.map((c) => c.index))]);
    if (this.answerHead.getAttribute('data-key') !== headKey) {
      this.answerHead.setAttribute('data-key', headKey);
      const parts: HTMLElement[] = [h('span', { class: 'answer-title' }, 'Answer')];
      const revert = revertWords(run);
      const revertButton = (): HTMLElement => h('button', { type: 'button', class: 'link-button', 'data-action': 'revert', 'data-run-id': run.id, 'data-testid': 'answer-revert', 'aria-label': revert.help }, revert.label);
      const reply = shown?.reply;
      if (shown?.because === 'user' && reply?.kind === 'candidate') {
        parts.push(h('span', { class: 'badge chosen', 'data-testid': 'answer-chosen' }, `Your choice: ${nameOf(groups, reply.index).toLowerCase()}`), revertButton());
      } else if (shown?.because === 'user' && reply?.kind === 'referencer') {
        parts.push(h('span', { class: 'badge chosen', 'data-testid': 'answer-chosen' }, `Your choice: ${name(reply.model)}'s reply`), revertButton());
      } else if (shown?.because === 'checks' && reply?.kind === 'referencer') {
        parts.push(h('span', { class: 'badge winner', 'data-testid': 'answer-reference', title: reply.model }, `Reply of ${name(reply.model)} — chosen by ${referenceChooser(run.selectedBy)}`));
      } else if (reply?.kind === 'candidate') {
        parts.push(h('span', { class: 'badge winner', 'data-testid': 'answer-winner' }, `Winner: ${candidatePhrase(run, run.winner ?? reply.index)}`));
        const { tieNote, tieHelp } = totalsView(run);
        if (tieNote !== undefined) parts.push(h('span', { class: 'badge muted', 'data-testid': 'answer-tie', title: tieHelp }, tieNote));
      } else if (shown?.because === 'fallback' && reply?.kind === 'referencer') {
        parts.push(h('span', { class: 'badge muted', 'data-testid': 'answer-fallback', title: reply.model }, `Reference from ${name(reply.model)}`));
      } else if (shown?.because === 'agreement' && run.selectedBy === 'agreement' && reply?.kind === 'referencer') {
        parts.push(h('span', { class: 'badge winner', 'data-testid': 'answer-reference', title: reply.model }, `Reply of ${name(reply.model)} — chosen by the final answers`));
      }
      this.answerHead.replaceChildren(...parts);
    }
    this.agreement.update(run, name);
    this.updateAnswerChecks(run, name);
    this.ranking.update(answerRanking(run, name));
    const reference = run.referencers.find((r) => r.model === view.reference);
    this.answerReasoning.update(reference ? reference.reasoning : run.candidates.find((c) => c.index === choice)?.reasoning);
    this.answerBox.show(text);
    addApplyButtons(this.answerBox.el, run);
  }

  /** The answer as it is written: what the first candidate to write has so far, under a head saying it is not yet chosen. */
  private updateLiveAnswer(live: LiveAnswer): void {
    this.answer.hidden = false;
    setAttr(this.answer, 'data-candidate', String(live.index));
    setAttr(this.answer, 'data-writing', live.state);
    setAttr(this.answer, 'aria-busy', String(live.state === 'writing'));
    const headKey = JSON.stringify(['live', live.head]);
    if (this.answerHead.getAttribute('data-key') !== headKey) {
      this.answerHead.setAttribute('data-key', headKey);
      this.answerHead.replaceChildren(h('span', { class: 'answer-title' }, 'Answer'), h('span', { class: 'answer-writing', 'data-testid': 'answer-writing' }, live.head));
    }
    for (const el of [this.answerInstead, this.agreement.el, this.answerChecks, this.ranking.el]) el.hidden = true;
    this.answerReasoning.update(undefined);
    this.answerBox.show(live.text);
  }

  /** How the checks chose the answer and, when a referencer's reply beats every candidate but is not the answer, the offer to use it. */
  private updateAnswerChecks(run: RunState, name: (model: string) => string): void {
    const checks = answerChecks(run, name);
    const key = JSON.stringify(checks ?? null);
    this.answerChecks.hidden = checks === undefined;
    if (this.answerChecks.getAttribute('data-key') === key) return;
    this.answerChecks.setAttribute('data-key', key);
    if (!checks) {
      this.answerChecks.replaceChildren();
      return;
    }
    const { how, offer, taken } = checks;
    this.answerChecks.replaceChildren();
    // The reply shown comes first: the user's choice, then how the answer was chosen.
    append(
      this.answerChecks,
      taken !== undefined ? h('p', { class: 'answer-checks', 'data-testid': 'answer-taken' }, taken) : null,
      h('p', { class: 'answer-checks', 'data-testid': 'answer-checks' }, how),
      offer
        ? h(
            'div',
            { class: 'check-offer', 'data-testid': 'check-offer', role: 'group', 'aria-label': 'A reply that passes more checks' },
            h('span', { class: 'check-offer-text', 'data-testid': 'check-offer-text' }, offer.text),
            h('button', { type: 'button', class: 'button small', 'data-action': 'use-reference', 'data-model': offer.model, 'data-run-id': run.id, 'data-testid': 'use-reference' }, `Use ${offer.name}'s reply`),
          )
        : null,
    );
  }

  private updateReferencers(run: RunState, now: number): void {
    setText(this.referencesSummary, run.referencers.length > 0 ? `References (${formatReplyCounts(stageCounts(run).referencers)})` : 'References');
    this.references.hidden = run.referencers.length === 0;
    for (const ref of run.referencers) {
      let card = this.refCards.get(ref.model);
      if (!card) {
        card = new ReferencerCard(ref.model, this.render);
        this.refCards.set(ref.model, card);
        this.referenceList.append(card.el);
      }
      card.update(ref, run, now);
    }
  }

  /**
   * One card for each group of candidates that wrote the same reply, from the run's current candidates: a card whose
   * candidates joined an earlier one's, or were replaced by new subsets, goes.
   */
  private updateCandidates(run: RunState, now: number): void {
    const groups = candidateGroups(run);
    setText(this.candidatesSummary, candidatesSummary(groups));
    this.candidates.hidden = run.candidates.length === 0;
    const line = drawWeightLine(groups);
    this.drawNote.hidden = line === undefined;
    setText(this.drawNote, line?.text ?? '');
    setAttr(this.drawNote, 'title', line?.help);
    const names = shortModelNames(run.referencers.map((r) => r.model));
    const shown = new Set<number>();
    groups.forEach((group, position) => {
      const first = group.members[0]?.index ?? group.lead.index;
      shown.add(first);
      let card = this.candCards.get(first);
      if (!card) {
        card = new CandidateCard(run.id, first, this.render);
        this.candCards.set(first, card);
      }
      // Moved only when out of place, so a card keeps focus and its open sections while the run streams.
      if (this.candidateList.children[position] !== card.el) this.candidateList.insertBefore(card.el, this.candidateList.children[position] ?? null);
      card.update(group, groups, run, names, now);
    });
    for (const [first, card] of this.candCards) {
      if (shown.has(first)) continue;
      card.el.remove();
      this.candCards.delete(first);
    }
  }
}

/** The causes of a failure folded under the banner's sentence, so its hint and buttons stay in view. */
function foldedCauses(summary: string, lines: readonly string[]): HTMLElement {
  return h('details', { class: 'banner-causes', 'data-testid': 'run-banner-causes' }, h('summary', {}, summary), h('ul', {}, ...lines.map((c) => h('li', {}, c))));
}
