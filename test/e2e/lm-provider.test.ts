/**
 * SMCS as a model of VS Code's chat, in a real workbench of today's VS Code (1.139, which passes a caller's
 * cancellation on to the provider), reached as any other extension reaches it:
 * the LM caller, installed beside SMCS, calls `vscode.lm.selectChatModels({ vendor: 'smcs' })` and `sendRequest`. The
 * user's endpoints are loopback upstreams: the fake LLM server of every UI test, and for tools the upstream the server
 * tests script tool calls with.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { RecordedRequest } from '../fixtures/loopbackUpstream';
import { startToolUpstream } from '../../src/server/test/toolUpstream';
import { lookAt } from './answerScenario';
import { until } from './polling';
import { callLanguageModel, listLanguageModels, LM_CALLER, packTestExtension, type CallerMessage, type CallerModel } from './lmCaller';
import { CHAT_WORKBENCH, commandLabel, FAKE_MODELS, withWorkbench, type Workbench } from './workbench';

const [ALPHA, BETA, GAMMA] = FAKE_MODELS;

/** The fake models' context windows (vLLM's max_model_len); the smallest bounds what SMCS's models take. */
const WINDOWS = { [ALPHA]: 32_768, [BETA]: 16_384, [GAMMA]: 65_536 };
const SMALLEST_WINDOW = 16_384;
/** smcs.maxTokens: less than a quarter of the smallest window, so a reply keeps exactly this much of it. */
const MAX_TOKENS = 2048;

const EARLIER_QUESTION = 'What is a binary heap?';
const EARLIER_ANSWER = 'A complete binary tree in which every parent is at least as large as its children.';
const QUESTION = 'Name a sorting algorithm that uses one.';
const THREAD: CallerMessage[] = [
  { role: 'user', content: EARLIER_QUESTION },
  { role: 'assistant', content: EARLIER_ANSWER },
  { role: 'user', content: QUESTION },
];

const chatCalls = (wb: Workbench, from: number): RecordedRequest[] => wb.fake.requests.slice(from).filter((r) => r.path.endsWith('/chat/completions'));
/** True for an aggregation call: its prompt carries the referencers' replies. */
const isAggregation = (request: RecordedRequest): boolean => /(Alpha|Beta|Gamma) reference:/.test(JSON.stringify(request.body));

/** Three references, then aggregations (by alpha-coder, the aggregator) that each answer with a distinct plain-text candidate. */
function scriptModels(wb: Workbench): void {
  let candidates = 0;
  wb.fake.script(ALPHA, {
    reply: (request) => {
      if (!isAggregation(request)) return 'Alpha reference: heapsort builds a max-heap.';
      candidates += 1;
      return `Heapsort, candidate ${candidates}: build a max-heap, then move the largest element to the end until the heap is empty.`;
    },
  });
  wb.fake.script(BETA, { reply: 'Beta reference: heapsort repeatedly extracts the maximum.' });
  wb.fake.script(GAMMA, { reply: 'Gamma reference: heapsort sorts in place in n log n time.' });
}

const byId = (models: CallerModel[]): CallerModel[] => [...models].sort((a, b) => a.id.localeCompare(b.id));

test('another extension finds smcs and smcs-best with the windows of the configured models; smcs answers a two-turn thread with the run the panel then shows; a stopped call aborts every upstream request within 1.5 s', async () => {
  const fake = { models: FAKE_MODELS.map((id) => ({ id, maxModelLen: WINDOWS[id] })) };
  const extensions = [await packTestExtension(LM_CALLER)];
  await withWorkbench('lm provider', { vscode: CHAT_WORKBENCH, extensions, fake, settings: { 'smcs.maxTokens': MAX_TOKENS } }, async (wb) => {
    // A reply keeps smcs.maxTokens (a quarter of the smallest window is more), the input the rest of that window.
    const maxInputTokens = SMALLEST_WINDOW - MAX_TOKENS;
    const models = byId(await listLanguageModels(wb, { vendor: 'smcs' }));
    assert.deepEqual(
      models.map((m) => ({ id: m.id, vendor: m.vendor, maxInputTokens: m.maxInputTokens, toolCalling: m.capabilities.supportsToolCalling, images: m.capabilities.supportsImageToText })),
      [
        { id: 'smcs', vendor: 'smcs', maxInputTokens, toolCalling: true, images: false },
        { id: 'smcs-best', vendor: 'smcs', maxInputTokens, toolCalling: true, images: false },
      ],
    );

    scriptModels(wb);
    const before = wb.fake.requests.length;
    const reply = await callLanguageModel(wb, { vendor: 'smcs', id: 'smcs', messages: THREAD });
    assert.equal(reply.error, undefined, reply.error?.message);
    assert.ok(reply.parts.length > 0 && reply.parts.every((p) => p.type === 'text'), JSON.stringify(reply.parts));
    assert.match(reply.text, /^Heapsort, candidate \d+: build a max-heap/);

    // K = 3 referencers, one call each, then the aggregations by the aggregator; every call carries the earlier turn.
    const calls = chatCalls(wb, before);
    const aggregations = calls.filter(isAggregation);
    assert.deepEqual(calls.filter((r) => !isAggregation(r)).map((r) => r.model).sort(), [...FAKE_MODELS].sort());
    assert.ok(aggregations.length >= 1 && aggregations.every((r) => r.model === ALPHA), `aggregations by ${aggregations.map((r) => r.model).join(', ')}`);
    for (const call of calls) {
      const thread = JSON.stringify(call.body.messages);
      assert.ok(thread.includes(EARLIER_QUESTION) && thread.includes(EARLIER_ANSWER), `${call.model}'s call lacks the earlier turn`);
    }

    // The ask is in SMCS's history, a conversation of its own: opened from the panel's list, it shows the question,
    // its referencers, a card per aggregation, and the answer the streamed text ends with.
    await wb.openPanel();
    const toggle = wb.byTestId('threads-toggle');
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await wb.byTestId('thread').filter({ hasText: QUESTION }).locator('[data-testid="thread-open"]').click();
    const run = wb.byTestId('run').filter({ has: wb.panel().locator('[data-testid="question-text"]', { hasText: QUESTION }) });
    await run.waitFor();
    assert.equal(await run.getAttribute('data-status'), 'done');
    for (const model of FAKE_MODELS) await run.locator(`[data-testid="referencer"][data-model="${model}"][data-status="done"]`).waitFor({ state: 'attached' });
    assert.equal(await run.locator('[data-testid="candidate"]').count(), aggregations.length);
    // The caller read the answer as it was written: the first candidate to write, then — when the choice is another —
    // "Chosen instead: …" and the chosen answer, which is the panel's.
    const answer = (await run.locator('[data-testid="answer"] > .markdown').innerText()).trim();
    assert.ok(reply.text.trim().endsWith(answer), `the streamed text ends with the panel's answer: ${JSON.stringify(reply.text)}`);
    if (reply.text.trim() !== answer) {
      // The first candidate to write is whichever aggregation's reply came first, not always candidate 1.
      const said = /\n---\n\*Chosen instead: candidate (\d+), which [^;]+; candidate (\d+) above was not chosen\.\*\n/.exec(reply.text);
      assert.ok(said, `the streamed text says which candidate was chosen instead: ${JSON.stringify(reply.text)}`);
      assert.notEqual(said[1], said[2], 'the candidate chosen instead is another than the one written first');
    }
    await lookAt(wb, 'lm-provider-run', { scrollTo: '[data-testid="run"]' });

    // A stopped call: the caller cancels once every referencer's call is streaming; VS Code passes the cancellation on
    // to SMCS, which aborts every upstream call — seen here at the upstream, as each request's socket closing early.
    for (const model of FAKE_MODELS) wb.fake.script(model, { chunkDelayMs: 100, reply: 'slow '.repeat(300) });
    const stop = new AbortController();
    const from = wb.fake.requests.length;
    const stopping = callLanguageModel(wb, { vendor: 'smcs', id: 'smcs', messages: [{ role: 'user', content: 'Explain closures in JavaScript.' }], signal: stop.signal });
    await until(() => chatCalls(wb, from).length === FAKE_MODELS.length, 'the stopped call never reached every referencer', 30000);
    const stoppedAt = Date.now();
    stop.abort();
    const stopped = await stopping;
    assert.equal(stopped.aborted, true);
    assert.deepEqual(stopped.parts, []);
    const { waitFor } = await import('../../scripts/codeServer.mjs');
    const open = () => chatCalls(wb, from).filter((r) => r.clientClosedAt === undefined && r.completedAt === undefined);
    await waitFor(() => open().length === 0, { timeoutMs: 5000, intervalMs: 20, message: 'an upstream request of the stopped call stayed open' });
    const closedWithin = Date.now() - stoppedAt;
    assert.ok(closedWithin <= 1500, `the upstream requests closed ${closedWithin} ms after the stop`);
    const stoppedCalls = chatCalls(wb, from);
    assert.ok(stoppedCalls.every((r) => r.clientClosedAt !== undefined), `requests completed instead of being aborted: ${stoppedCalls.map((r) => r.model).join(', ')}`);
    assert.equal(stopped.error, undefined);
  });
});

test('smcs-best with a tool: exactly one upstream request carries it, and the tool call comes back as a tool-call part; every endpoint offline: an error naming the remedy', async () => {
  const tools = await startToolUpstream('tooler');
  try {
    const endpoints = [{ id: 'tools', provider: 'vllm', baseUrl: tools.baseUrl, models: ['tooler'] }];
    const settings = { 'smcs.endpoints': endpoints, 'smcs.aggregator': 'tooler', 'smcs.k': 1, 'smcs.n': 1 };
    await withWorkbench('lm provider tools', { vscode: CHAT_WORKBENCH, extensions: [await packTestExtension(LM_CALLER)], settings }, async (wb) => {
      const weather = { name: 'get_weather', description: 'The weather of a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } };
      const reply = await callLanguageModel(wb, { vendor: 'smcs', id: 'smcs-best', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weather], toolMode: 'required' });
      assert.equal(reply.error, undefined, reply.error?.message);
      assert.deepEqual(reply.parts, [{ type: 'toolCall', callId: 'call_1', name: 'get_weather', input: { city: 'Paris' } }]);
      const sent = tools.bodies.map((b) => JSON.parse(b) as { model?: string; tools?: { function: { name: string } }[]; tool_choice?: unknown });
      assert.equal(sent.length, 1, `${sent.length} upstream requests`);
      assert.equal(sent[0]?.model, 'tooler');
      assert.deepEqual(sent[0]?.tools?.map((t) => t.function.name), ['get_weather']);
      assert.equal(sent[0]?.tool_choice, 'required');

      await tools.close();
      const offline = await callLanguageModel(wb, { vendor: 'smcs', id: 'smcs', messages: [{ role: 'user', content: 'How do I reverse a list?' }] });
      assert.deepEqual(offline.parts, []);
      assertActionable(offline.error?.message, commandLabel('smcs.openSettings'));
    });
  } finally {
    await tools.close().catch(() => undefined);
  }
});

test('no server configured: the call ends with an error naming the command that adds one', async () => {
  await withWorkbench('lm provider no servers', { vscode: CHAT_WORKBENCH, extensions: [await packTestExtension(LM_CALLER)], endpoints: false }, async (wb) => {
    const reply = await callLanguageModel(wb, { vendor: 'smcs', id: 'smcs', messages: [{ role: 'user', content: 'How do I reverse a list?' }] });
    assert.deepEqual(reply.parts, []);
    assert.deepEqual({ name: reply.error?.name, code: reply.error?.code }, { name: 'LanguageModelError', code: 'NotFound' });
    assertActionable(reply.error?.message, commandLabel('smcs.addVllmServer'));
    assert.equal(chatCalls(wb, 0).length, 0);
  });
});

/** The message names the command, in a sentence: no stack trace, no JSON. */
function assertActionable(message: string | undefined, command: string): void {
  assert.ok(message, 'the call ended without an error');
  assert.ok(message.includes(command), `"${message}" does not name ${command}`);
  assert.doesNotMatch(message, /\n\s+at |[{}[\]]/);
}
