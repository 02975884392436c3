/**
 * What a member's cut calls cost on a team server, against a real PostgreSQL and a loopback upstream that streams
 * slowly: Stop in the editor tells the server to stop the ask by its id and reads on until the server has reported every
 * call, so the stopped run's cost is its ledger rows' (the calls the stop cut included), and only the key that sent an
 * ask may stop it; a call cut mid-reply on an upstream that states its bills (OpenRouter's generation stats) is restated
 * as the upstream billed it, never holding up the server's stop.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../../core/contracts/config';
import type { PipelineEvent } from '../../../core/contracts/events';
import type { CallRecord } from '../../../core/contracts/types';
import { runAsk } from '../../../core/ask/askLoop';
import { createEngine } from '../../../engine/engine';
import { ServerEngine } from '../../../engine/serverEngine';
import type { ServerAskMessage } from '../../../engine/serverProtocol';
import type { Engine, ModelRouter } from '../../../engine/types';
import { startServer, type RunningServer } from '../../server';
import { endpointOfModel } from '../endpointOfModel';
import { learnedTokenScale, usageReport } from '../spendLedger';
import type { TokenScale } from '../../../core/cost/cutTail';
import { TeamDatabase } from '../teamDatabase';
import { TeamGate } from '../teamGate';
import { tempDir } from '../../../../test/fixtures/bankData';
import { runCliHere } from '../../../../test/fixtures/cliRun';
import { testHooks } from '../../../../test/fixtures/askHarness';
import { describePostgres } from '../../../../test/fixtures/postgres';
import { startLoopbackUpstream, type LoopbackUpstream, type RecordedRequest } from '../../../../test/fixtures/loopbackUpstream';

const MODELS = ['m-a', 'm-b', 'agg'];
const PRICE = { prompt: 2, completion: 8 };
const QUESTION = 'Should I use a dict or a list for fast lookups?';
/** 400 words 40 ms apart: a reply that is still streaming 16 s after it began. */
const SLOW = { reply: 'word '.repeat(400), chunkDelayMs: 40 };
const temp = tempDir('smcs-cut-calls-');
after(() => temp.cleanup());

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const chatCalls = (llm: LoopbackUpstream, tag: string): RecordedRequest[] => llm.requests.filter((r) => r.path.endsWith('/chat/completions') && JSON.stringify(r.body.messages ?? []).includes(tag));

/** The `data:` messages of an ask's stream, as they come. */
async function* messages(res: Response): AsyncIterable<ServerAskMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith('data: ') && block !== 'data: [DONE]') yield JSON.parse(block.slice('data: '.length)) as ServerAskMessage;
    }
  }
}

describePostgres('a team server on PostgreSQL', (server) => {
  // A suite of its own inside the server's, so its server and pool are closed before the PostgreSQL server is removed.
  describe('a member\'s stopped ask', () => {
    let db: TeamDatabase;
    let llm: LoopbackUpstream;
    let engine: Engine & ModelRouter;
    let team: RunningServer;
    let dbName = '';
    const psql = (sql: string) => server().psql(sql, { database: dbName });

    before(async () => {
      const created = await server().createDatabase();
      dbName = created.name;
      db = await TeamDatabase.open(created.owner.url, async () => created.owner.password);
      llm = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })), defaults: SLOW });
      const endpoints = [{ id: 'upstream', provider: 'vllm', baseUrl: llm.baseUrl, models: MODELS.map((id) => ({ id, price: PRICE })) }];
      const config = parseConfig({ endpoints, embedding: { provider: 'lexical' }, aggregator: 'agg', k: 2, n: 1 });
      engine = await createEngine(config, testHooks(`${temp.dir}/server`));
      const gate = new TeamGate(db, { endpointOf: endpointOfModel(config.endpoints), log: () => undefined });
      team = await startServer({ engine, apiKey: '', team: gate, host: '127.0.0.1', port: 0, maxConcurrent: 8, learnFromChecks: false, log: () => undefined });
    });
    after(async () => {
      await team.close();
      await engine.dispose();
      await db.close();
      await llm.close();
    });

    /** The ledger rows of `name`'s asks: how many asks, rows and their cost, once no hold of the key is left. */
    const ledgerOf = async (name: string): Promise<{ asks: number; rows: number; usd: number; outcomes: string }> => {
      const held = `SELECT count(*) FROM smcs_team.reservations r JOIN smcs_team.keys k USING (key_id) WHERE k.name = '${name}'`;
      for (let i = 0; i < 100 && (await psql(held)) !== '0'; i++) await pause(50);
      const [asks, rows, usd, outcomes] = (
        await psql(`SELECT count(DISTINCT ask_id) || '|' || count(*) || '|' || coalesce(sum(cost_usd), 0) || '|' || coalesce(string_agg(DISTINCT outcome, ','), '') FROM smcs_team.ledger l JOIN smcs_team.keys k USING (key_id) WHERE k.name = '${name}'`)
      ).split('|');
      return { asks: Number(asks), rows: Number(rows), usd: Number(usd), outcomes: outcomes ?? '' };
    };

    it('Stop in the editor mid-ask: the server ends its calls, and the run ends stopped with what every one of them cost, as the ledger has it', async () => {
      const key = await db.addKey('amy', {});
      const editorConfig = parseConfig({ endpoints: [{ id: 'team', provider: 'vllm', baseUrl: team.url, teamServer: true, timeoutMs: 5000 }], embedding: { provider: 'lexical' } });
      const editor = await createEngine(editorConfig, { ...testHooks(`${temp.dir}/editor`), secrets: { apiKey: async (id) => (id === 'team' ? key : undefined) } });
      try {
        assert.ok(editor instanceof ServerEngine);
        const tag = '[amy stops]';
        const controller = new AbortController();
        const heard: CallRecord[] = [];
        const events: PipelineEvent[] = [];
        const asked = runAsk(() => editor.prepare(`${QUESTION} ${tag}`, { signal: controller.signal }), { cost: 'refuse' }, { event: (e) => void events.push(e), call: (c) => void heard.push(c) }, controller.signal);
        // Both referencers are well into their replies (a word every 40 ms) when the member stops.
        for (let i = 0; i < 200 && chatCalls(llm, tag).length < 2; i++) await pause(25);
        assert.equal(chatCalls(llm, tag).length, 2, 'the ask reached both referencers');
        await pause(600);
        const stoppedAt = Date.now();
        controller.abort();
        const outcome = await asked;
        const tookMs = Date.now() - stoppedAt;
        assert.equal(outcome.type, 'stopped', JSON.stringify(outcome).slice(0, 300));
        const end = (outcome as { error: Extract<PipelineEvent, { type: 'error' }> }).error;
        assert.deepEqual([end.message, end.kind], ['Cancelled', 'cancelled'], 'the same end as a local run stopped');
        assert.equal(events.at(-1), end);
        assert.ok(tookMs < 3000, `the server ended the ask when told (${tookMs} ms), not the client's bound`);
        // The server ended every upstream call of the ask: none is left running, none finished its reply.
        const upstream = chatCalls(llm, tag);
        assert.ok(upstream.every((r) => r.clientClosedAt !== undefined && r.completedAt === undefined), 'every upstream call was ended');
        assert.equal(llm.inFlight().now, 0);
        // What the run shows it cost is the ledger's: the two calls the stop cut, estimated from what they wrote.
        const ledger = await ledgerOf('amy');
        assert.deepEqual([ledger.asks, ledger.rows, ledger.outcomes], [1, upstream.length, 'estimated']);
        assert.equal(end.spent?.calls.length, ledger.rows);
        assert.deepEqual(heard, end.spent?.calls);
        assert.ok(ledger.usd > 0 && Math.abs((end.spent?.costUsd ?? 0) - ledger.usd) < 1e-9, `shown ${end.spent?.costUsd}, ledger ${ledger.usd}`);
      } finally {
        await editor.dispose();
      }
    });

    it('only the key that sent an ask stops it: another key, or an id that is not running, gets 404 and stops nothing', async () => {
      const owner = await db.addKey('ben', {});
      const other = await db.addKey('cat', {});
      const tag = '[ben is stopped]';
      const post = (path: string, key: string, body?: unknown) =>
        fetch(`${team.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const res = await post('/smcs/asks', owner, { question: `${QUESTION} ${tag}` });
      assert.equal(res.status, 200);
      const stream = messages(res)[Symbol.asyncIterator]();
      const first = (await stream.next()).value as ServerAskMessage;
      assert.ok('ask' in first, `the stream begins with the ask's id: ${JSON.stringify(first)}`);
      const id = first.ask.id;
      for (let i = 0; i < 200 && chatCalls(llm, tag).length < 2; i++) await pause(25);

      const refused = await post(`/smcs/asks/${id}/stop`, other);
      assert.equal(refused.status, 404);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'not_found');
      const unknown = await post('/smcs/asks/00000000-0000-0000-0000-000000000000/stop', owner);
      assert.equal(unknown.status, 404);
      await unknown.text();
      await pause(200);
      assert.ok(chatCalls(llm, tag).every((r) => r.clientClosedAt === undefined), 'the ask runs on');

      const stopped = await post(`/smcs/asks/${id}/stop`, owner);
      assert.deepEqual([stopped.status, await stopped.json()], [200, { stopping: true }]);
      const rest: ServerAskMessage[] = [];
      for (let next = await stream.next(); !next.done; next = await stream.next()) rest.push(next.value);
      const end = rest.at(-1);
      assert.ok(end && 'event' in end && end.event.type === 'error' && end.event.kind === 'cancelled', JSON.stringify(end));
      const calls = rest.filter((m): m is { call: CallRecord } => 'call' in m).map((m) => m.call);
      const ledger = await ledgerOf('ben');
      assert.equal(await psql(`SELECT string_agg(DISTINCT ask_id::text, ',') FROM smcs_team.ledger l JOIN smcs_team.keys k USING (key_id) WHERE k.name = 'ben'`), id, 'the id is the ledger\'s ask id');
      assert.equal(calls.length, ledger.rows);
      assert.ok(Math.abs(calls.reduce((s, c) => s + (c.costUsd ?? 0), 0) - ledger.usd) < 1e-9);
      assert.equal(await ledgerOf('cat').then((l) => l.rows), 0);
    });
  });

  describe('a call cut mid-reply on an upstream that states its bills', () => {
    /** OpenRouter's unit: USD per token. */
    const PER_TOKEN = { prompt: 2e-6, completion: 8e-6 };
    let db: TeamDatabase;
    let url = '';
    let env: Record<string, string> = {};
    let llm: LoopbackUpstream;
    let engine: Engine & ModelRouter;
    let gate: TeamGate;
    let team: RunningServer;
    let dbName = '';
    const logs: string[] = [];
    const psql = (sql: string) => server().psql(sql, { database: dbName });

    before(async () => {
      const created = await server().createDatabase();
      dbName = created.name;
      url = created.owner.url;
      env = server().clientEnv(created.owner) as Record<string, string>;
      db = await TeamDatabase.open(url, async () => created.owner.password);
      // The upstream bills a cut reply in full (it went on writing), and states it 300 ms after the reply's connection closed.
      llm = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id, pricing: PER_TOKEN })), defaults: SLOW, generationStats: { delayMs: 300 } });
      const config = parseConfig({ endpoints: [{ id: 'router', provider: 'openrouter', baseUrl: llm.baseUrl, models: MODELS }], embedding: { provider: 'lexical' }, aggregator: 'agg', k: 2, n: 1 });
      engine = await createEngine(config, { ...testHooks(`${temp.dir}/billed`), secrets: { apiKey: async () => 'upstream-key' } });
      gate = new TeamGate(db, {
        endpointOf: endpointOfModel(config.endpoints),
        log: (_level, message) => void logs.push(message),
        statedBill: (model, generation, signal) => engine.statedBill(model, generation, signal),
        statedBillWaitsMs: [200, 400, 800],
      });
      team = await startServer({ engine, apiKey: '', team: gate, host: '127.0.0.1', port: 0, maxConcurrent: 8, learnFromChecks: false, log: () => undefined });
    });
    after(async () => {
      await team.close();
      await gate.drain();
      await engine.dispose();
      await db.close();
      await llm.close();
    });

    it('an ask abandoned mid-reply: a cut call is restated as the upstream billed it in full (`reconciled`), the key\'s spend with it; one whose bill never comes keeps its estimate; smcs usage tells them apart', async () => {
      llm.script('m-b', { ...SLOW, unstatedBill: true });
      const key = await db.addKey('dan', {});
      const tag = '[dan leaves]';
      const controller = new AbortController();
      const asked = fetch(`${team.url}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'smcs', messages: [{ role: 'user', content: `${QUESTION} ${tag}` }] }), signal: controller.signal }).then(
        () => 'answered',
        () => 'abandoned',
      );
      for (let i = 0; i < 200 && chatCalls(llm, tag).length < 2; i++) await pause(25);
      assert.equal(chatCalls(llm, tag).length, 2, 'the ask reached both referencers');
      await pause(600);
      controller.abort();
      assert.equal(await asked, 'abandoned');
      const rows = async () =>
        (await psql(`SELECT l.model || '|' || l.outcome || '|' || l.tokens_in || '|' || l.tokens_out || '|' || l.cost_usd || '|' || coalesce(l.generation, '') FROM smcs_team.ledger l JOIN smcs_team.keys k USING (key_id) WHERE k.name = 'dan' ORDER BY l.model`))
          .split('\n')
          .map((line) => line.split('|'));
      const givenUp = () => logs.some((l) => l.includes('the upstream of m-b did not state what it billed') && l.includes('an ask of dan'));
      for (let i = 0; i < 100 && !((await rows()).some((r) => r[1] === 'reconciled') && givenUp()); i++) await pause(50);
      const [a, b] = await rows();
      const [cutA, cutB] = ['m-a', 'm-b'].map((m) => chatCalls(llm, tag).find((r) => r.model === m));
      assert.ok(a && b && cutA?.usage && cutB, JSON.stringify(await rows()));
      assert.ok(cutA.clientClosedAt !== undefined && cutB.clientClosedAt !== undefined, 'both replies were cut off');
      // m-a's row is what the upstream billed for the whole reply: every token it was scripted to write, at its price.
      const billedA = cutA.usage.prompt_tokens * PER_TOKEN.prompt + cutA.usage.completion_tokens * PER_TOKEN.completion;
      assert.deepEqual(a.slice(0, 4), ['m-a', 'reconciled', String(cutA.usage.prompt_tokens), String(cutA.usage.completion_tokens)]);
      assert.ok(Math.abs(Number(a[4]) - billedA) < 1e-12, `restated at $${a[4]}, billed $${billedA}`);
      assert.equal(a[5], cutA.completionId, 'the row names the reply as the upstream does');
      const asks = llm.requests.filter((r) => r.path === '/v1/generation');
      assert.ok(asks.length >= 2 && asks.every((r) => llm.sentKey(r, 'upstream-key')), 'the bill was asked for, with the endpoint\'s key, again while it was not in');
      // m-b's bill never came: its estimate (what it streamed before the cut) stands.
      assert.deepEqual([b[0], b[1]], ['m-b', 'estimated']);
      assert.ok(Number(b[3]) > 0 && Number(b[3]) < (cutB.usage?.completion_tokens ?? 0), `estimated ${b[3]} of the ${cutB.usage?.completion_tokens} tokens billed`);
      // The key's spend is its rows, the restated one at its bill.
      const spent = (await db.listKeys()).find((k) => k.name === 'dan')?.spentUsd ?? 0;
      assert.ok(Math.abs(spent - (Number(a[4]) + Number(b[4]))) < 1e-12, `spent ${spent}`);
      const [line] = await usageReport(db, 'key', new Date(Date.now() - 3_600_000), (await db.pool.query<{ key_id: number }>(`SELECT key_id FROM smcs_team.keys WHERE name = 'dan'`)).rows[0]?.key_id);
      assert.deepEqual([line?.calls, line?.estimated, line?.reconciled], [2, 1, 1]);
      const out = await runCliHere(['usage', '--by', 'key', '--database', url], env);
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, /^dan: \$[\d.]+; 1 asks, 2 calls, \d+\+\d+ tokens; cut mid-reply: 1 estimated, 1 as their upstream billed them$/m);
    });

    it('a bill still being asked for when the server stops is not waited for: the stop ends the lookup and the estimate stands', async () => {
      const key = await db.addKey('eli', {});
      const member = await gate.authenticate(`Bearer ${key}`);
      let asked = 0;
      const slow = new TeamGate(db, { endpointOf: () => 'router', log: () => undefined, statedBill: () => (asked++, Promise.resolve({ costUsd: 1, tokens: { prompt: 1, completion: 1 } })), statedBillWaitsMs: [60_000] });
      const askId = '11111111-1111-4111-8111-111111111111';
      const hold = await slow.admit(member, 0, askId);
      hold.record({ stage: 'referencer', model: 'm-a', tokens: { prompt: 10, completion: 5 }, costUsd: 0.001, latencyMs: 40, outcome: 'estimated', generation: 'gen-eli' });
      await hold.settle([]);
      const stoppedAt = Date.now();
      await slow.drain();
      assert.ok(Date.now() - stoppedAt < 1000, `drained in ${Date.now() - stoppedAt} ms`);
      assert.equal(asked, 0);
      assert.equal(await psql(`SELECT outcome || '|' || cost_usd || '|' || generation FROM smcs_team.ledger WHERE ask_id = '${askId}'`), 'estimated|0.001|gen-eli');
    });
  });
  describe('a call cut mid-reply on an upstream that does not state its bills', () => {
    /** USD per million tokens, as the config gives prices. */
    const PRICE_M = { prompt: 2, completion: 8 };
    let db: TeamDatabase;
    let llm: LoopbackUpstream;
    let dbName = '';
    const psql = (sql: string) => server().psql(sql, { database: dbName });
    const running: { team: RunningServer; engine: Engine & ModelRouter }[] = [];

    before(async () => {
      const created = await server().createDatabase();
      dbName = created.name;
      db = await TeamDatabase.open(created.owner.url, async () => created.owner.password);
      llm = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
    });
    after(async () => {
      for (const { team, engine } of running) {
        await team.close();
        await engine.dispose();
      }
      await db.close();
      await llm.close();
    });

    /** A team server on a plain OpenAI-style endpoint (no stated bills) of the loopback upstream, `endpoint` added to it. */
    const serve = async (name: string, endpoint: object, params: object, tokenScale?: TokenScale): Promise<RunningServer> => {
      const endpoints = [{ id: 'upstream', provider: 'openai', baseUrl: llm.baseUrl, apiKeyEnv: 'SMCS_CUT_TAIL_TEST_KEY', models: MODELS.map((id) => ({ id, price: PRICE_M })), ...endpoint }];
      const config = parseConfig({ endpoints, embedding: { provider: 'lexical' }, aggregator: 'agg', k: 2, kDrop: 0, n: 1, ...params });
      const engine = await createEngine(config, { ...testHooks(`${temp.dir}/${name}`), secrets: { apiKey: async () => 'upstream-key' } }, tokenScale ? { tokenScale } : {});
      const gate = new TeamGate(db, { endpointOf: endpointOfModel(config.endpoints), log: () => undefined });
      const team = await startServer({ engine, apiKey: '', team: gate, host: '127.0.0.1', port: 0, maxConcurrent: 8, learnFromChecks: false, log: () => undefined });
      running.push({ team, engine });
      return team;
    };

    /**
     * `name` asks on `team` and leaves `cutAfterMs` after m-b began its reply (m-a has answered); once the upstream has
     * stopped generating m-b's reply and billed it, m-b's row and the bill, in tokens and USD.
     */
    const abandon = async (team: RunningServer, name: string, cutAfterMs: number) => {
      const key = await db.addKey(name, {});
      const tag = `[${name} leaves]`;
      const controller = new AbortController();
      const asked = fetch(`${team.url}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'smcs', messages: [{ role: 'user', content: `${QUESTION} ${tag}` }] }), signal: controller.signal }).then(
        () => 'answered',
        () => 'abandoned',
      );
      const cut = () => chatCalls(llm, tag).find((r) => r.model === 'm-b');
      for (let i = 0; i < 200 && cut() === undefined; i++) await pause(10);
      await pause(cutAfterMs);
      controller.abort();
      assert.equal(await asked, 'abandoned');
      for (let i = 0; i < 200 && cut()?.usage === undefined; i++) await pause(25);
      const call = cut();
      assert.ok(call?.usage && call.clientClosedAt !== undefined, 'the upstream billed m-b\'s reply, cut off');
      const row = async () => (await psql(`SELECT l.outcome || '|' || l.tokens_in || '|' || l.tokens_out || '|' || l.cost_usd FROM smcs_team.ledger l JOIN smcs_team.keys k USING (key_id) WHERE k.name = '${name}' AND l.model = 'm-b'`)).split('|');
      for (let i = 0; i < 100 && (await row()).length < 4; i++) await pause(50);
      const [outcome, tokensIn, tokensOut, usd] = await row();
      const billedUsd = (call.usage.prompt_tokens * PRICE_M.prompt + call.usage.completion_tokens * PRICE_M.completion) / 1e6;
      const figures = `m-b estimated ${tokensIn}+${tokensOut} tokens $${usd}; the upstream billed ${call.usage.prompt_tokens}+${call.usage.completion_tokens} tokens $${billedUsd}`;
      process.stderr.write(`[cut tail] ${name}: ${figures}\n`);
      return { outcome, tokensOut: Number(tokensOut), usd: Number(usd), billedOut: call.usage.completion_tokens, billedUsd, figures };
    };

    it('an upstream that writes on for a while after the close, at its pace, and bills every token: the estimated row counts what it wrote meanwhile, within 10 % of its bill', async () => {
      // m-a answers at once (its usage calibrates the ask's estimates); m-b writes a word every 40 ms, and goes on for
      // 1.5 s after its connection closed, as this endpoint's cutTailMs says.
      llm.script('m-a', { reply: 'word '.repeat(40) });
      llm.script('m-b', { reply: 'word '.repeat(300), chunkDelayMs: 40, writesOnAfterClose: 1500 });
      const team = await serve('writes-on', { cutTailMs: 1500 }, {});
      const cut = await abandon(team, 'finn', 1000);
      assert.equal(cut.outcome, 'estimated');
      assert.ok(cut.billedOut >= 60, `the upstream wrote a second of reply, then 1.5 s more (25 tokens a second): ${cut.billedOut} tokens`);
      assert.ok(Math.abs(cut.tokensOut - cut.billedOut) <= 0.1 * cut.billedOut, cut.figures);
      assert.ok(Math.abs(cut.usd - cut.billedUsd) <= 0.1 * cut.billedUsd, cut.figures);
    });

    it("a server started again scales its first cut calls as the ledger's last reported calls counted tokens, not at the estimate's 3 characters a token", async () => {
      // An upstream whose tokens are long words (11 characters): the estimate's 3 characters a token counts 3.7 times as many.
      const dense = 'dictionary '.repeat(40);
      for (const m of MODELS) llm.script(m, { reply: dense });
      // A whole ask on the first server: its rows keep how the upstream counted against the estimate. The ledger holds
      // only this test's calls (the earlier tests' upstream counted otherwise).
      await psql('DELETE FROM smcs_team.ledger');
      const first = await serve('scale-first', { cutTailMs: 0 }, {});
      const key = await db.addKey('hal', {});
      const whole = await fetch(`${first.url}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'smcs', messages: [{ role: 'user', content: `${QUESTION} [hal whole]` }] }) });
      assert.equal(whole.status, 200, await whole.clone().text());
      await whole.text();
      for (let i = 0; i < 100 && Number(await psql(`SELECT count(*) FROM smcs_team.ledger l JOIN smcs_team.keys k USING (key_id) WHERE k.name = 'hal'`)) < 3; i++) await pause(50);
      assert.equal(await psql(`SELECT count(*) FROM smcs_team.ledger WHERE outcome = 'ok' AND text_tokens_out > 2 * tokens_out`), '3', 'each reported row keeps its text estimate beside the count');

      // Servers started afresh (nothing in memory): one from the ledger, one without it. Every reply of their asks is cut
      // mid-stream (a word every 40 ms, the member gone after a second), so no call of the ask reports its usage.
      const learned = await learnedTokenScale(db);
      assert.equal(learned.calls, 3);
      assert.ok(learned.scale.ratios.completion < 0.35, `learned ${JSON.stringify(learned.scale.ratios)}`);
      // The upstream stops at the close and bills what it generated (and the servers count no tail: cutTailMs 0).
      for (const m of MODELS) llm.script(m, { reply: 'dictionary '.repeat(300), chunkDelayMs: 40, writesOnAfterClose: 0 });
      const restarted = await abandon(await serve('scale-restarted', { cutTailMs: 0 }, {}, learned.scale), 'ida', 1000);
      const fresh = await abandon(await serve('scale-fresh', { cutTailMs: 0 }, {}), 'jon', 1000);
      assert.equal(restarted.outcome, 'estimated');
      assert.ok(Math.abs(restarted.tokensOut - restarted.billedOut) <= 0.1 * restarted.billedOut, restarted.figures);
      assert.ok(Math.abs(restarted.usd - restarted.billedUsd) <= 0.1 * restarted.billedUsd, restarted.figures);
      // Without the ledger's word, the first cut call is counted at 3 characters a token: far above the bill.
      assert.ok(fresh.tokensOut > 2 * fresh.billedOut, fresh.figures);
    });

    it('an upstream that never notices the close writes its whole reply, which max_tokens ends, and bills it all: the default tail (2 s) reaches max_tokens, within 10 % of its bill', async () => {
      llm.script('m-a', { reply: 'word '.repeat(40) });
      llm.script('m-b', { reply: 'word '.repeat(300), chunkDelayMs: 40, enforceMaxTokens: true, writesOnAfterClose: Infinity });
      // 60 tokens a reply: m-b's takes 2.4 s, 1.4 s of it after the member left.
      const team = await serve('never-notices', {}, { maxTokens: 60 });
      const cut = await abandon(team, 'gil', 1000);
      assert.equal(cut.outcome, 'estimated');
      assert.equal(cut.billedOut, 60, 'billed its whole reply, to max_tokens');
      assert.ok(Math.abs(cut.tokensOut - cut.billedOut) <= 0.1 * cut.billedOut, cut.figures);
      assert.ok(Math.abs(cut.usd - cut.billedUsd) <= 0.1 * cut.billedUsd, cut.figures);
    });
  });
});
