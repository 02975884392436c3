/**
 * The team bank's schema, owned by the project: versioned migrations (run by `smcs bank migrate-schema`, offered by the
 * extension), applied in order, each once, in one transaction with the version it reaches. Tables live in the schema
 * `smcs` of the database the URL names.
 *
 *   bank            the one row: embedder {id, dimension}, question count, when and by whom it was created
 *   questions       bank order = seq; the embedding as vector(dimension) (typed when the bank records its embedder)
 *   models          model keys, numbered
 *   label_rows      every label with who, when and from what (import | profile | choice): one row per question, model,
 *                   person and source, so several people's labels are all kept and a re-import adds nothing
 *   labels          the label RPS uses per question and model, derived from label_rows (rule in labelRule.ts)
 *   (both)          prompt_tokens, completion_tokens, tokens_estimated: the tokens of the reply a label came from, as
 *                   the local store keeps them (float4, like its Float32Array); NULL where none is recorded (version 2)
 *
 * label_rows and labels name their question and model by number without foreign keys: a key check per row would
 * slow an import of 300k labels several times over, and the one code path that writes them (TeamBank.commit, under the
 * write lock) removes a question's rows with it.
 *   profile_failures  failed profiling requests, asked again by the next run
 */
import type pg from 'pg';
import { BankSchemaError } from '../errors';

/** Each migration's SQL, by the version it reaches (index + 1). Never edit one that shipped: add the next. */
export const MIGRATIONS: readonly string[] = [
  `CREATE SCHEMA IF NOT EXISTS smcs;
   CREATE TABLE smcs.schema_version (
     version int NOT NULL,
     applied_at timestamptz NOT NULL DEFAULT now(),
     applied_by text NOT NULL DEFAULT current_user
   );
   CREATE TABLE smcs.bank (
     singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
     embedder_id text NOT NULL,
     dimension int NOT NULL CHECK (dimension > 0),
     size bigint NOT NULL DEFAULT 0,
     created_at timestamptz NOT NULL DEFAULT now(),
     created_by text NOT NULL
   );
   CREATE TABLE smcs.questions (
     seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     id text NOT NULL UNIQUE,
     question text NOT NULL,
     answer text,
     grader text,
     domain text,
     fold int,
     source text,
     embedding vector NOT NULL,
     added_by text NOT NULL,
     added_via text NOT NULL,
     added_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE TABLE smcs.models (
     model_id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     name text NOT NULL UNIQUE
   );
   CREATE TABLE smcs.label_rows (
     question_seq bigint NOT NULL,
     model_id int NOT NULL,
     user_name text NOT NULL,
     via text NOT NULL CHECK (via IN ('import', 'profile', 'choice')),
     correct smallint NOT NULL CHECK (correct IN (0, 1)),
     at timestamptz NOT NULL,
     row_id bigint GENERATED ALWAYS AS IDENTITY,
     PRIMARY KEY (question_seq, model_id, user_name, via)
   );
   CREATE TABLE smcs.labels (
     question_seq bigint NOT NULL,
     model_id int NOT NULL,
     correct smallint NOT NULL,
     PRIMARY KEY (question_seq, model_id)
   );
   CREATE TABLE smcs.profile_failures (
     model text NOT NULL,
     question_id text NOT NULL,
     count int NOT NULL,
     last_error text NOT NULL,
     at timestamptz NOT NULL,
     PRIMARY KEY (model, question_id)
   );
`,
  // 2: each label keeps the tokens of the reply it came from (issue 17). Nullable columns without a default: adding
  // them rewrites nothing, so an old bank of a million questions upgrades at once.
  `ALTER TABLE smcs.label_rows ADD COLUMN prompt_tokens real, ADD COLUMN completion_tokens real, ADD COLUMN tokens_estimated boolean;
   ALTER TABLE smcs.labels ADD COLUMN prompt_tokens real, ADD COLUMN completion_tokens real, ADD COLUMN tokens_estimated boolean;
`,
  // 3: the vector index is IVFFlat (vectorIndex.ts). The HNSW index an earlier version built is dropped: searched
  // without its settings it returns at most hnsw.ef_search (40) rows, a truncated support set. Until the next commit
  // builds the IVFFlat index the bank is scanned exactly.
  `DROP INDEX IF EXISTS smcs.questions_embedding_hnsw;
`,
];

/** The version this code reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The schema's version in the database: 0 when it has none. */
export async function schemaVersion(client: pg.ClientBase): Promise<number> {
  const exists = await client.query<{ present: boolean }>(`SELECT to_regclass('smcs.schema_version') IS NOT NULL AS present`);
  if (!exists.rows[0]?.present) return 0;
  const row = await client.query<{ version: number }>('SELECT max(version) AS version FROM smcs.schema_version');
  return row.rows[0]?.version ?? 0;
}

/** Refuses a database whose schema is not the one this code knows, saying what to run. */
export async function checkSchema(client: pg.ClientBase, location: string): Promise<void> {
  const version = await schemaVersion(client);
  if (version === SCHEMA_VERSION) return;
  if (version === 0) throw new BankSchemaError(location, 'missing', 'this database has no SMCS schema yet', 'create it with SMCS: Migrate Team Bank Schema (or "smcs bank migrate-schema --bank <url>"), as a role that may create tables');
  if (version < SCHEMA_VERSION) throw new BankSchemaError(location, 'old', `the SMCS schema is version ${version}, this version needs ${SCHEMA_VERSION}`, 'upgrade it with SMCS: Migrate Team Bank Schema (or "smcs bank migrate-schema --bank <url>")');
  throw newerSchema(location, version);
}

function newerSchema(location: string, version: number): BankSchemaError {
  return new BankSchemaError(location, 'newer', `the SMCS schema is version ${version}, newer than this version of SMCS knows (${SCHEMA_VERSION})`, 'update SMCS');
}

/** What the connected role may do about the pgvector extension, as the server reports it. */
export interface ExtensionRights {
  role: string;
  database: string;
  /** The server has pgvector's files (pg_available_extensions lists it). */
  available: boolean;
  superuser: boolean;
  /** pgvector's control file marks it trusted: a role with CREATE on the database may create it (PostgreSQL 13+). */
  trusted: boolean;
  /** CREATE privilege on the database (a database owner has it unless revoked). */
  mayCreate: boolean;
  /** The role is, or is a member of, the database's owner. */
  owner: boolean;
}

/**
 * Whether the role may run CREATE EXTENSION vector, and why (PostgreSQL's rule: a superuser always; anyone with CREATE
 * on the database when the extension is trusted), or the error that asks a database administrator for it.
 */
export function extensionPlan(rights: ExtensionRights, location: string): { reason: string } | BankSchemaError {
  const { role, database } = rights;
  const missing = (why: string, remedy: string): BankSchemaError => new BankSchemaError(location, 'missing', `the database lacks the pgvector extension, ${why}`, remedy);
  if (!rights.available) return missing('and the server has no pgvector installed', `a server administrator installs pgvector (e.g. the postgresql-<version>-pgvector package) and runs "CREATE EXTENSION vector;" in database ${database}, then migrate-schema runs again`);
  if (rights.superuser) return { reason: `the role ${role} is a superuser` };
  if (rights.trusted && rights.mayCreate) return { reason: `pgvector is a trusted extension and the role ${role} ${rights.owner ? 'owns the database' : 'may create in the database'}` };
  const why = rights.trusted
    ? `and the role ${role} may not create it (pgvector is trusted, but the role has no CREATE privilege on database ${database})`
    : `and the role ${role} may not create it (only a superuser may: this server's pgvector is not marked trusted)`;
  return missing(why, `ask a database administrator to run "CREATE EXTENSION vector;" in database ${database} once, then run migrate-schema again`);
}

/** Reads what the connected role may do about the pgvector extension. */
async function extensionRights(client: pg.ClientBase): Promise<ExtensionRights> {
  const row = await client.query<ExtensionRights>(
    `SELECT current_user AS role, current_database() AS database,
            a.name IS NOT NULL AS available,
            r.rolsuper AS superuser,
            coalesce(v.trusted, false) AS trusted,
            has_database_privilege(current_database(), 'CREATE') AS "mayCreate",
            pg_has_role(current_user, d.datdba, 'MEMBER') AS owner
       FROM pg_roles r
       JOIN pg_database d ON d.datname = current_database()
       LEFT JOIN pg_available_extensions a ON a.name = 'vector'
       LEFT JOIN pg_available_extension_versions v ON v.name = a.name AND v.version = a.default_version
      WHERE r.rolname = current_user`,
  );
  const rights = row.rows[0];
  if (!rights) throw new Error('PostgreSQL did not report the connected role');
  return rights;
}

/**
 * Creates the pgvector extension when the database lacks it and the role may (saying why it could), else throws the
 * error that asks a database administrator for it. Returns undefined when the extension was there already.
 */
async function ensureVectorExtension(client: pg.ClientBase, location: string): Promise<string | undefined> {
  const present = await client.query(`SELECT 1 FROM pg_extension WHERE extname = 'vector'`);
  if ((present.rowCount ?? 0) > 0) return undefined;
  const plan = extensionPlan(await extensionRights(client), location);
  if (plan instanceof BankSchemaError) throw plan;
  await client.query('CREATE EXTENSION IF NOT EXISTS vector');
  return `created the pgvector extension (${plan.reason})`;
}

/** What a migration did: the schema versions before and after, and the extension it created, if it did. */
export interface MigrationResult {
  from: number;
  to: number;
  /** Set when the migration created the pgvector extension: what it did and why the role could. */
  extension?: string;
}

/**
 * Applies the migrations the database lacks, each in its own transaction with its version, under an advisory lock so
 * two migrating processes do not race. Creates the pgvector extension first when the role may; asks for a database
 * administrator when it may not, before anything is written.
 */
export async function migrate(client: pg.ClientBase, location: string): Promise<MigrationResult> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    const from = await schemaVersion(client);
    if (from > SCHEMA_VERSION) throw newerSchema(location, from);
    const extension = await ensureVectorExtension(client, location);
    for (let version = from + 1; version <= SCHEMA_VERSION; version++) {
      await client.query('BEGIN');
      try {
        await client.query(MIGRATIONS[version - 1] as string);
        await client.query('INSERT INTO smcs.schema_version (version) VALUES ($1)', [version]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
    return { from, to: SCHEMA_VERSION, ...(extension === undefined ? {} : { extension }) };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}

/** Advisory lock keys of the bank (arbitrary constants, namespaced by being 64-bit and fixed). */
export const MIGRATION_LOCK = '7355608001';
export const WRITE_LOCK = '7355608002';
