/**
 * `smcs keys add|list|revoke|limit` and `smcs usage`: a team server's keys (one per person, with a budget and a rate)
 * and what they spent, in the team database (docs/teams.md, "Team server").
 */
import { formatUsd } from '../../presentation/format';
import type { BudgetPeriod } from '../../server/team/budgetPeriod';
import { usageReport, type UsageGrouping } from '../../server/team/spendLedger';
import type { KeyLimits } from '../../server/team/teamDatabase';
import { printText } from '../context';
import { UsageError } from '../errors';
import { withTeamDatabase, type DatabaseOptions } from '../teamDatabaseOption';

export interface KeyLimitOptions extends DatabaseOptions {
  /** False with `keys limit --no-budget`. */
  budget?: number | false;
  per?: BudgetPeriod;
  rpm?: number;
  json?: boolean;
}

/** The limits the flags set: a budget needs both --budget and --per. */
function limitsOf(options: KeyLimitOptions): KeyLimits {
  if (options.budget === false) return { budget: null, ...(options.rpm !== undefined ? { rpm: options.rpm } : {}) };
  if ((options.budget === undefined) !== (options.per === undefined)) throw new UsageError('a budget needs both --budget USD and --per day|week|month');
  return {
    ...(options.budget !== undefined && options.per !== undefined ? { budget: { usd: options.budget, per: options.per } } : {}),
    ...(options.rpm !== undefined ? { rpm: options.rpm } : {}),
  };
}

function checkName(name: string): string {
  if (!/^[\p{L}\p{N}._@-]{1,64}$/u.test(name)) throw new UsageError(`the key name ${JSON.stringify(name)} must be 1 to 64 letters, digits, '.', '_', '@' or '-'`);
  return name;
}

/** `smcs keys add NAME`: prints the new key once (stdout), and where it is kept (stderr). */
export async function keysAddCommand(name: string, options: KeyLimitOptions): Promise<void> {
  const limits = limitsOf(options);
  const key = await withTeamDatabase(options, (db) => db.addKey(checkName(name), limits));
  if (options.json) process.stdout.write(`${JSON.stringify({ name, key, ...limits })}\n`);
  else {
    process.stdout.write(`${key}\n`);
    process.stderr.write(`smcs: the key of ${name} is shown this once; only a salted hash of it is stored\n`);
  }
}

export async function keysRevokeCommand(name: string, options: DatabaseOptions & { json?: boolean }): Promise<void> {
  const revoked = await withTeamDatabase(options, (db) => db.revokeKey(name));
  if (!revoked) throw new UsageError(`there is no key named ${JSON.stringify(name)} (smcs keys list shows them)`);
  if (options.json) process.stdout.write(`${JSON.stringify({ name, revoked: true })}\n`);
  else printText(`revoked the key of ${name}: every server on this database refuses it from its next request`);
}

/** `smcs keys limit NAME`: a new budget and/or rate (`--no-budget` removes the budget). */
export async function keysLimitCommand(name: string, options: KeyLimitOptions): Promise<void> {
  const limits = limitsOf(options);
  if (limits.budget === undefined && limits.rpm === undefined) throw new UsageError('say what changes: --budget USD --per day|week|month, --no-budget, or --rpm N');
  const changed = await withTeamDatabase(options, (db) => db.setLimits(name, limits));
  if (!changed) throw new UsageError(`there is no key named ${JSON.stringify(name)} (smcs keys list shows them)`);
  if (options.json) process.stdout.write(`${JSON.stringify({ name, ...limits })}\n`);
  else printText(`changed the limits of ${name}`);
}

export async function keysListCommand(options: DatabaseOptions & { json?: boolean }): Promise<void> {
  const keys = await withTeamDatabase(options, (db) => db.listKeys());
  if (options.json) return void process.stdout.write(`${JSON.stringify({ keys })}\n`);
  if (keys.length === 0) return printText('no keys yet: smcs keys add NAME');
  for (const k of keys) {
    const budget = k.budget ? `${formatUsd(k.spentUsd)} of ${formatUsd(k.budget.usd)} per ${k.budget.per} spent${k.reservedUsd > 0 ? ` (${formatUsd(k.reservedUsd)} held)` : ''}, resets ${k.resetsAt ?? ''}` : `no budget, ${formatUsd(k.spentUsd)} this month`;
    const revoked = k.revokedAt === null ? '' : ` (revoked ${k.revokedAt})`;
    printText(`${k.name}${revoked}: created ${k.createdAt}, last used ${k.lastUsedAt ?? 'never'}; ${budget}${k.rpm !== null ? `; ${k.rpm} requests/min` : ''}`);
  }
}

export interface UsageOptions extends DatabaseOptions {
  by: UsageGrouping;
  since?: string;
  json?: boolean;
}

/** `--since`: a date (YYYY-MM-DD, UTC) or a number of days back (`7d`); default the last 30 days. */
export function sinceDate(value: string | undefined, now = new Date()): Date {
  if (value === undefined) return new Date(now.getTime() - 30 * 86_400_000);
  const days = /^(\d{1,5})d$/.exec(value)?.[1];
  if (days !== undefined) return new Date(now.getTime() - Number(days) * 86_400_000);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--since must be a date (2026-11-01) or days back (7d), got ${JSON.stringify(value)}`);
  return date;
}

export async function usageCommand(options: UsageOptions): Promise<void> {
  const since = sinceDate(options.since);
  const lines = await withTeamDatabase(options, (db) => usageReport(db, options.by, since));
  if (options.json) return void process.stdout.write(`${JSON.stringify({ by: options.by, since: since.toISOString(), usage: lines })}\n`);
  if (lines.length === 0) return printText(`no upstream calls since ${since.toISOString()}`);
  for (const l of lines) {
    const unpriced = l.unpriced > 0 ? ` (${l.unpriced} calls without a price)` : '';
    const cut = l.estimated + l.reconciled > 0 ? `; cut mid-reply: ${l.estimated} estimated, ${l.reconciled} as their upstream billed them` : '';
    printText(`${l.group}: ${formatUsd(l.costUsd)}${unpriced}; ${l.asks} asks, ${l.calls} calls, ${l.promptTokens}+${l.completionTokens} tokens${cut}`);
  }
}
