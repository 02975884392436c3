/**
 * "How the replies ranked (5)", under the answer's note on the checks (issue 32): a closed disclosure listing every
 * reply with code in the order the checks ranked them — each named as the cards name it, with what it passes, the
 * derived inputs it crashed on and how many models share its behaviour there — the answer first and marked. It is
 * patched, not rebuilt, while the ranking stays the same, so choosing another reply keeps it open or closed.
 */
import type { RankingRow } from './checkReport';
import { h, setText } from './dom';

function row(reply: RankingRow): HTMLElement {
  return h(
    'li',
    { class: 'ranking-row', 'data-testid': 'ranking-row', 'data-answer': String(reply.answer), 'data-model': reply.model },
    h(
      'div',
      { class: 'ranking-head' },
      h('span', { class: 'ranking-name', 'data-testid': 'ranking-name', title: reply.model }, reply.name),
      reply.answer ? h('span', { class: 'badge winner', 'data-testid': 'ranking-answer' }, 'The answer') : null,
    ),
    h('div', { class: 'ranking-text', 'data-testid': 'ranking-text' }, reply.text),
  );
}

export class AnswerRanking {
  private readonly summary = h('summary', { 'data-testid': 'ranking-summary' });
  private readonly list = h('ol', { class: 'ranking-list', 'aria-label': 'The replies with code, in the order the checks ranked them, the answer first' });
  readonly el = h('details', { class: 'answer-ranking', 'data-testid': 'answer-ranking' }, this.summary, this.list);
  private key = '';

  /** Shows `replies` (hidden when undefined). */
  update(replies: readonly RankingRow[] | undefined): void {
    this.el.hidden = replies === undefined;
    const key = JSON.stringify(replies ?? null);
    if (key === this.key) return;
    this.key = key;
    setText(this.summary, `How the replies ranked (${replies?.length ?? 0})`);
    this.list.replaceChildren(...(replies ?? []).map(row));
  }
}
