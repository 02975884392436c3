/**
 * An editor whose endpoint is a team server (issue 61 item 4): its engine asks the server's engine once per question —
 * the server's routing and bank, its upstream calls and their billed cost — and shows the server's own events; the
 * workspace context the editor gathered goes with the question; Stop reaches the upstreams; a server that is down is
 * named with its remedy; a choice labels the server's bank and can be taken back. Real HTTP throughout: the openai SDK
 * against `smcs serve` (startServer) over a loopback upstream.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../../core/contracts/config';
import { errorKind, errorMessage } from '../../core/contracts/errors';
import type { AskResult, PipelineEvent } from '../../core/contracts/events';
import type { CallRecord } from '../../core/contracts/types';
import { runAsk } from '../../core/ask/askLoop';
import { tempDir } from '../../../test/fixtures/bankData';
import { testHooks } from '../../../test/fixtures/askHarness';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { listFeedback, openBank } from '../../bank';
import { LexicalEmbedder } from '../../embed/lexical';
import { bankDir, createEngine } from '../engine';
import { ServerEngine, STOP_WAIT_MS } from '../serverEngine';
import { startServer, type RunningServer } from '../../server/server';
import type { Engine, ModelRouter } from '../types';
import { failureLines } from '../../cli/endpointFailure';
import { failureNotice } from '../../presentation/errorHelp';
import { formatUsd } from '../../presentation/format';
import { sendError, serverStopped } from '../../server/errors';

const KEY = 'team-server-engine-key-0123456789';
const MODELS = ['alpha', 'beta', 'agg'];
const PRICE = { prompt: 1, completion: 2 };
/** What the panel and `@smcs` add to a stopped server's own words. */
const STOPPED_HINT = 'Whoever runs it shut it down (perhaps to restart it); nothing in your settings needs to change.';
const temp = tempDir('smcs-server-engine-');
after(() => temp.cleanup());

interface Team {
  upstream: LoopbackUpstream;
  server: RunningServer;
  serverEngine: Engine & ModelRouter;
  storage: string;
  close(): Promise<void>;
}

/** `smcs serve` over a loopback upstream of priced models. */
async function startTeam(name: string, overrides: Record<string, unknown> = {}): Promise<Team> {
  const upstream = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
  upstream.script('alpha', { reply: 'Use a dict: lookups are O(1) on average.' });
  upstream.script('beta', { reply: 'A dict gives O(1) average lookups; a list is O(n).' });
  upstream.script('agg', { reply: (r) => `Synthesis: a dict. (${JSON.stringify(r.body.messages).length} characters read)` });
  const storage = `${temp.dir}/${name}-server`;
  const config = parseConfig({
    endpoints: [{ id: 'upstream', provider: 'vllm', baseUrl: upstream.baseUrl, models: MODELS.map((id) => ({ id, price: PRICE })) }],
    embedding: { provider: 'lexical' },
    aggregator: 'agg',
    k: 2,
    n: 2,
    ...overrides,
  });
  const serverEngine = await createEngine(config, testHooks(storage));
  const server = await startServer({ engine: serverEngine, apiKey: KEY, host: '127.0.0.1', port: 0, maxConcurrent: 4, learnFromChecks: false, log: () => undefined });
  return {
    upstream,
    server,
    serverEngine,
    storage,
    close: async () => {
      await server.close();
      await serverEngine.dispose();
      await upstream.close();
    },
  };
}

/** The editor's engine: one endpoint, marked teamServer, whose key the editor's secret store holds. */
async function editorEngine(name: string, baseUrl: string, key = KEY): Promise<Engine & ModelRouter> {
  const config = parseConfig({ endpoints: [{ id: 'team', provider: 'vllm', baseUrl, teamServer: true, timeoutMs: 5000 }], embedding: { provider: 'lexical' } });
  return createEngine(config, { ...testHooks(`${temp.dir}/${name}-editor`), secrets: { apiKey: async (id) => (id === 'team' ? key : undefined) } });
}

const chatCalls = (upstream: LoopbackUpstream) => upstream.requests.filter((r) => r.path.endsWith('/chat/completions'));

/** One ask through the ask loop as `smcs ask` runs it; its events and the calls heard as they ended. */
async function ask(engine: Engine, question: string, options: { signal?: AbortSignal; attachments?: Parameters<Engine['prepare']>[1]['attachments'] } = {}): Promise<{ events: PipelineEvent[]; calls: CallRecord[]; outcome: Awaited<ReturnType<typeof runAsk>> }> {
  const events: PipelineEvent[] = [];
  const calls: CallRecord[] = [];
  const signal = options.signal ?? new AbortController().signal;
  const outcome = await runAsk(() => engine.prepare(question, { signal, ...(options.attachments ? { attachments: options.attachments } : {}) }), { cost: 'refuse' }, { event: (e) => void events.push(e), call: (c) => void calls.push(c) }, signal);
  return { events, calls, outcome };
}

/**
 * A server that plans as `team`'s does, then answers the ask with `answer`, and a ServerEngine of an editor pointed at
 * it; `close()` ends both.
 */
async function afterPlan(team: Team, name: string, answer: (res: ServerResponse) => void): Promise<{ engine: ServerEngine; close(): Promise<void> }> {
  const plan = await (await fetch(`${team.server.url}/smcs/plans`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ question: 'q?' }) })).text();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => (req.url?.endsWith('/smcs/plans') ? void res.writeHead(200, { 'content-type': 'application/json' }).end(plan) : answer(res)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = parseConfig({ endpoints: [{ id: 'team', provider: 'vllm', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, teamServer: true }] }).endpoints[0];
  assert.ok(endpoint);
  const local = await editorEngine(name, team.server.url);
  return {
    engine: new ServerEngine(local as ConstructorParameters<typeof ServerEngine>[0], endpoint, KEY),
    close: async () => {
      server.close();
      await local.dispose();
    },
  };
}

test('an editor whose endpoint is a team server gets a ServerEngine, whose question is one ask on the server: its referencers, candidates and billed cost', async () => {
  const team = await startTeam('one-ask');
  const editor = await editorEngine('one-ask', team.server.url);
  try {
    assert.ok(editor instanceof ServerEngine);
    const { events, calls, outcome } = await ask(editor, 'Should I use a dict or a list for fast lookups?');
    assert.equal(outcome.type, 'done', JSON.stringify(outcome));
    const result = (outcome as { result: AskResult }).result;
    // One ask: k = 2 referencers and n = 2 aggregations at most, all of them the upstream's own models, none nested.
    const upstreamCalls = chatCalls(team.upstream);
    assert.deepEqual(new Set(upstreamCalls.map((r) => r.model)), new Set(MODELS));
    assert.equal(result.calls.filter((c) => c.stage !== 'embedding').length, upstreamCalls.length);
    assert.deepEqual(result.referencers.map((r) => r.model).sort(), ['alpha', 'beta']);
    assert.ok(result.candidates.length >= 1 && result.candidates.every((c) => c.text.startsWith('Synthesis: a dict.')));
    // The cost shown is the server's: its calls priced at its prices, each heard as it ended.
    const billed = upstreamCalls.reduce((sum, r) => sum + ((r.usage?.prompt_tokens ?? 0) * PRICE.prompt + (r.usage?.completion_tokens ?? 0) * PRICE.completion) / 1e6, 0);
    assert.ok(result.costUsd !== null && Math.abs(result.costUsd - billed) < 1e-9, `${result.costUsd} against ${billed}`);
    assert.equal(calls.length, result.calls.length);
    // The server engine's own events, streamed as they came: references arrive before the candidates are scored.
    const order = events.map((e) => e.type);
    assert.ok(order.indexOf('referencer-done') < order.indexOf('scored') && order.at(-1) === 'done');
    // The editor asked no model itself: every chat request reached the upstream through the server.
    assert.ok(upstreamCalls.every((r) => !String(r.model).startsWith('smcs')));
  } finally {
    await editor.dispose();
    await team.close();
  }
});

test('the context the editor gathered goes with the question: the server’s referencers read the attached code', async () => {
  const team = await startTeam('context');
  const editor = await editorEngine('context', team.server.url);
  try {
    const attachments = [{ source: 'selection' as const, path: 'src/lookup.py', startLine: 3, endLine: 4, tokens: 20, reason: 'selected', text: 'def find(items, key):\n    return key in items  # MARKER-7f3a' }];
    const { outcome } = await ask(editor, 'Why is this lookup slow?', { attachments });
    assert.equal(outcome.type, 'done');
    const referencerPrompts = chatCalls(team.upstream).filter((r) => r.model !== 'agg').map((r) => JSON.stringify(r.body.messages));
    assert.ok(referencerPrompts.length === 2 && referencerPrompts.every((p) => p.includes('MARKER-7f3a')));
    const result = (outcome as { result: AskResult }).result;
    assert.deepEqual(result.context?.map((c) => c.path), ['src/lookup.py']);
  } finally {
    await editor.dispose();
    await team.close();
  }
});

test('Stop ends the ask on the server too: the upstream requests under way are closed, and the run says it was stopped', async () => {
  const team = await startTeam('stop');
  team.upstream.script('alpha', { hang: true });
  team.upstream.script('beta', { hang: true });
  const editor = await editorEngine('stop', team.server.url);
  try {
    const controller = new AbortController();
    const asked = ask(editor, 'Which is faster for membership tests?', { signal: controller.signal });
    while (team.upstream.inFlight().now < 2) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const { outcome } = await asked;
    assert.equal(outcome.type, 'stopped');
    const deadline = Date.now() + 2000;
    while (team.upstream.inFlight().now > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(team.upstream.inFlight().now, 0, 'the server left upstream requests open after the editor stopped');
  } finally {
    await editor.dispose();
    await team.close();
  }
});

test('a team server that is down fails the ask naming the endpoint, its host and that it could not be reached', async () => {
  const team = await startTeam('down');
  const url = team.server.url;
  const editor = await editorEngine('down', url);
  await team.close();
  try {
    const { outcome } = await ask(editor, 'Anything at all?');
    assert.equal(outcome.type, 'failed');
    const error = (outcome as { error: Extract<PipelineEvent, { type: 'error' }> }).error;
    assert.equal(error.kind, 'connection');
    assert.deepEqual(error.endpoints?.map((e) => [e.id, e.host]), [['team', new URL(url).host]]);
  } finally {
    await editor.dispose();
  }
});

test('a wrong team key is refused as a key, naming the endpoint: when the editor starts, and when the key is revoked after', async () => {
  const team = await startTeam('wrong-key');
  const editor = await editorEngine('wrong-key', team.server.url);
  try {
    await assert.rejects(
      editorEngine('wrong-key-start', team.server.url, 'not-the-team-key-000000000'),
      (err: unknown) => errorKind(err) === 'auth' && /endpoint team/.test(errorMessage(err)) && errorMessage(err).includes(`the team server team at ${team.server.url} refused this key`) && !errorMessage(err).includes('cannot take questions'),
    );
    const endpoint = parseConfig({ endpoints: [{ id: 'team', provider: 'vllm', baseUrl: team.server.url, teamServer: true }] }).endpoints[0];
    assert.ok(endpoint);
    const revoked = new ServerEngine(editor as ConstructorParameters<typeof ServerEngine>[0], endpoint, 'not-the-team-key-000000000');
    const { outcome } = await ask(revoked, 'Anything at all?');
    assert.equal(outcome.type, 'failed');
    const error = (outcome as { error: Extract<PipelineEvent, { type: 'error' }> }).error;
    assert.equal(error.kind, 'auth');
    assert.deepEqual(error.endpoints?.map((e) => e.id), ['team']);
    assert.equal(chatCalls(team.upstream).length, 0);
  } finally {
    await editor.dispose();
    await team.close();
  }
});

test('a reply the person chose labels the server’s bank, and taking the choice back leaves it as it was', async () => {
  const team = await startTeam('choice');
  const editor = await editorEngine('choice', team.server.url);
  const feedback = async () => {
    const embedder = new LexicalEmbedder();
    const dir = bankDir(parseConfig({ endpoints: [{ id: 'x', provider: 'vllm', baseUrl: 'http://127.0.0.1:1/v1' }] }), team.storage);
    const bank = await openBank(dir, { embedder: { id: embedder.id, dimension: await embedder.dimension() } });
    try {
      return (await listFeedback(bank)).map((r) => r.correct);
    } finally {
      await bank.close();
    }
  };
  try {
    const learned = await editor.learnFromChoice({ question: 'Dict or list for lookups?', references: [{ model: 'alpha', text: 'Use a dict: lookups are O(1).' }, { model: 'beta', text: 'Use a list.' }], chosen: 'Use a dict: lookups are O(1).' }, { implicit: false });
    assert.equal(learned.outcome, 'added');
    assert.equal(learned.previous, undefined, 'the server sent a bank record of its own');
    assert.deepEqual(await feedback(), [{ alpha: 1, beta: 0 }]);
    await editor.forgetChoice(learned);
    assert.deepEqual(await feedback(), []);
  } finally {
    await editor.dispose();
    await team.close();
  }
});

test('the server refuses a malformed ask naming the field, before anything is asked', async () => {
  const team = await startTeam('bad');
  try {
    const post = (body: unknown) => fetch(`${team.server.url}/smcs/asks`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const empty = await post({ question: '  ' });
    assert.equal(empty.status, 400);
    assert.match(((await empty.json()) as { error: { message: string } }).error.message, /question is empty/);
    const params = await post({ question: 'q', params: { k: 0 } });
    assert.equal(params.status, 400);
    assert.match(((await params.json()) as { error: { message: string; param: string } }).error.param, /^params\.k$/);
    const item = await post({ question: 'q', attachments: [{ source: 'disk', path: 'a', startLine: 1, endLine: 1, tokens: 1, reason: 'r', text: 't' }] });
    assert.equal(item.status, 400);
    assert.match(((await item.json()) as { error: { message: string } }).error.message, /attachments\[0\]\.source/);
    const about = (await (await fetch(`${team.server.url}/smcs`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as { object: string; team: boolean };
    assert.deepEqual(about, { object: 'smcs.server', protocol: 1, team: false });
    assert.equal(chatCalls(team.upstream).length, 0);
  } finally {
    await team.close();
  }
});

test('a team server down when the editor starts is named as the team server that cannot take questions, not as models to list', async () => {
  const team = await startTeam('down-at-start');
  const url = team.server.url;
  await team.close();
  await assert.rejects(editorEngine('down-at-start', url), (err: unknown) => errorKind(err) === 'connection' && errorMessage(err).includes(`the team server team at ${url} cannot take questions until it answers`) && !errorMessage(err).includes('list them in'));
});

test('a team server that stops in the middle of an ask says so in the stream: the member\'s run ends as "the server stopped", with what it had spent', async () => {
  const team = await startTeam('stops');
  team.upstream.script('beta', { hang: true });
  const editor = await editorEngine('stops', team.server.url);
  try {
    const asked = ask(editor, 'Which is faster for membership tests?');
    // alpha's reply is in (a call the server reported), beta's hangs: then the server goes away.
    while (!team.upstream.requests.some((r) => r.model === 'alpha' && r.completedAt !== undefined) || team.upstream.inFlight('beta').now < 1) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    await team.server.close();
    const { outcome, calls } = await asked;
    assert.equal(outcome.type, 'failed', JSON.stringify(outcome));
    const error = (outcome as { error: Extract<PipelineEvent, { type: 'error' }> }).error;
    assert.equal(error.kind, 'server');
    assert.match(error.message, /the SMCS server stopped \(it is shutting down\) before this ask was answered/);
    assert.ok(calls.some((c) => c.model === 'alpha'), 'the call that ended was heard');
    assert.ok(error.spent?.calls.some((c) => c.model === 'alpha'), 'and counted in what the failed ask spent');
    // The words say what: the cost the server reported for the ask's calls, the calls the member heard.
    const heard = calls.reduce((sum, c) => sum + (c.costUsd ?? 0), 0);
    assert.ok(heard > 0 && Math.abs((error.spent?.costUsd ?? 0) - heard) < 1e-12, `${error.spent?.costUsd} against ${heard}`);
    const said = `what its ${calls.length === 1 ? '1 call' : `${calls.length} calls`} cost so far, ${formatUsd(heard)}, is counted; ask again in a moment`;
    assert.ok(error.message.includes(said), error.message);
    // The panel and @smcs say the server's words as a sentence, and that it was shut down, not that it failed.
    assert.deepEqual(failureNotice(error), { text: `The SMCS server stopped (it is shutting down) before this ask was answered: ${said}. ${STOPPED_HINT}`, details: [], actions: [] });
    assert.deepEqual(failureLines(error), [error.message], 'smcs ask says the server\'s words, and nothing against them');
    assert.equal(error.serverStopping, true, 'the stream said so as data, not only in words');
  } finally {
    await editor.dispose();
    await team.close().catch(() => undefined);
  }
});

test('a team server that is stopping refuses the ask before its stream (503 `server_stopping`): the member is told in the server\'s words that nothing is counted, not that it failed', async () => {
  const team = await startTeam('stopping-503');
  // Stopping, it answers the ask as the team server does (server.ts).
  const stopping = await afterPlan(team, 'stopping-503', (res) => sendError(res, serverStopped()));
  try {
    const { outcome } = await ask(stopping.engine, 'q?');
    assert.equal(outcome.type, 'failed', JSON.stringify(outcome));
    const error = (outcome as { error: Extract<PipelineEvent, { type: 'error' }> }).error;
    const words = 'the SMCS server is stopping (it is shutting down) and did not run this request: nothing is counted for it; ask again in a moment';
    assert.deepEqual(failureNotice(error), { text: `The SMCS server is stopping (it is shutting down) and did not run this request: nothing is counted for it; ask again in a moment. ${STOPPED_HINT}`, details: [], actions: [] });
    assert.deepEqual(failureLines(error), [words], 'smcs ask says the server\'s words, and nothing against them');
    assert.deepEqual([error.kind, error.message, error.serverStopping, error.endpoints?.map((e) => e.id)], ['server', words, true, ['team']]);
  } finally {
    await stopping.close();
    await team.close();
  }
});

test('a model endpoint the team server cannot reach is told as the server\'s to mend: named by the id the server gave, never its host, and never the member\'s config', async () => {
  const team = await startTeam('upstream-down');
  const upstreamHost = new URL(team.upstream.baseUrl).host;
  await team.upstream.close();
  const editor = await editorEngine('upstream-down', team.server.url);
  try {
    const { outcome } = await ask(editor, 'Which is faster for membership tests?');
    assert.equal(outcome.type, 'failed', JSON.stringify(outcome));
    const error = (outcome as { error: Extract<PipelineEvent, { type: 'error' }> }).error;
    assert.equal(error.kind, 'connection');
    const server = { id: 'team', host: new URL(team.server.url).host };
    assert.deepEqual(error.endpoints, [{ id: 'upstream', behind: server }]);
    const trouble = `The team server team (${server.host}) could not reach its model endpoint upstream`;
    const mend = "its admin must fix it (that endpoint is in the team server's config, not in yours)";
    const [headline] = failureLines(error);
    assert.equal(headline, `${trouble}: ${mend}.`);
    const notice = failureNotice(error);
    assert.equal(notice.text, `${trouble}. Its admin must fix it (that endpoint is in the team server's config, not in yours).`);
    assert.deepEqual(notice.actions.map((a) => a.label), ['Show Log']);
    for (const said of [headline ?? '', notice.text]) assert.ok(!said.includes(upstreamHost) && !/baseUrl|base URL/.test(said), said);
  } finally {
    await editor.dispose();
    await team.close();
  }
});

test('a stream the server ends cleanly before the answer (no done, no error) is a connection lost, not an internal error', async () => {
  const team = await startTeam('cut-stream');
  // It sends one event of the ask and ends the stream.
  const cutter = await afterPlan(team, 'cut-stream', (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(`data: ${JSON.stringify({ event: { type: 'embed', ms: 1 } })}\n\n`);
  });
  try {
    const { outcome } = await ask(cutter.engine, 'q?');
    assert.equal(outcome.type, 'failed');
    const error = (outcome as { error: Extract<PipelineEvent, { type: 'error' }> }).error;
    assert.equal(error.kind, 'connection');
    assert.match(error.message, /connection lost: the team server at .* ended the ask's stream before its answer/);
    assert.deepEqual(error.endpoints?.map((e) => e.id), ['team']);
  } finally {
    await cutter.close();
    await team.close();
  }
});

test('a team server that never answers the stop: the member\'s run still ends, stopped, within the bound, with what the server had reported', async () => {
  const team = await startTeam('stop-unanswered');
  const plan = await (await fetch(`${team.server.url}/smcs/plans`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ question: 'q?' }) })).text();
  const call: CallRecord = { stage: 'referencer', model: 'alpha', tokens: { prompt: 10, completion: 20 }, costUsd: 0.5, latencyMs: 30, estimated: false };
  const stops: { path: string; auth: string | undefined }[] = [];
  // A server that plans as the team server does, starts the ask (its id, one call), then goes silent, and never answers a stop.
  const silent = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.endsWith('/smcs/plans')) return void res.writeHead(200, { 'content-type': 'application/json' }).end(plan);
      if (req.url?.endsWith('/stop')) return void stops.push({ path: req.url, auth: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ ask: { id: 'silent-ask' } })}\n\n`);
      res.write(`data: ${JSON.stringify({ call })}\n\n`);
    });
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const endpoint = parseConfig({ endpoints: [{ id: 'team', provider: 'vllm', baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`, teamServer: true }] }).endpoints[0];
  const local = await editorEngine('stop-unanswered', team.server.url);
  try {
    assert.ok(endpoint);
    const controller = new AbortController();
    const asked = ask(new ServerEngine(local as ConstructorParameters<typeof ServerEngine>[0], endpoint, KEY), 'q?', { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 300));
    const stoppedAt = Date.now();
    controller.abort();
    const { outcome, calls } = await asked;
    const tookMs = Date.now() - stoppedAt;
    assert.ok(tookMs >= STOP_WAIT_MS - 100 && tookMs < STOP_WAIT_MS + 1500, `ended ${tookMs} ms after the stop (bound ${STOP_WAIT_MS} ms)`);
    assert.deepEqual(stops, [{ path: '/v1/smcs/asks/silent-ask/stop', auth: `Bearer ${KEY}` }], 'the server was told to stop the ask, by its id, with the member\'s key');
    assert.equal(outcome.type, 'stopped');
    const end = (outcome as { error: Extract<PipelineEvent, { type: 'error' }> }).error;
    assert.deepEqual([end.message, end.kind, end.spent?.costUsd], ['Cancelled', 'cancelled', 0.5]);
    assert.deepEqual(calls, [call]);
  } finally {
    silent.closeAllConnections();
    silent.close();
    await local.dispose();
    await team.close();
  }
});

test('Send Anyway on a team server runs the ask whole, as the member chose; without it the server cuts it to its cost limit', async () => {
  // The server's limit fits the referencers and not every aggregation (each reply assumed at maxTokens: no bank, no
  // history yet — each ask below goes to a fresh server, so neither learns reply lengths from the other).
  const limited = { maxTokens: 200, maxCostPerQuestion: 0.0009 };
  const run = async (name: string, policy: Parameters<typeof runAsk>[1]) => {
    const team = await startTeam(name, limited);
    const editor = await editorEngine(name, team.server.url);
    try {
      const signal = new AbortController().signal;
      const outcome = await runAsk(() => editor.prepare('Should I use a dict or a list for fast lookups?', { signal }), policy, { event: () => undefined }, signal);
      assert.equal(outcome.type, 'done', JSON.stringify(outcome).slice(0, 400));
      return { calls: chatCalls(team.upstream).length, waived: outcome.type === 'done' && outcome.sent.waived };
    } finally {
      await editor.dispose();
      await team.close();
    }
  };
  const cut = await run('cut-to-limit', { cost: 'cut' });
  let asked = 0;
  const whole = await run('send-anyway', { cost: 'ask', confirmOverLimit: () => (asked++, Promise.resolve('send')) });
  assert.equal(asked, 1, 'the member was asked, and chose Send Anyway');
  assert.ok(whole.waived);
  assert.equal(whole.calls, 2 + 2, 'both referencers and both aggregations ran on the server');
  assert.ok(cut.calls < whole.calls, `cut to the limit: ${cut.calls} upstream calls`);
});

test('every upstream call is told to the team ledger: a referencer refused before its first byte is a `failed` call at $0, beside the ones paid for', async () => {
  const team = await startTeam('failed-call');
  team.upstream.script('beta', { fail: { status: 400, message: 'the model is not loaded' } });
  try {
    const paid: string[] = [];
    const unpaid: string[] = [];
    const hold = { record: (c: CallRecord) => void paid.push(`${c.stage} ${c.model}`), unpaid: (c: { stage: string; model: string; outcome: string }) => void unpaid.push(`${c.stage} ${c.model} ${c.outcome}`), settle: () => Promise.resolve() };
    const signal = new AbortController().signal;
    const outcome = await runAsk(() => team.serverEngine.prepare('Should I use a dict or a list for fast lookups?', { signal }), { cost: 'cut', admit: () => Promise.resolve(hold) }, { event: () => undefined }, signal);
    assert.equal(outcome.type, 'done', JSON.stringify(outcome).slice(0, 300));
    assert.ok(unpaid.includes('referencer beta failed'), unpaid.join(', '));
    assert.ok(unpaid.every((u) => / (failed|cancelled)$/.test(u)));
    assert.ok(paid.includes('referencer alpha') && paid.some((p) => p.startsWith('aggregation agg')), paid.join(', '));
    // Paid for: exactly the calls the upstream answered — an aggregation drawn again before its first byte (beta's
    // failure redraws the subsets) is a `cancelled` row at $0, not an estimate of a reply no one wrote.
    const upstream = chatCalls(team.upstream);
    assert.equal(paid.filter((p) => p.startsWith('aggregation')).length, upstream.filter((r) => r.model === 'agg').length, `${paid.join(', ')} / ${upstream.map((r) => r.model).join(', ')}`);
    assert.equal(paid.filter((p) => !p.startsWith('embedding')).length + unpaid.filter((u) => u.endsWith('failed')).length, upstream.length);
  } finally {
    await team.close();
  }
});

test('a question about nothing in the workspace, asked through a team server, still says why nothing of it went: the decision line reaches the run', async () => {
  const team = await startTeam('decision-line');
  const editor = await editorEngine('decision-line', team.server.url);
  const root = `${temp.dir}/decision-line-workspace`;
  mkdirSync(root, { recursive: true });
  writeFileSync(`${root}/lookup.py`, 'def find_record(records, record_id):\n    return next(r for r in records if r.id == record_id)\n');
  try {
    const signal = new AbortController().signal;
    const events: PipelineEvent[] = [];
    const outcome = await runAsk(() => editor.prepare('What is the capital of Australia?', { signal, workspace: { root, retrieval: 'auto' } }), { cost: 'refuse' }, { event: (e) => void events.push(e) }, signal);
    assert.equal(outcome.type, 'done', JSON.stringify(outcome).slice(0, 300));
    const retrieve = events.find((e): e is Extract<PipelineEvent, { type: 'retrieve' }> => e.type === 'retrieve');
    assert.deepEqual(retrieve?.context?.items, []);
    assert.ok(retrieve?.context?.notes.some((n) => /^not searched: /.test(n)), JSON.stringify(retrieve?.context));
    assert.ok((outcome as { result: AskResult }).result.contextNotes?.some((n) => /^not searched: /.test(n)));
  } finally {
    await editor.dispose();
    await team.close();
  }
});
