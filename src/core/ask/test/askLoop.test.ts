/**
 * The one loop around an ask: every cost verdict (refuse, cut, ask), the large-prompt question, a team server's hold,
 * and how the ask ended, for prepared asks whose runs are scripted event streams (the engine's own prepared asks run
 * through it in src/engine/test and in every front end's tests).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AskResult, PipelineEvent } from '../../contracts/events';
import type { CallRecord } from '../../contracts/types';
import { askEvents, LARGE_PROMPT_TOKENS, runAsk, type AskPlanView, type AskPolicy, type RunnableAsk } from '../askLoop';

const RESULT = { question: 'q' } as unknown as AskResult;
const CALL = { model: 'm1', stage: 'referencer' } as unknown as CallRecord;

const view = (over: Partial<AskPlanView> = {}): AskPlanView => ({
  expectedUsd: 0.002,
  worstUsd: 0.01,
  limitUsd: 0.05,
  over: false,
  assumed: [],
  basis: [{ model: 'm1', from: 'support' }],
  referencers: ['m1', 'm2', 'm3'],
  aggregator: 'm1',
  aggregations: 2,
  promptTokens: 500,
  ...over,
});

/** A prepared ask whose run yields `events` and records how it was run. */
function scripted(planView: AskPlanView | null, events: PipelineEvent[] = [{ type: 'done', result: RESULT }]) {
  const runs: { route: string | undefined }[] = [];
  const ask: RunnableAsk = {
    view: planView,
    run: (_signal, options) => {
      runs.push({ route: options?.route });
      return (async function* () {
        options?.onCall?.(CALL);
        yield* events;
      })();
    },
  };
  return { ask, runs };
}

const OVER = view({ expectedUsd: 0.2, worstUsd: 0.9, limitUsd: 0.05, over: true });
const signal = new AbortController().signal;
const sink = () => {
  const events: PipelineEvent[] = [];
  let sent: boolean | undefined;
  return { events, sentWaived: () => sent, sink: { sending: ({ waived }: { waived: boolean }) => void (sent = waived), event: (e: PipelineEvent) => void events.push(e) } };
};

test('refuse: an ask over the limit sends nothing and says by how much; within it, the run goes by the routing within the limit', async () => {
  const over = scripted(OVER);
  const outcome = await runAsk(() => Promise.resolve(over.ask), { cost: 'refuse' }, sink().sink, signal);
  assert.equal(outcome.type, 'refused');
  assert.equal(outcome.type === 'refused' && outcome.over?.judgedUsd, 0.2);
  assert.deepEqual(over.runs, []);
  const within = scripted(view());
  const s = sink();
  const done = await runAsk(() => Promise.resolve(within.ask), { cost: 'refuse' }, s.sink, signal);
  assert.equal(done.type, 'done');
  assert.deepEqual(within.runs, [{ route: 'limited' }]);
  assert.equal(s.sentWaived(), false);
  assert.deepEqual(s.events, [{ type: 'done', result: RESULT }]);
});

test('cut: over the limit the run sends what fits it; when nothing fits, nothing is sent and the reason is given', async () => {
  const fits = scripted(OVER);
  assert.equal((await runAsk(() => Promise.resolve(fits.ask), { cost: 'cut' }, sink().sink, signal)).type, 'done');
  assert.deepEqual(fits.runs, [{ route: 'limited' }]);
  const none = scripted({ ...OVER, refusal: 'no model fits maxCostPerQuestion $0.05' });
  const outcome = await runAsk(() => Promise.resolve(none.ask), { cost: 'cut' }, sink().sink, signal);
  assert.deepEqual(outcome.type === 'refused' && outcome.nothingFits, 'no model fits maxCostPerQuestion $0.05');
  assert.deepEqual(none.runs, []);
});

test('ask: Cancel sends nothing; Send Anyway runs the uncut routing, waived; the cheaper preset is prepared again and sent whole', async () => {
  for (const [answer, expected] of [
    ['cancel', 'declined'],
    ['send', 'done'],
    ['cheaper', 'done'],
  ] as const) {
    const first = scripted(OVER);
    const cheaper = scripted(view({ referencers: ['m1', 'm2'] }));
    const prepared: boolean[] = [];
    const asked: number[] = [];
    const s = sink();
    const policy: AskPolicy = { cost: 'ask', confirmOverLimit: (over) => (asked.push(over.judgedUsd), Promise.resolve(answer)) };
    const outcome = await runAsk((c) => (prepared.push(c), Promise.resolve(c ? cheaper.ask : first.ask)), policy, s.sink, signal);
    assert.equal(outcome.type, expected, answer);
    assert.deepEqual(asked, [0.2]);
    assert.deepEqual(prepared, answer === 'cheaper' ? [false, true] : [false]);
    assert.deepEqual(first.runs, answer === 'send' ? [{ route: 'uncut' }] : []);
    assert.deepEqual(cheaper.runs, answer === 'cheaper' ? [{ route: 'uncut' }] : []);
    assert.equal(s.sentWaived(), answer === 'cancel' ? undefined : true);
  }
});

test('a prompt of LARGE_PROMPT_TOKENS or more is confirmed with its size and cost first; a smaller one is not asked about', async () => {
  const sizes: unknown[] = [];
  const policy = (send: boolean): AskPolicy => ({ cost: 'ask', confirmLarge: (size) => (sizes.push(size), Promise.resolve(send)) });
  const large = scripted(view({ promptTokens: LARGE_PROMPT_TOKENS }));
  const declined = await runAsk(() => Promise.resolve(large.ask), policy(false), sink().sink, signal);
  assert.deepEqual(declined, { type: 'declined', size: { promptTokens: LARGE_PROMPT_TOKENS, calls: 5, expectedUsd: 0.002 } });
  assert.deepEqual(large.runs, []);
  const sent = scripted(view({ promptTokens: LARGE_PROMPT_TOKENS * 2 }));
  assert.equal((await runAsk(() => Promise.resolve(sent.ask), policy(true), sink().sink, signal)).type, 'done');
  const small = scripted(view({ promptTokens: LARGE_PROMPT_TOKENS - 1 }));
  await runAsk(() => Promise.resolve(small.ask), policy(false), sink().sink, signal);
  assert.equal(sizes.length, 2, 'the smaller prompt was not asked about');
  assert.deepEqual(small.runs, [{ route: 'limited' }]);
});

test('a hold hears of every call and is settled once, before the loop returns, however the ask ended; a refused admission sends nothing', async () => {
  for (const events of [[{ type: 'done', result: RESULT }], [{ type: 'error', message: 'All 3 referencers failed', kind: 'connection', causes: [] }], [{ type: 'error', message: 'Cancelled', kind: 'cancelled', causes: [] }]] as PipelineEvent[][]) {
    const log: string[] = [];
    const { ask } = scripted(view(), events);
    const policy: AskPolicy = { cost: 'cut', admit: () => Promise.resolve({ record: (c) => void log.push(`call ${c.model}`), unpaid: (c) => void log.push(`unpaid ${c.model}`), settle: () => (log.push('settled'), Promise.resolve()) }) };
    await runAsk(() => Promise.resolve(ask), policy, sink().sink, signal);
    assert.deepEqual(log, ['call m1', 'settled']);
  }
  const refused = scripted(view());
  const policy: AskPolicy = { cost: 'cut', admit: () => Promise.reject(new Error('insufficient_quota')) };
  await assert.rejects(runAsk(() => Promise.resolve(refused.ask), policy, sink().sink, signal), /insufficient_quota/);
  assert.deepEqual(refused.runs, []);
});

test('how the ask ended: done (learned from), failed with the run\'s error, stopped with what it spent; a prepare that throws is a failure of its kind', async () => {
  const learned: AskResult[] = [];
  const done = await runAsk(() => Promise.resolve(scripted(view()).ask), { cost: 'cut', learn: (r) => void learned.push(r) }, sink().sink, signal);
  assert.equal(done.type, 'done');
  assert.deepEqual(learned, [RESULT]);
  const failure: PipelineEvent = { type: 'error', message: 'All 3 referencers failed', kind: 'connection', causes: ['m1: refused'], endpoints: [{ id: 'local', host: '127.0.0.1:9' }] };
  const failed = await runAsk(() => Promise.resolve(scripted(view(), [failure]).ask), { cost: 'cut', learn: (r) => void learned.push(r) }, sink().sink, signal);
  assert.deepEqual(failed.type === 'failed' && failed.error, failure);
  const spent = { calls: [CALL], costUsd: 0.001, tokens: { prompt: 10, completion: 5 } };
  const stopped = await runAsk(() => Promise.resolve(scripted(view(), [{ type: 'error', message: 'Cancelled', kind: 'cancelled', causes: [], spent }]).ask), { cost: 'cut' }, sink().sink, signal);
  assert.deepEqual(stopped.type === 'stopped' && stopped.error.spent, spent);
  assert.equal(learned.length, 1, 'only a finished ask is learned from');
  const s = sink();
  const thrown = await runAsk(() => Promise.reject(Object.assign(new Error('endpoints[0].baseUrl is not a URL'), { kind: 'config' })), { cost: 'ask' }, s.sink, signal);
  assert.equal(thrown.type, 'failed');
  assert.deepEqual(s.events, [{ type: 'error', message: 'endpoints[0].baseUrl is not a URL', kind: 'config', causes: [] }], 'the front end shows the failure like any run\'s');
});

test('askEvents: the run\'s events, and an ask nothing fits within the limit ends with an error of kind config saying why', async () => {
  const events: PipelineEvent[] = [];
  for await (const e of askEvents(() => Promise.resolve(scripted({ ...OVER, refusal: 'no model fits' }).ask), signal)) events.push(e);
  assert.deepEqual(events, [{ type: 'error', message: 'no model fits', kind: 'config', causes: [] }]);
  const done: PipelineEvent[] = [];
  for await (const e of askEvents(() => Promise.resolve(scripted(view()).ask), signal)) done.push(e);
  assert.deepEqual(done, [{ type: 'done', result: RESULT }]);
});

test('the sink hears of each call as it ends, with or without a hold: what the run has spent so far', async () => {
  const calls: CallRecord[] = [];
  await runAsk(() => Promise.resolve(scripted(view()).ask), { cost: 'cut' }, { event: () => undefined, call: (c) => void calls.push(c) }, signal);
  assert.deepEqual(calls, [CALL]);
});
