/** `smcs bank import|export|stats`: the question bank from the command line. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bankStats, exportBankJsonl, importBankJsonl, QuestionBank, type BankStats } from '../../bank';
import { MANIFEST_FILE, PREVIOUS_MANIFEST_FILE, parseManifest, type EmbedderIdentity } from '../../bank/manifest';
import { bankDir } from '../../engine';
import { cliHooks, configEmbedder, loadConfig, type GlobalOptions } from '../context';
import { createGateway } from '../../llm/gateway';
import { UsageError } from '../errors';

/** The embedder identity a bank folder records (for commands that only read it). */
function recordedEmbedder(dir: string): EmbedderIdentity {
  for (const file of [MANIFEST_FILE, PREVIOUS_MANIFEST_FILE]) {
    const full = path.join(dir, file);
    if (!existsSync(full)) continue;
    try {
      return parseManifest(readFileSync(full, 'utf8')).embedder;
    } catch {
      continue;
    }
  }
  throw new UsageError(`no question bank at ${dir} (import one with: smcs bank import FILE.jsonl --bank ${dir})`);
}

function resolveBankDir(options: GlobalOptions): string {
  const config = loadConfig(options);
  return bankDir(config, cliHooks(options).storageDir);
}

export async function bankImportCommand(files: string[], options: GlobalOptions & { json?: boolean }): Promise<void> {
  const config = loadConfig(options);
  const hooks = cliHooks(options);
  const dir = bankDir(config, hooks.storageDir);
  const gateway = config.embedding.provider === 'endpoint' ? await createGateway(config.endpoints, { log: hooks.log }) : undefined;
  const embedder = configEmbedder(config, hooks, (id) => {
    if (!gateway) throw new UsageError('embedding.endpoint needs endpoints in the config');
    return gateway.endpoint(id);
  });
  const bank = await QuestionBank.open(dir, { embedder: { id: embedder.id, dimension: await embedder.dimension() }, create: true, write: true });
  const tty = process.stderr.isTTY && !options.json;
  try {
    const totals = { added: 0, updated: 0 };
    for (const file of files) {
      const result = await importBankJsonl(bank, file, embedder, {
        onProgress: (p) => {
          if (tty && p.total > 0) process.stderr.write(`\r\x1b[K${path.basename(file)}: ${p.phase} ${p.done}/${p.total}`);
        },
      });
      if (tty) process.stderr.write('\r\x1b[K');
      totals.added += result.added;
      totals.updated += result.updated;
    }
    const summary = { bank: dir, ...totals, size: bank.size };
    process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : `imported into ${dir}: ${totals.added} added, ${totals.updated} updated; ${bank.size} questions\n`);
  } finally {
    await bank.close();
  }
}

export async function bankExportCommand(options: GlobalOptions & { out?: string }): Promise<void> {
  const dir = resolveBankDir(options);
  const bank = await QuestionBank.open(dir, { embedder: recordedEmbedder(dir) });
  try {
    const count = await exportBankJsonl(bank, options.out ?? process.stdout);
    if (options.out) process.stderr.write(`exported ${count} questions to ${options.out}\n`);
  } finally {
    await bank.close();
  }
}

export function formatStats(stats: BankStats, dir: string): string {
  const lines = [`bank ${dir}: ${stats.size} questions, embedder ${stats.embedder.id} (${stats.embedder.dimension}-d)`];
  if (stats.models.length > 0) {
    lines.push('', 'model'.padEnd(40) + 'labelled  accuracy');
    for (const m of stats.models) lines.push(`${m.model.padEnd(40)}${String(m.labelled).padStart(8)}  ${(100 * m.accuracy).toFixed(1).padStart(7)}%`);
  }
  const counts = (title: string, c: Record<string, number>) =>
    `${title}: ${Object.entries(c)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`;
  lines.push('', counts('domains', stats.domains), counts('sources', stats.sources));
  return lines.join('\n');
}

export async function bankStatsCommand(options: GlobalOptions & { json?: boolean }): Promise<void> {
  const dir = resolveBankDir(options);
  const bank = await QuestionBank.open(dir, { embedder: recordedEmbedder(dir) });
  try {
    const stats = bankStats(bank);
    process.stdout.write(options.json ? `${JSON.stringify({ bank: dir, ...stats }, null, 2)}\n` : `${formatStats(stats, dir)}\n`);
  } finally {
    await bank.close();
  }
}
