/**
 * The panel's Bank section: bank size, embedder, and per profiled model its labelled count, overall accuracy
 * and accuracy by domain; configured models without labels are listed with a Profile Models button. With no
 * bank yet it is one line with Import Bank / Profile Models; a team bank without its schema says so, with Migrate Team Bank Schema;
 * one whose password is missing or refused, with Set Password. While a team bank is in use, a block says which bank is in
 * use and what the local bank beside it holds, with Switch to Local (and Copy into Team Bank). On a team SMCS server, a line
 * per team endpoint says the signed-in key's spend against its budget (or why the server refused); while a team server is
 * the engine, the section says its bank routes the questions, with no local actions. Collapsible (a native <details>, keyboard operable);
 * buttons use `data-action` delegation like the rest of the panel (no inline handlers).
 */
import type { TeamUsageView } from '../presentation/teamUsage';
import { FEW_LABELS, type BankChoice, type BankModelSummary, type BankPanelState, type BankSummary, type FirstModelsView } from '../presentation/protocol';
import { meter, modelNameText } from './bars';
import { commandButton, h, setAttr, setText } from './dom';
import { formatCount, formatPercent, formatQuantity } from '../presentation/format';

/** The one-line headline of the section (shown in its summary row). */
export function bankHeadline(state: BankPanelState): string {
  switch (state.status) {
    case 'loading':
      return 'Question bank: loading…';
    case 'none':
      return 'No question bank yet';
    case 'error':
      return 'Question bank: could not be read';
    case 'schema':
      return `Team bank ${state.location}: ${state.problem}`;
    case 'server':
      return `Question bank: the team server ${state.endpoint}'s`;
    case 'ready': {
      const { size, models, unprofiled, team } = state.summary;
      const few = models.filter((m) => m.fewLabels).length;
      const parts = [formatQuantity(size, 'question'), formatQuantity(models.length - few, 'profiled model')];
      if (few > 0) parts.push(`${few} with few labels`);
      if (unprofiled.length > 0) parts.push(`${formatCount(unprofiled.length)} unprofiled`);
      if (team) return ['Team bank', team.location, formatQuantity(size, 'question'), formatQuantity(team.contributors, 'contributor'), ...parts.slice(1)].join(' · ');
      return `Question bank: ${parts.join(' · ')}`;
    }
  }
}

/**
 * Who answers until the bank can route: "Until then the first 7 models in the order smcs.endpoints lists them answer
 * every question: a, b, …". The order is the settings' own (with a discovering endpoint, its server's list).
 */
export function firstModelsText(first: FirstModelsView): string {
  const order = first.discovered ? "in the order smcs.endpoints lists them (an endpoint without a models list: in its server's order)" : 'in the order smcs.endpoints lists them';
  if (first.discovered) return `Until then the first ${first.k} models ${order} answer every question.`;
  if (first.models.length < first.k || first.models.length === 1) return `Until then ${first.models.length === 1 ? 'your one model answers' : `all ${first.models.length} configured models answer`} every question: ${first.models.join(', ')}.`;
  return `Until then the first ${first.k} models ${order} answer every question: ${first.models.join(', ')}.`;
}

/** An accuracy bar: every accuracy of the section (models and their domains) is drawn on the same 0–100% scale. */
function accuracyMeter(label: string, share: number): HTMLElement {
  return meter({ label, value: share, max: 1, valueText: formatPercent(share) });
}

function domainRow(m: BankModelSummary, d: BankModelSummary['byDomain'][number]): HTMLElement {
  return h(
    'li',
    { class: 'bar-row bank-domain', 'data-testid': 'bank-domain', 'data-domain': d.domain },
    h('span', { class: 'bar-name bank-domain-name', title: d.domain }, d.domain),
    accuracyMeter(`${m.model} accuracy on ${d.domain}`, d.accuracy),
    h('span', { class: 'bar-value bank-num', 'data-testid': 'bank-domain-accuracy' }, formatPercent(d.accuracy)),
    h('span', { class: 'bar-extra bank-num muted', title: `Questions of ${d.domain} with a label for this model` }, h('span', { 'data-testid': 'bank-domain-labelled' }, formatCount(d.labelled)), ' labelled'),
  );
}

function modelRow(m: BankModelSummary): HTMLElement {
  const domains = h('ul', { class: 'bar-list bank-domains', 'aria-label': `${m.model} accuracy by domain` }, ...m.byDomain.map((d) => domainRow(m, d)));
  return h(
    'li',
    { 'data-testid': 'bank-model', 'data-model': m.model, 'data-configured': String(m.configured) },
    h(
      'details',
      { class: 'bank-model' },
      h(
        'summary',
        { class: 'bar-row', 'aria-label': `${m.model}: ${formatPercent(m.accuracy)} correct on ${formatQuantity(m.labelled, 'labelled question')}; expand for accuracy by domain` },
        h(
          'span',
          { class: 'bar-name' },
          modelNameText(m.model, 'bank-model-name'),
          m.configured ? null : h('span', { class: 'badge muted', title: 'Not in the current settings' }, 'not configured'),
        ),
        accuracyMeter(`${m.model} accuracy`, m.accuracy),
        h('span', { class: 'bar-value bank-num', 'data-testid': 'bank-model-accuracy' }, formatPercent(m.accuracy)),
        h('span', { class: 'bar-extra bank-num muted', 'data-testid': 'bank-model-labelled', title: `Questions with a label for this model; with them its accuracy is at least ${formatPercent(m.lowerBound)} (95 % lower bound), which ranks it` }, `${formatCount(m.labelled)} labelled`),
      ),
      m.byDomain.length > 0 ? domains : h('p', { class: 'muted' }, 'No domains recorded.'),
    ),
  );
}

function unprofiledBlock(models: readonly string[]): HTMLElement | null {
  if (models.length === 0) return null;
  return h(
    'div',
    { class: 'bank-unprofiled', 'data-testid': 'bank-unprofiled-list' },
    h('span', { class: 'muted' }, 'Not profiled yet:'),
    ...models.map((m) => h('span', { class: 'badge muted name-badge', 'data-testid': 'bank-unprofiled', 'data-model': m, title: `${m}: no label in the bank, so RPS gives it the mean prior of the others` }, m)),
    commandButton('smcs.profileModels', 'Profile Models', 'bank-profile', { secondary: false, size: 'small' }),
  );
}

function summaryBody(summary: BankSummary): HTMLElement[] {
  const team = summary.team;
  const facts = h(
    'p',
    { class: 'bank-facts' },
    ...(team ? [h('span', { 'data-testid': 'bank-store' }, `Team bank · ${team.location}`), ' · '] : []),
    h('span', { 'data-testid': 'bank-size' }, formatQuantity(summary.size, 'question')),
    ...(team ? [' · ', h('span', { 'data-testid': 'bank-contributors' }, formatQuantity(team.contributors, 'contributor'))] : []),
    ' · embedder ',
    h('code', { 'data-testid': 'bank-embedder' }, summary.embedder),
  );
  const out: HTMLElement[] = [facts];
  if (summary.settingsEmbedder !== undefined) {
    out.push(
      h(
        'div',
        { class: 'banner', 'data-kind': 'warning', 'data-testid': 'bank-embedder-mismatch', role: 'status' },
        `The settings name the embedder ${summary.settingsEmbedder}, but this bank was built with ${summary.embedder}; questions cannot be routed by it until they match.`,
      ),
    );
  }
  const ranked = summary.models.filter((m) => !m.fewLabels);
  const few = summary.models.filter((m) => m.fewLabels);
  if (ranked.length > 0) {
    out.push(h('ul', { class: 'bank-models', 'aria-label': 'Accuracy per model, ranked by what their labels support', 'data-bar-group': 'bank-accuracy' }, ...ranked.map(modelRow)));
  }
  if (few.length > 0) {
    // One right answer of one reads 100 %: such models are listed apart, below, so they do not head the ranking.
    out.push(
      h('p', { class: 'muted bank-few-head', 'data-testid': 'bank-few-labels' }, `Too few labels to rank (under ${FEW_LABELS}): profile them for a fair place`),
      h('ul', { class: 'bank-models bank-few', 'aria-label': 'Models with too few labels to rank', 'data-bar-group': 'bank-accuracy' }, ...few.map(modelRow)),
    );
  }
  if (summary.models.length === 0) {
    out.push(h('p', { class: 'muted', 'data-testid': 'bank-no-labels' }, 'No model has labels yet.'));
  }
  const unprofiled = unprofiledBlock(summary.unprofiled);
  if (unprofiled) out.push(unprofiled);
  out.push(h('div', { class: 'bank-actions' }, commandButton('smcs.importBank', 'Import Bank', 'bank-import', { secondary: true, size: 'small' })));
  return out;
}

/** What the team bank in use holds, as far as its state tells. */
function teamHolds(state: BankPanelState): string {
  switch (state.status) {
    case 'loading':
      return 'reading…';
    case 'none':
      return 'no questions yet';
    case 'ready':
      return formatQuantity(state.summary.size, 'question');
    case 'schema':
      return state.problem;
    case 'error':
      return 'cannot be read now';
    case 'server':
      return `the team server ${state.endpoint}'s`;
  }
}

/** "In use: team bank (…) — 12,623 questions · Local bank: 12,413 questions — Switch to Local". */
function choiceBlock(banks: BankChoice, state: BankPanelState): HTMLElement {
  return h(
    'div',
    { class: 'bank-choice', 'data-testid': 'bank-choice' },
    h('p', { class: 'bank-choice-line', 'data-testid': 'bank-in-use' }, h('span', { class: 'muted' }, 'In use: '), `team bank (${banks.team}) — ${teamHolds(state)}`),
    h(
      'p',
      { class: 'bank-choice-line', 'data-testid': 'bank-local', title: banks.local.location },
      h('span', { class: 'muted' }, 'Local bank: '),
      banks.local.size > 0 ? formatQuantity(banks.local.size, 'question') : 'empty',
    ),
    h(
      'span',
      { class: 'bank-actions' },
      commandButton('smcs.switchToLocalBank', 'Switch to Local', 'bank-switch-local', { secondary: true, size: 'small' }),
      banks.local.size > 0 ? commandButton('smcs.copyLocalBankIntoTeamBank', 'Copy into Team Bank', 'bank-copy-local', { secondary: true, size: 'small' }) : null,
    ),
  );
}

/** "Team key alice: $3.20 of $10.00 this week · resets Mon", or what the team server said instead. */
function teamUsageLine(view: TeamUsageView): HTMLElement {
  return h(
    'p',
    { class: `bank-team-usage${view.problem ? ' error' : ''}`, 'data-testid': 'bank-team-usage', 'data-endpoint': view.endpoint, 'data-problem': String(view.problem), title: `Endpoint ${view.endpoint} (a team SMCS server)`, ...(view.problem ? { role: 'status' } : {}) },
    view.text,
  );
}

/** The Bank section; `update` re-renders only when the state changed, keeping the open/closed state of its parts. */
export class BankView {
  readonly el: HTMLElement;
  private readonly headline = h('span', { class: 'bank-headline', 'data-testid': 'bank-headline' });
  private readonly refresh = h('button', { type: 'button', class: 'link-button bank-refresh', 'data-action': 'refresh-bank', 'data-testid': 'bank-refresh', title: 'Read the bank again', 'aria-label': 'Refresh the bank summary' }, 'Refresh');
  private readonly details: HTMLDetailsElement;
  private readonly body = h('div', { class: 'bank-body' });
  private readonly empty = h('div', { class: 'bank-empty', 'data-testid': 'bank-empty' });
  private readonly error = h('div', { class: 'bank-error' });
  private readonly choice = h('div', { class: 'bank-choice-slot' });
  private readonly teamUsage = h('div', { class: 'bank-team-usage-slot' });
  private key: string | undefined;

  /** `open` = whether the details start expanded; `onToggle` reports the user's choice (the panel keeps it across reloads). */
  constructor(open: boolean, onToggle: (open: boolean) => void) {
    this.details = h('details', { class: 'section bank-details' }, h('summary', {}, this.headline), this.body);
    this.details.open = open;
    this.details.addEventListener('toggle', () => onToggle(this.details.open));
    this.el = h('section', { class: 'bank', 'data-testid': 'bank', 'aria-label': 'Question bank', 'data-status': 'loading' }, this.details, this.empty, this.error, this.choice, this.teamUsage);
    this.update({ status: 'loading' });
  }

  update(state: BankPanelState): void {
    const key = JSON.stringify(state);
    if (key === this.key) return;
    this.key = key;
    setAttr(this.el, 'data-status', state.status);
    setText(this.headline, bankHeadline(state));
    this.details.hidden = state.status !== 'ready' && state.status !== 'loading';
    this.empty.hidden = state.status !== 'none' && state.status !== 'server';
    this.error.hidden = state.status !== 'error' && state.status !== 'schema';
    if (state.status === 'ready') {
      const openModels = new Set([...this.body.querySelectorAll<HTMLElement>('[data-testid="bank-model"]')].filter((li) => li.querySelector('details')?.open).map((li) => li.dataset.model));
      this.body.replaceChildren(...summaryBody(state.summary));
      for (const li of this.body.querySelectorAll<HTMLElement>('[data-testid="bank-model"]')) {
        const d = li.querySelector('details');
        if (d && openModels.has(li.dataset.model)) d.open = true;
      }
      this.body.append(this.refresh);
    } else {
      this.body.replaceChildren();
    }
    if (state.status === 'none') {
      this.empty.replaceChildren(
        h('span', { class: 'bank-headline' }, 'No question bank yet'),
        h('span', { class: 'muted' }, `${state.unprofiled.length === 1 ? 'Profile your model' : state.unprofiled.length > 1 ? `Profile your ${formatQuantity(state.unprofiled.length, 'model')}` : 'Profile your models'} or import evaluation results, so SMCS can pick the best models for each question.`),
        ...(state.firstModels ? [h('span', { class: 'muted', 'data-testid': 'bank-first-models' }, firstModelsText(state.firstModels))] : []),
        h('span', { class: 'bank-actions' }, commandButton('smcs.importBank', 'Import Bank', 'bank-import', { secondary: true, size: 'small' }), commandButton('smcs.profileModels', 'Profile Models', 'bank-profile', { secondary: false, size: 'small' })),
      );
    }
    if (state.status === 'server') {
      this.empty.replaceChildren(
        h('span', { class: 'bank-headline', 'data-testid': 'bank-server' }, `Questions run on the team server ${state.endpoint}`),
        h('span', { class: 'muted' }, 'Its own bank chooses the models for each question, and your choices teach it. Whoever runs the server profiles its models and imports banks there.'),
      );
    }
    if (state.status === 'schema') {
      this.error.replaceChildren(
        h('span', { class: 'chip error', 'data-testid': 'bank-error', role: 'status' }, bankHeadline(state)),
        h('span', { class: 'muted' }, 'SMCS keeps its tables in the schema smcs of this database; a role that may create tables creates them once.'),
        h('span', { class: 'bank-actions' }, commandButton('smcs.migrateTeamBankSchema', 'Migrate Team Bank Schema', 'bank-migrate', { secondary: false, size: 'small' }), this.refresh),
      );
    }
    if (state.status === 'error') {
      this.error.replaceChildren(
        h('span', { class: 'chip error', 'data-testid': 'bank-error', title: state.message, role: 'status' }, `Bank: ${state.message}`),
        ...(state.remedy === 'password' ? [commandButton('smcs.setTeamBankPassword', 'Set Password', 'bank-set-password', { secondary: false, size: 'small' })] : []),
        h('button', { type: 'button', class: 'link-button', 'data-action': 'command', 'data-command': 'smcs.showLog', 'data-testid': 'bank-show-log' }, 'Show Log'),
        this.refresh,
      );
    }
    this.choice.replaceChildren(...(state.banks ? [choiceBlock(state.banks, state)] : []));
    this.teamUsage.replaceChildren(...(state.teamUsage ?? []).map(teamUsageLine));
  }
}
