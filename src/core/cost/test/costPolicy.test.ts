/**
 * The cost limit's one rule and each front end's policy: the expected cost is judged (the worst case only when it is
 * unknown), an unknown cost passes, and over the limit the CLI and the SMCS model of VS Code's chat refuse, the server cuts, the panel and `@smcs` ask.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { costVerdict, overLimit, type CostPolicy, type PlanCost } from '../costPolicy';

const BASIS: PlanCost['basis'] = [{ model: 'new-model', from: 'assumed' }];

const cost = (expectedUsd: number | null, worstUsd: number | null, limitUsd: number | null): PlanCost => {
  const c = { expectedUsd, worstUsd, limitUsd, assumed: ['new-model'], basis: BASIS };
  return { ...c, over: overLimit(c) !== null };
};

test('the rule: the expected cost is judged, the worst case only when the expected one is unknown', () => {
  const rows: { cost: PlanCost; over: ReturnType<typeof overLimit> }[] = [
    { cost: cost(0.004, 0.5, 0.01), over: null },
    { cost: cost(0.02, 0.5, 0.01), over: { judgedUsd: 0.02, judged: 'expected', worstUsd: 0.5, limitUsd: 0.01, assumed: ['new-model'], basis: BASIS } },
    { cost: cost(null, 0.5, 0.01), over: { judgedUsd: 0.5, judged: 'worst', worstUsd: null, limitUsd: 0.01, assumed: ['new-model'], basis: BASIS } },
    { cost: cost(null, 0.005, 0.01), over: null },
    { cost: cost(null, null, 0.01), over: null },
    { cost: cost(0.02, 0.5, null), over: null },
    { cost: cost(0.01, 0.5, 0.01), over: null },
  ];
  for (const row of rows) {
    assert.deepEqual(overLimit(row.cost), row.over, JSON.stringify(row.cost));
    assert.equal(row.cost.over, row.over !== null);
  }
});

test('each policy over the limit: refuse (CLI, VS Code chat), cut (server), ask (panel); within it, or unprepared, every policy sends', () => {
  const over = cost(0.02, 0.5, 0.01);
  const within = cost(0.004, 0.5, 0.01);
  for (const policy of ['refuse', 'cut', 'ask'] as CostPolicy[]) {
    const verdict = costVerdict(over, policy);
    assert.ok(verdict.action !== 'send');
    assert.equal(verdict.action, policy);
    assert.equal(verdict.over.judgedUsd, 0.02);
    assert.deepEqual(costVerdict(within, policy), { action: 'send' });
    assert.deepEqual(costVerdict(null, policy), { action: 'send' });
  }
});
