/**
 * What a member of a team server is told, and what Send Anyway runs, against a real PostgreSQL and a priced loopback
 * upstream, through `smcs ask` (in this process) and the run state the panel and `@smcs` read: the key's rate limit
 * (the server's wait, its admin's limit — never maxConcurrency), a server stopped mid-ask (what its calls cost, the
 * ledger's figure), and Send Anyway from the CLI (`--max-cost` above the server's limit: the ask runs whole, and
 * `smcs usage` is what the upstream billed).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../../core/contracts/config';
import type { PipelineEvent } from '../../../core/contracts/events';
import { runAsk } from '../../../core/ask/askLoop';
import { createEngine } from '../../../engine/engine';
import type { Engine, ModelRouter } from '../../../engine/types';
import { failureNotice } from '../../../presentation/errorHelp';
import { formatUsd } from '../../../presentation/format';
import { createRun, reduceRun } from '../../../presentation/runState';
import { startServer, type RunningServer } from '../../server';
import { endpointOfModel } from '../endpointOfModel';
import { TeamDatabase } from '../teamDatabase';
import { TeamGate } from '../teamGate';
import { tempDir } from '../../../../test/fixtures/bankData';
import { runCliHere } from '../../../../test/fixtures/cliRun';
import { testHooks } from '../../../../test/fixtures/askHarness';
import { describePostgres } from '../../../../test/fixtures/postgres';
import { startLoopbackUpstream, type LoopbackUpstream, type RecordedRequest } from '../../../../test/fixtures/loopbackUpstream';

const MODELS = ['m-a', 'm-b', 'agg'];
/** USD per million tokens, as the config gives prices. */
const PRICE = { prompt: 2, completion: 8 };
const QUESTION = 'Should I use a dict or a list for fast lookups?';
const temp = tempDir('smcs-member-told-');
after(() => temp.cleanup());

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const chatCalls = (llm: LoopbackUpstream, tag: string): RecordedRequest[] => llm.requests.filter((r) => r.path.endsWith('/chat/completions') && JSON.stringify(r.body.messages ?? []).includes(tag));
/** What the upstream billed for `requests`, at the models' price. */
const billedUsd = (requests: readonly RecordedRequest[]): number => requests.reduce((sum, r) => sum + ((r.usage?.prompt_tokens ?? 0) * PRICE.prompt + (r.usage?.completion_tokens ?? 0) * PRICE.completion) / 1e6, 0);

describePostgres('a member of a team server on PostgreSQL', (server) => {
  describe('what the member is told', () => {
    let db: TeamDatabase;
    let url = '';
    let dbName = '';
    let llm: LoopbackUpstream;
    const running: { team: RunningServer; engine: Engine & ModelRouter; gate: TeamGate }[] = [];
    const psql = (sql: string) => server().psql(sql, { database: dbName });

    before(async () => {
      const created = await server().createDatabase();
      dbName = created.name;
      url = created.owner.url;
      db = await TeamDatabase.open(url, async () => created.owner.password);
      llm = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })), defaults: { reply: 'Use a dict: a lookup is O(1) on average.' } });
    });
    after(async () => {
      for (const { team, engine, gate } of running) {
        await team.close();
        await engine.dispose();
        await gate.drain();
      }
      await db.close();
      await llm.close();
    });

    /** A team server over the priced loopback upstream; `params` change its config. */
    const serve = async (name: string, params: object = {}): Promise<RunningServer> => {
      const endpoints = [{ id: 'upstream', provider: 'vllm', baseUrl: llm.baseUrl, models: MODELS.map((id) => ({ id, price: PRICE })) }];
      const config = parseConfig({ endpoints, embedding: { provider: 'lexical' }, aggregator: 'agg', k: 2, kDrop: 0, n: 1, ...params });
      const engine = await createEngine(config, testHooks(`${temp.dir}/${name}`));
      const gate = new TeamGate(db, { endpointOf: endpointOfModel(config.endpoints), log: () => undefined });
      const team = await startServer({ engine, apiKey: '', team: gate, host: '127.0.0.1', port: 0, maxConcurrent: 8, learnFromChecks: false, log: () => undefined });
      running.push({ team, engine, gate });
      return team;
    };

    /** The member's config: the team server as the engine, the key from the environment. */
    const memberConfig = (name: string, team: RunningServer): string => {
      const file = path.join(temp.dir, `${name}-member.json`);
      writeFileSync(file, JSON.stringify({ endpoints: [{ id: 'team', provider: 'openai', baseUrl: team.url, teamServer: true, apiKeyEnv: 'SMCS_MEMBER_TOLD_KEY', timeoutMs: 5000 }], embedding: { provider: 'lexical' } }));
      return file;
    };
    const memberAsk = (name: string, team: RunningServer, key: string, ...args: string[]) =>
      runCliHere(['ask', ...args, '--config', memberConfig(name, team)], { SMCS_MEMBER_TOLD_KEY: key, SMCS_HOME: path.join(temp.dir, `${name}-home`) });

    /** The headline the panel and `@smcs` show for a failed run of the member's editor on `team` (the run state's error). */
    const panelHeadline = async (name: string, team: RunningServer, key: string, question: string): Promise<string> => {
      const config = parseConfig({ endpoints: [{ id: 'team', provider: 'openai', baseUrl: team.url, teamServer: true, timeoutMs: 5000 }], embedding: { provider: 'lexical' } });
      const editor = await createEngine(config, { ...testHooks(`${temp.dir}/${name}-editor`), secrets: { apiKey: async (id) => (id === 'team' ? key : undefined) } });
      try {
        let run = createRun('r1', question, 0);
        const signal = new AbortController().signal;
        const outcome = await runAsk(() => editor.prepare(question, { signal }), { cost: 'ask', confirmOverLimit: () => Promise.resolve('send') }, { event: (event: PipelineEvent) => void (run = reduceRun(run, { type: 'event', event, at: 1 })) }, signal);
        assert.equal(outcome.type, 'failed', JSON.stringify(outcome).slice(0, 300));
        assert.ok(run.error, 'the run state holds the failure');
        return failureNotice(run.error).text;
      } finally {
        await editor.dispose();
      }
    };

    it("a key over its requests per minute is told the server's wait and that the team server's admin sets the rate — in smcs ask, the panel and @smcs alike, never maxConcurrency", async () => {
      const team = await serve('rate');
      const key = await db.addKey('rae', { rpm: 1 });
      // The key's one ask of the minute: admitted (its id comes first), then left.
      const first = new AbortController();
      const res = await fetch(`${team.url}/smcs/asks`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ question: `${QUESTION} [rae 1]` }), signal: first.signal });
      assert.equal(res.status, 200);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let read = '';
      for (let chunk = await reader.read(); !chunk.done && !read.includes('data: {"ask":'); chunk = await reader.read()) read += new TextDecoder().decode(chunk.value);
      assert.match(read, /data: \{"ask":/);
      first.abort();

      const out = await memberAsk('rate', team, key, `${QUESTION} [rae 2]`);
      assert.equal(out.code, 1);
      const host = new URL(team.url).host;
      const [headline, detail] = out.stderr.split('\n');
      const wait = /try again in (\d+) s;/.exec(headline ?? '')?.[1];
      assert.ok(wait !== undefined && Number(wait) > 0 && Number(wait) <= 60, headline);
      const advice = `try again in ${wait} s; the team server's admin limits your key's request rate, and nothing in your settings changes it`;
      assert.equal(headline, `smcs: Endpoint team (${host}) asked to slow down (rate limited): ${advice}.`);
      // The server's own words are under it.
      assert.match(detail ?? '', /the key of rae may make 1 requests a minute, on all servers together; try again in \d+ s/);
      assert.doesNotMatch(out.stderr, /maxConcurrency|wait a moment/);

      const shown = await panelHeadline('rate', team, key, `${QUESTION} [rae 3]`);
      const again = /Try again in (\d+) s;/.exec(shown)?.[1];
      assert.equal(shown, `Endpoint team (${host}) asked to slow down (rate limited). Try again in ${again} s; the team server's admin limits your key's request rate, and nothing in your settings changes it.`);
      assert.doesNotMatch(shown, /maxConcurrency|Wait a moment/);
    });

    it('a team server stopped mid-ask: smcs ask says what the ask\'s calls cost, the figure of its ledger rows', async () => {
      const team = await serve('stopping');
      const key = await db.addKey('stan', {});
      const tag = '[stan is stopped]';
      // Both referencers are still writing (a word every 40 ms) when the server stops.
      for (const m of ['m-a', 'm-b']) llm.script(m, { reply: 'word '.repeat(400), chunkDelayMs: 40 });
      try {
        const asked = memberAsk('stopping', team, key, `${QUESTION} ${tag}`);
        for (let i = 0; i < 200 && chatCalls(llm, tag).length < 2; i++) await pause(25);
        assert.equal(chatCalls(llm, tag).length, 2, 'the ask reached both referencers');
        await pause(600);
        const stopping = running.find((r) => r.team === team);
        await team.close();
        await stopping?.gate.drain();
        const out = await asked;
        assert.equal(out.code, 1);
        const [rows, usd] = (await psql(`SELECT count(*) || '|' || coalesce(sum(cost_usd), 0) FROM smcs_team.ledger l JOIN smcs_team.keys k USING (key_id) WHERE k.name = 'stan'`)).split('|').map(Number);
        assert.equal(rows, 2, 'both cut calls have their row');
        assert.ok((usd ?? 0) > 0);
        assert.match(out.stderr, new RegExp(`^smcs: the SMCS server stopped \\(it is shutting down\\) before this ask was answered: what its 2 calls cost so far, ≈${formatUsd(usd ?? 0).replace('$', '\\$')}, is counted; ask again in a moment$`, 'm'));
      } finally {
        for (const m of ['m-a', 'm-b']) llm.script(m, {});
      }
    });

    it('Send Anyway from the CLI (--max-cost above the server\'s limit): the ask runs whole on the server, and smcs usage is what the upstream billed', async () => {
      // The server's limit fits the referencers and not every aggregation (each reply assumed at maxTokens, nothing learned yet).
      const team = await serve('anyway', { k: 2, kDrop: 1, n: 2, maxTokens: 200, maxCostPerQuestion: 0.0009 });
      const key = await db.addKey('sue', {});
      const tag = '[sue sends anyway]';
      const refused = await memberAsk('anyway', team, key, `${QUESTION} ${tag} 1`);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /above the team server's limit \(its admin sets it\), \$0\.0009/, 'the limit named is the server\'s, not a setting of the member\'s');
      assert.doesNotMatch(refused.stderr, /maxCostPerQuestion/);
      const raise = /pass --max-cost ([\d.]+) to send it anyway/.exec(refused.stderr)?.[1];
      assert.ok(raise !== undefined, refused.stderr);
      assert.equal(chatCalls(llm, tag).length, 0, 'nothing was sent');

      const out = await memberAsk('anyway', team, key, `${QUESTION} ${tag} 2`, '--max-cost', raise, '--json');
      assert.equal(out.code, 0, out.stderr);
      const result = JSON.parse(out.stdout) as { costUsd: number; candidates: unknown[]; referencers: unknown[] };
      const upstream = chatCalls(llm, tag);
      assert.equal(upstream.length, 2 + 2, 'both referencers and both aggregations ran: the ask was not cut to the server\'s limit');
      assert.equal(result.candidates.length, 2);
      // The figures: what the run shows, the ledger, smcs usage and the upstream's bill agree.
      const billed = billedUsd(upstream);
      assert.ok(Math.abs(result.costUsd - billed) < 1e-12, `shown ${result.costUsd}, billed ${billed}`);
      const usage = await runCliHere(['usage', '--by', 'key', '--database', url, '--json'], server().clientEnv() as Record<string, string>);
      assert.equal(usage.code, 0, usage.stderr);
      const line = (JSON.parse(usage.stdout) as { usage: { group: string; asks: number; calls: number; costUsd: number; estimated: number }[] }).usage.find((l) => l.group === 'sue');
      assert.ok(line, usage.stdout);
      assert.deepEqual([line.asks, line.calls, line.estimated], [1, 4, 0]);
      assert.ok(Math.abs(line.costUsd - billed) < 1e-12, `smcs usage ${line.costUsd}, billed ${billed}`);
    });
  });
});
