import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createRun, type RunState } from '../../presentation/runState';
import { costSummary } from '../../presentation/costSummary';
import { CostLine } from '../costLine';
import { installDom } from '../../../test/fixtures/panelDom';

type Call = NonNullable<RunState['calls']>[number];

before(() => {
  installDom();
});

const call = (stage: Call['stage'], model: string, prompt: number, completion: number, costUsd: number | null, estimated = false): Call => ({
  stage,
  model,
  tokens: { prompt, completion },
  costUsd,
  latencyMs: 1200,
  estimated,
});

function finished(calls: Call[], costUsd: number | null): RunState {
  const tokens = calls.reduce((t, c) => ({ prompt: t.prompt + c.tokens.prompt, completion: t.completion + c.tokens.completion }), { prompt: 0, completion: 0 });
  return { ...createRun('run-1', 'Which cache?', 1000), status: 'done', calls, costUsd, tokens };
}

const PRICED = [
  call('referencer', 'meta-llama/Meta-Llama-3.1-8B-Instruct', 4000, 2000, 0.0006),
  call('referencer', 'qwen/qwen-2.5-coder-32b-instruct', 4000, 1000, 0.0005),
  call('aggregation', 'meta-llama/Meta-Llama-3.1-405B-Instruct', 9000, 2345, 0.0112),
];

test('the cost line: cost, tokens and calls of a priced answer', () => {
  assert.equal(costSummary(finished(PRICED, 0.0123)), '$0.0123 · 22.3k tokens · 3 calls');
});

test('a cost summed with float noise is shown through the one money format, in the line and in Details', () => {
  const noisy = [call('referencer', 'a', 100, 50, 0.0001), call('referencer', 'b', 100, 50, 0.0002), call('aggregation', 'agg', 300, 80, 0.005362)];
  const total = noisy.reduce((sum, c) => sum + (c.costUsd ?? 0), 0);
  assert.equal(total, 0.0056619999999999995);
  assert.equal(costSummary(finished(noisy, total)), '$0.00566 · 680 tokens · 3 calls');
  const line = new CostLine();
  line.update(finished(noisy, total));
  assert.ok(!(line.el.textContent ?? '').includes('0.005661999'), line.el.textContent ?? '');
});

test('without any price: tokens only, saying no prices are known; "≈" when a server reported no usage', () => {
  const local = PRICED.map((c) => ({ ...c, costUsd: null }));
  assert.equal(costSummary(finished(local, null)), '22.3k tokens · 3 calls · no prices known');
  const estimated = [...local.slice(0, 2), { ...local[2]!, estimated: true }];
  assert.equal(costSummary(finished(estimated, null)), '≈22.3k tokens · 3 calls · no prices known');
  const pricedEstimated = [...PRICED.slice(0, 2), { ...PRICED[2]!, estimated: true }];
  assert.equal(costSummary(finished(pricedEstimated, 0.0123)), '≈$0.0123 · 22.3k tokens · 3 calls');
});

test('some calls without a price: the cost counts the priced ones and says how many are not in it', () => {
  const mixed = [PRICED[0]!, { ...PRICED[1]!, costUsd: null }, PRICED[2]!];
  assert.equal(costSummary(finished(mixed, 0.0118)), '$0.0118 · 22.3k tokens · 3 calls · 1 without a price');
});

test('Details shows a row per call, grouped by stage, with its model (short name, whole on hover), tokens in → out, cost and time', () => {
  const line = new CostLine();
  line.update(finished(PRICED, 0.0123));
  assert.equal(line.el.hidden, false);
  const toggle = line.el.querySelector<HTMLButtonElement>('[data-testid="cost-details"]')!;
  const table = line.el.querySelector<HTMLElement>('[data-testid="cost-calls"]')!;
  assert.equal(table.hidden, true, 'the calls are listed on demand');
  assert.equal(toggle.getAttribute('aria-controls'), table.id);
  toggle.click();
  assert.equal(table.hidden, false);
  assert.equal(toggle.getAttribute('aria-expanded'), 'true');
  const groups = [...table.querySelectorAll<HTMLElement>('[data-testid="cost-group"]')].map((group) => [
    group.querySelector('[data-testid="call-stage"]')?.textContent,
    ...[...group.querySelectorAll<HTMLElement>('[data-testid="cost-call"]')].map((row) => [
      row.dataset.stage,
      row.querySelector<HTMLElement>('[data-testid="call-model"]')?.title,
      row.querySelector('[data-testid="call-model"]')?.textContent,
      row.querySelector('[data-testid="call-tokens"]')?.textContent,
      row.querySelector('[data-testid="call-cost"]')?.textContent,
      row.querySelector('[data-testid="call-latency"]')?.textContent,
    ]),
  ]);
  assert.deepEqual(groups, [
    [
      'References (2)',
      ['referencer', 'meta-llama/Meta-Llama-3.1-8B-Instruct', 'Meta-Llama-3.1-8B-Instruct', '4,000 → 2,000', '$0.0006', '1.2 s'],
      ['referencer', 'qwen/qwen-2.5-coder-32b-instruct', 'qwen-2.5-coder-32b-instruct', '4,000 → 1,000', '$0.0005', '1.2 s'],
    ],
    ['Aggregations (1)', ['aggregation', 'meta-llama/Meta-Llama-3.1-405B-Instruct', 'Meta-Llama-3.1-405B-Instruct', '9,000 → 2,345', '$0.0112', '1.2 s']],
  ]);
  line.update(finished([{ ...PRICED[0]!, costUsd: null, estimated: true }], null));
  assert.deepEqual([...table.querySelectorAll('[data-testid="cost-call"] td')].map((td) => td.textContent).slice(0, 2), ['≈4,000 → 2,000', '—']);
  assert.equal(table.querySelectorAll('[data-testid="cost-call"]').length, 1, 'the table follows the run');
});

test('no cost line while a run is going, or for a run without calls', () => {
  const line = new CostLine();
  line.update({ ...finished(PRICED, 0.0123), status: 'running' });
  assert.equal(line.el.hidden, true);
  line.update(finished([], null));
  assert.equal(line.el.hidden, true);
});

/** Two references in, then Stop: one had begun its reply, one had not. */
const STOPPED_REFERENCERS: RunState['referencers'] = [
  { model: 'meta-llama/Meta-Llama-3.1-8B-Instruct', status: 'done', text: 'a', reasoning: '' },
  { model: 'qwen/qwen-2.5-coder-32b-instruct', status: 'done', text: 'b', reasoning: '' },
  { model: 'gemini-1.5-pro-002', status: 'abandoned', text: 'half a rep', reasoning: '' },
  { model: 'gemini-1.5-flash-002', status: 'abandoned', text: '', reasoning: '' },
];

test('a stopped run shows what it paid for: the calls that returned, and how many replies were stopped and not counted', () => {
  const paid = PRICED.slice(0, 2);
  const stopped: RunState = {
    ...finished(paid, 0.0011),
    status: 'cancelled',
    referencers: STOPPED_REFERENCERS,
  };
  assert.equal(costSummary(stopped), '$0.0011 · 11.0k tokens · 2 calls · 2 stopped, not counted');
  const line = new CostLine();
  line.update(stopped);
  assert.equal(line.el.hidden, false, 'a stopped run has a cost line');
  assert.match(line.el.querySelector<HTMLElement>('[data-testid="cost-summary"]')?.title ?? '', /stopped before they finished/);
  line.update({ ...stopped, status: 'running' });
  assert.equal(line.el.hidden, true, 'a running run has none yet');
});

test('a reply stopped after it began is counted from what it was sent and wrote (≈); one stopped before it began is named as not counted', () => {
  const begun = call('referencer', 'gemini-1.5-pro-002', 4000, 120, 0.0002, true);
  const run: RunState = {
    ...finished([...PRICED.slice(0, 2), begun, call('aggregation', 'meta-llama/Meta-Llama-3.1-405B-Instruct', 9000, 80, 0.0003, true)], 0.0016),
    status: 'cancelled',
    referencers: STOPPED_REFERENCERS,
    candidates: [
      { index: 0, subset: ['a', 'b'], status: 'abandoned', text: 'The synthesis so f' },
      { index: 1, subset: ['a', 'c'], status: 'abandoned', text: '' },
    ],
  };
  assert.equal(costSummary(run), '≈$0.0016 · 24.2k tokens · 4 calls · 2 stopped, not counted');
});

test('a reply left out late is counted (estimated), so the line does not call it "not counted"', () => {
  const run: RunState = {
    ...finished(PRICED.slice(0, 2), 0.0011),
    referencers: [
      { model: 'meta-llama/Meta-Llama-3.1-8B-Instruct', status: 'done', text: 'a', reasoning: '' },
      { model: 'gemini-1.5-pro-002', status: 'abandoned', text: '', reasoning: '', lateAfterMs: 2100 },
    ],
  };
  assert.equal(costSummary(run), '$0.0011 · 11.0k tokens · 2 calls');
});

test('an answer over the cost limit says so and by how much; under it, nothing is added', () => {
  const sentAnyway = { ...finished(PRICED, 0.00343), costLimit: { maxUsd: 0.001, waived: true } };
  assert.equal(costSummary(sentAnyway), '$0.00343 · 22.3k tokens · 3 calls · over your $0.001 limit by $0.00243 (sent anyway)');
  const dearerThanExpected = { ...finished(PRICED, 0.0123), costLimit: { maxUsd: 0.01, waived: false } };
  assert.match(costSummary(dearerThanExpected) ?? '', /over your \$0\.01 limit by \$0\.0023$/);
  assert.equal(costSummary({ ...finished(PRICED, 0.0123), costLimit: { maxUsd: 0.05, waived: false } }), '$0.0123 · 22.3k tokens · 3 calls');
});

test('no log-probabilities: said once, quietly, in Details — not as a box on the answer', () => {
  const run: RunState = {
    ...finished(PRICED, 0.0123),
    logprobsUsed: false,
    candidates: [0, 1].map((index) => ({ index, subset: ['a'], status: 'done' as const, text: `reply ${index}` })),
  };
  const line = new CostLine();
  line.update(run);
  const note = line.el.querySelector<HTMLElement>('[data-testid="ranking-note"]')!;
  assert.equal(note.hidden, true, 'closed with the calls');
  line.el.querySelector<HTMLButtonElement>('[data-testid="cost-details"]')!.click();
  assert.equal(note.hidden, false);
  assert.equal(note.textContent, 'Ranking: the servers returned no log-probabilities, so the candidates were ranked by similarity only.');
  line.update({ ...run, logprobsUsed: true });
  assert.equal(note.hidden, true, 'with log-probabilities there is nothing to say');
});
