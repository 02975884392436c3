/**
 * Price-aware routing and the agreement shortcut through the whole ask: real openai SDK → loopback server, a real
 * vectra bank, the lexical embedder. Checks which calls are made, what the result says it saved, and the cost limit.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../../test/fixtures/loopbackUpstream';
import { buildBank, collect, startEngine } from '../../../../test/fixtures/askHarness';
import { tempDir } from '../../../../test/fixtures/bankData';
import type { AskResult, PipelineEvent } from '../../contracts/events';
import type { BankRecord } from '../../contracts/types';
import { fileItem } from '../../context/contextItem';
import { answerText } from '../../contracts/answer';

const MODELS = ['dear', 'cheap', 'mid', 'agg'];
const QUESTION = 'Which sorting algorithm is stable: A) quicksort B) heapsort C) merge sort D) selection sort?';

function bankRecords(): BankRecord[] {
  // dear is right on 9 of 10 similar questions, cheap and mid on 8, agg on 7.
  return Array.from({ length: 10 }, (_, i) => ({
    id: `q-${i}`,
    question: `Which sorting algorithm is stable, variant ${i}: merge sort, quicksort, heapsort or selection sort?`,
    correct: { dear: i < 9 ? 1 : 0, cheap: i < 8 ? 1 : 0, mid: i < 8 ? 1 : 0, agg: i < 7 ? 1 : 0 },
  }));
}

let server: LoopbackUpstream;
let bankDir: string;
const temp = tempDir('smcs-routing-');

before(async () => {
  bankDir = path.join(temp.dir, 'bank');
  await buildBank(bankDir, bankRecords());
});

after(async () => {
  await server?.close();
  temp.cleanup();
});

/** Per-million-token prices: dear is 20 times cheap's price. */
const PRICED = [
  { id: 'dear', price: { prompt: 10, completion: 30 } },
  { id: 'cheap', price: { prompt: 0.5, completion: 1.5 } },
  { id: 'mid', price: { prompt: 2, completion: 6 } },
  { id: 'agg', price: { prompt: 1, completion: 3 } },
];

/** Asks made so far: each gets a storage folder of its own. */
let asks = 0;

async function ask(replies: Record<string, string>, overrides: Record<string, unknown>, failing: readonly string[] = [], question = QUESTION): Promise<{ events: PipelineEvent[]; calls: string[] }> {
  await server?.close();
  server = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
  for (const m of MODELS) server.script(m, failing.includes(m) ? { fail: { status: 500, message: `${m} crashed` } } : { reply: replies[m] ?? `Synthesis by ${m}: merge sort. The answer is (C).` });
  // A storage of its own: no ask here learns reply lengths from another's past calls.
  const engine = await startEngine(
    { baseUrl: server.baseUrl, models: MODELS, bank: bankDir, overrides: { k: 3, kDrop: 1, n: 4, nBase: 10, aggregator: 'agg', maxTokens: 256, ...overrides }, endpointOverrides: { models: PRICED } },
    path.join(temp.dir, `storage-${++asks}`),
  );
  const events = await collect(engine.ask(question, { signal: new AbortController().signal }));
  await engine.dispose();
  return { events, calls: server.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.model ?? '') };
}

function resultOf(events: PipelineEvent[]): AskResult {
  const end = events[events.length - 1];
  assert.equal(end?.type, 'done', `expected done, got ${JSON.stringify(end)}`);
  return (end).result;
}

const agreeing = { dear: 'Merge sort keeps equal keys in order. The answer is (C).', cheap: 'It is merge sort. Answer: C', mid: 'Stable: merge sort, so the answer is (C).' };

test('when every referencer states the same answer, no aggregation runs and the highest-prior reply is the answer', async () => {
  const { events, calls } = await ask(agreeing, { routing: 'balanced' });
  const result = resultOf(events);
  assert.ok(!calls.includes('agg'), `no aggregation call: ${calls.join(', ')}`);
  assert.equal(result.savedCalls, 4);
  assert.deepEqual(result.agreement, { basis: 'answer', answer: 'C', agreeing: 3, of: 3 });
  assert.equal(result.candidates.length, 0);
  assert.equal(result.winner, -1);
  assert.deepEqual(result.answer, { reply: { kind: 'referencer', model: 'dear' }, because: 'agreement' });
  assert.equal(answerText(result), agreeing.dear);
});

test('when every referencer states the same answer, the reply that states it plainly answers, not the highest-prior one listing other options first', async () => {
  const garbled = 'The answer is (A).\n\nThe answer is (B).\n\nThe answer is (C).';
  const { events, calls } = await ask({ ...agreeing, dear: garbled }, { routing: 'balanced' });
  const result = resultOf(events);
  assert.ok(!calls.includes('agg'), `no aggregation call: ${calls.join(', ')}`);
  assert.equal(result.savedCalls, 4);
  assert.deepEqual(result.agreement, { basis: 'answer', answer: 'C', agreeing: 3, of: 3 });
  assert.equal(result.answer.because, 'agreement');
  assert.notEqual(answerText(result), garbled, "dear's reply names (A) and (B) before (C)");
  assert.match(answerText(result), /\(C\)|Answer: C/);
});

test('a majority answer leaves one aggregation; disagreement all n; quality takes the shortcut on final answers, false never', async () => {
  const majority = resultOf((await ask({ ...agreeing, mid: 'Heapsort. The answer is (B).' }, { routing: 'balanced' })).events);
  assert.equal(majority.savedCalls, 3);
  assert.equal(majority.candidates.length, 1);
  const { support, split: entries, options, answers, keptTop1: _kept, ...counts } = majority.agreement ?? { basis: 'similarity', agreeing: 0, of: 0 };
  assert.deepEqual(counts, { basis: 'answer', answer: 'C', agreeing: 2, of: 3 });
  assert.equal(majority.selectedBy, 'agreement', 'a question with a final answer: the final answers choose');
  assert.deepEqual(entries?.map(({ answer, models }) => ({ answer, models })), [{ answer: 'C', models: ['dear', 'cheap', 'agg'] }, { answer: 'B', models: ['mid'] }], 'the aggregation holding C is listed, adding no vote');
  assert.equal(entries?.[0]?.support, support, "the chosen entry's support is the answer's");
  assert.deepEqual(answers, [
    { reply: { kind: 'referencer', model: 'dear' }, answer: 'C' },
    { reply: { kind: 'referencer', model: 'cheap' }, answer: 'C' },
    { reply: { kind: 'referencer', model: 'mid' }, answer: 'B' },
    { reply: { kind: 'candidate', index: 0 }, answer: 'C' },
  ], "each reply's final answer, for its badge");
  assert.equal(options, true, 'every answer names an option');
  assert.ok(support !== undefined && support > 0);
  assert.match(answerText(majority), /answer is \(C\)/);
  assert.deepEqual(majority.answer, { reply: { kind: 'candidate', index: 0 }, because: 'agreement' }, 'the aggregation holding C answers, chosen by the final answers');
  const split = resultOf((await ask({ dear: 'The answer is (C).', cheap: 'The answer is (B).', mid: 'The answer is (A).' }, { routing: 'balanced' })).events);
  assert.equal(split.savedCalls, 0);
  assert.equal(split.candidates.reduce((sum, c) => sum + c.draws, 0), 4, 'all n = 4 subsets drawn');
  assert.ok(split.candidates.length <= 3, 'three references with Kdrop 1 allow at most three distinct subsets');
  const quality = await ask(agreeing, {});
  assert.equal(resultOf(quality.events).savedCalls, 4, 'quality (the default) takes the shortcut on stated final answers, where the replays measured it');
  assert.ok(!quality.calls.includes('agg'));
  const open = await ask({ dear: 'Merge sort. The answer is 3.', cheap: 'The answer is 3.', mid: 'So the answer is 3.' }, {}, [], 'How many of merge sort, quicksort and heapsort would you call fast?');
  assert.equal(resultOf(open.events).savedCalls, 0, "quality leaves an open question's aggregations to start as their references arrive");
  assert.ok(open.calls.includes('agg'));
  assert.equal(resultOf((await ask({ dear: 'The answer is 3.', cheap: 'The answer is 3.', mid: 'The answer is 3.' }, { agreementShortcut: true }, [], 'How many of merge sort, quicksort and heapsort would you call fast?')).events).savedCalls, 4, 'true takes it on every question');
  const off = await ask(agreeing, { agreementShortcut: false });
  assert.equal(resultOf(off.events).savedCalls, 0);
  assert.equal(off.calls.filter((m) => m === 'agg').length, resultOf(off.events).candidates.length, 'one aggregation per distinct subset');
  assert.equal(resultOf((await ask(agreeing, { routing: 'balanced', agreementShortcut: false })).events).savedCalls, 0);
});

test('a majority against the highest-prior model: the one aggregation synthesises the agreeing replies, not a draw that holds the dissent', async () => {
  const { events, calls } = await ask({ ...agreeing, dear: 'Heapsort. The answer is (B).' }, { routing: 'balanced' });
  const result = resultOf(events);
  assert.equal(calls.filter((m) => m === 'agg').length, 1);
  assert.deepEqual([...(result.candidates[0]?.subset ?? [])].sort(), ['cheap', 'mid']);
  assert.equal(result.savedCalls, 3);
});

test('when every aggregation fails, the final answers do not choose: the reference shown is the fallback, and says so', async () => {
  const result = resultOf((await ask({ dear: 'The answer is (C).', cheap: 'The answer is (B).', mid: 'The answer is (C).' }, {}, ['agg'])).events);
  assert.equal(result.winner, -1);
  assert.equal(result.answer.because, 'fallback');
  assert.notEqual(result.selectedBy, 'agreement');
});

test('replies without a final answer count as agreeing only when near-identical', async () => {
  const same = 'Use merge sort: it is stable because equal elements keep their relative order after merging.';
  const identical = resultOf((await ask({ dear: same, cheap: same, mid: `${same}` }, { routing: 'budget' })).events);
  assert.equal(identical.agreement?.basis, 'similarity');
  assert.equal(identical.savedCalls, 4);
  const different = resultOf((await ask({ dear: same, cheap: 'Quicksort partitions around a pivot and is usually fastest.', mid: 'Heapsort builds a binary heap first.' }, { routing: 'budget' })).events);
  assert.equal(different.agreement, undefined);
  assert.equal(different.savedCalls, 0);
  const quality = resultOf((await ask({ dear: same, cheap: same, mid: `${same}` }, {})).events);
  assert.equal(quality.savedCalls, 0, 'quality (the default) does not take the shortcut on near-identical prose: that bar is not measured for sentence embedders');
});

test('balanced routing prefers cheaper models, and the result shows the expected cost next to quality\'s', async () => {
  const { events, calls } = await ask({ dear: 'The answer is (C).', cheap: 'The answer is (B).', mid: 'The answer is (A).' }, { routing: 'balanced', costWeight: 2000 });
  const result = resultOf(events);
  assert.ok(!calls.includes('dear'), `dear is not asked: ${calls.join(', ')}`);
  assert.equal(result.routing?.mode, 'balanced');
  assert.equal(result.routing?.costWeight, 2000);
  const { expectedUsd, qualityUsd } = result.routing ?? {};
  assert.ok(expectedUsd != null && qualityUsd != null && expectedUsd < qualityUsd, `${expectedUsd} < ${qualityUsd}`);
  const dear = result.routing?.estimates.find((e) => e.model === 'dear');
  // Similarity-weighted: 9 of 10 similar questions right, weighted by how similar each is.
  assert.ok(Math.abs((dear?.accuracy ?? 0) - 0.9) < 0.01, String(dear?.accuracy));
  assert.equal(dear?.labelled, 10);
});

test('with aggregator auto and a cost weight, the result names the aggregator that ran, not the one auto ranks first', async () => {
  const { events, calls } = await ask({ dear: 'The answer is (C).', cheap: 'The answer is (B).', mid: 'The answer is (A).' }, { routing: 'balanced', costWeight: 2000, aggregator: 'auto' });
  const result = resultOf(events);
  const subsets = events.find((e): e is Extract<PipelineEvent, { type: 'subsets' }> => e.type === 'subsets');
  const ran = subsets?.aggregator;
  // Without the cost weight auto takes dear (9 of 10 right); its price makes the routing take a cheaper one.
  assert.ok(ran !== undefined && ran !== 'dear', `the routing chose a cheaper aggregator: ${ran}`);
  assert.equal(calls.filter((m) => m === ran).length, result.candidates.length + (result.referencers.some((r) => r.model === ran) ? 1 : 0), 'the aggregations went to it');
  assert.equal(result.aggregator, ran);
});

test('maxCostPerQuestion leaves out the models that do not fit, and refuses (sending nothing) when none fits', async () => {
  // With no recorded tokens and no past call a reply is assumed typical, here cut to maxTokens (256): dear alone costs ≈ 0.0077 + aggregations.
  const fitted = await ask(agreeing, { maxCostPerQuestion: 0.004 });
  const result = resultOf(fitted.events);
  assert.ok(!fitted.calls.includes('dear'), `dear does not fit: ${fitted.calls.join(', ')}`);
  assert.ok(result.routing?.budget && result.routing.budget.estimatedUsd <= 0.004);
  assert.deepEqual(result.routing?.budget?.leftOut[0], { model: 'dear', reason: 'over-budget' });
  const refused = await ask(agreeing, { maxCostPerQuestion: 0.00001 });
  const end = refused.events[refused.events.length - 1];
  assert.equal(end?.type, 'error');
  assert.equal((end).kind, 'config');
  assert.match((end).message, /maxCostPerQuestion: no set of models fits .*nothing was sent/);
  assert.deepEqual(refused.calls, [], 'no chat call was made');
});

test('the cost limit is judged on the expected cost — the replies the bank records — with the worst case beside it, and no chat call', async () => {
  const dir = path.join(temp.dir, 'bank-with-tokens');
  const short = { prompt: 40, completion: 20 };
  await buildBank(dir, bankRecords().map((r) => ({ ...r, tokens: { dear: short, cheap: short, mid: short, agg: short } })));
  await server?.close();
  server = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
  const engine = await startEngine(
    { baseUrl: server.baseUrl, models: MODELS, bank: dir, overrides: { k: 3, kDrop: 1, n: 4, nBase: 10, aggregator: 'agg', maxTokens: 8192 }, endpointOverrides: { models: PRICED } },
    temp.dir,
  );
  const plan = (await engine.prepare(QUESTION, { signal: new AbortController().signal })).view;
  await engine.dispose();
  const { expectedUsd, worstUsd } = plan ?? { expectedUsd: null, worstUsd: null };
  assert.ok(expectedUsd !== null && worstUsd !== null);
  // Replies of about 20 tokens against a worst case of 8,192 each: a limit of half a cent passes on the expected cost.
  assert.ok(expectedUsd < 0.005, `expected ${expectedUsd}`);
  assert.ok(worstUsd > 0.1, `worst ${worstUsd}`);
  assert.equal(server.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 0, 'estimating makes no chat call');
});

/** A file of about 3,000 tokens, attached as "Add file…" or `--file` attach it. */
const BIG_FILE = fileItem('file', 'src/sorting.py', Array.from({ length: 150 }, (_, i) => `def stable_merge_step_${i}(left, right): return merge(left, right)  # keeps order`).join('\n'), 'attached');

test('attached context is counted before sending: the expected and worst costs grow by its tokens at the prompt prices, and the cost limit leaves out the dear model once a file is attached', async () => {
  await server?.close();
  server = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
  for (const m of MODELS) server.script(m, { reply: `Synthesis by ${m}: merge sort. The answer is (C).` });
  const engineWith = (overrides: Record<string, unknown>) =>
    startEngine({ baseUrl: server.baseUrl, models: MODELS, bank: bankDir, overrides: { k: 3, kDrop: 1, n: 4, nBase: 10, aggregator: 'agg', maxTokens: 256, ...overrides }, endpointOverrides: { models: PRICED } }, temp.dir);
  const signal = new AbortController().signal;

  const estimating = await engineWith({});
  const alone = (await estimating.prepare(QUESTION, { signal })).view;
  const attached = (await estimating.prepare(QUESTION, { signal, attachments: [BIG_FILE] })).view;
  await estimating.dispose();
  assert.ok(alone?.expectedUsd != null && attached?.expectedUsd != null && alone.worstUsd !== null && attached.worstUsd !== null);
  // Every referencer (dear, cheap, mid: $12.5 per million prompt tokens together) and each aggregation ($1) reads the file.
  const perToken = (attached.expectedUsd - alone.expectedUsd) / BIG_FILE.tokens;
  assert.ok(perToken >= 12.5e-6 && perToken <= 16.5e-6 * 1.1, `${perToken * 1e6} USD per million context tokens`);
  assert.ok(attached.worstUsd - alone.worstUsd >= BIG_FILE.tokens * 12.5e-6, `worst ${alone.worstUsd} → ${attached.worstUsd}`);

  // A limit the question alone fits with dear; with the file, dear's share alone is over it.
  const limited = await engineWith({ maxCostPerQuestion: 0.03 });
  const withoutFile = resultOf(await collect(limited.ask(QUESTION, { signal })));
  assert.ok(withoutFile.referencers.some((r) => r.model === 'dear'), 'the question alone fits with dear');
  const withFile = resultOf(await collect(limited.ask(QUESTION, { signal, attachments: [BIG_FILE] })));
  await limited.dispose();
  assert.ok(!withFile.referencers.some((r) => r.model === 'dear'), `dear is left out: ${withFile.referencers.map((r) => r.model).join(', ')}`);
  assert.deepEqual(withFile.routing?.budget?.leftOut[0], { model: 'dear', reason: 'over-budget' });
  assert.ok((withFile.routing?.budget?.estimatedUsd ?? Infinity) <= 0.03);
});
