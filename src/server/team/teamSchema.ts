/**
 * The team server's tables (keys, their audit, reservations, spend per period, the spend ledger), in the schema
 * `smcs_team` beside the team bank's `smcs`: versioned migrations applied in order, each once, in one transaction with
 * the version it reaches, under an advisory lock — the bank's way (src/bank/team/schema.ts), on a track of its own so a
 * team server needs no pgvector and a bank migration never waits for the server's.
 *
 *   keys          one row per key: name, scrypt salt and hash (never the key), budget USD per day|week|month, requests
 *                 per minute, created / last used / revoked; a name is unique among keys not revoked
 *   key_audit     one row per create, revoke and budget change: who (the database role), when, what
 *   reservations  an ask's worst cost held against its key's budget while it runs; `expires_at` is pushed forward while
 *                 the ask runs, so a killed instance's holds lapse on their own
 *   spend         USD settled per key and budget period (the budget check reads one row, not the ledger)
 *   admissions    when each ask of a key was admitted, for the last 60 s (requests per minute across instances, in a
 *                 sliding window; version 2 replaced the per-calendar-minute `rate_window`)
 *   ledger        one row per upstream call: key, ask, stage, model, endpoint, tokens, cost, ms, outcome — no text;
 *                 for a call cut mid-reply whose upstream states its bills, the upstream's id of the reply
 *                 (`generation`, version 3), by which the row's estimate is replaced with the bill (`reconciled`);
 *                 for a call whose usage was reported, its tokens as the estimate from its text gives them
 *                 (`text_tokens_in` / `_out`, version 4), from which a server started again scales its cut calls
 */
import type pg from 'pg';

/** Each migration's SQL, by the version it reaches (index + 1). Never edit one that shipped: add the next. */
export const TEAM_MIGRATIONS: readonly string[] = [
  `CREATE SCHEMA IF NOT EXISTS smcs_team;
   CREATE TABLE smcs_team.schema_version (
     version int NOT NULL,
     applied_at timestamptz NOT NULL DEFAULT now(),
     applied_by text NOT NULL DEFAULT current_user
   );
   CREATE TABLE smcs_team.keys (
     key_id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     name text NOT NULL,
     salt bytea NOT NULL,
     hash bytea NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     last_used_at timestamptz,
     revoked_at timestamptz,
     budget_usd double precision CHECK (budget_usd >= 0),
     budget_period text CHECK (budget_period IN ('day', 'week', 'month')),
     rpm int CHECK (rpm > 0),
     CHECK ((budget_usd IS NULL) = (budget_period IS NULL))
   );
   CREATE UNIQUE INDEX keys_live_name ON smcs_team.keys (name) WHERE revoked_at IS NULL;
   CREATE TABLE smcs_team.key_audit (
     at timestamptz NOT NULL DEFAULT now(),
     key_id int NOT NULL,
     name text NOT NULL,
     action text NOT NULL CHECK (action IN ('create', 'revoke', 'budget')),
     detail jsonb NOT NULL,
     by_role text NOT NULL DEFAULT current_user
   );
   CREATE TABLE smcs_team.reservations (
     ask_id uuid PRIMARY KEY,
     key_id int NOT NULL,
     amount_usd double precision NOT NULL,
     expires_at timestamptz NOT NULL
   );
   CREATE INDEX reservations_key ON smcs_team.reservations (key_id);
   CREATE TABLE smcs_team.spend (
     key_id int NOT NULL,
     period_start timestamptz NOT NULL,
     spent_usd double precision NOT NULL DEFAULT 0,
     PRIMARY KEY (key_id, period_start)
   );
   CREATE TABLE smcs_team.rate_window (
     key_id int NOT NULL,
     minute timestamptz NOT NULL,
     asks int NOT NULL,
     PRIMARY KEY (key_id, minute)
   );
   CREATE TABLE smcs_team.ledger (
     at timestamptz NOT NULL DEFAULT now(),
     key_id int NOT NULL,
     ask_id uuid NOT NULL,
     stage text NOT NULL,
     model text NOT NULL,
     endpoint text NOT NULL,
     tokens_in int NOT NULL,
     tokens_out int NOT NULL,
     cost_usd double precision,
     ms int NOT NULL,
     outcome text NOT NULL
   );
   CREATE INDEX ledger_at ON smcs_team.ledger USING brin (at);
   CREATE INDEX ledger_key_at ON smcs_team.ledger (key_id, at);
`,
  // A sliding window: a calendar minute let twice the limit through across its boundary.
  `DROP TABLE smcs_team.rate_window;
   CREATE TABLE smcs_team.admissions (
     key_id int NOT NULL,
     at timestamptz NOT NULL
   );
   CREATE INDEX admissions_key_at ON smcs_team.admissions (key_id, at);
`,
  // The upstream's id of a reply cut mid-stream, for replacing its row's estimate by what the upstream billed.
  `ALTER TABLE smcs_team.ledger ADD COLUMN generation text;
   CREATE INDEX ledger_generation ON smcs_team.ledger (generation) WHERE generation IS NOT NULL;
`,
  // A reported call's tokens as the estimate from its text gives them: a server started again learns from its last
  // calls how the upstreams count against the estimate (core/cost/cutTail TokenScale), so its first cut calls are too.
  `ALTER TABLE smcs_team.ledger ADD COLUMN text_tokens_in int, ADD COLUMN text_tokens_out int;
`,
];

export const TEAM_SCHEMA_VERSION = TEAM_MIGRATIONS.length;

/** Advisory lock key of the team server's migrations (beside the bank's 7355608001/2). */
const TEAM_MIGRATION_LOCK = '7355608047';

/** The team schema's version in the database: 0 when it has none. */
export async function teamSchemaVersion(client: pg.ClientBase): Promise<number> {
  const exists = await client.query<{ present: boolean }>(`SELECT to_regclass('smcs_team.schema_version') IS NOT NULL AS present`);
  if (!exists.rows[0]?.present) return 0;
  const row = await client.query<{ version: number }>('SELECT max(version) AS version FROM smcs_team.schema_version');
  return row.rows[0]?.version ?? 0;
}

/** Applies the migrations the database lacks; returns the versions before and after. */
export async function migrateTeamSchema(client: pg.ClientBase): Promise<{ from: number; to: number }> {
  await client.query('SELECT pg_advisory_lock($1)', [TEAM_MIGRATION_LOCK]);
  try {
    const from = await teamSchemaVersion(client);
    if (from > TEAM_SCHEMA_VERSION) throw new Error(`the team server's schema is version ${from}, newer than this version of SMCS knows (${TEAM_SCHEMA_VERSION}): update SMCS`);
    for (let version = from + 1; version <= TEAM_SCHEMA_VERSION; version++) {
      await client.query('BEGIN');
      try {
        await client.query(TEAM_MIGRATIONS[version - 1] as string);
        await client.query('INSERT INTO smcs_team.schema_version (version) VALUES ($1)', [version]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
    return { from, to: TEAM_SCHEMA_VERSION };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [TEAM_MIGRATION_LOCK]);
  }
}
