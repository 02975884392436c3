/**
 * The team server's database: a pool on the team bank's PostgreSQL (same URL rules, same password sources), its schema
 * migrated on open; and the keys — created (printed once, stored as a salted hash), listed with what they spent this
 * period, revoked, their budget changed — every change with its audit row in the same transaction.
 */
import type pg from 'pg';
import { parseTeamBankUrl } from '../../core/contracts/bankLocation';
import { openPool, unavailable, type PasswordSource } from '../../bank/team/connection';
import { migrateTeamSchema } from './teamSchema';
import { newSecret, saltedHash, teamKeyText } from './teamKey';
import { periodReset, periodStart, type BudgetPeriod } from './budgetPeriod';

export interface KeyBudget {
  usd: number;
  per: BudgetPeriod;
}

export interface KeyLimits {
  budget?: KeyBudget | null;
  rpm?: number | null;
}

/** A key as `smcs keys list` shows it (never the key itself). */
export interface KeyRow {
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  budget: KeyBudget | null;
  rpm: number | null;
  /** USD settled in the budget's current period (this month's without a budget). */
  spentUsd: number;
  /** USD held by asks under way. */
  reservedUsd: number;
  resetsAt: string | null;
  /** When the key was revoked (its spend stays in the ledger and in `smcs usage`); null for a key in use. */
  revokedAt: string | null;
}

export class TeamDatabase {
  private constructor(
    readonly pool: pg.Pool,
    /** The database as `host:port/db`, never with a password. */
    readonly display: string,
  ) {}

  /** Connects to `url` (a `postgres://` URL, as the team bank's) and brings the team schema up to date. */
  static async open(url: string, password?: PasswordSource): Promise<TeamDatabase> {
    const location = parseTeamBankUrl(url);
    const pool = await openPool(location, password);
    try {
      const client = await pool.connect();
      try {
        await migrateTeamSchema(client);
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw unavailable(err, location);
    }
    return new TeamDatabase(pool, location.display);
  }

  /** Runs `fn` in one transaction (rolled back when it throws). */
  async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const value = await fn(client);
      await client.query('COMMIT');
      return value;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Creates a key for `name`; returns the key, which is never stored or shown again. */
  async addKey(name: string, limits: KeyLimits): Promise<string> {
    const secret = newSecret();
    const { salt, hash } = await saltedHash(secret);
    const budget = limits.budget ?? null;
    return this.transaction(async (client) => {
      const taken = await client.query('SELECT 1 FROM smcs_team.keys WHERE name = $1 AND revoked_at IS NULL', [name]);
      if ((taken.rowCount ?? 0) > 0) throw new Error(`a key named ${JSON.stringify(name)} exists: revoke it first (smcs keys revoke ${name})`);
      const row = await client.query<{ key_id: number }>(
        'INSERT INTO smcs_team.keys (name, salt, hash, budget_usd, budget_period, rpm) VALUES ($1, $2, $3, $4, $5, $6) RETURNING key_id',
        [name, salt, hash, budget?.usd ?? null, budget?.per ?? null, limits.rpm ?? null],
      );
      const keyId = row.rows[0]?.key_id;
      if (keyId === undefined) throw new Error('PostgreSQL returned no key id');
      await client.query(`INSERT INTO smcs_team.key_audit (key_id, name, action, detail) VALUES ($1, $2, 'create', $3)`, [keyId, name, { budget, rpm: limits.rpm ?? null }]);
      return teamKeyText(keyId, secret);
    });
  }

  /** Revokes `name`'s key; false when there is none. */
  async revokeKey(name: string): Promise<boolean> {
    return this.transaction(async (client) => {
      const row = await client.query<{ key_id: number }>('UPDATE smcs_team.keys SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING key_id', [name]);
      const keyId = row.rows[0]?.key_id;
      if (keyId === undefined) return false;
      await client.query(`INSERT INTO smcs_team.key_audit (key_id, name, action, detail) VALUES ($1, $2, 'revoke', '{}')`, [keyId, name]);
      return true;
    });
  }

  /** Changes `name`'s budget and/or requests per minute (null removes one); false when there is no such key. */
  async setLimits(name: string, limits: KeyLimits): Promise<boolean> {
    return this.transaction(async (client) => {
      const current = await client.query<{ key_id: number; budget_usd: number | null; budget_period: BudgetPeriod | null; rpm: number | null }>(
        'SELECT key_id, budget_usd, budget_period, rpm FROM smcs_team.keys WHERE name = $1 AND revoked_at IS NULL FOR UPDATE',
        [name],
      );
      const row = current.rows[0];
      if (!row) return false;
      const budget = limits.budget !== undefined ? limits.budget : row.budget_usd === null || row.budget_period === null ? null : { usd: row.budget_usd, per: row.budget_period };
      const rpm = limits.rpm !== undefined ? limits.rpm : row.rpm;
      await client.query('UPDATE smcs_team.keys SET budget_usd = $2, budget_period = $3, rpm = $4 WHERE key_id = $1', [row.key_id, budget?.usd ?? null, budget?.per ?? null, rpm]);
      const before = { budget: row.budget_usd === null ? null : { usd: row.budget_usd, per: row.budget_period }, rpm: row.rpm };
      await client.query(`INSERT INTO smcs_team.key_audit (key_id, name, action, detail) VALUES ($1, $2, 'budget', $3)`, [row.key_id, name, { before, after: { budget, rpm } }]);
      return true;
    });
  }

  /**
   * Every key by name, with what it spent and holds in its current period: the keys in use first, then the revoked ones
   * (newest first), whose spend `smcs usage --by key` still shows.
   */
  async listKeys(now = new Date()): Promise<KeyRow[]> {
    const rows = await this.pool.query<{ key_id: number; name: string; created_at: Date; last_used_at: Date | null; budget_usd: number | null; budget_period: BudgetPeriod | null; rpm: number | null; revoked_at: Date | null }>(
      'SELECT key_id, name, created_at, last_used_at, budget_usd, budget_period, rpm, revoked_at FROM smcs_team.keys ORDER BY revoked_at IS NOT NULL, name, revoked_at DESC',
    );
    const out: KeyRow[] = [];
    for (const r of rows.rows) {
      const period = r.budget_period ?? 'month';
      const spent = await this.pool.query<{ spent: number | null }>('SELECT spent_usd AS spent FROM smcs_team.spend WHERE key_id = $1 AND period_start = $2', [r.key_id, periodStart(period, now)]);
      const held = await this.pool.query<{ held: number | null }>('SELECT sum(amount_usd) AS held FROM smcs_team.reservations WHERE key_id = $1 AND expires_at > now()', [r.key_id]);
      out.push({
        name: r.name,
        createdAt: r.created_at.toISOString(),
        lastUsedAt: r.last_used_at?.toISOString() ?? null,
        budget: r.budget_usd === null || r.budget_period === null ? null : { usd: r.budget_usd, per: r.budget_period },
        rpm: r.rpm,
        spentUsd: spent.rows[0]?.spent ?? 0,
        reservedUsd: held.rows[0]?.held ?? 0,
        resetsAt: r.budget_period === null ? null : periodReset(r.budget_period, now).toISOString(),
        revokedAt: r.revoked_at?.toISOString() ?? null,
      });
    }
    return out;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
