/**
 * `smcs bank copy --from X --to Y` (a folder or a team bank URL each way) and `smcs bank migrate-schema`: moving banks
 * between the local store and a team bank, and creating or upgrading a team bank's schema.
 */
import { bankExists, migrateBankSchema, openBank, readBankEmbedder, type BankAccess } from '../../bank';
import { BankCorruptError } from '../../bank/errors';
import type { EmbedderIdentity } from '../../bank/embedderIdentity';
import { copyBank, withCopyBanks, type CopyResult } from '../../bank';
import { bankAccess, bankDir } from '../../engine/engine';
import { cliBankLocation, cliHooks, loadConfig, printText, type GlobalOptions } from '../context';
import { UsageError } from '../errors';
import { formatCount, formatQuantity } from '../../presentation/format';

/** The embedder a bank records; a location without a bank is a usage error naming it. */
async function recorded(location: string, access: BankAccess): Promise<EmbedderIdentity> {
  const found = await readBankEmbedder(location, access);
  if ('embedder' in found) return found.embedder;
  if (await bankExists(location, access)) throw new BankCorruptError(location, found.problems);
  throw new UsageError(`--from: no question bank at ${location}`);
}

export async function bankCopyCommand(options: GlobalOptions & { from: string; to: string; json?: boolean }): Promise<CopyResult> {
  const config = loadConfig(options);
  const access = bankAccess(config, cliHooks(options));
  const fromLocation = cliBankLocation(options.from);
  const toLocation = cliBankLocation(options.to);
  if (fromLocation === toLocation) throw new UsageError('--from and --to name the same bank');
  const embedder = await recorded(fromLocation, access);
  return withCopyBanks(
    () => openBank(fromLocation, { embedder, ...access }),
    () => openBank(toLocation, { embedder, create: true, write: true, ...access }),
    async (from, to) => {
      const tty = process.stderr.isTTY === true;
      const result = await copyBank(from, to, {
        ...(access.user ? { user: access.user } : {}),
        onProgress: (p) => p.phase === 'committed' && process.stderr.write(`${tty ? '\r\x1b[K' : ''}copied ${formatCount(p.copied + p.skipped)}/${formatQuantity(p.total, 'question')} (${formatCount(p.skipped)} already there)${tty ? '' : '\n'}`),
      });
      if (tty) process.stderr.write('\n');
      if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else printText(`copied ${formatQuantity(result.copied, 'question')} from ${result.from} to ${result.to}; ${formatCount(result.skipped)} were there already (${formatCount(result.labelsUpdated)} of their labels updated); the target holds ${formatQuantity(await to.count(), 'question')}`);
      return result;
    },
  );
}

/** `smcs bank migrate-schema`: creates or upgrades the team bank's schema (a role that may create tables runs it), and says when it created the pgvector extension. */
export async function bankMigrateCommand(options: GlobalOptions & { json?: boolean }): Promise<void> {
  const config = loadConfig(options);
  const hooks = cliHooks(options);
  const location = bankDir(config, hooks.storageDir);
  const { from, to, extension } = await migrateBankSchema(location, bankAccess(config, hooks));
  const text = from === to ? `the schema of ${location} is up to date (version ${to})` : `migrated the schema of ${location} from version ${from} to ${to}`;
  process.stdout.write(options.json ? `${JSON.stringify({ bank: location, from, to, ...(extension === undefined ? {} : { extension }) })}\n` : `${extension === undefined ? '' : `${extension}\n`}${text}\n`);
}
