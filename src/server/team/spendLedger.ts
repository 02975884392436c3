/**
 * Reading and trimming the spend ledger: usage grouped by key, model, stage or day since a date (all keys, or one
 * member's for the member's own view), and retention — rows older than the setting deleted a batch at a time, so a
 * large delete never holds a long lock or bloats one transaction.
 */
import { TokenScale } from '../../core/cost/cutTail';
import type { TeamDatabase } from './teamDatabase';

export type UsageGrouping = 'key' | 'model' | 'stage' | 'day';
export const USAGE_GROUPINGS: readonly UsageGrouping[] = ['key', 'model', 'stage', 'day'];

export interface UsageLine {
  /** The key's name, the model, the stage, or the day (YYYY-MM-DD, UTC). */
  group: string;
  asks: number;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  /** USD of the calls whose price is known. */
  costUsd: number;
  /** Calls without a known price (their cost is not in `costUsd`). */
  unpriced: number;
  /** Calls cut off mid-reply, counted from what streamed (`estimated`). */
  estimated: number;
  /** Calls cut off mid-reply, counted as their upstream stated it billed them (`reconciled`). */
  reconciled: number;
}

const GROUP_SQL: Record<UsageGrouping, string> = {
  key: 'k.name',
  model: 'l.model',
  stage: 'l.stage',
  day: `to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
};

/** Usage since `since`, grouped by `by`, largest cost first (days in order); `keyId` narrows it to one key. */
export async function usageReport(db: TeamDatabase, by: UsageGrouping, since: Date, keyId?: number): Promise<UsageLine[]> {
  const group = GROUP_SQL[by];
  const rows = await db.pool.query<{ grp: string; asks: string; calls: string; tin: string | null; tout: string | null; cost: number | null; unpriced: string; estimated: string; reconciled: string }>(
    `SELECT ${group} AS grp, count(DISTINCT l.ask_id) AS asks, count(*) AS calls, sum(l.tokens_in) AS tin, sum(l.tokens_out) AS tout,
            sum(l.cost_usd) AS cost, count(*) FILTER (WHERE l.cost_usd IS NULL) AS unpriced,
            count(*) FILTER (WHERE l.outcome = 'estimated') AS estimated, count(*) FILTER (WHERE l.outcome = 'reconciled') AS reconciled
       FROM smcs_team.ledger l JOIN smcs_team.keys k USING (key_id)
      WHERE l.at >= $1 AND ($2::int IS NULL OR l.key_id = $2)
      GROUP BY 1 ORDER BY ${by === 'day' ? '1' : 'sum(l.cost_usd) DESC NULLS LAST, 1'}`,
    [since, keyId ?? null],
  );
  return rows.rows.map((r) => ({
    group: r.grp,
    asks: Number(r.asks),
    calls: Number(r.calls),
    promptTokens: Number(r.tin ?? 0),
    completionTokens: Number(r.tout ?? 0),
    costUsd: r.cost ?? 0,
    unpriced: Number(r.unpriced),
    estimated: Number(r.estimated),
    reconciled: Number(r.reconciled),
  }));
}

/** How many of the ledger's last reported calls a server started again learns the upstreams' token counts from. */
export const TOKEN_SCALE_CALLS = 200;

/**
 * The ledger's last `limit` calls whose usage the upstream reported and whose text estimate is kept (version 4 rows),
 * oldest first: their estimated and reported tokens, in the shape core/cost/cutTail TokenScale observes, so a server
 * started again scales its first cut calls as the upstreams counted before, not at the estimate's 3 characters a token.
 */
export async function reportedTokenCounts(db: TeamDatabase, limit = TOKEN_SCALE_CALLS): Promise<{ estimatedPrompt: number; prompt: number; estimatedCompletion: number; completion: number }[]> {
  const r = await db.pool.query<{ text_tokens_in: number; tokens_in: number; text_tokens_out: number; tokens_out: number }>(
    `SELECT text_tokens_in, tokens_in, text_tokens_out, tokens_out FROM (
       SELECT at, text_tokens_in, tokens_in, text_tokens_out, tokens_out FROM smcs_team.ledger
        WHERE outcome = 'ok' AND text_tokens_in IS NOT NULL AND text_tokens_out IS NOT NULL
        ORDER BY at DESC LIMIT $1) recent
      ORDER BY at`,
    [limit],
  );
  return r.rows.map((row) => ({ estimatedPrompt: row.text_tokens_in, prompt: row.tokens_in, estimatedCompletion: row.text_tokens_out, completion: row.tokens_out }));
}

/**
 * A token scale (core/cost/cutTail) taught by the ledger's last reported calls (any instance's), oldest first, and how
 * many there were: a server started again scales its first cut calls by it, as the one before it had learned to.
 */
export async function learnedTokenScale(db: TeamDatabase, limit = TOKEN_SCALE_CALLS): Promise<{ scale: TokenScale; calls: number }> {
  const scale = new TokenScale();
  const counts = await reportedTokenCounts(db, limit);
  for (const call of counts) scale.observe(call);
  return { scale, calls: counts.length };
}

/** Deletes ledger rows older than `before`, `batch` rows per statement; the number deleted. */
export async function pruneLedger(db: TeamDatabase, before: Date, batch = 10_000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = await db.pool.query('DELETE FROM smcs_team.ledger WHERE ctid = ANY (ARRAY(SELECT ctid FROM smcs_team.ledger WHERE at < $1 LIMIT $2))', [before, batch]);
    const n = result.rowCount ?? 0;
    deleted += n;
    if (n < batch) return deleted;
  }
}

/** The ledger's bytes per row as stored (heap, and heap with its indexes), and its rows: what the note on its size cites. */
export async function ledgerFootprint(db: TeamDatabase): Promise<{ rows: number; rowBytes: number; heapBytesPerRow: number; totalBytesPerRow: number }> {
  const r = await db.pool.query<{ rows: string; row_bytes: number | null; heap: string; total: string }>(
    `SELECT (SELECT count(*) FROM smcs_team.ledger) AS rows,
            (SELECT avg(pg_column_size(l.*)) FROM smcs_team.ledger l) AS row_bytes,
            pg_relation_size('smcs_team.ledger') AS heap, pg_total_relation_size('smcs_team.ledger') AS total`,
  );
  const row = r.rows[0];
  const rows = Number(row?.rows ?? 0);
  const per = (bytes: string | undefined) => (rows === 0 ? 0 : Number(bytes ?? 0) / rows);
  return { rows, rowBytes: Number(row?.row_bytes ?? 0), heapBytesPerRow: per(row?.heap), totalBytesPerRow: per(row?.total) };
}
