/**
 * One candidate of a run in the panel — or several that wrote the same reply, as one card ("Candidates 1, 3 and 4 — 3
 * aggregations agree", see presentation/candidateGroups.ts): its title, badges (its final answer too) and total, the reference its subset left out
 * (the whole subset, or each candidate's, one click away), its scores with what they mean on hover, a note when SMCS stopped reading it and kept it as far
 * as it got, its check line (code questions), and one row of actions (show the reply and, apart
 * from it, the reasoning; use it as the reply; compare it with the winner or any other candidate in VS Code's diff
 * editor). Compact, so that about three cards fit a screen of a narrow side bar.
 */
import { answeringModel } from '../presentation/answerNames';
import { answerReferences, answerView, candidateNote } from '../presentation/answerView';
import type { CandidateState, RunState } from '../presentation/runState';
import { groupName, groupOf, type CandidateGroup } from '../presentation/candidateGroups';
import { replyAnswerLabel } from '../presentation/agreementLine';
import { finalAnswerBadge } from './agreementView';
import type { MarkdownRenderer } from './markdown';
import { h, setAttr, setText } from './dom';
import { errorHelp } from '../presentation/errorHelp';
import { formatQuantity, formatScore } from '../presentation/format';
import { MarkdownBox, ReasoningBox } from './markdownBox';
import { CheckLine } from './checkLine';
import { checkLineView } from './checkReport';
import { leftOutReferences, withoutPhrase } from './modelNames';
import { totalsView } from './totals';
import { WaitingChip } from './waiting';
import { showStoppedNote, stoppedNoteElement } from './stoppedCardNote';

/** What each score means, in plain words (the tooltips of the score labels). */
export const SCORE_HELP = {
  similarity: 'Agreement with the other candidates: how close this answer is in meaning to the others on average, each counted as many times as its subset was drawn (higher = it says what most candidates say).',
  perplexity: 'The aggregator’s confidence in its own words, from the log-probabilities of the tokens it wrote (1 = fully sure; higher = less sure).',
  perplexityMissing: 'The server returned no log-probabilities, so the aggregator’s confidence is not part of the score.',
  total: 'The sum that picks the winner: similarity + λ × (1 − perplexity), λ being the smcs.lambda setting. The highest total wins.',
  totalWithoutPerplexity: 'The sum that picks the winner: here the similarity alone, as no log-probabilities came back. The highest total wins.',
  totalAfterChecks: 'Similarity + λ × (1 − perplexity). The checks chose the winner of this run: the total only ranked the candidates that pass as many checks.',
  totalBesideReference: 'Similarity + λ × (1 − perplexity). The checks chose a reference’s own reply as the answer; among the candidates, the total only ranked those the checks could not tell apart.',
} as const;

/** Why a winner chosen by the checks may show a lower total than a candidate that lost. */
const CHECKS_HELP = 'The checks chose this candidate: it passes more of them than the others. The total only ranks candidates that pass as many checks.';

/** Why the best candidate is not the answer when the checks ranked a reference above it. */
/** Why the top candidate is only the best candidate: another reply is the answer, by the checks or by the models' final answers. */
const BEST_CANDIDATE_HELP = {
  checks: 'The best of the aggregations by the checks and the score. The answer is a reference’s own reply, which the checks rank above every candidate.',
  answers: 'The best of the aggregations by the score. The answer is the reply the models’ final answers chose.',
};

/** The label of a group in the Compare menu ("Candidate 3 (winner)", "Candidates 1 and 2 (best candidate)"). */
function groupLabel(group: CandidateGroup, run: RunState): string {
  return `${groupName(group)}${groupOf([group], run.winner) ? ` (${answerView(run).topLabel})` : ''}`;
}

/** "Candidates 1, 3 and 4 — 3 aggregations agree": a card's title. */
export function cardTitle(group: CandidateGroup): string {
  return group.members.length > 1 ? `${groupName(group)} — ${group.members.length} aggregations agree` : groupName(group);
}

/** The words of the button that takes back the user's choice: back to the winner, or to the reference the run answered with. */
export function revertWords(run: RunState): { label: string; help: string } {
  const reference = answeringModel(run.answer);
  return reference === undefined ? { label: 'Revert to winner', help: 'Revert to the scored winner' } : { label: 'Revert to the answer', help: `Revert to the answer, ${reference}'s reply` };
}

/** The last `max` characters of a reply being written, from a word's start, whitespace folded: "…ordered by that key." */
export function latestWords(text: string, max = 160): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  if (folded.length <= max) return folded;
  const tail = folded.slice(-max);
  const space = tail.indexOf(' ');
  return `…${space >= 0 && space < tail.length - 1 ? tail.slice(space + 1) : tail}`;
}

/** "without A" (or "from all 3 references"), with "· drawn 2 times" when one aggregation stands for several draws. */
function fromWhat(c: CandidateState, left: readonly string[], short: (m: string) => string): string {
  // One aggregation stands for every draw of the same subset (they could not differ): say how many it stands for.
  const drawn = (c.draws ?? 1) > 1 ? ` · drawn ${c.draws} times` : '';
  return `${left.length === 0 ? `from all ${c.subset.length} references` : withoutPhrase(left.map(short))}${drawn}`;
}

export class CandidateCard {
  readonly el: HTMLElement;
  private readonly title = h('span', { class: 'cand-title', 'data-testid': 'cand-title' });
  private readonly badges = h('span', { class: 'badges' });
  private readonly waiting = new WaitingChip();
  private readonly subsetSummary = h('summary', { 'data-testid': 'left-out' });
  private readonly subsetList = h('ul', { class: 'subset-list' });
  private readonly subset: HTMLDetailsElement;
  private readonly total = h('dl', { class: 'scores cand-total' });
  private readonly scores = h('dl', { class: 'scores' });
  private readonly checkLine = new CheckLine();
  /** Why the card stands where its total would not put it (presentation/answerView candidateNote). */
  private readonly note = h('p', { class: 'cand-note', 'data-testid': 'candidate-note' });
  private readonly stopped = stoppedNoteElement();
  /** While the aggregation is written and its reply folded, its latest words: the card shows it streaming. */
  private readonly preview = h('p', { class: 'cand-preview', 'data-testid': 'cand-preview', 'aria-live': 'off' });
  private readonly replyToggle: HTMLButtonElement;
  private readonly buttons = h('span', { class: 'cand-buttons' });
  private readonly reply: HTMLElement;
  private readonly reasoning = new ReasoningBox();
  private readonly body: MarkdownBox;
  private latest: CandidateState | undefined;

  /** `first`: the index of the card's first candidate, which names it for as long as it shows. */
  constructor(private readonly runId: string, first: number, render: MarkdownRenderer) {
    this.body = new MarkdownBox(render);
    this.subset = h('details', { class: 'cand-subset', 'data-testid': 'subset' }, this.subsetSummary, this.subsetList);
    const replyId = `cand-reply-${runId}-${first}`;
    this.reply = h('div', { class: 'cand-body', id: replyId, 'data-testid': 'reply' }, this.reasoning.el, this.body.el);
    this.reply.hidden = true;
    this.replyToggle = h('button', { type: 'button', class: 'link-button reply-toggle', 'aria-expanded': 'false', 'aria-controls': replyId, 'data-testid': 'show-reply' }, 'Show reply');
    this.replyToggle.addEventListener('click', () => {
      this.reply.hidden = !this.reply.hidden;
      setAttr(this.replyToggle, 'aria-expanded', String(!this.reply.hidden));
      setText(this.replyToggle, this.reply.hidden ? 'Show reply' : 'Hide reply');
      this.renderBody();
    });
    this.el = h(
      'div',
      { class: 'card cand', 'data-testid': 'candidate' },
      h('div', { class: 'cand-head' }, this.title, this.badges, this.waiting.el, this.total),
      this.subset,
      this.scores,
      this.note,
      this.preview,
      this.stopped,
      this.checkLine.el,
      h('div', { class: 'cand-actions' }, this.replyToggle, this.buttons),
      this.reply,
    );
  }

  private renderBody(): void {
    const c = this.latest;
    const tail = c?.status === 'streaming' && this.reply.hidden ? latestWords(c.text) : '';
    this.preview.hidden = tail === '';
    setText(this.preview, tail);
    if (!c || this.reply.hidden) return;
    this.reasoning.update(c.reasoning);
    if (c.status === 'done') this.body.show(c.text);
    else this.body.stream(c.error ? `${c.text}\n\n(${c.error})` : c.text);
  }

  /**
   * Shows `group` of `groups` (the run's, see candidateGroups): its lead's reply, scores and buttons. `names` maps
   * model keys to the short names the run's cards use.
   */
  update(group: CandidateGroup, groups: readonly CandidateGroup[], run: RunState, names: ReadonlyMap<string, string>, now: number): void {
    const c = group.lead;
    this.latest = c;
    const holds = (index: number | undefined): boolean => groupOf([group], index) !== undefined;
    const isWinner = holds(run.winner);
    const totals = totalsView(run);
    const view = answerView(run);
    const shown = holds(view.candidate);
    const chosenByUser = view.shown?.because === 'user' && holds(view.candidate);
    setText(this.title, cardTitle(group));
    setAttr(this.el, 'data-index', String(c.index));
    setAttr(this.el, 'data-candidate', String(c.index));
    setAttr(this.el, 'data-members', group.members.map((m) => m.index).join(' '));
    setAttr(this.el, 'data-status', c.status);
    setAttr(this.el, 'data-draws', String(group.draws));
    setAttr(this.el, 'data-winner', String(isWinner));
    setAttr(this.el, 'data-chosen', String(shown));
    this.waiting.update(c.waiting, now);
    // When a reference answers, the winner is only the best aggregation: a neutral label, and nothing saying the checks chose it.
    const best = view.topLabel === 'best candidate';
    const bestHelp = run.answer?.because === 'checks' ? BEST_CANDIDATE_HELP.checks : BEST_CANDIDATE_HELP.answers;
    this.badges.replaceChildren(
      ...[
        c.status === 'done' ? finalAnswerBadge(replyAnswerLabel(run.agreement, { kind: 'candidate', index: c.index })) : null,
        isWinner && !best ? h('span', { class: 'badge winner', 'data-testid': 'winner-badge' }, 'Winner') : null,
        isWinner && best ? h('span', { class: 'badge muted', 'data-testid': 'winner-badge', title: bestHelp }, 'Best candidate') : null,
        isWinner && !best && totals.chosenByChecks ? h('span', { class: 'badge muted', 'data-testid': 'checks-badge', title: CHECKS_HELP }, 'by the checks') : null,
        isWinner && totals.tieNote ? h('span', { class: 'badge muted', 'data-testid': 'tie-note', title: totals.tieHelp }, totals.tieNote) : null,
        chosenByUser ? h('span', { class: 'badge chosen', 'data-testid': 'chosen-badge' }, 'Your choice') : null,
        c.status === 'failed' ? h('span', { class: 'chip error', 'data-testid': 'error-chip', title: c.error ?? 'failed' }, errorHelp(c.errorKind).label) : null,
        c.status === 'streaming' && !c.waiting ? h('span', { class: 'badge muted' }, 'writing…') : null,
      ].filter((x): x is HTMLSpanElement => x !== null),
    );
    this.updateSubset(group, run, names);
    this.updateScores(c, run, totals.decimals, totals.chosenByChecks);
    const note = candidateNote(run, c.index, (m) => names.get(m) ?? m);
    this.note.hidden = note === undefined;
    setText(this.note, note ?? '');
    showStoppedNote(this.stopped, c.stopped);
    this.checkLine.update(checkLineView(c, run));
    this.updateActions(group, groups, run, shown, chosenByUser);
    this.renderBody();
  }

  /** Refreshes the countdown of a wait before a retry. */
  tick(now: number): void {
    this.waiting.tick(now);
  }

  private updateSubset(group: CandidateGroup, run: RunState, names: ReadonlyMap<string, string>): void {
    const lefts = group.members.map((c) => leftOutReferences(c, run));
    const key = JSON.stringify([group.members.map((c) => [c.index, c.subset, c.draws]), lefts, [...names]]);
    if (this.subset.getAttribute('data-key') === key) return;
    this.subset.setAttribute('data-key', key);
    const short = (m: string): string => names.get(m) ?? m;
    const chips = (c: CandidateState): HTMLElement[] => c.subset.map((m, i) => h('li', { class: 'chip', 'data-testid': 'subset-member', title: `Reference ${i + 1}: ${m}` }, m));
    const [only] = group.members;
    if (group.members.length === 1 && only) {
      const left = lefts[0] ?? [];
      this.subset.hidden = only.subset.length === 0;
      setText(this.subsetSummary, fromWhat(only, left, short));
      setAttr(this.subsetSummary, 'title', left.length === 0 ? undefined : `Left out: ${left.join(', ')}. Show the references this candidate was written from.`);
      setAttr(this.subsetList, 'class', 'subset-list');
      setAttr(this.subsetList, 'aria-label', 'References this candidate was written from');
      this.subsetList.replaceChildren(...chips(only));
      return;
    }
    // Several aggregations wrote this reply: each from its own subset, all one click away.
    this.subset.hidden = false;
    setText(this.subsetSummary, `from ${group.members.length} different subsets · drawn ${formatQuantity(group.draws, 'time')}`);
    setAttr(this.subsetSummary, 'title', 'Each of these candidates was written from its own subset of the references, and wrote the same reply. Show the subsets.');
    setAttr(this.subsetList, 'class', 'subset-groups');
    setAttr(this.subsetList, 'aria-label', 'The subsets these candidates were written from');
    this.subsetList.replaceChildren(
      ...group.members.map((c, i) =>
        h(
          'li',
          { class: 'subset-group', 'data-testid': 'member-subset', 'data-index': c.index },
          h('span', { class: 'subset-label' }, `Candidate ${c.index + 1}: ${fromWhat(c, lefts[i] ?? [], short)}`),
          h('ul', { class: 'subset-list', 'aria-label': `References candidate ${c.index + 1} was written from` }, ...chips(c)),
        ),
      ),
    );
  }

  /** `decimals`: those of the total, enough to tell the winner's from every other (see totals.ts). */
  private updateScores(c: CandidateState, run: RunState, decimals: number, chosenByChecks: boolean): void {
    const noLogprobs = run.logprobsUsed === false;
    const ppl = noLogprobs ? 'n/a' : formatScore(c.perplexity);
    const total = formatScore(c.total, decimals);
    const key = `${c.status}|${formatScore(c.similarity)}|${ppl}|${total}|${chosenByChecks}|${answerReferences(run).checksReference}`;
    // A failed aggregation has nothing to score: zeros beside its error would read as a measured, poor reply.
    const failed = c.status === 'failed';
    this.scores.hidden = failed || (c.similarity === undefined && c.total === undefined);
    if (this.scores.getAttribute('data-key') === key) return;
    this.scores.setAttribute('data-key', key);
    const score = (name: string, value: string, help: string, testId: string): HTMLElement =>
      h('div', { class: 'score', title: help }, h('dt', {}, name), h('dd', { 'data-testid': testId, 'aria-description': help }, value));
    this.scores.replaceChildren(
      score('similarity', formatScore(c.similarity), SCORE_HELP.similarity, 'score-similarity'),
      score('perplexity', ppl, noLogprobs ? SCORE_HELP.perplexityMissing : SCORE_HELP.perplexity, 'score-perplexity'),
    );
    // The total picks the winner, so it sits in the card's title row.
    const totalHelp = answerReferences(run).checksReference !== undefined ? SCORE_HELP.totalBesideReference : chosenByChecks ? SCORE_HELP.totalAfterChecks : noLogprobs ? SCORE_HELP.totalWithoutPerplexity : SCORE_HELP.total;
    this.total.replaceChildren(score('total', total, totalHelp, 'score-total'));
    this.total.hidden = failed || c.total === undefined;
  }

  /** The buttons act on the group's lead; the Compare menu offers the other groups, each by its lead. */
  private updateActions(group: CandidateGroup, groups: readonly CandidateGroup[], run: RunState, shown: boolean, chosenByUser: boolean): void {
    const c = group.lead;
    const others = run.status === 'done' && c.status === 'done' ? groups.filter((g) => g !== group && g.lead.status === 'done') : [];
    const winnerGroup = others.find((g) => groupOf([g], run.winner) !== undefined);
    const winner = winnerGroup === undefined ? undefined : run.winner;
    const menu = others.filter((g) => g !== winnerGroup);
    const key = JSON.stringify([run.status, c.index, c.status, shown, chosenByUser, winner, menu.map((g) => [g.lead.index, groupLabel(g, run)]), answerReferences(run).checksReference]);
    if (this.buttons.getAttribute('data-key') === key) return;
    this.buttons.setAttribute('data-key', key);
    const label = groupName(group).toLowerCase();
    const buttons: HTMLElement[] = [];
    if (run.status === 'done' && c.status === 'done' && !shown) {
      buttons.push(h('button', { type: 'button', class: 'button secondary small', 'data-action': 'choose', 'data-index': c.index, 'data-run-id': this.runId, 'data-testid': 'use-reply', 'aria-label': `Use ${label} as the reply` }, 'Use this reply'));
    }
    if (chosenByUser) {
      const revert = revertWords(run);
      buttons.push(h('button', { type: 'button', class: 'button secondary small', 'data-action': 'revert', 'data-run-id': this.runId, 'data-testid': 'revert-choice', 'aria-label': revert.help }, revert.label));
    }
    if (winner !== undefined) {
      const named = answerView(run).topLabel;
      buttons.push(
        h('button', { type: 'button', class: 'button secondary small', 'data-action': 'compare', 'data-run-id': this.runId, 'data-left': c.index, 'data-right': winner, 'data-testid': 'compare-winner', title: `Open ${label} and the ${named} side by side in a diff editor` }, `Compare with ${named}`),
      );
    }
    if (menu.length > 0) {
      buttons.push(
        h(
          'select',
          { class: 'compare-select', 'data-action': 'compare-with', 'data-run-id': this.runId, 'data-left': c.index, 'data-testid': 'compare-with', 'aria-label': `Compare ${label} with another candidate`, title: `Open ${label} and another candidate side by side in a diff editor` },
          h('option', { value: '', selected: true, disabled: true }, winner === undefined ? 'Compare with…' : 'or another…'),
          ...menu.map((g) => h('option', { value: g.lead.index }, groupLabel(g, run))),
        ),
      );
    }
    this.buttons.replaceChildren(...buttons);
  }
}
