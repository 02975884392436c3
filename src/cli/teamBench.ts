/**
 * The team server's part of `smcs bench --team`: what a member's key costs an ask on a team server — the key check,
 * the reservation (one transaction) before the ask, and its three calls written to the ledger as they end (a transaction
 * each, taking their cost off the reservation) with the reservation ended after them — at a steady
 * rate of asks per second over four keys, on the database `--database` names (a scratch one: bench keys are added and revoked).
 */
import { randomUUID } from 'node:crypto';
import { percentile } from '../core/util/arrays';
import { TeamGate, type SpentCall } from '../server/team/teamGate';
import type { TeamDatabase } from '../server/team/teamDatabase';
import { ledgerFootprint } from '../server/team/spendLedger';

export interface TeamBenchmark {
  asksPerSecond: number;
  asks: number;
  /** Key check + reservation: what an ask waits before its first upstream call. */
  admitP50Ms: number;
  admitP95Ms: number;
  /** Writing the calls (ledger rows and spend, one transaction per call) and ending the reservation. */
  settleP50Ms: number;
  settleP95Ms: number;
  /** Both together: the database work per ask. */
  totalP50Ms: number;
  totalP95Ms: number;
  /** The ledger's size on this database after the run: bytes per row as stored, without and with its indexes. */
  ledger: { rows: number; rowBytes: number; heapBytesPerRow: number; totalBytesPerRow: number };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The calls of an ask of K = 2, n = 1: two references and an aggregation. */
const CALLS: SpentCall[] = [
  { stage: 'referencer', model: 'bench-a', tokens: { prompt: 120, completion: 40 }, costUsd: 0.0004, latencyMs: 900, outcome: 'ok' },
  { stage: 'referencer', model: 'bench-b', tokens: { prompt: 120, completion: 55 }, costUsd: 0.0005, latencyMs: 1100, outcome: 'ok' },
  { stage: 'aggregation', model: 'bench-a', tokens: { prompt: 260, completion: 50 }, costUsd: 0.0007, latencyMs: 800, outcome: 'ok' },
];

/** Members asking at once: a team's asks are spread over its keys (one key's admissions take turns on its row). */
const KEYS = 4;

/** `asks` asks started `1000 / rate` ms apart (not waiting for each other) over four budgeted bench keys, each admitted and settled. */
export async function benchmarkTeamGate(db: TeamDatabase, rate = 50, asks = 500): Promise<TeamBenchmark> {
  const run = randomUUID().slice(0, 8);
  const names = Array.from({ length: KEYS }, (_, i) => `bench-${run}-${i}`);
  const headers: string[] = [];
  for (const name of names) headers.push(`Bearer ${await db.addKey(name, { budget: { usd: 1e6, per: 'day' } })}`);
  const gate = new TeamGate(db, { endpointOf: () => 'bench', log: () => undefined });
  // A key's scrypt check is done once per process; a running server has done it long before.
  for (const header of headers) await gate.authenticate(header);
  const admitted: number[] = [];
  const settled: number[] = [];
  const one = async (header: string): Promise<void> => {
    const t0 = performance.now();
    const member = await gate.authenticate(header);
    const hold = await gate.admit(member, 0.01, randomUUID());
    const t1 = performance.now();
    for (const call of CALLS) hold.record(call);
    await hold.settle([]);
    admitted.push(t1 - t0);
    settled.push(performance.now() - t1);
  };
  try {
    const started: Promise<void>[] = [];
    const begin = performance.now();
    for (let i = 0; i < asks; i++) {
      const wait = begin + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      started.push(one(headers[i % KEYS] ?? ''));
    }
    await Promise.all(started);
  } finally {
    for (const name of names) await db.revokeKey(name);
  }
  const totals = admitted.map((a, i) => a + (settled[i] ?? 0));
  const ledger = await ledgerFootprint(db);
  return {
    asksPerSecond: rate,
    asks,
    admitP50Ms: round(percentile(admitted, 0.5)),
    admitP95Ms: round(percentile(admitted, 0.95)),
    settleP50Ms: round(percentile(settled, 0.5)),
    settleP95Ms: round(percentile(settled, 0.95)),
    totalP50Ms: round(percentile(totals, 0.5)),
    totalP95Ms: round(percentile(totals, 0.95)),
    ledger: { rows: ledger.rows, rowBytes: round(ledger.rowBytes), heapBytesPerRow: round(ledger.heapBytesPerRow), totalBytesPerRow: round(ledger.totalBytesPerRow) },
  };
}
