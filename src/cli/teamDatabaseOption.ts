/** The team server's database for `smcs keys`, `smcs usage` and `smcs serve --team`: `--database URL`, else the config's team bank URL. */
import { BankLocationError, isTeamBankUrl, parseTeamBankUrl } from '../core/contracts/bankLocation';
import { TeamDatabase } from '../server/team/teamDatabase';
import { loadConfig, type GlobalOptions } from './context';
import { UsageError } from './errors';

export interface DatabaseOptions extends GlobalOptions {
  database?: string;
}

/** The URL `--database` gives, else the config's `bank` when it is a team bank URL; a UsageError when neither is. */
export function teamDatabaseUrl(options: DatabaseOptions): string {
  const url = options.database ?? loadConfig(options).bank;
  if (url === undefined || !isTeamBankUrl(url)) throw new UsageError('name the team database: --database postgres://user@host:port/db (or a config whose "bank" is that URL)');
  try {
    parseTeamBankUrl(url);
  } catch (err) {
    if (err instanceof BankLocationError) throw new UsageError(`--database ${err.detail}`);
    throw err;
  }
  return url;
}

/** Opens the team database (its schema brought up to date), runs `fn`, closes it. */
export async function withTeamDatabase<T>(options: DatabaseOptions, fn: (db: TeamDatabase) => Promise<T>): Promise<T> {
  const db = await TeamDatabase.open(teamDatabaseUrl(options));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
