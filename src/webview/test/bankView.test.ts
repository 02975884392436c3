import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { BankPanelState, BankSummary } from '../../presentation/protocol';
import { BankView, bankHeadline, firstModelsText } from '../bankView';
import { formatPercent } from '../../presentation/format';
import { byTestId, installDom, oneByTestId } from '../../../test/fixtures/panelDom';
import { buildBankSummary, type BankStatsInput } from '../../vscode/bank/bankSummary';

before(() => {
  installDom();
});

/** Is the element shown, i.e. neither it nor an ancestor is hidden? */
const shown = (el: HTMLElement | null): boolean => {
  for (let e = el; e; e = e.parentElement) if (e.hidden) return false;
  return true;
};

function summaryInput(): BankStatsInput {
  return {
    size: 1234,
    embedder: { id: 'transformers:Xenova/all-MiniLM-L6-v2' },
    models: [
      { model: 'qwen-7b', labelled: 300, accuracy: 0.5, byDomain: { math: { labelled: 100, accuracy: 0.25 }, cs: { labelled: 200, accuracy: 0.625 } } },
      { model: 'llama-70b', labelled: 1000, accuracy: 0.725, byDomain: { cs: { labelled: 1000, accuracy: 0.725 } } },
    ],
  };
}

function summary(): BankSummary {
  return buildBankSummary(summaryInput(), ['llama-70b', 'mistral-small']);
}

test('a ready bank shows size, embedder, and per model the labelled count, accuracy and a domain table, best first', () => {
  const view = new BankView(true, () => undefined);
  view.update({ status: 'ready', summary: summary() });
  const root = view.el;
  assert.equal(root.getAttribute('data-status'), 'ready');
  assert.equal(oneByTestId(root, 'bank-headline').textContent, 'Question bank: 1,234 questions · 2 profiled models · 1 unprofiled');
  assert.equal(oneByTestId(root, 'bank-size').textContent, '1,234 questions');
  assert.equal(oneByTestId(root, 'bank-embedder').textContent, 'transformers:Xenova/all-MiniLM-L6-v2');
  const models = byTestId(root, 'bank-model');
  assert.deepEqual(models.map((m) => m.dataset.model), ['llama-70b', 'qwen-7b']);
  assert.deepEqual(models.map((m) => m.dataset.configured), ['true', 'false']);
  assert.equal(oneByTestId(models[0]!, 'bank-model-accuracy').textContent, '72.5%');
  assert.equal(oneByTestId(models[0]!, 'bank-model-labelled').textContent, '1,000 labelled');
  const qwenDomains = byTestId(models[1]!, 'bank-domain');
  assert.deepEqual(
    qwenDomains.map((d) => [d.dataset.domain, oneByTestId(d, 'bank-domain-accuracy').textContent, oneByTestId(d, 'bank-domain-labelled').textContent]),
    [['cs', '62.5%', '200'], ['math', '25.0%', '100']],
  );
  const meter = models[1]!.querySelector('[role="meter"]');
  assert.equal(meter?.getAttribute('aria-valuenow'), '0.500');
  assert.equal(meter?.getAttribute('aria-valuetext'), '50.0%');
  assert.deepEqual(byTestId(root, 'bank-unprofiled').map((u) => u.dataset.model), ['mistral-small']);
  const profile = oneByTestId(root, 'bank-profile');
  assert.equal(profile.dataset.action, 'command');
  assert.equal(profile.dataset.command, 'smcs.profileModels');
  assert.equal(oneByTestId(root, 'bank-import').dataset.command, 'smcs.importBank');
  assert.ok(shown(oneByTestId(root, 'bank-refresh')));
  assert.equal(shown(oneByTestId(root, 'bank-empty')), false);
});

test('no bank yet: one line with Import Bank and Profile Models, and no summary', () => {
  const view = new BankView(false, () => undefined);
  view.update({ status: 'none', unprofiled: ['a', 'b'] });
  const root = view.el;
  assert.equal(root.getAttribute('data-status'), 'none');
  const empty = oneByTestId(root, 'bank-empty');
  assert.ok(shown(empty));
  assert.match(empty.textContent ?? '', /^No question bank yet/);
  assert.deepEqual(byTestId(empty, 'bank-import').concat(byTestId(empty, 'bank-profile')).map((b) => b.dataset.command), ['smcs.importBank', 'smcs.profileModels']);
  assert.equal(byTestId(root, 'bank-model').length, 0);
  assert.equal(shown(root.querySelector('details')), false);
});

test('no bank yet: it says which models answer meanwhile, in the settings\' order, beside Profile Models', () => {
  const view = new BankView(false, () => undefined);
  view.update({ status: 'none', unprofiled: ['zeta', 'mike', 'alpha', 'bravo'], firstModels: { k: 3, models: ['zeta', 'mike', 'alpha'], discovered: false } });
  assert.equal(oneByTestId(view.el, 'bank-first-models').textContent, 'Until then the first 3 models in the order smcs.endpoints lists them answer every question: zeta, mike, alpha.');
  assert.equal(oneByTestId(view.el, 'bank-profile').dataset.command, 'smcs.profileModels');
  assert.equal(firstModelsText({ k: 7, models: ['zeta', 'alpha'], discovered: false }), 'Until then all 2 configured models answer every question: zeta, alpha.');
  assert.equal(firstModelsText({ k: 7, models: [], discovered: true }), "Until then the first 7 models in the order smcs.endpoints lists them (an endpoint without a models list: in its server's order) answer every question.");
});

test('an error is a one-line chip with Show Log and Refresh; loading shows only the headline', () => {
  const view = new BankView(false, () => undefined);
  assert.equal(view.el.getAttribute('data-status'), 'loading');
  assert.equal(oneByTestId(view.el, 'bank-headline').textContent, 'Question bank: loading…');
  view.update({ status: 'error', message: 'the question bank at /b cannot be read' });
  const chip = oneByTestId(view.el, 'bank-error');
  assert.ok(shown(chip));
  assert.equal(chip.textContent, 'Bank: the question bank at /b cannot be read');
  assert.equal(oneByTestId(view.el, 'bank-show-log').dataset.command, 'smcs.showLog');
  assert.ok(shown(oneByTestId(view.el, 'bank-refresh')));
  assert.equal(oneByTestId(view.el, 'bank-refresh').dataset.action, 'refresh-bank');
});

test('an embedder mismatch is shown as a warning naming both embedders', () => {
  const view = new BankView(true, () => undefined);
  const s = buildBankSummary({ size: 3, embedder: { id: 'lexical:1:256' }, models: [] }, ['m'], 'transformers:x/y');
  view.update({ status: 'ready', summary: s });
  const warning = oneByTestId(view.el, 'bank-embedder-mismatch');
  assert.match(warning.textContent ?? '', /transformers:x\/y.*lexical:1:256/);
  assert.ok(oneByTestId(view.el, 'bank-no-labels'));
});

test('a refreshed summary keeps which model rows the user expanded, and model names are text, never markup', () => {
  const view = new BankView(true, () => undefined);
  const first = summary();
  view.update({ status: 'ready', summary: first });
  const qwen = byTestId(view.el, 'bank-model').find((m) => m.dataset.model === 'qwen-7b');
  const details = qwen?.querySelector('details');
  assert.ok(details);
  details.open = true;
  const next: BankPanelState = {
    status: 'ready',
    summary: { ...first, size: 1300, models: [...first.models, { model: '<img src=x onerror=alert(1)>', labelled: 1, accuracy: 0, lowerBound: 0, fewLabels: true, byDomain: [], configured: false }] },
  };
  view.update(next);
  assert.equal(oneByTestId(view.el, 'bank-size').textContent, '1,300 questions');
  const again = byTestId(view.el, 'bank-model').find((m) => m.dataset.model === 'qwen-7b');
  assert.equal(again?.querySelector('details')?.open, true);
  assert.equal(byTestId(view.el, 'bank-model').find((m) => m.dataset.model === 'llama-70b')?.querySelector('details')?.open, false);
  assert.equal(view.el.querySelectorAll('img').length, 0);
});

test('the section reports the user opening and closing it', () => {
  const toggles: boolean[] = [];
  const view = new BankView(false, (open) => toggles.push(open));
  const details = view.el.querySelector('details');
  assert.ok(details);
  assert.equal(details.open, false);
  details.open = true;
  details.dispatchEvent(new (details.ownerDocument.defaultView as unknown as typeof globalThis).Event('toggle'));
  assert.deepEqual(toggles, [true]);
});

test('headline and percent formatting', () => {
  assert.equal(formatPercent(1), '100.0%');
  assert.equal(bankHeadline({ status: 'ready', summary: { size: 1, embedder: 'e', models: [], unprofiled: [] } }), 'Question bank: 1 question · 0 profiled models');
  assert.equal(bankHeadline({ status: 'none', unprofiled: [] }), 'No question bank yet');
});

test('a team bank says so: its location, size and contributors in the headline and the facts', () => {
  const view = new BankView(true, () => undefined);
  const team = buildBankSummary({ ...summaryInput(), teamLocation: 'db.example:5432/smcs', contributors: [{}, {}, {}, {}, {}, {}, {}] }, ['llama-70b']);
  view.update({ status: 'ready', summary: team });
  assert.equal(oneByTestId(view.el, 'bank-headline').textContent, 'Team bank · db.example:5432/smcs · 1,234 questions · 7 contributors · 2 profiled models');
  assert.equal(oneByTestId(view.el, 'bank-store').textContent, 'Team bank · db.example:5432/smcs');
  assert.equal(oneByTestId(view.el, 'bank-contributors').textContent, '7 contributors');
  view.update({ status: 'ready', summary: summary() });
  assert.equal(byTestId(view.el, 'bank-store').length, 0, 'a bank folder names no store');
});

test('a model labelled once does not head the ranking: models with few labels are listed apart, ranked by the lower bound, and not counted as profiled', () => {
  const input = {
    size: 12_050,
    embedder: { id: 'lexical' },
    models: [
      { model: 'once-right', labelled: 1, accuracy: 1, byDomain: {} },
      { model: 'twice-right', labelled: 2, accuracy: 1, byDomain: {} },
      { model: 'steady', labelled: 12_018, accuracy: 0.702, byDomain: {} },
      { model: 'lucky-40', labelled: 40, accuracy: 0.75, byDomain: {} },
    ],
  };
  const view = new BankView(true, () => undefined);
  view.update({ status: 'ready', summary: buildBankSummary(input, ['steady']) });
  const root = view.el;
  assert.equal(oneByTestId(root, 'bank-headline').textContent, 'Question bank: 12,050 questions · 2 profiled models · 2 with few labels');
  // 75 % of 40 has a lower bound of about 62 %, below 70.2 % of 12,018: the steady model ranks first.
  assert.deepEqual(byTestId(root, 'bank-model').map((m) => m.dataset.model), ['steady', 'lucky-40', 'twice-right', 'once-right']);
  const few = root.querySelector('.bank-few');
  assert.ok(few);
  assert.deepEqual([...few.querySelectorAll<HTMLElement>('[data-testid="bank-model"]')].map((m) => m.dataset.model), ['twice-right', 'once-right']);
  assert.match(oneByTestId(root, 'bank-few-labels').textContent ?? '', /Too few labels to rank/);
});

test('while a team bank is in use: which bank is in use and what the local bank holds, with Switch to Local and Copy into Team Bank, in every state', () => {
  const banks = { team: 'db.example:5432/smcs', local: { location: '/home/ann/bank', size: 12413 } };
  const view = new BankView(false, () => undefined);
  view.update({ status: 'ready', summary: { ...summary(), size: 12623, team: { location: banks.team, contributors: 3 } }, banks });
  assert.equal(oneByTestId(view.el, 'bank-in-use').textContent, 'In use: team bank (db.example:5432/smcs) — 12,623 questions');
  assert.equal(oneByTestId(view.el, 'bank-local').textContent, 'Local bank: 12,413 questions');
  assert.equal(oneByTestId(view.el, 'bank-local').getAttribute('title'), '/home/ann/bank');
  assert.equal(oneByTestId(view.el, 'bank-switch-local').getAttribute('data-command'), 'smcs.switchToLocalBank');
  assert.equal(oneByTestId(view.el, 'bank-copy-local').getAttribute('data-command'), 'smcs.copyLocalBankIntoTeamBank');
  assert.ok(shown(oneByTestId(view.el, 'bank-switch-local')), 'one click away with the section closed');

  view.update({ status: 'error', message: 'team bank db.example:5432/smcs: the server asks ann for a password and none is set', remedy: 'password', banks: { ...banks, local: { ...banks.local, size: 0 } } });
  assert.equal(oneByTestId(view.el, 'bank-in-use').textContent, 'In use: team bank (db.example:5432/smcs) — cannot be read now');
  assert.equal(oneByTestId(view.el, 'bank-local').textContent, 'Local bank: empty');
  assert.equal(byTestId(view.el, 'bank-copy-local').length, 0, 'nothing to copy from an empty local bank');
  assert.ok(shown(oneByTestId(view.el, 'bank-switch-local')));
  assert.equal(oneByTestId(view.el, 'bank-set-password').getAttribute('data-command'), 'smcs.setTeamBankPassword');

  view.update({ status: 'none', unprofiled: [] });
  assert.equal(byTestId(view.el, 'bank-choice').length, 0, 'a local bank in use shows no choice');
});

test("on a team SMCS server: the signed-in key's spend, or the server's refusal, shown with the section closed", () => {
  const view = new BankView(false, () => undefined);
  const spend = { endpoint: 'team', text: 'Team key alice: $3.20 of $10.00 this week · resets Mon', problem: false };
  view.update({ status: 'ready', summary: summary(), teamUsage: [spend] });
  const line = oneByTestId(view.el, 'bank-team-usage');
  assert.equal(line.textContent, spend.text);
  assert.equal(line.dataset.endpoint, 'team');
  assert.ok(shown(line));
  const refused = { endpoint: 'team', text: 'endpoint team: the team server refused the key (missing, wrong or revoked)', problem: true };
  view.update({ status: 'none', unprofiled: [], teamUsage: [refused] });
  assert.equal(oneByTestId(view.el, 'bank-team-usage').dataset.problem, 'true');
  assert.equal(oneByTestId(view.el, 'bank-team-usage').getAttribute('role'), 'status');
  view.update({ status: 'none', unprofiled: [] });
  assert.equal(byTestId(view.el, 'bank-team-usage').length, 0);
});

test('Set Password shows only for a missing or refused password', () => {
  const view = new BankView(true, () => undefined);
  view.update({ status: 'error', message: 'team bank db:5432/smcs: the server accepts ann only over TLS' });
  assert.equal(byTestId(view.el, 'bank-set-password').length, 0);
  view.update({ status: 'error', message: 'team bank db:5432/smcs: the server refused the password of ann', remedy: 'password' });
  assert.ok(shown(oneByTestId(view.el, 'bank-set-password')));
});

test('with a team server as the engine: the section says its bank routes the questions, with no local Import or Profile, and the key line stays', () => {
  const view = new BankView(true, () => undefined);
  view.update({ status: 'none', unprofiled: ['a'] });
  assert.ok(shown(oneByTestId(view.el, 'bank-import')));
  const spend = { endpoint: 'team', text: 'Team key alice: $0.01 of $5 today · resets at 00:00 UTC', problem: false };
  view.update({ status: 'server', endpoint: 'team', teamUsage: [spend] });
  assert.equal(bankHeadline({ status: 'server', endpoint: 'team' }), "Question bank: the team server team's");
  assert.equal(oneByTestId(view.el, 'bank-server').textContent, 'Questions run on the team server team');
  assert.ok(shown(oneByTestId(view.el, 'bank-server')));
  assert.equal(byTestId(view.el, 'bank-import').length + byTestId(view.el, 'bank-profile').length, 0, 'nothing here acts on a bank no ask reads');
  assert.ok(!/No question bank yet/.test(view.el.textContent ?? ''));
  assert.equal(oneByTestId(view.el, 'bank-team-usage').textContent, spend.text);
});
