/** `smcs bank import|export|stats`: the question bank from the command line. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { bankStats, exportBankJsonl, importBankJsonl, importRecords, QuestionBank, type BankStats, type ImportProgress } from '../../bank';
import { clearFeedback, listFeedback, removeFeedback } from '../../bank/feedback';
import { detectFormat, importFiles, type ImportFormat } from '../../bank/importers';
import { readRecordedEmbedder, type EmbedderIdentity } from '../../bank/manifest';
import { cliHooks, loadConfig, type GlobalOptions } from '../context';
import { createGateway } from '../../llm/gateway';
import { UsageError } from '../errors';
import { bankDir, embedderFor } from '../../engine/engine';

/** The embedder identity a bank folder records (for commands that do not embed). */
export async function recordedEmbedder(dir: string): Promise<EmbedderIdentity> {
  const recorded = await readRecordedEmbedder(dir);
  if ('embedder' in recorded) return recorded.embedder;
  throw new UsageError(`no question bank at ${dir} (import one with: smcs bank import FILE.jsonl --bank ${dir})`);
}

function resolveBankDir(options: GlobalOptions): string {
  const config = loadConfig(options);
  return bankDir(config, cliHooks(options).storageDir);
}

export interface BankImportOptions extends GlobalOptions {
  json?: boolean;
  format?: ImportFormat | 'auto';
  /** `source=key` pairs. */
  alias?: string[];
  model?: string;
  metric?: string;
  filter?: string;
}

/** Parses `--alias src=key` values into a map; names the bad value on error. */
export function parseAliases(values: readonly string[] | undefined): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const value of values ?? []) {
    const at = value.indexOf('=');
    const from = value.slice(0, at).trim();
    const to = value.slice(at + 1).trim();
    if (at < 0 || from === '' || to === '') throw new UsageError(`--alias must look like SOURCE=KEY (source model name = bank model key), got ${JSON.stringify(value)}`);
    aliases[from] = to;
  }
  return aliases;
}

async function resolveFormat(paths: readonly string[], format: BankImportOptions['format']): Promise<ImportFormat> {
  if (format && format !== 'auto') return format;
  const [first] = paths;
  if (first === undefined) throw new UsageError('no files or folders to import given');
  try {
    return await detectFormat(first);
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (--format jsonl|lm-eval|mmlu-pro)`);
  }
}

export async function bankImportCommand(files: string[], options: BankImportOptions): Promise<void> {
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) throw new UsageError(`no such file or folder: ${missing.join(', ')}`);
  const aliases = parseAliases(options.alias);
  const format = await resolveFormat(files, options.format);
  if (format !== 'lm-eval' && (options.model || options.metric || options.filter)) throw new UsageError('--model, --metric and --filter apply to --format lm-eval only');
  const config = loadConfig(options);
  const hooks = cliHooks(options);
  const dir = bankDir(config, hooks.storageDir);
  const gateway = config.embedding.provider === 'endpoint' ? await createGateway(config.endpoints, { log: hooks.log }) : undefined;
  const embedder = embedderFor(config, hooks, (id) => {
    if (!gateway) throw new UsageError('embedding.endpoint needs endpoints in the config');
    return gateway.endpoint(id);
  });
  const tty = process.stderr.isTTY && !options.json;
  const progress = (name: string) => (p: ImportProgress) => {
    if (tty && p.total > 0) process.stderr.write(`\r\x1b[K${name}: ${p.phase} ${p.done}/${p.total}`);
  };
  const parsed =
    format === 'jsonl' && Object.keys(aliases).length === 0
      ? undefined
      : await importFiles({ format, paths: files, aliases, ...(options.model ? { model: options.model } : {}), ...(options.metric ? { metric: options.metric } : {}), ...(options.filter ? { filter: options.filter } : {}) });
  for (const warning of parsed?.warnings ?? []) process.stderr.write(`smcs: warning: ${warning}\n`);
  const bank = await QuestionBank.open(dir, { embedder: { id: embedder.id, dimension: await embedder.dimension() }, create: true, write: true });
  try {
    const totals = { added: 0, updated: 0 };
    const results = parsed
      ? [await importRecords(bank, parsed.records, embedder, { sourceName: files.join(', '), onProgress: progress(format) })]
      : [];
    for (const file of parsed ? [] : files) results.push(await importBankJsonl(bank, file, embedder, { onProgress: progress(path.basename(file)) }));
    if (tty) process.stderr.write('\r\x1b[K');
    for (const r of results) {
      totals.added += r.added;
      totals.updated += r.updated;
    }
    const summary = { bank: dir, format, ...totals, size: bank.size, ...(parsed ? { models: parsed.models, warnings: parsed.warnings.length } : {}) };
    process.stdout.write(
      options.json
        ? `${JSON.stringify(summary)}\n`
        : `imported ${format} into ${dir}: ${totals.added} added, ${totals.updated} updated; ${bank.size} questions${parsed ? `; models: ${parsed.models.join(', ') || '(none)'}` : ''}\n`,
    );
  } finally {
    await bank.close();
  }
}

export async function bankExportCommand(options: GlobalOptions & { out?: string }): Promise<void> {
  const dir = resolveBankDir(options);
  const bank = await QuestionBank.open(dir, { embedder: await recordedEmbedder(dir) });
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
    const domains = [...new Set(stats.models.flatMap((m) => Object.keys(m.byDomain)))].sort();
    if (domains.length > 1) {
      lines.push('', 'accuracy by domain (labelled questions)');
      for (const m of stats.models) {
        lines.push(`  ${m.model}`);
        for (const [domain, d] of Object.entries(m.byDomain)) lines.push(`    ${domain.padEnd(28)}${(100 * d.accuracy).toFixed(1).padStart(6)}%  (${d.correct}/${d.labelled})`);
      }
    }
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
  const bank = await QuestionBank.open(dir, { embedder: await recordedEmbedder(dir) });
  try {
    const stats = bankStats(bank);
    process.stdout.write(options.json ? `${JSON.stringify({ bank: dir, ...stats }, null, 2)}\n` : `${formatStats(stats, dir)}\n`);
  } finally {
    await bank.close();
  }
}

/** The text before its first line break (all of it when there is none). */
function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end < 0 ? text : text.slice(0, end);
}

/** `smcs bank feedback list|remove|clear`: the questions learnt from the user's choices. */
export async function bankFeedbackCommand(action: 'list' | 'remove' | 'clear', ids: string[], options: GlobalOptions & { json?: boolean }): Promise<void> {
  const dir = resolveBankDir(options);
  const identity = await recordedEmbedder(dir);
  if (action === 'list') {
    const bank = await QuestionBank.open(dir, { embedder: identity });
    try {
      const items = listFeedback(bank);
      if (options.json) process.stdout.write(`${JSON.stringify(items)}\n`);
      else if (items.length === 0) process.stdout.write('no feedback questions\n');
      else for (const r of items) process.stdout.write(`${r.id}  ${JSON.stringify(r.correct ?? {})}  ${firstLine(r.question).slice(0, 80)}\n`);
    } finally {
      await bank.close();
    }
    return;
  }
  if (action === 'remove' && ids.length === 0) throw new UsageError('bank feedback remove needs at least one id (see: smcs bank feedback list)');
  const bank = await QuestionBank.open(dir, { embedder: identity, write: true });
  try {
    const removed = action === 'clear' ? await clearFeedback(bank) : (await removeFeedback(bank, ids), ids.length);
    process.stdout.write(options.json ? `${JSON.stringify({ removed, size: bank.size })}\n` : `removed ${removed} feedback question${removed === 1 ? '' : 's'}; ${bank.size} questions left\n`);
  } finally {
    await bank.close();
  }
}
