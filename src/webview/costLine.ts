/**
 * What an answer cost, under it: one line with the cost, the tokens and the number of calls, and a "Details"
 * disclosure button that shows a table of every call (grouped by stage: model, tokens in → out, cost, time). A local
 * server without prices shows tokens only; "≈" marks totals that include calls whose usage the server did not report.
 */
import type { RunState } from '../presentation/runState';
import { h, setAttr, setText } from './dom';
import { contextCostText, contextTokensSent, costSummary, stoppedReplies } from '../presentation/costSummary';
import { formatCount, formatMs, formatUsd } from '../presentation/format';
import { shortModelNames } from './modelNames';

type CallRecord = NonNullable<RunState['calls']>[number];

/** The stages in the order an ask makes its calls, with the heading of their group. */
const STAGES: readonly { stage: CallRecord['stage']; label: string }[] = [
  { stage: 'embedding', label: 'Embeddings' },
  { stage: 'referencer', label: 'References' },
  { stage: 'aggregation', label: 'Aggregations' },
  { stage: 'tests', label: 'Model-written tests' },
];

const STOPPED_HELP = 'Replies stopped before they finished reported no usage: what their servers charge for the part they wrote is not known here.';

const ESTIMATED_HELP = 'Some servers reported no usage: their tokens are estimated from the text (about 3 characters a token).';

function callRow(call: CallRecord, name: string): HTMLElement {
  const mark = call.estimated ? '≈' : '';
  return h(
    'tr',
    { role: 'row', 'data-testid': 'cost-call', 'data-stage': call.stage, 'data-model': call.model, title: call.estimated ? ESTIMATED_HELP : undefined },
    h('th', { scope: 'row', role: 'rowheader', class: 'cost-model', 'data-testid': 'call-model', title: call.model }, name),
    h('td', { role: 'cell', class: 'num', 'data-testid': 'call-tokens' }, `${mark}${formatCount(call.tokens.prompt)} → ${formatCount(call.tokens.completion)}`),
    h('td', { role: 'cell', class: 'num', 'data-testid': 'call-cost' }, call.costUsd === null ? '—' : formatUsd(call.costUsd)),
    h('td', { role: 'cell', class: 'num', 'data-testid': 'call-latency' }, formatMs(call.latencyMs)),
  );
}

/** One group of the table: a heading row ("References (3)") and a row per call, models by their short names. */
function stageGroup(label: string, calls: readonly CallRecord[], names: ReadonlyMap<string, string>): HTMLElement {
  return h(
    'tbody',
    { role: 'rowgroup', 'data-testid': 'cost-group' },
    h('tr', { role: 'row', class: 'cost-group' }, h('th', { colspan: 4, scope: 'rowgroup', role: 'rowheader', 'data-testid': 'call-stage' }, `${label} (${calls.length})`)),
    ...calls.map((c) => callRow(c, names.get(c.model) ?? c.model)),
  );
}

let nextId = 0;

export class CostLine {
  readonly el: HTMLElement;
  private readonly summary = h('span', { class: 'cost-summary', 'data-testid': 'cost-summary' });
  private readonly toggle: HTMLButtonElement;
  private readonly table: HTMLTableElement;
  private readonly head = h(
    'thead',
    { role: 'rowgroup' },
    h(
      'tr',
      { role: 'row' },
      h('th', { scope: 'col', role: 'columnheader', class: 'cost-model-head' }, 'Model'),
      h('th', { scope: 'col', role: 'columnheader', class: 'num', title: 'Prompt tokens → completion tokens' }, 'Tokens'),
      h('th', { scope: 'col', role: 'columnheader', class: 'num' }, 'Cost'),
      h('th', { scope: 'col', role: 'columnheader', class: 'num' }, 'Time'),
    ),
  );
  private key = '';
  /** What the question's context cost across all models, shown with the calls. */
  private readonly contextCost = h('div', { class: 'context-cost muted', 'data-testid': 'context-cost' });
  /**
   * How the candidates were ranked when the servers gave no log-probabilities: said here, with the calls, rather than
   * as a box on every answer (a server that never returns them would repeat it on each one; the cards say "n/a").
   */
  private readonly ranking = h('div', { class: 'context-cost muted', 'data-testid': 'ranking-note' });

  constructor() {
    const id = `cost-calls-${nextId++}`;
    // The roles are the table's own, written out: on a narrow panel its rows are laid out as a grid (panel.css), and
    // a browser may then drop a table's implicit roles.
    this.table = h('table', { role: 'table', class: 'cost-table', id, 'data-testid': 'cost-calls', 'aria-label': 'Calls of this answer' }, this.head);
    this.table.hidden = true;
    this.toggle = h('button', { type: 'button', class: 'link-button disclosure', 'aria-expanded': 'false', 'aria-controls': id, 'data-testid': 'cost-details', title: 'Every call of this answer' }, 'Details');
    this.toggle.addEventListener('click', () => {
      this.table.hidden = !this.table.hidden;
      this.contextCost.hidden = this.table.hidden || this.contextCost.textContent === '';
      this.ranking.hidden = this.table.hidden || this.ranking.textContent === '';
      setAttr(this.toggle, 'aria-expanded', String(!this.table.hidden));
    });
    this.el = h('div', { class: 'cost', 'data-testid': 'cost-line' }, h('div', { class: 'cost-line' }, this.summary, this.toggle), this.table, this.contextCost, this.ranking);
    this.contextCost.hidden = true;
    this.ranking.hidden = true;
    this.el.hidden = true;
  }

  update(run: RunState): void {
    const text = run.status === 'running' ? undefined : costSummary(run);
    this.el.hidden = text === undefined;
    if (text === undefined) return;
    setText(this.summary, text);
    const calls = run.calls ?? [];
    const stopped = stoppedReplies(run) > 0 ? ` ${STOPPED_HELP}` : '';
    setAttr(this.summary, 'title', `${calls.some((c) => c.estimated) ? ESTIMATED_HELP : 'Every call of this answer: referencers, aggregations and embeddings through an endpoint, from the usage each server reported times the model’s price.'}${stopped}`);
    const carried = contextTokensSent(run.contextReport, calls);
    setText(this.contextCost, carried === undefined ? '' : contextCostText(carried));
    this.contextCost.hidden = this.table.hidden || carried === undefined;
    const similarityOnly = run.logprobsUsed === false && run.candidates.length > 1;
    setText(this.ranking, similarityOnly ? 'Ranking: the servers returned no log-probabilities, so the candidates were ranked by similarity only.' : '');
    this.ranking.hidden = this.table.hidden || !similarityOnly;
    const key = JSON.stringify(calls);
    if (key === this.key) return;
    this.key = key;
    const names = shortModelNames(calls.map((c) => c.model));
    const groups = STAGES.map(({ stage, label }) => ({ label, calls: calls.filter((c) => c.stage === stage) })).filter((g) => g.calls.length > 0);
    this.table.replaceChildren(this.head, ...groups.map((g) => stageGroup(g.label, g.calls, names)));
  }
}
