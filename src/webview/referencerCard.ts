/**
 * One reference (a referencer model's reply) in the panel: status, model, its final answer (when the final answers
 * chose), time, tokens and cost, whether it is the answer (the checks ranked it above every candidate) or the user's
 * choice, a chip naming a failure, a countdown while the call waits before a retry, a note when SMCS stopped reading
 * the reply and kept it as far as it got, its check line (code questions), the reasoning (closed, apart from the
 * answer) and the reply.
 */
import type { ReferencerState, RunState } from '../presentation/runState';
import { sameReply } from '../presentation/answerNames';
import { answerReferences } from '../presentation/answerView';
import { replyAnswerLabel } from '../presentation/agreementLine';
import { finalAnswerBadge } from './agreementView';
import type { MarkdownRenderer } from './markdown';
import { modelNameText } from './bars';
import { h, setAttr, setText } from './dom';
import { errorHelp } from '../presentation/errorHelp';
import { formatMs, formatTokens, formatUsd } from '../presentation/format';
import { MarkdownBox, ReasoningBox } from './markdownBox';
import { CheckLine } from './checkLine';
import { checkLineView } from './checkReport';
import { WaitingChip } from './waiting';
import { showStoppedNote, stoppedNoteElement } from './stoppedCardNote';

const STATUS_LABELS: Record<string, string> = {
  waiting: 'waiting',
  streaming: 'streaming',
  done: 'done',
  failed: 'failed',
  abandoned: 'stopped',
};

export class ReferencerCard {
  readonly el: HTMLDetailsElement;
  private readonly meta = h('span', { class: 'meta' });
  private readonly status = h('span', { class: 'status-dot', role: 'img' });
  private readonly error = h('span', { class: 'chip error', 'data-testid': 'error-chip' });
  private readonly waiting = new WaitingChip();
  private readonly body: MarkdownBox;
  private readonly reasoning = new ReasoningBox();
  private readonly checkLine = new CheckLine();
  private readonly stopped = stoppedNoteElement();
  private readonly chosen = h('span', { class: 'badge chosen', 'data-testid': 'chosen-badge' }, 'Your choice');
  /** The final answer read from the reply, when the final answers chose. */
  private readonly finalAnswer = h('span', { class: 'final-answer-slot' });
  private readonly answer = h('span', { class: 'badge winner', 'data-testid': 'answer-badge', title: 'The checks rank this reply above every candidate: it is the answer.' }, 'The answer');

  constructor(model: string, render: MarkdownRenderer) {
    this.body = new MarkdownBox(render);
    this.el = h(
      'details',
      { class: 'card ref', 'data-testid': 'referencer', 'data-model': model, open: true },
      h('summary', {}, this.status, modelNameText(model, 'model'), this.finalAnswer, this.meta, this.answer, this.chosen, this.error, this.waiting.el),
      this.stopped,
      this.checkLine.el,
      this.reasoning.el,
      this.body.el,
    );
  }

  update(ref: ReferencerState, run: RunState, now: number): void {
    setAttr(this.el, 'data-status', ref.status);
    this.chosen.hidden = !sameReply(run.choice, { kind: 'referencer', model: ref.model });
    this.answer.hidden = answerReferences(run).checksReference !== ref.model || run.choice !== undefined;
    this.checkLine.update(checkLineView(ref, run));
    const label = ref.status === 'done' ? replyAnswerLabel(run.agreement, { kind: 'referencer', model: ref.model }) : undefined;
    const badge = finalAnswerBadge(label);
    if (this.finalAnswer.textContent !== (label ?? '')) this.finalAnswer.replaceChildren(...(badge ? [badge] : []));
    setAttr(this.status, 'aria-label', STATUS_LABELS[ref.status] ?? ref.status);
    const meta: string[] = [];
    if (ref.latencyMs !== undefined) meta.push(formatMs(ref.latencyMs));
    if (ref.usage) meta.push(formatTokens(ref.usage.completionTokens));
    if (ref.costUsd !== undefined) meta.push(formatUsd(ref.costUsd));
    if (ref.trimmed) meta.push('trimmed to fit');
    if (ref.lateAfterMs !== undefined) meta.push(`late, left out after ${(ref.lateAfterMs / 1000).toFixed(1)} s`);
    else if (ref.status === 'abandoned') meta.push('stopped');
    setText(this.meta, meta.join(' · '));
    // The chip names the kind of failure in a few words; the full message is its tooltip. Late is not a failure.
    this.error.hidden = ref.error === undefined || ref.lateAfterMs !== undefined;
    setText(this.error, ref.error === undefined ? '' : errorHelp(ref.errorKind).label);
    setAttr(this.error, 'title', ref.error);
    this.waiting.update(ref.waiting, now);
    showStoppedNote(this.stopped, ref.stopped);
    this.reasoning.update(ref.reasoning);
    if (ref.status === 'done') this.body.show(ref.text);
    else this.body.stream(ref.text);
  }

  /** Refreshes the countdown of a wait before a retry. */
  tick(now: number): void {
    this.waiting.tick(now);
  }
}
