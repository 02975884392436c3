/** The team bank against a real PostgreSQL server: the store contract, attribution, the vector index, roles and faults. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { bankContract, contractQuestions } from '../../../../test/fixtures/bankContract';
import { describePostgres, type PostgresRole, type PostgresServer } from '../../../../test/fixtures/postgres';
import { randomUnitVectors } from '../../../bench/retrievalBench';
import { parseTeamBankUrl } from '../../../core/contracts/bankLocation';
import { scanSupport } from '../../../core/routing/rps';
import { BankReadOnlyError, BankSchemaError, BankUnavailableError } from '../../errors';
import { checkBankSchema, migrateBankSchema, openBank } from '../../openBank';
import { openPool } from '../connection';
import { TeamBank } from '../teamBank';
import { MIGRATIONS, SCHEMA_VERSION } from '../schema';
import { ensureVectorIndex } from '../vectorIndex';

const EMBEDDER = { id: 'test:contract-8', dimension: 8 };

/** A fresh database with the SMCS schema; returns the owner's URL. */
async function freshBank(server: PostgresServer): Promise<{ url: string; readerUrl: string; database: string }> {
  const db = await server.createDatabase();
  await migrateBankSchema(db.owner.url, { password: async () => db.owner.password });
  return { url: db.owner.url, readerUrl: db.reader.url, database: db.name };
}

const as = (role: PostgresRole) => ({ password: async () => role.password });

describePostgres('the team bank keeps the bank contract', (server) => {
  bankContract(() => ({ fresh: async () => (await freshBank(server())).url, access: as(server().owner) }));
});

describePostgres('the team bank: attribution, derived labels, the vector index, roles', (server) => {
  it('keeps every person’s rows; the label RPS uses is the latest graded one, else the majority of choices (a tie: the latest)', async () => {
    const { url, database } = await freshBank(server());
    const owner = as(server().owner);
    const open = (user: string) => openBank(url, { embedder: EMBEDDER, create: true, write: true, user, ...owner });
    const alice = await open('alice');
    await alice.commit({ add: contractQuestions(2).map((q) => ({ ...q, correct: {} })), origin: { via: 'import' } });
    await alice.commit({ labels: [{ id: 'q-0', model: 'm', correct: 1 }], origin: { via: 'import' } });
    const bob = await open('bob');
    await bob.commit({ labels: [{ id: 'q-0', model: 'm', correct: 0 }], origin: { via: 'profile' } });
    const label = async (id: string) => (await bob.lookup([id])).get(id)?.correct?.m;
    assert.equal(await label('q-0'), 0, 'the latest graded label wins');
    await alice.commit({ labels: [{ id: 'q-0', model: 'm', correct: 1 }], origin: { via: 'import' } });
    assert.equal(await label('q-0'), 1, 'a re-import is the latest graded label again');
    for (const [user, vote, expected] of [['carol', 1, 1], ['dave', 0, 0], ['erin', 1, 1], ['dave', 1, 1], ['carol', 0, 1], ['frank', 0, 0]] as const) {
      await bob.commit({ labels: [{ id: 'q-1', model: 'm', correct: vote }], origin: { via: 'choice', user } });
      assert.equal(await label('q-1'), expected, `after ${user} chose ${vote}`);
    }
    await bob.commit({ labels: [{ id: 'q-0', model: 'm', correct: 0 }], origin: { via: 'choice', user: 'carol' } });
    assert.equal(await label('q-0'), 1, 'a choice does not override a graded label');
    const rows = await server().psql(`SELECT user_name || ':' || via || ':' || correct FROM smcs.label_rows ORDER BY question_seq, user_name, via`, { database });
    assert.deepEqual(rows.trim().split('\n'), ['alice:import:1', 'bob:profile:0', 'carol:choice:0', 'carol:choice:0', 'dave:choice:1', 'erin:choice:1', 'frank:choice:0']);
    const stats = await bob.statistics();
    assert.deepEqual(stats.contributors?.map((c) => [c.user, c.labels, c.questions]), [['alice', 1, 2], ['bob', 1, 0], ['carol', 2, 0], ['dave', 1, 0], ['erin', 1, 0], ['frank', 1, 0]]);
    await alice.close();
    await bob.close();
  });

  it('above the index threshold the IVFFlat index answers with the exact support set, and is built again with more lists when the bank has doubled', async () => {
    const { url } = await freshBank(server());
    const location = parseTeamBankUrl(url);
    const bank = await TeamBank.open(location, { embedder: { id: 'test:ivf', dimension: 16 }, create: true, write: true, ...as(server().owner) }, { indexFrom: 500 });
    const exact = await TeamBank.open(location, { embedder: { id: 'test:ivf', dimension: 16 }, ...as(server().owner) }, { search: 'exact' });
    const vectorIndexes = () =>
      server().psql(`SELECT c.relname || ' ' || coalesce(array_to_string(c.reloptions, ','), '') FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam WHERE a.amname IN ('ivfflat', 'hnsw')`, {
        database: location.database,
      });
    try {
      const vectors = randomUnitVectors(3000, 16, 3);
      const questions = Array.from({ length: 3000 }, (_, i) => ({ id: `v-${i}`, question: `v ${i}`, embedding: vectors.subarray(i * 16, (i + 1) * 16), correct: { a: (i % 2) as 0 | 1 } }));
      await bank.commit({ add: questions.slice(0, 400) });
      assert.equal(await vectorIndexes(), '', 'no index below the threshold');
      await bank.commit({ add: questions.slice(400, 1000) });
      assert.equal(await vectorIndexes(), 'questions_embedding_ivfflat lists=1');
      await bank.commit({ add: questions.slice(1000, 1500) });
      assert.equal(await vectorIndexes(), 'questions_embedding_ivfflat lists=1', 'kept until the bank has doubled');
      await bank.commit({ add: questions.slice(1500) });
      assert.equal(await vectorIndexes(), 'questions_embedding_ivfflat lists=3', 'built again for 3000 questions, and only one index');
      const queries = randomUnitVectors(8, 16, 99);
      for (let k = 0; k < 8; k++) {
        const query = queries.subarray(k * 16, (k + 1) * 16);
        const request = { nBase: 100, gamma: 0.95, models: ['a'] };
        const [indexed, scanned] = [await bank.supportSet(query, request), await exact.supportSet(query, request)];
        const sims = Array.from({ length: 3000 }, (_, i) => vectors.subarray(i * 16, (i + 1) * 16).reduce((s, x, d) => s + x * (query[d] as number), 0));
        const reference = scanSupport(sims, new Map(), { ...request, models: [] }, (i) => `v-${i}`).support;
        assert.deepEqual(indexed.ids, reference.ids, `query ${k}: the index gives the exact support set`);
        assert.deepEqual(scanned.ids, reference.ids);
      }
    } finally {
      await bank.close();
      await exact.close();
    }
  });

  it('the HNSW index of an earlier version: the bank is refused as old until migrate-schema drops the index, then it is scanned exactly', async () => {
    const { url, database } = await freshBank(server());
    const location = parseTeamBankUrl(url);
    const writer = await TeamBank.open(location, { embedder: EMBEDDER, create: true, write: true, ...as(server().owner) });
    await writer.commit({ add: contractQuestions(60) });
    await writer.close();
    await server().psql(
      `SET ROLE ${server().owner.user}; CREATE INDEX questions_embedding_hnsw ON smcs.questions USING hnsw (embedding vector_ip_ops); DELETE FROM smcs.schema_version WHERE version = ${SCHEMA_VERSION};`,
      { database },
    );
    await assert.rejects(TeamBank.open(location, { embedder: EMBEDDER, ...as(server().owner) }), (e: unknown) => e instanceof BankSchemaError && /migrate-schema/.test(e.message));
    await migrateBankSchema(url, as(server().owner));
    assert.equal(await server().psql(`SELECT count(*) FROM pg_indexes WHERE schemaname = 'smcs' AND indexdef ~ '(hnsw|ivfflat)'`, { database }), '0');
    const bank = await TeamBank.open(location, { embedder: EMBEDDER, ...as(server().owner) });
    try {
      const query = Float32Array.from(contractQuestions(1)[0]?.embedding ?? []);
      assert.equal((await bank.supportSet(query, { nBase: 50, gamma: 0.5, models: ['a'] })).ids.length >= 50, true, 'the whole support set, not the 40 rows of a bare HNSW search');
    } finally {
      await bank.close();
    }
  });

  it('the index build has 1 GB of maintenance memory for its transaction, and keeps a server setting above that', async () => {
    const { url } = await freshBank(server());
    const location = parseTeamBankUrl(url);
    await (await TeamBank.open(location, { embedder: EMBEDDER, create: true, write: true, ...as(server().owner) })).close();
    const pool = await openPool(location, as(server().owner).password);
    const client = await pool.connect();
    try {
      for (const [session, during] of [['64MB', '1GB'], ['3GB', '3GB']]) {
        await client.query(`SET maintenance_work_mem = '${session}'`);
        await client.query('BEGIN');
        await ensureVectorIndex(client, 1, 1);
        const shown = await client.query<{ maintenance_work_mem: string }>('SHOW maintenance_work_mem');
        await client.query('ROLLBACK');
        assert.equal(shown.rows[0]?.maintenance_work_mem, during, `with ${session} set for the session`);
      }
    } finally {
      client.release();
      await pool.end();
    }
  });

  it('a read-only role can read and route, and every write says the role cannot write', async () => {
    const { url, readerUrl } = await freshBank(server());
    const writer = await openBank(url, { embedder: EMBEDDER, create: true, write: true, ...as(server().owner) });
    await writer.commit({ add: contractQuestions(40) });
    await writer.close();
    const reader = await openBank(readerUrl, { embedder: EMBEDDER, ...as(server().reader) });
    try {
      const support = await reader.supportSet(Float32Array.from(contractQuestions(1)[0]?.embedding ?? []), { nBase: 5, gamma: 0.9, models: ['a'] });
      assert.ok(support.ids.length >= 5);
      assert.equal((await reader.statistics()).size, 40);
    } finally {
      await reader.close();
    }
    await assert.rejects(openBank(readerUrl, { embedder: EMBEDDER, write: true, ...as(server().reader) }), (e: unknown) =>
      e instanceof BankReadOnlyError && /the role smcs_reader can only read this bank/.test(e.message) && /asking still works/.test(e.message),
    );
  });
});

describePostgres('the team bank schema', (server) => {
  it('a bank written by schema version 1 is refused as old, and migrate-schema upgrades it keeping its questions and labels, then keeping reply tokens', async () => {
    const db = await server().createDatabase();
    const password = async () => db.owner.password;
    // Version 1 as an older SMCS left it: its migration, one question with a label, rows written by that version.
    const embedding = contractQuestions(1)[0]?.embedding ?? [];
    await server().psql(
      `SET ROLE ${db.owner.user}; ${MIGRATIONS[0] ?? ''}; INSERT INTO smcs.schema_version (version) VALUES (1);
       INSERT INTO smcs.bank (embedder_id, dimension, size, created_by) VALUES ('${EMBEDDER.id}', ${EMBEDDER.dimension}, 1, 'old');
       INSERT INTO smcs.questions (id, question, embedding, added_by, added_via) VALUES ('old-1', 'an old question', '[${embedding.join(',')}]', 'old', 'import');
       INSERT INTO smcs.models (name) VALUES ('a');
       INSERT INTO smcs.label_rows (question_seq, model_id, user_name, via, correct, at) VALUES (1, 1, 'old', 'import', 1, now());
       INSERT INTO smcs.labels (question_seq, model_id, correct) VALUES (1, 1, 1);`,
      { database: db.name },
    );
    await assert.rejects(openBank(db.owner.url, { embedder: EMBEDDER, password }), (e: unknown) =>
      e instanceof BankSchemaError && e.state === 'old' && /schema is version 1, this version needs \d+: upgrade it with SMCS: Migrate Team Bank Schema \(or "smcs bank migrate-schema/.test(e.message),
    );
    assert.deepEqual(await migrateBankSchema(db.owner.url, { password }), { from: 1, to: SCHEMA_VERSION });
    const bank = await openBank(db.owner.url, { embedder: EMBEDDER, write: true, password });
    try {
      assert.deepEqual((await bank.lookup(['old-1'])).get('old-1')?.correct, { a: 1 });
      assert.equal((await bank.lookup(['old-1'])).get('old-1')?.tokens, undefined, 'an old label has no reply tokens');
      await bank.commit({ labels: [{ id: 'old-1', model: 'a', correct: 0, tokens: { prompt: 3, completion: 4 } }] });
      assert.deepEqual((await bank.lookup(['old-1'])).get('old-1')?.tokens, { a: { prompt: 3, completion: 4 } }, 'the upgraded bank keeps new labels’ tokens');
      await bank.commit({ add: contractQuestions(3).slice(1) });
      assert.equal(await bank.count(), 3);
    } finally {
      await bank.close();
    }
    assert.deepEqual(await migrateBankSchema(db.owner.url, { password }), { from: SCHEMA_VERSION, to: SCHEMA_VERSION }, 'a second run changes nothing');
  });
});

describePostgres('the team bank’s first steps: the schema is checked first, and migrate-schema creates pgvector when the role may', (server) => {
  /** A database owned by the owner role, as a DBA who did not run CREATE EXTENSION vector leaves it. */
  async function bareDatabase(): Promise<string> {
    const name = `smcs_bare_${Math.random().toString(36).slice(2, 10)}`;
    await server().psql(`CREATE DATABASE ${name} OWNER ${server().owner.user}`, { database: 'postgres' });
    return name;
  }
  const urlFor = (user: string, database: string): string => `postgres://${user}@${server().host}:${server().port}/${database}`;
  const hasVector = async (database: string): Promise<boolean> => (await server().psql(`SELECT count(*) FROM pg_extension WHERE extname = 'vector'`, { database })) === '1';

  it('a database without the SMCS schema is named as such in one query, before any file is read', async () => {
    const db = await server().createDatabase();
    await assert.rejects(checkBankSchema(db.owner.url, as(server().owner)), (e: unknown) =>
      e instanceof BankSchemaError && e.state === 'missing' && e.problem === 'this database has no SMCS schema yet' && /SMCS: Migrate Team Bank Schema/.test(e.message),
    );
    await migrateBankSchema(db.owner.url, as(server().owner));
    await checkBankSchema(db.owner.url, as(server().owner));
  });

  it('a superuser’s migrate-schema creates the pgvector extension and says so', async () => {
    const database = await bareDatabase();
    const password = 'super-secret-1';
    await server().psql(`CREATE ROLE smcs_super LOGIN SUPERUSER PASSWORD '${password}'`, { database: 'postgres' });
    const result = await migrateBankSchema(urlFor('smcs_super', database), { password: async () => password });
    assert.deepEqual(result, { from: 0, to: SCHEMA_VERSION, extension: 'created the pgvector extension (the role smcs_super is a superuser)' });
    assert.equal(await hasVector(database), true);
    assert.deepEqual(await migrateBankSchema(urlFor('smcs_super', database), { password: async () => password }), { from: SCHEMA_VERSION, to: SCHEMA_VERSION }, 'a second run creates nothing');
  });

  it('the database owner, who may not create an untrusted pgvector, is told to ask a DBA, and nothing is written', async () => {
    const database = await bareDatabase();
    assert.equal(await server().psql(`SELECT trusted FROM pg_available_extension_versions v JOIN pg_available_extensions a USING (name) WHERE name = 'vector' AND v.version = a.default_version`, { database }), 'f', 'this server’s pgvector is not marked trusted');
    await assert.rejects(migrateBankSchema(urlFor(server().owner.user, database), as(server().owner)), (e: unknown) =>
      e instanceof BankSchemaError &&
      e.state === 'missing' &&
      /the role smcs_owner may not create it \(only a superuser may: this server's pgvector is not marked trusted\)/.test(e.message) &&
      new RegExp(`ask a database administrator to run "CREATE EXTENSION vector;" in database ${database} once`).test(e.message),
    );
    assert.equal(await hasVector(database), false);
    assert.equal(await server().psql(`SELECT to_regnamespace('smcs') IS NULL`, { database }), 't', 'no schema was half-created');
  });
});

describePostgres('the team bank when the server fails', (server) => {
  it('names the bank (never the password) when the server is down, the password wrong or missing, and reconnects once it is back', async () => {
    const { url } = await freshBank(server());
    const owner = server().owner;
    const writer = await openBank(url, { embedder: EMBEDDER, create: true, write: true, ...as(owner) });
    await writer.commit({ add: contractQuestions(3) });
    await writer.close();
    const display = parseTeamBankUrl(url).display;
    const failure = (kind: string, pattern: RegExp, remedy?: 'password') => (e: unknown) =>
      e instanceof BankUnavailableError && e.kind === kind && e.remedy === remedy && e.message.includes(display) && pattern.test(e.message) && !e.message.includes(owner.password);
    await assert.rejects(openBank(url, { embedder: EMBEDDER, password: async () => 'not-the-password' }), failure('auth', /refused the password of smcs_owner/, 'password'));
    const saved = { PGPASSWORD: process.env.PGPASSWORD, PGPASSFILE: process.env.PGPASSFILE };
    delete process.env.PGPASSWORD;
    process.env.PGPASSFILE = '/nonexistent/pgpass';
    try {
      await assert.rejects(openBank(url, { embedder: EMBEDDER }), failure('auth', /asks smcs_owner for a password and none is set/, 'password'));
    } finally {
      Object.assign(process.env, saved);
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    }
    await server().stop();
    try {
      await assert.rejects(openBank(url, { embedder: EMBEDDER, ...as(owner) }), failure('connection', /connection refused/));
    } finally {
      await server().start();
    }
    const back = await openBank(url, { embedder: EMBEDDER, ...as(owner) });
    assert.equal(await back.count(), 3);
    await back.close();
  });

  it('a connection dropped in the middle of an import leaves the bank as it was', async () => {
    const { url } = await freshBank(server());
    const bank = await openBank(url, { embedder: { id: 'test:big', dimension: 384 }, create: true, write: true, ...as(server().owner) });
    try {
      await bank.commit({ add: [{ id: 'kept', question: 'kept', embedding: randomUnitVectors(1, 384, 1) }] });
      const vectors = randomUnitVectors(40_000, 384, 2);
      const importing = bank.commit({ add: Array.from({ length: 40_000 }, (_, i) => ({ id: `x-${i}`, question: `x ${i}`, embedding: vectors.subarray(i * 384, (i + 1) * 384), correct: { a: 1 as const } })) });
      const outcome = importing.then(() => 'committed', (e: unknown) => e);
      // Drop the connection while the import is under way (the COPY of 40k vectors takes a while).
      for (let i = 0; i < 200 && (await server().terminateBackends()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
      const result = await outcome;
      assert.ok(result instanceof BankUnavailableError, `the import failed as a broken connection: ${String(result)}`);
      assert.match((result as Error).message, /nothing half-written was kept|connection broke/);
      assert.equal(await bank.count(), 1, 'none of the import was kept');
      assert.deepEqual([...(await bank.lookup(['kept', 'x-0'])).keys()], ['kept']);
    } finally {
      await bank.close();
    }
  });
});

describePostgres('the team bank on a server that accepts only TLS', (server) => {
  it('says to ask for TLS when the URL turns it off, and connects with verify-full against the server’s CA', async () => {
    const { url } = await freshBank(server());
    const plain = `${url.split('?')[0] as string}?sslmode=disable`;
    await assert.rejects(openBank(plain, { embedder: EMBEDDER, create: true, write: true, ...as(server().owner) }), (e: unknown) =>
      e instanceof BankUnavailableError && /only over TLS: add \?sslmode=require/.test(e.message) && e.message.includes(`team bank ${parseTeamBankUrl(url).display}`) && !e.message.includes(server().owner.password),
    );
    const bank = await openBank(url, { embedder: EMBEDDER, create: true, write: true, ...as(server().owner) });
    await bank.commit({ add: contractQuestions(2) });
    assert.equal(await bank.count(), 2);
    await bank.close();
  });
}, { tls: true });
