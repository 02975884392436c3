/**
 * The one way to open a bank: `openBank(location)` picks the store from the location (a folder is the local store,
 * a postgres:// URL a team bank), so the engine, the CLI, the profiler and the extension never name a store.
 */
import type pg from 'pg';
import { isTeamBankUrl, parseTeamBankUrl, type TeamBankLocation } from '../core/contracts/bankLocation';
import type { Bank, BankAccess, OpenBankOptions } from './bank';
import { BankError } from './errors';
import { readRecordedEmbedder, readRecordedSize } from './local/manifest';
import type { EmbedderIdentity } from './embedderIdentity';
import { openPool, unavailable } from './team/connection';
import { readTeamEmbedder, TeamBank, teamBankExists } from './team/teamBank';
import { checkSchema, migrate, type MigrationResult } from './team/schema';
import { hasBank, LocalBank } from './local/localBank';
import { removeInterruptedCreation } from './local/interruptedCreation';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';

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
  return LocalBank.open(location, options);
}

/** True when `location` holds a bank (also a damaged one, or a file where a folder should be: opening it then says which). */
export function bankExists(location: string, access: BankAccess = {}): Promise<boolean> {
  if (isTeamBankUrl(location)) return teamBankExists(teamLocation(location), access.password);
  return hasBank(location);
}

/**
 * Removes what a first import into the bank folder `location` left when its process was stopped (kill -9, a crash)
 * before it stored a question, and says what (see local/interruptedCreation); undefined when there was nothing, while
 * that import still runs, and for a team bank (whose writes are transactions).
 */
export async function removeInterruptedImport(location: string): Promise<string | undefined> {
  if (isTeamBankUrl(location)) return undefined;
  if (!(await stat(location).then((info) => info.isDirectory(), () => false))) return undefined;
  return (await removeInterruptedCreation(path.resolve(location)))?.message;
}

/** The embedder the bank at `location` records, or why it cannot be read (for commands that open a bank without embedding). */
export function readBankEmbedder(location: string, access: BankAccess = {}): Promise<{ embedder: EmbedderIdentity } | { problems: string[] }> {
  if (isTeamBankUrl(location)) return readTeamEmbedder(teamLocation(location), access.password);
  return readRecordedEmbedder(location);
}

/** How many questions the bank folder at `location` records (0 when it holds none), read without opening the bank; a BankError for a team bank URL. */
export function localBankSize(location: string): Promise<number> {
  if (isTeamBankUrl(location)) return Promise.reject(new BankError(`${location} is a team bank, not a bank folder`));
  return readRecordedSize(location);
}

/** The local store's own operations (recovery of set-aside generations) are there only when this is true. */
export function isLocalBank(bank: Bank): bank is LocalBank {
  return bank.store === 'local';
}

/** Runs `work` on one connection to the team bank at `location`, closing it after; connection failures name the bank. */
async function withTeamClient<T>(location: string, access: BankAccess, work: (client: pg.PoolClient, where: TeamBankLocation) => Promise<T>): Promise<T> {
  const where = teamLocation(location);
  const pool = await openPool(where, access.password);
  try {
    const client = await pool.connect();
    try {
      return await work(client, where);
    } finally {
      client.release();
    }
  } catch (err) {
    throw unavailable(err, where);
  } finally {
    await pool.end();
  }
}

/**
 * Creates or upgrades a team bank's schema (`smcs bank migrate-schema`); needs a role that may create tables in the
 * database, and creates the pgvector extension when the role may. Returns the schema versions before and after.
 */
export async function migrateBankSchema(location: string, access: BankAccess = {}): Promise<MigrationResult> {
  if (!isTeamBankUrl(location)) throw new BankError(`migrate-schema applies to a team bank (a postgres:// URL); ${location} is a bank folder, which needs none`);
  return withTeamClient(location, access, (client, where) => migrate(client, where.display));
}

/**
 * Refuses a team bank whose schema is missing, old or newer (BankSchemaError) in one short query, so a command checks it
 * before reading any file; a folder needs no schema.
 */
export async function checkBankSchema(location: string, access: BankAccess = {}): Promise<void> {
  if (!isTeamBankUrl(location)) return;
  await withTeamClient(location, access, (client, where) => checkSchema(client, where.display));
}
