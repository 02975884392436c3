/**
 * `smcs bank copy --from X --to Y` (a folder or a team bank URL each way) and `smcs bank migrate-schema`: moving banks
 * between the local store and a team bank, and creating or upgrading a team bank's schema.
 */
import { bankExists, migrateBankSchema, openBank, readBankEmbedder, type Bank, type BankAccess, type LabelUpdate, type NewQuestion } from '../../bank';
import { BankCorruptError } from '../../bank/errors';
import type { EmbedderIdentity } from '../../bank/embedderIdentity';
import type { BankRecord, RecordedTokens } from '../../core/contracts/types';
import { bankAccess, bankDir } from '../../engine/engine';
import { cliBankLocation, cliHooks, loadConfig, printText, type GlobalOptions } from '../context';
import { UsageError } from '../errors';
import { formatCount, formatQuantity } from '../../shared/format';
import { own } from '../../core/util/ownKeys';

/** Questions copied per commit: each is one transaction (team bank) or one generation (folder), so a copy resumes from the last. */
const COPY_BATCH = 5000;

export interface CopyProgress {
  copied: number;
  skipped: number;
  total: number;
}

export interface CopyResult extends CopyProgress {
  from: string;
  to: string;
  /** Labels of questions the target already held that the copy changed. */
  labelsUpdated: number;
}

/** The source's labels (with their reply tokens) that the target lacks or holds otherwise, as label updates. */
function labelChanges(source: BankRecord, target: BankRecord): LabelUpdate[] {
  const same = (a: RecordedTokens | undefined, b: RecordedTokens | undefined) => a?.prompt === b?.prompt && a?.completion === b?.completion && a?.estimated === b?.estimated;
  return Object.entries(source.correct ?? {})
    .filter(([model, value]) => own(target.correct, model) !== value || !same(own(source.tokens, model), own(target.tokens, model)))
    .map(([model, correct]) => {
      const tokens = own(source.tokens, model);
      return { id: source.id, model, correct, ...(tokens ? { tokens } : {}) };
    });
}

/**
 * Copies every question of `from` into `to` in bank order, a batch per commit: questions the target lacks are added
 * with their embeddings and labels; ones it holds keep their text and get the source's labels where those differ.
 * Interrupted, it resumes where it stopped (what is there is not copied again).
 */
export async function copyBank(from: Bank, to: Bank, options: { user?: string; onProgress?: (p: CopyProgress) => void; batch?: number } = {}): Promise<CopyResult> {
  to.assertWritable('copy into it');
  const total = await from.count();
  const origin = { via: 'import' as const, ...(options.user ? { user: options.user } : {}) };
  const size = Math.max(1, options.batch ?? COPY_BATCH);
  const progress = { copied: 0, skipped: 0, total };
  let labelsUpdated = 0;
  let batch: BankRecord[] = [];
  const flush = async () => {
    const held = await to.lookup(batch.map((r) => r.id));
    const add: NewQuestion[] = [];
    const labels: LabelUpdate[] = [];
    for (const record of batch) {
      const there = held.get(record.id);
      if (there) {
        labels.push(...labelChanges(record, there));
        progress.skipped++;
      } else {
        add.push({ ...record, embedding: record.embedding as number[] });
        progress.copied++;
      }
    }
    if (add.length + labels.length > 0) await to.commit({ add, labels, addOrMerge: true, origin });
    labelsUpdated += labels.length;
    batch = [];
    options.onProgress?.({ ...progress });
  };
  for await (const record of from.scan({ embedding: true })) {
    batch.push(record);
    if (batch.length >= size) await flush();
  }
  if (batch.length > 0) await flush();
  return { from: from.location, to: to.location, ...progress, labelsUpdated };
}

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
  const from = await openBank(fromLocation, { embedder, ...access });
  try {
    const to = await openBank(toLocation, { embedder, create: true, write: true, ...access });
    try {
      const tty = process.stderr.isTTY === true;
      const result = await copyBank(from, to, {
        ...(access.user ? { user: access.user } : {}),
        onProgress: (p) => process.stderr.write(`${tty ? '\r\x1b[K' : ''}copied ${formatCount(p.copied + p.skipped)}/${formatQuantity(p.total, 'question')} (${formatCount(p.skipped)} already there)${tty ? '' : '\n'}`),
      });
      if (tty) process.stderr.write('\n');
      if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else printText(`copied ${formatQuantity(result.copied, 'question')} from ${result.from} to ${result.to}; ${formatCount(result.skipped)} were there already (${formatCount(result.labelsUpdated)} of their labels updated); the target holds ${formatQuantity(await to.count(), 'question')}`);
      return result;
    } catch (err) {
      await to.discardIfNew();
      throw err;
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
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
