/**
 * Asking with a team bank whose server restarts: an ask whose bank read is cut by the restart goes on without the
 * bank, saying so and naming the bank (never the password), and the next ask routes with the bank again.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { collect, engineConfig, testHooks } from '../../../test/fixtures/askHarness';
import { tempDir } from '../../../test/fixtures/bankData';
import { describePostgres } from '../../../test/fixtures/postgres';
import { profileQuestions, scriptedReply } from '../../../test/fixtures/profileData';
import { migrateBankSchema, openBank } from '../../bank/openBank';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { parseTeamBankUrl } from '../../core/contracts/bankLocation';
import { LexicalEmbedder } from '../../embed/lexical';
import { createEngine } from '../engine';

const MODELS = ['good-1', 'half-1', 'bad-1'];
const QUESTION = 'Profile question 4: which option names the sorting step?';
const { dir, cleanup } = tempDir('smcs-team-ask-');
let llm: LoopbackUpstream;
before(async () => {
  llm = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })), defaults: { reply: scriptedReply } });
});
after(async () => {
  await llm.close();
  cleanup();
});

describePostgres('asking with a team bank whose server restarts', (server) => {
  it('an ask whose bank read the restart cuts goes on without the bank and says which bank; the next ask uses the bank again', async () => {
    const db = await server().createDatabase();
    const password = async () => db.owner.password;
    await migrateBankSchema(db.owner.url, { password });
    const embedder = new LexicalEmbedder();
    const records = profileQuestions(40);
    const vectors = await embedder.embed(records.map((r) => r.question));
    const writer = await openBank(db.owner.url, { embedder: { id: embedder.id, dimension: await embedder.dimension() }, create: true, write: true, password });
    await writer.commit({ add: records.map((r, i) => ({ ...r, embedding: vectors[i] as Float32Array, correct: { 'good-1': 1, 'half-1': i % 2 ? 1 : 0, 'bad-1': 0 } })) });
    await writer.close();

    const log: string[] = [];
    const engine = await createEngine(engineConfig({ baseUrl: llm.baseUrl, models: MODELS, bank: db.owner.url, overrides: { k: 2, n: 1 } }), { ...testHooks(dir, log), bankPassword: password });
    const ask = async () => {
      const events = await collect(engine.ask(QUESTION, { signal: new AbortController().signal }));
      const end = events[events.length - 1];
      assert.equal(end?.type, 'done', JSON.stringify(end));
      return end.result;
    };
    try {
      const first = await ask();
      assert.equal(first.selectionFallback, undefined, 'the first ask routes with the bank');
      assert.ok(first.support.count > 0);

      // An exclusive lock held by the admin makes the next ask's bank read wait; the restart then cuts it.
      const holding = server().psql('BEGIN; LOCK TABLE smcs.questions IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60);', { database: db.name }).catch(() => 'ended by the restart');
      const held = `SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'questions' AND l.mode = 'AccessExclusiveLock' AND l.granted`;
      for (let i = 0; i < 300 && (await server().psql(held, { database: db.name })) === '0'; i++) await new Promise((r) => setTimeout(r, 50));
      const waiting = `SELECT count(*) FROM pg_stat_activity WHERE datname = '${db.name}' AND wait_event_type = 'Lock'`;
      const cut = ask();
      for (let i = 0; i < 300 && (await server().psql(waiting)) === '0'; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(await server().psql(waiting), '1', 'the ask is waiting on the bank');
      // The restart's first act, on the ask's connection alone: a fast shutdown signals every backend at once, and the
      // lock holder could die first and let the ask's read finish before its own signal lands (1 run in 10 on CI).
      assert.equal(await server().psql(`SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${db.name}' AND wait_event_type = 'Lock'`), '1');
      await server().restart();
      assert.equal(await holding, 'ended by the restart');
      const during = await cut;
      assert.equal(during.selectionFallback, 'bank-unavailable', 'the cut ask went on without the bank');
      const display = parseTeamBankUrl(db.owner.url).display;
      const warning = log.find((l) => l.includes('asking without the bank'));
      assert.ok(warning?.includes(`team bank ${display}`), `the log names the bank: ${log.join('\n')}`);
      assert.ok(!log.join('\n').includes(db.owner.password), 'the password appears in no log line');

      const next = await ask();
      assert.equal(next.selectionFallback, undefined, 'the next ask routes with the bank again');
      assert.equal(next.support.count, first.support.count);
    } finally {
      await engine.dispose();
    }
  });
});
