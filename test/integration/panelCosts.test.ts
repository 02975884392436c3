/**
 * What an answer costs, as the panel says it (moved from the UI suite: it needs no pixels): the plan's expected
 * "≈ $…" beside Ask, above smcs.maxCostPerQuestion the fast preset offered, the cost line against the usage the server
 * reported times its prices, every call in Details, and the conversation's cost in the list. The panel is its own
 * script (panelDocument.ts), the dialog recorded and answered where the extension shows it (windowScript.ts). How
 * Details looks at 300 and 700 px is the UI suite's (test/e2e/panel-layout.test.ts, panel-open-sections.test.ts).
 */
import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { startLoopbackUpstream, type LoopbackUpstream, type RecordedRequest } from '../fixtures/loopbackUpstream';
import { formatTokenPhrase, formatUsd } from '../../src/presentation/format';
import { clearSettings, configure, fakeServerSettings } from './helpers';
import { PanelDocument } from './panelDocument';
import { scriptWindow, type WindowScript } from './windowScript';

interface Message {
  role: string;
  content: string;
}

/**
 * Prices per token (as OpenRouter lists them): every model its own, so a cost from the wrong model would show. Models
 * no other test of the suite asks, so that nothing is known yet of what they write (the estimate at a typical reply
 * length, as in a new window), not what this extension host's earlier asks learned.
 */
const PRICES: Record<string, { prompt: number; completion: number }> = {
  'priced-alpha-coder': { prompt: 0.000003, completion: 0.000015 },
  'priced-beta-coder': { prompt: 0.0000005, completion: 0.0000015 },
  'priced-gamma-coder': { prompt: 0.000001, completion: 0.000004 },
  'priced-delta-coder': { prompt: 0.0000002, completion: 0.0000006 },
};
const MODELS = Object.keys(PRICES);
const ALPHA = 'priced-alpha-coder';

const messagesOf = (request: RecordedRequest): Message[] => (Array.isArray(request.body.messages) ? (request.body.messages as Message[]) : []);
/** An aggregation carries the references in its system prompt; a referencer gets the conversation only. */
const isAggregation = (request: RecordedRequest): boolean => messagesOf(request)[0]?.role === 'system';

const costOf = (r: RecordedRequest): number => {
  const price = PRICES[r.model ?? ''];
  assert.ok(price && r.usage, `a priced request with usage (${r.model ?? '?'})`);
  return r.usage.prompt_tokens * price.prompt + r.usage.completion_tokens * price.completion;
};

describe('the cost of an answer in the panel', () => {
  let fake: LoopbackUpstream;
  let shown: WindowScript;
  let panel: PanelDocument | undefined;

  beforeEach(async () => {
    fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id, pricing: PRICES[id] })) });
    // Every model answers as a referencer with a line naming itself and the question; the aggregator's candidates are
    // plain one-line texts, numbered across the test.
    let candidates = 0;
    for (const model of MODELS) {
      fake.script(model, {
        reply: (request) => {
          const question = messagesOf(request).at(-1)?.content ?? '';
          if (model !== ALPHA || !isAggregation(request)) return `${model} says: about "${question}", use the standard library.`;
          candidates += 1;
          return `Candidate ${candidates} answers "${question}" with plan ${String.fromCharCode(64 + candidates)}.`;
        },
      });
    }
    await configure(fakeServerSettings(fake, MODELS, { k: 4, n: 2, seed: 1, maxCostPerQuestion: 0.01 }));
    shown = scriptWindow();
  });

  afterEach(async () => {
    panel?.close();
    shown.restore();
    await vscode.commands.executeCommand('smcs.cancel');
    await clearSettings();
    await fake.close();
  });

  // Was a UI test (test/e2e/panel-threads.test.ts keeps the conversations').
  it('priced models: the plan\'s expected "≈ $…" beside Ask, above smcs.maxCostPerQuestion the fast preset (3 referencers, 1 candidate), the cost line equals the reported usage times the prices, Details lists every call', async () => {
    // The conversation list counts this conversation alone.
    shown.answer('warning', /Clear all \d+ conversations?/, 'Clear History');
    await vscode.commands.executeCommand('smcs.clearHistory');
    panel = await PanelDocument.open();
    const doc = panel;
    const question = 'How do I memoise a recursive function in Python?';
    const input = (await doc.element('[data-testid="input"]', 'the question box')) as HTMLTextAreaElement;
    doc.type(input, question);
    const estimate = await doc.until(() => doc.all('cost-estimate').find((el) => /^≈ \$\d/.test(doc.text(el))), 'the estimate beside Ask');
    const expectedUsd = Number(/\$([\d.]+)/.exec(doc.text(estimate))?.[1]);
    assert.ok(expectedUsd > 0.01, `the expected cost (${expectedUsd}) is above the limit`);
    assert.match(estimate.getAttribute('title') ?? '', /Expected cost.*At worst \$[\d.]+, if every reply used the whole output limit/);

    // Above the limit: a modal offers the fast preset.
    shown.answer('warning', 'smcs.maxCostPerQuestion', 'Use the Fast Preset (K=3, n=1)');
    doc.press(input, 'Enter');
    const offer = await shown.next('warning', 'smcs.maxCostPerQuestion');
    assert.equal(offer.modal, true);
    const run = await doc.run('done', question);
    const requests = fake.requests.filter((r) => r.path.endsWith('/chat/completions') && messagesOf(r).at(-1)?.content === question);
    assert.equal(requests.filter((r) => !isAggregation(r)).length, 3, 'referencers of the fast preset');
    assert.equal(requests.filter(isAggregation).length, 1, 'aggregations of the fast preset');
    assert.equal(run.querySelectorAll('[data-testid="candidate"]').length, 1);

    // The cost line: the usage the server reported times each model's price, formatted as the panel does.
    const total = requests.reduce((sum, r) => sum + costOf(r), 0);
    const tokens = requests.reduce((sum, r) => sum + (r.usage ? r.usage.prompt_tokens + r.usage.completion_tokens : 0), 0);
    assert.equal(doc.text(run.querySelector('[data-testid="cost-summary"]')), `${formatUsd(total)} · ${formatTokenPhrase(tokens)} · 4 calls`);

    doc.click(await doc.element('[data-testid="cost-details"]', 'Details', run));
    const rows = doc.select('[data-testid="cost-call"]', run).map((el) => ({
      stage: el.getAttribute('data-stage') ?? '',
      model: el.getAttribute('data-model') ?? '',
      tokens: el.querySelector('[data-testid="call-tokens"]')?.textContent ?? '',
      cost: el.querySelector('[data-testid="call-cost"]')?.textContent ?? '',
    }));
    const expected = requests.map((r) => ({
      stage: isAggregation(r) ? 'aggregation' : 'referencer',
      model: r.model ?? '',
      tokens: `${(r.usage?.prompt_tokens ?? 0).toLocaleString('en-US')} → ${(r.usage?.completion_tokens ?? 0).toLocaleString('en-US')}`,
      cost: formatUsd(costOf(r)),
    }));
    const order = (list: typeof rows) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    assert.deepEqual(order(rows), order(expected));

    // The conversation's cost in the list.
    const toggle = await doc.element('[data-testid="threads-toggle"]', 'the Conversations toggle');
    if (toggle.getAttribute('aria-expanded') !== 'true') doc.click(toggle);
    await doc.until(() => doc.shown(doc.all('thread-list')[0]), 'the conversation list is open');
    assert.equal(doc.text(doc.all('thread-meta')[0]), `1 turn · ${formatUsd(total)}`);
  });
});
