/**
 * The team bank from the command line, against a real PostgreSQL server: migrate-schema, import, stats, copy both
 * ways, eval routing from a bank, concurrent writers in separate processes, kill -9 of an import, the read-only role,
 * a stopped server, and the password in no output or file.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir, toJsonl } from '../../../../test/fixtures/bankData';
import { runCli, runCliHere, startCli, type CliOutcome } from '../../../../test/fixtures/cliRun';
import { describePostgres, type PostgresRole } from '../../../../test/fixtures/postgres';
import { profileQuestions, scriptedReply } from '../../../../test/fixtures/profileData';
import { SCHEMA_VERSION } from '../../../bank/team/schema';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../../test/fixtures/loopbackUpstream';
import { writeSyntheticMmluPro } from '../../../bench/mmluProSynth';

const { dir: root, cleanup } = tempDir('smcs-cli-team-');
const home = path.join(root, 'home');
let llm: LoopbackUpstream;
const MODELS = ['good-1', 'half-1', 'bad-1'];
before(async () => {
  llm = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })), defaults: { reply: scriptedReply } });
});
after(async () => {
  await llm.close();
  cleanup();
});

let n = 0;
/** A config naming the bank, the loopback models and the lexical embedder. */
function config(bank: string, userName?: string): string {
  const file = path.join(root, `config-${n++}.json`);
  writeFileSync(file, JSON.stringify({ endpoints: [{ id: 'local', provider: 'vllm', baseUrl: llm.baseUrl, models: MODELS }], embedding: { provider: 'lexical' }, bank, k: 2, n: 1, ...(userName ? { userName } : {}) }));
  return file;
}

/** Questions `t-<from>` … `t-<to - 1>` labelled for `model`, half with reply tokens (the CLI embeds them with the lexical embedder). */
function labelledFile(name: string, from: number, to: number, model: string): string {
  const topics = ['sorting', 'hashing', 'recursion', 'graphs', 'strings', 'pointers', 'closures', 'threads'];
  const records = Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    // Every other label carries its reply's tokens (every fourth of them estimated), as bank JSONL lines may.
    const tokens = i % 2 === 0 ? { tokens: { [model]: { prompt: 100 + i, completion: 7 + (i % 5), ...(i % 4 === 0 ? { estimated: true } : {}) } } } : {};
    return { id: `t-${i}`, question: `team question ${i} about ${topics[i % 8] ?? ''} and ${topics[(i * 7) % 8] ?? ''}`, domain: i % 2 ? 'odd' : 'even', correct: { [model]: i % 3 === 0 ? 1 : 0 } satisfies Record<string, 0 | 1>, ...tokens };
  });
  const file = path.join(root, name);
  writeFileSync(file, toJsonl(records));
  return file;
}

function noPassword(role: PostgresRole, ...outcomes: CliOutcome[]): void {
  for (const o of outcomes) assert.ok(!`${o.stdout}${o.stderr}`.includes(role.password), 'the password appears in no output');
}

/** Every file under `dir` that contains `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true })) {
    const file = path.join(dir, String(entry));
    if (statSync(file).isFile() && readFileSync(file).includes(needle)) found.push(file);
  }
  return found;
}

describePostgres('smcs with a team bank', (server) => {
  const envOf = (role: PostgresRole) => ({ ...server().clientEnv(role), SMCS_HOME: home });

  it('migrate-schema, import, stats with contributors, export, copy both ways (resumable) and eval routing agree with the local bank', async () => {
    const db = await server().createDatabase();
    const env = envOf(db.owner);
    const migrated = await runCliHere(['bank', 'migrate-schema', '--bank', db.owner.url, '--json'], env);
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.deepEqual(JSON.parse(migrated.stdout), { bank: db.owner.url, from: 0, to: SCHEMA_VERSION });
    const file = labelledFile('a.jsonl', 0, 300, 'x');
    const imported = await runCliHere(['bank', 'import', file, '--config', config(db.owner.url, 'alice'), '--json'], env);
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(JSON.parse(imported.stdout).added, 300);
    const stats = await runCliHere(['bank', 'stats', '--bank', db.owner.url], env);
    assert.match(stats.stdout, /contributors: 1: alice \(300 labels, 300 questions/);

    const local = path.join(root, 'copied-bank');
    const out = await runCliHere(['bank', 'copy', '--from', db.owner.url, '--to', local, '--json'], env);
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual([JSON.parse(out.stdout).copied, JSON.parse(out.stdout).skipped], [300, 0]);
    const again = await runCliHere(['bank', 'copy', '--from', db.owner.url, '--to', local, '--json'], env);
    assert.deepEqual([JSON.parse(again.stdout).copied, JSON.parse(again.stdout).skipped], [0, 300], 'a second copy resumes: nothing is copied twice');
    const other = await server().createDatabase();
    await runCliHere(['bank', 'migrate-schema', '--bank', other.owner.url], env);
    const back = await runCliHere(['bank', 'copy', '--from', local, '--to', other.owner.url, '--json'], envOf(other.owner));
    assert.equal(back.code, 0, back.stderr);
    const exports: CliOutcome[] = [];
    for (const bank of [db.owner.url, local, other.owner.url]) exports.push(await runCliHere(['bank', 'export', '--bank', bank], env));
    assert.equal(exports[1]?.stdout, exports[0]?.stdout, 'the folder holds what the team bank holds, embeddings bit for bit, labels with their tokens');
    assert.equal((exports[0]?.stdout.match(/"tokens"/g) ?? []).length, 150, 'the export writes the tokens of every label that has them');
    assert.equal(exports[2]?.stdout, exports[0]?.stdout, 'and so does the team bank copied back from it');

    const evals: CliOutcome[] = [];
    for (const bank of [db.owner.url, local]) evals.push(await runCliHere(['eval', 'routing', '--bank', bank, '--k', '1', '--n-base', '20', '--json'], env));
    const pick = (o?: CliOutcome) => {
      const r = JSON.parse(o?.stdout ?? '{}') as Record<string, number>;
      return [r.n, r.top1, r.anyK, r.rankScore];
    };
    assert.equal(evals[0]?.code, 0, evals[0]?.stderr);
    assert.deepEqual(pick(evals[0]), pick(evals[1]));
    noPassword(db.owner, migrated, imported, stats, out, again, back, ...exports, ...evals);
    assert.deepEqual(filesContaining(root, db.owner.password), [], 'the password is in no file');
  });

  it('MMLU-Pro’s published shape (29 model files) imported into a team bank routes as the same import into a local bank: top-1, any-K and Eq. 8', async () => {
    const db = await server().createDatabase();
    const env = envOf(db.owner);
    await runCliHere(['bank', 'migrate-schema', '--bank', db.owner.url], env);
    const set = path.join(root, 'mmlu-pro');
    await writeSyntheticMmluPro(set, { files: 29, questions: 240, bareStrings: 3, singleOption: { questions: 2, files: 10 } });
    const local = path.join(root, 'mmlu-pro-bank');
    const reports: Record<string, number>[] = [];
    for (const bank of [db.owner.url, local]) {
      const imported = await runCliHere(['bank', 'import', set, '--config', config(bank), '--json'], env);
      assert.equal(imported.code, 0, imported.stderr);
      const routed = await runCliHere(['eval', 'routing', '--bank', bank, '--k', '3', '--n-base', '30', '--json'], env);
      assert.equal(routed.code, 0, routed.stderr);
      const { elapsedMs: _, ...report } = JSON.parse(routed.stdout) as Record<string, number>;
      reports.push(report);
    }
    const [team, folder] = reports.map((r) => ({ n: r.n, top1: r.top1?.toFixed(3), anyK: r.anyK?.toFixed(3), rankScore: r.rankScore?.toFixed(3) }));
    assert.equal(team?.n, 240);
    assert.deepEqual(team, folder);
    assert.deepEqual(reports[0], reports[1], 'and every other figure of the report is the same too');
  });

  it('two imports and a profiling run from separate processes at once lose nothing and double nothing', async () => {
    const db = await server().createDatabase();
    const env = envOf(db.owner);
    await runCli(['bank', 'migrate-schema', '--bank', db.owner.url], env);
    const profileSet = path.join(root, 'profile.jsonl');
    writeFileSync(profileSet, toJsonl(profileQuestions(40)));
    const seeded = await runCli(['bank', 'import', profileSet, '--config', config(db.owner.url)], env);
    assert.equal(seeded.code, 0, seeded.stderr);
    const a = labelledFile('cA.jsonl', 0, 600, 'x');
    const b = labelledFile('cB.jsonl', 300, 900, 'y');
    const runs = [
      startCli(['bank', 'import', a, '--config', config(db.owner.url, 'ann')], env),
      startCli(['bank', 'import', b, '--config', config(db.owner.url, 'ben')], env),
      startCli(['profile', '--config', config(db.owner.url, 'pat'), '--yes', '--concurrency', '4'], env),
    ];
    const outcomes = await Promise.all(runs.map((r) => r.done));
    for (const o of outcomes) assert.equal(o.code, 0, o.stderr);
    const q = (sql: string) => server().psql(sql, { database: db.name }).then((s) => s.trim());
    assert.equal(await q('SELECT count(*) FROM smcs.questions'), '940');
    assert.equal(await q('SELECT count(*) FROM (SELECT id FROM smcs.questions GROUP BY id HAVING count(*) > 1) d'), '0');
    assert.equal(await q('SELECT size FROM smcs.bank'), '940');
    const labels = await q(`SELECT m.name || ':' || count(*) FROM smcs.labels l JOIN smcs.models m USING (model_id) GROUP BY m.name ORDER BY m.name`);
    assert.deepEqual(labels.split('\n'), ['bad-1:40', 'good-1:40', 'half-1:40', 'x:600', 'y:600']);
    assert.equal(await q(`SELECT string_agg(DISTINCT user_name, ',' ORDER BY user_name) FROM smcs.label_rows`), 'ann,ben,pat');
  });

  it('kill -9 of an import leaves the bank as it was', async () => {
    const db = await server().createDatabase();
    const env = envOf(db.owner);
    await runCli(['bank', 'migrate-schema', '--bank', db.owner.url], env);
    await runCli(['bank', 'import', labelledFile('base.jsonl', 0, 50, 'x'), '--config', config(db.owner.url)], env);
    const big = labelledFile('big.jsonl', 1000, 31_000, 'x');
    const run = startCli(['bank', 'import', big, '--config', config(db.owner.url)], env);
    await new Promise<void>((resolve, reject) => {
      run.child.stderr?.on('data', (d: Buffer) => {
        if (d.toString('utf8').includes('writing the bank')) resolve();
      });
      void run.done.then((o) => reject(new Error(`the import ended before the kill: ${o.stderr}`)));
    });
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill('SIGKILL');
    assert.equal((await run.done).signal, 'SIGKILL');
    const q = (sql: string) => server().psql(sql, { database: db.name }).then((s) => s.trim());
    assert.equal(await q('SELECT count(*) FROM smcs.questions'), '50');
    assert.equal(await q('SELECT size FROM smcs.bank'), '50');
    assert.equal(await q('SELECT count(*) FROM smcs.label_rows'), '50');
  });

  it('a read-only role asks with the bank and is refused writes with a clear message; a stopped server lets asks go on without it', async () => {
    const db = await server().createDatabase();
    await runCliHere(['bank', 'migrate-schema', '--bank', db.owner.url], envOf(db.owner));
    await runCliHere(['bank', 'import', path.join(root, 'profile.jsonl'), '--config', config(db.owner.url)], envOf(db.owner));
    await runCliHere(['profile', '--config', config(db.owner.url), '--yes'], envOf(db.owner));
    const reader = envOf(db.reader);
    const refused = await runCliHere(['bank', 'import', labelledFile('ro.jsonl', 0, 5, 'x'), '--config', config(db.reader.url)], reader);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /the role smcs_reader can only read this bank, so it cannot be opened for writing; asking still works/);
    const asked = await runCliHere(['ask', 'Profile question 4: which option names the sorting step?', '--config', config(db.reader.url), '--json'], reader);
    assert.equal(asked.code, 0, asked.stderr);
    const result = JSON.parse(asked.stdout) as { selectionFallback?: string; support: { count: number } };
    assert.equal(result.selectionFallback, undefined, 'the reader routes with the bank');
    assert.ok(result.support.count > 0);

    await server().stop();
    try {
      const down = await runCliHere(['ask', 'Profile question 4: which option names the sorting step?', '--config', config(db.reader.url), '--json'], reader);
      assert.equal(down.code, 0, down.stderr);
      assert.equal((JSON.parse(down.stdout) as { selectionFallback?: string }).selectionFallback, 'bank-unavailable');
      assert.match(down.stderr, new RegExp(`team bank 127\\.0\\.0\\.1:${server().port}/${db.name}: connection refused.*asking without the bank`));
      noPassword(db.reader, refused, asked, down);
    } finally {
      await server().start();
    }
  });
});
