/**
 * The one way to open a bank: `openBank(location)` picks the store from the location (a folder is the local store,
 * a postgres:// URL a team bank), so the engine, the CLI, the profiler and the extension never name a store.
 */
import { isTeamBankUrl, parseTeamBankUrl, type TeamBankLocation } from '../core/bankLocation';
import type { Bank, BankAccess, OpenBankOptions } from './bank';
import { BankError } from './errors';
import { readRecordedEmbedder, type EmbedderIdentity } from './manifest';
import { openPool, unavailable } from './postgres/connection';
import { readTeamEmbedder, TeamBank, teamBankExists } from './postgres/pgBank';
import { migrate } from './postgres/schema';
import { hasBank, QuestionBank } from './questionBank';

function teamLocation(location: string): TeamBankLocation {
  try {
    return parseTeamBankUrl(location);
  } catch (err) {
    throw new BankError(`bank ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Opens (or with `create`, creates) the bank at `location`; refuses another embedder than the one that built it. */
export async function openBank(location: string, options: OpenBankOptions & BankAccess): Promise<Bank> {
  if (isTeamBankUrl(location)) return TeamBank.open(teamLocation(location), options);
  return QuestionBank.open(location, options);
}

/** True when `location` holds a bank (also a damaged one, or a file where a folder should be: opening it then says which). */
export function bankExists(location: string, access: BankAccess = {}): Promise<boolean> {
  if (isTeamBankUrl(location)) return teamBankExists(teamLocation(location), access.password);
  return hasBank(location);
}

/** The embedder the bank at `location` records, or why it cannot be read (for commands that open a bank without embedding). */
export function readBankEmbedder(location: string, access: BankAccess = {}): Promise<{ embedder: EmbedderIdentity } | { problems: string[] }> {
  if (isTeamBankUrl(location)) return readTeamEmbedder(teamLocation(location), access.password);
  return readRecordedEmbedder(location);
}

/** The local store's own operations (recovery of set-aside generations) are there only when this is true. */
export function isLocalBank(bank: Bank): bank is QuestionBank {
  return bank.store === 'local';
}

/**
 * Creates or upgrades a team bank's schema (`smcs bank migrate-schema`); needs a role that may create tables in the
 * database. Returns the schema versions before and after.
 */
export async function migrateBankSchema(location: string, access: BankAccess = {}): Promise<{ from: number; to: number }> {
  if (!isTeamBankUrl(location)) throw new BankError(`migrate-schema applies to a team bank (a postgres:// URL); ${location} is a bank folder, which needs none`);
  const where = teamLocation(location);
  const pool = await openPool(where, access.password);
  try {
    const client = await pool.connect();
    try {
      return await migrate(client, where.display);
    } finally {
      client.release();
    }
  } catch (err) {
    throw unavailable(err, where);
  } finally {
    await pool.end();
  }
}
