/**
 * What `smcs serve --team` asks of the team database per request: whose key it is (scrypt once per key and
 * process, the row read every time so a revocation holds at once on every instance), and admission — in one
 * transaction that locks the key's row, so every instance on the database takes turns: requests per minute, then the
 * budget, holding the ask's worst cost as a reservation. An ask is admitted while the key's settled spend plus every
 * live reservation is below its budget; each in-flight ask holds its worst cost, so the most a key can end above its
 * budget is the worst cost of the one ask admitted last. Reservations are pushed forward while their ask runs and lapse
 * `reservationTtlMs` after the instance holding them stops (a SIGKILL included). Settling replaces the reservation by
 * the ask's calls — ledger rows and the period's spend — in one transaction. A call cut mid-reply whose upstream states
 * its bills is written as an estimate at once, then restated as its upstream billed it (`reconciled`) when it says.
 */
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { errorMessage } from '../../core/contracts/errors';
import type { CallRecord, StatedBill } from '../../core/contracts/types';
import { formatUsd } from '../../presentation/format';
import { ApiError } from '../errors';
import { periodReset, periodStart, type BudgetPeriod } from './budgetPeriod';
import type { TeamDatabase } from './teamDatabase';
import { parseTeamKey, secretMatches } from './teamKey';

/** Whose key a request carries. */
export interface Member {
  keyId: number;
  name: string;
}

/** One upstream call as the ledger keeps it (llm calls of the ask, or the one relayed request). */
export interface SpentCall {
  stage: string;
  model: string;
  tokens: { prompt: number; completion: number };
  costUsd: number | null;
  latencyMs: number;
  /**
   * `ok` when the upstream reported the usage, `estimated` when the call was cut off mid-reply and its tokens counted
   * here, `cancelled` when it was stopped before its first byte and `failed` when it failed before it (no tokens, no
   * cost either way). A row is restated `reconciled` later, never written so.
   */
  outcome: 'ok' | 'estimated' | 'cancelled' | 'failed';
  /** An estimated call's reply as its upstream names it, when the upstream states its bills (CallRecord `generation`). */
  generation?: string;
  /** A reported call's tokens as the estimate from its text gives them (CallRecord `textTokens`): what a server started again scales its cut calls by. */
  textTokens?: { prompt: number; completion: number };
}

/** An admitted ask: its id (sent upstream as metadata) and how it ends. */
export interface MemberHold {
  askId: string;
  member: Member;
  /**
   * Writes one call of the ask to the ledger as it ends, taking its cost off the reservation (in order, one transaction
   * each); a call that ends after the settlement is written all the same (its reservation is gone).
   */
  record(call: SpentCall): void;
  /** Once the calls recorded so far are written: writes `calls` and ends the reservation; idempotent (the first call wins). */
  settle(calls: readonly SpentCall[]): Promise<void>;
}

export interface TeamGateOptions {
  /** How long a reservation outlives the last sign of its instance (default 60 s). */
  reservationTtlMs?: number;
  /** The endpoint id serving a model key, for the ledger. */
  endpointOf: (model: string) => string;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /**
   * What the upstream serving `model` billed for its reply `generation` (ModelRouter.statedBill): asked for each call
   * written `estimated` that names its reply. Without it such a call keeps its estimate.
   */
  statedBill?: (model: string, generation: string, signal: AbortSignal) => Promise<StatedBill>;
  /** The waits before each time a cut call's bill is asked for (default STATED_BILL_WAITS_MS). */
  statedBillWaitsMs?: readonly number[];
}

/**
 * When a cut call's bill is asked for: 2, 6 and 14 s after its row is written (OpenRouter states a reply's a few seconds
 * after it ends); after the last, the estimate stands.
 */
const STATED_BILL_WAITS_MS: readonly number[] = [2_000, 4_000, 8_000];

/** A ledger call from the pipeline's call record. */
export const spentCall = (call: CallRecord): SpentCall => ({
  stage: call.stage,
  model: call.model,
  tokens: call.tokens,
  costUsd: call.costUsd,
  latencyMs: call.latencyMs,
  outcome: call.estimated ? 'estimated' : 'ok',
  ...(call.estimated && call.generation !== undefined ? { generation: call.generation } : {}),
  ...(!call.estimated && call.textTokens !== undefined ? { textTokens: call.textTokens } : {}),
});

const invalidKey = (): ApiError => new ApiError(401, 'the API key is missing, wrong or revoked: send Authorization: Bearer <your team key> (smcs keys add NAME prints one)', 'invalid_request_error', 'invalid_api_key');

interface KeyPolicy {
  budget_usd: number | null;
  budget_period: BudgetPeriod | null;
  rpm: number | null;
  revoked_at: Date | null;
}

export class TeamGate {
  /** SHA-256 of keys whose scrypt hash matched, by key id: a key is hashed with scrypt once per process. */
  private readonly verified = new Map<number, Buffer>();
  private readonly ttlMs: number;
  /** Ledger writes and settlements under way, waited for before the database closes (drain). */
  private readonly writing = new Set<Promise<void>>();
  /** The bills of cut calls being asked for, each ended by `drain`. */
  private readonly billLookups = new Set<AbortController>();
  private draining = false;

  constructor(
    readonly db: TeamDatabase,
    private readonly options: TeamGateOptions,
  ) {
    this.ttlMs = options.reservationTtlMs ?? 60_000;
  }

  /** The member whose key `authorization` carries; 401 for a missing, wrong or revoked key. */
  async authenticate(authorization: string | undefined): Promise<Member> {
    const presented = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '')?.[1];
    const parsed = presented === undefined ? undefined : parseTeamKey(presented);
    if (!parsed || presented === undefined) throw invalidKey();
    const row = await this.db.pool.query<{ name: string; salt: Buffer; hash: Buffer }>('SELECT name, salt, hash FROM smcs_team.keys WHERE key_id = $1 AND revoked_at IS NULL', [parsed.keyId]);
    const key = row.rows[0];
    if (!key) throw invalidKey();
    const digest = createHash('sha256').update(presented).digest();
    const known = this.verified.get(parsed.keyId);
    if (!known?.equals(digest)) {
      if (!(await secretMatches(parsed.secret, key.salt, key.hash))) throw invalidKey();
      this.verified.set(parsed.keyId, digest);
    }
    return { keyId: parsed.keyId, name: key.name };
  }

  /**
   * Admits an ask of `member` whose worst cost is `worstUsd` (0 for a relayed request, whose cost is known only after):
   * 429 `rate_limit_exceeded` beyond the key's requests per minute, 429 `insufficient_quota` once the budget is spent
   * (naming the budget, the spend and when it resets), 400 when a budgeted key's ask has no known price.
   */
  async admit(member: Member, worstUsd: number | null, askId: string): Promise<MemberHold> {
    await this.db.transaction(async (client) => {
      const policy = (await client.query<KeyPolicy>('SELECT budget_usd, budget_period, rpm, revoked_at FROM smcs_team.keys WHERE key_id = $1 FOR UPDATE', [member.keyId])).rows[0];
      if (!policy || policy.revoked_at !== null) throw invalidKey();
      if (policy.rpm !== null) {
        // The last 60 s, not the calendar minute: no minute-long window anywhere holds more than `rpm` asks.
        await client.query(`DELETE FROM smcs_team.admissions WHERE key_id = $1 AND at <= clock_timestamp() - interval '60 seconds'`, [member.keyId]);
        const window = (
          await client.query<{ asks: number; wait: number | null }>(
            `SELECT count(*)::int AS asks, ceil(extract(epoch FROM min(at) + interval '60 seconds' - clock_timestamp()))::int AS wait FROM smcs_team.admissions WHERE key_id = $1`,
            [member.keyId],
          )
        ).rows[0];
        if ((window?.asks ?? 0) >= policy.rpm) {
          const retry = String(Math.max(1, window?.wait ?? 60));
          throw new ApiError(429, `the key of ${member.name} may make ${policy.rpm} requests a minute, on all servers together; try again in ${retry} s`, 'rate_limit_error', 'rate_limit_exceeded', null, { 'retry-after': retry });
        }
        await client.query('INSERT INTO smcs_team.admissions (key_id, at) VALUES ($1, clock_timestamp())', [member.keyId]);
      }
      await client.query('DELETE FROM smcs_team.reservations WHERE key_id = $1 AND expires_at <= now()', [member.keyId]);
      if (policy.budget_usd !== null && policy.budget_period !== null) {
        if (worstUsd === null) throw new ApiError(400, `the key of ${member.name} has a budget, and the models chosen for this question have no known price: configure their prices`, 'invalid_request_error', 'price_unknown');
        const now = new Date();
        // One statement, one snapshot: a settlement committing in between cannot be missed by both halves.
        const row = (
          await client.query<{ spent: number | null; held: number | null }>(
            `SELECT (SELECT spent_usd FROM smcs_team.spend WHERE key_id = $1 AND period_start = $2) AS spent,
                    (SELECT sum(amount_usd) FROM smcs_team.reservations WHERE key_id = $1) AS held`,
            [member.keyId, periodStart(policy.budget_period, now)],
          )
        ).rows[0];
        const spent = row?.spent ?? 0;
        const held = row?.held ?? 0;
        if (spent + held >= policy.budget_usd) throw overBudget(member, policy.budget_usd, policy.budget_period, spent, held, now);
      }
      await client.query(`INSERT INTO smcs_team.reservations (ask_id, key_id, amount_usd, expires_at) VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')`, [askId, member.keyId, worstUsd ?? 0, this.ttlMs]);
      await client.query('UPDATE smcs_team.keys SET last_used_at = now() WHERE key_id = $1', [member.keyId]);
    });
    return this.hold(askId, member);
  }

  /**
   * The hold of an admitted ask: its reservation renewed while it runs; each call written as it ends (so an instance
   * killed mid-ask loses no call that finished, and the key's spend plus what is still reserved stays the ask's worst
   * cost); settled once, after the calls recorded before it.
   */
  private hold(askId: string, member: Member): MemberHold {
    const renew = setInterval(() => {
      this.db.pool.query(`UPDATE smcs_team.reservations SET expires_at = now() + $2 * interval '1 millisecond' WHERE ask_id = $1`, [askId, this.ttlMs]).catch((err: unknown) => this.options.log('warn', `could not renew the reservation of an ask of ${member.name}: ${String(err)}`));
    }, Math.max(100, this.ttlMs / 3));
    renew.unref();
    const failed = (err: unknown): void => this.options.log('error', `the spend of an ask of ${member.name} could not be recorded: ${String(err)}`);
    let written: Promise<void> = Promise.resolve();
    let settled: Promise<void> | undefined;
    const record = (call: SpentCall): void => {
      // After the settlement too: an upstream reply that finished as the client left was served, so it has its row.
      written = this.tracked(written.then(() => this.write(askId, member, [call], false)).catch(failed));
      if (call.outcome === 'estimated' && call.generation !== undefined) this.askBill(written, askId, member, call.model, call.generation);
    };
    const settle = (calls: readonly SpentCall[]): Promise<void> => {
      clearInterval(renew);
      settled ??= this.tracked(written.then(() => this.write(askId, member, calls, true)).catch(failed));
      return settled;
    };
    return { askId, member, record, settle };
  }

  /** `write`, kept among the writes `drain` waits for until it is done. */
  private tracked(write: Promise<void>): Promise<void> {
    this.writing.add(write);
    void write.finally(() => this.writing.delete(write));
    return write;
  }

  /**
   * Resolves once every ledger write and settlement under way is done, those they lead to included: a stopping server
   * calls it after its asks have ended and before it closes the database, so no row is lost to a closed pool. The
   * bills of cut calls still being asked for are not waited for: those rows keep their estimates.
   */
  async drain(): Promise<void> {
    this.draining = true;
    while (this.writing.size > 0) {
      for (const lookup of this.billLookups) lookup.abort();
      await Promise.allSettled([...this.writing]);
    }
  }

  /**
   * Once the row of a call cut mid-reply is `written`, asks its upstream what it billed for the reply (`generation`)
   * after each of the waits, until it says, and restates the row by it. Nothing an ask's client waits for waits on it;
   * `drain` ends it; when the upstream never says, the estimate stands.
   */
  private askBill(written: Promise<void>, askId: string, member: Member, model: string, generation: string): void {
    const { statedBill, statedBillWaitsMs = STATED_BILL_WAITS_MS } = this.options;
    if (!statedBill || this.draining) return;
    const lookup = new AbortController();
    this.billLookups.add(lookup);
    const asking = async (): Promise<void> => {
      await written;
      let why: unknown;
      for (const waitMs of statedBillWaitsMs) {
        try {
          await delay(waitMs, undefined, { signal: lookup.signal });
          await this.restate(askId, member, generation, await statedBill(model, generation, lookup.signal));
          return;
        } catch (err) {
          if (lookup.signal.aborted) return;
          why = err;
        }
      }
      this.options.log('warn', `the upstream of ${model} did not state what it billed for a reply cut mid-stream (an ask of ${member.name}): ${errorMessage(why)}; its estimate stands`);
    };
    void this.tracked(asking().finally(() => this.billLookups.delete(lookup)));
  }

  /**
   * Restates the row of reply `generation` in ask `askId`, written `estimated`, as its upstream billed it: its tokens and
   * cost, outcome `reconciled`; the key's spend in the row's period moves by the difference, in the same transaction.
   */
  private async restate(askId: string, member: Member, generation: string, bill: StatedBill): Promise<void> {
    await this.db.transaction(async (client) => {
      const row = (await client.query<{ cost_usd: number | null; at: Date }>(`SELECT cost_usd, at FROM smcs_team.ledger WHERE generation = $1 AND ask_id = $2 AND outcome = 'estimated' FOR UPDATE`, [generation, askId])).rows[0];
      if (!row) return;
      await client.query(`UPDATE smcs_team.ledger SET tokens_in = $3, tokens_out = $4, cost_usd = $5, outcome = 'reconciled' WHERE generation = $1 AND ask_id = $2 AND outcome = 'estimated'`, [
        generation,
        askId,
        Math.round(bill.tokens.prompt),
        Math.round(bill.tokens.completion),
        bill.costUsd,
      ]);
      const policy = (await client.query<{ budget_period: BudgetPeriod | null }>('SELECT budget_period FROM smcs_team.keys WHERE key_id = $1', [member.keyId])).rows[0];
      await client.query(
        `INSERT INTO smcs_team.spend (key_id, period_start, spent_usd) VALUES ($1, $2, $3)
         ON CONFLICT (key_id, period_start) DO UPDATE SET spent_usd = smcs_team.spend.spent_usd + EXCLUDED.spent_usd`,
        [member.keyId, periodStart(policy?.budget_period ?? 'month', row.at), bill.costUsd - (row.cost_usd ?? 0)],
      );
    });
  }

  /** Writes `calls` to the ledger and the period's spend, taking their cost off the ask's reservation — or, with `end`, ending it. */
  private async write(askId: string, member: Member, calls: readonly SpentCall[], end: boolean): Promise<void> {
    const total = calls.reduce((sum, c) => sum + (c.costUsd ?? 0), 0);
    await this.db.transaction(async (client) => {
      // No lock on the key: the reservation's change and the spend's rise commit together, and admission reads both in one statement.
      const policy = (await client.query<{ budget_period: BudgetPeriod | null }>('SELECT budget_period FROM smcs_team.keys WHERE key_id = $1', [member.keyId])).rows[0];
      if (end) await client.query('DELETE FROM smcs_team.reservations WHERE ask_id = $1', [askId]);
      else await client.query('UPDATE smcs_team.reservations SET amount_usd = greatest(0, amount_usd - $2) WHERE ask_id = $1', [askId, total]);
      if (calls.length === 0) return;
      await client.query(
        `INSERT INTO smcs_team.ledger (key_id, ask_id, stage, model, endpoint, tokens_in, tokens_out, cost_usd, ms, outcome, generation, text_tokens_in, text_tokens_out)
         SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::float8[], $9::int[], $10::text[], $11::text[], $12::int[], $13::int[])`,
        [
          member.keyId,
          askId,
          calls.map((c) => c.stage),
          calls.map((c) => c.model),
          calls.map((c) => this.options.endpointOf(c.model)),
          calls.map((c) => Math.round(c.tokens.prompt)),
          calls.map((c) => Math.round(c.tokens.completion)),
          calls.map((c) => c.costUsd),
          calls.map((c) => Math.round(c.latencyMs)),
          calls.map((c) => c.outcome),
          calls.map((c) => c.generation ?? null),
          calls.map((c) => (c.textTokens === undefined ? null : Math.round(c.textTokens.prompt))),
          calls.map((c) => (c.textTokens === undefined ? null : Math.round(c.textTokens.completion))),
        ],
      );
      await client.query(
        `INSERT INTO smcs_team.spend (key_id, period_start, spent_usd) VALUES ($1, $2, $3)
         ON CONFLICT (key_id, period_start) DO UPDATE SET spent_usd = smcs_team.spend.spent_usd + EXCLUDED.spent_usd`,
        [member.keyId, periodStart(policy?.budget_period ?? 'month', new Date()), total],
      );
    });
  }
}

/** The 429 of a spent budget, as OpenAI words a spent quota (`insufficient_quota`); the SDK is told not to retry it. */
function overBudget(member: Member, budgetUsd: number, period: BudgetPeriod, spentUsd: number, heldUsd: number, now: Date): ApiError {
  const held = heldUsd > 0 ? ` and ${formatUsd(heldUsd)} held by asks under way` : '';
  return new ApiError(
    429,
    `the budget of ${member.name} is ${formatUsd(budgetUsd)} per ${period}: ${formatUsd(spentUsd)} spent${held}; it resets at ${periodReset(period, now).toISOString()}`,
    'insufficient_quota',
    'insufficient_quota',
    null,
    { 'x-should-retry': 'false' },
  );
}
