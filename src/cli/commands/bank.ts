/** `smcs bank import|export|stats|recover|feedback`: the question bank from the command line. */
import { existsSync } from 'node:fs';
import {
  bankExists,
  BankCorruptError,
  BankError,
  describeLost,
  exportBankJsonl,
  formatSkipLines,
  importRecords,
  isLocalBank,
  openBank,
  readBankEmbedder,
  recoveryWarning,
  summarizeSkips,
  type Bank,
  type BankAccess,
  type BankStats,
  type ImportProgress,
  type OpenBankOptions,
} from '../../bank';
import { errorMessage } from '../../core/contracts/errors';
import { stripTerminalControls } from '../../core/util/terminalText';
import { setOwn } from '../../core/util/ownKeys';
import { clearFeedback, listFeedback, removeFeedback } from '../../bank/feedback';
import { detectFormat, importFiles, type ImportFormat } from '../../bank/transfer/importers';
import type { EmbedderIdentity } from '../../bank/embedderIdentity';
import { cliHooks, loadConfig, printText, type GlobalOptions } from '../context';
import { createGateway } from '../../llm/gateway';
import { UsageError } from '../errors';
import { InputFileError } from '../../files/userFile';
import { formatCount, formatQuantity } from '../../presentation/format';
import { bankAccess, bankDir, embedderFor } from '../../engine/engine';

/**
 * The embedder identity a bank records (for commands that do not embed). A location with no bank is a
 * UsageError; a bank whose record cannot be read is damaged (BankCorruptError).
 */
export async function recordedEmbedder(dir: string): Promise<EmbedderIdentity> {
  const recorded = await readBankEmbedder(dir);
  if ('embedder' in recorded) return recorded.embedder;
  if (await bankExists(dir)) throw new BankCorruptError(dir, recorded.problems);
  throw new UsageError(`no question bank at ${dir} (import one with: smcs bank import FILE.jsonl --bank ${dir})`);
}

/**
 * Prints the one-line warning on stderr while the bank has lost data that is neither restored nor discarded, and what
 * an interrupted first import had left that this open removed (every bank command and `smcs profile`).
 */
export function printRecoveryWarning(bank: Bank): void {
  const warning = recoveryWarning(bank);
  if (warning) process.stderr.write(`smcs: ${warning}\n`);
  if (isLocalBank(bank) && bank.removedLeftovers !== undefined) process.stderr.write(`smcs: ${bank.removedLeftovers}\n`);
}

/** Opens the bank and prints its recovery warning, if any. */
async function openBankWarned(dir: string, options: OpenBankOptions & BankAccess): Promise<Bank> {
  const bank = await openBank(dir, options);
  printRecoveryWarning(bank);
  return bank;
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
  /** Refuse the import when any record cannot be used (instead of skipping it). */
  strict?: boolean;
}

/** Parses `--alias src=key` values into a map; names the bad value on error. */
export function parseAliases(values: readonly string[] | undefined): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const value of values ?? []) {
    const at = value.indexOf('=');
    const from = value.slice(0, at).trim();
    const to = value.slice(at + 1).trim();
    if (at < 0 || from === '' || to === '') throw new UsageError(`--alias must look like SOURCE=KEY (source model name = bank model key), got ${JSON.stringify(value)}`);
    setOwn(aliases, from, to);
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
    if (err instanceof InputFileError) throw err;
    throw new UsageError(`${errorMessage(err)} (--format jsonl|lm-eval|mmlu-pro)`);
  }
}

const PHASE_TEXT: Record<ImportProgress['phase'], string> = { read: 'reading files', validate: 'checking records', embed: 'embedding questions', write: 'writing the bank' };

/**
 * Import progress on stderr: one self-overwriting line on a terminal; otherwise a line per phase and at most
 * one every two seconds within it, so logs of long imports show that it moves.
 */
export function importProgressPrinter(stream: Pick<NodeJS.WriteStream, 'isTTY' | 'write'> = process.stderr): { report: (p: ImportProgress) => void; end: () => void } {
  const tty = stream.isTTY === true;
  let phase = '';
  let last = 0;
  return {
    report: (p) => {
      const line = `${PHASE_TEXT[p.phase]} ${p.total > 0 ? `${p.done}/${p.total}` : p.done}${p.file ? ` (${stripTerminalControls(p.file)})` : ''}`;
      if (tty) {
        stream.write(`\r\x1b[K${line}`);
        return;
      }
      const now = Date.now();
      if (p.phase !== phase || now - last >= 2000) {
        phase = p.phase;
        last = now;
        stream.write(`${line}\n`);
      }
    },
    end: () => {
      if (tty) stream.write('\r\x1b[K');
    },
  };
}

/** Most import warnings printed one by one; the rest are counted. */
const PRINTED_WARNINGS = 20;

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
  const signal = options.signal ?? new AbortController().signal;
  const identity = { id: embedder.id, dimension: await embedder.dimension(signal) };
  const progress = importProgressPrinter();
  try {
    const parsed = await importFiles({
      format, paths: files, aliases, strict: options.strict === true, dimension: identity.dimension, onProgress: progress.report, signal,
      ...(options.model ? { model: options.model } : {}), ...(options.metric ? { metric: options.metric } : {}), ...(options.filter ? { filter: options.filter } : {}),
    });
    const access = bankAccess(config, hooks);
    const bank = await openBankWarned(dir, { embedder: identity, create: true, write: true, ...access });
    let result: { added: number; updated: number };
    let size: number;
    try {
      result = await importRecords(bank, parsed.records, embedder, {
        sourceName: files.join(', '), onProgress: progress.report, signal, ...(access.user ? { user: access.user } : {}),
      });
      size = await bank.count();
      await bank.close();
    } catch (err) {
      await bank.discardIfNew();
      throw err;
    }
    progress.end();
    for (const warning of parsed.warnings.slice(0, PRINTED_WARNINGS)) process.stderr.write(stripTerminalControls(`smcs: warning: ${warning}\n`));
    if (parsed.warnings.length > PRINTED_WARNINGS) process.stderr.write(`smcs: … and ${parsed.warnings.length - PRINTED_WARNINGS} more warnings\n`);
    const skipped = summarizeSkips(parsed.skipped, 5);
    const summary = {
      bank: dir, format, ...result, size, models: parsed.models, warnings: parsed.warnings.length,
      files: parsed.files, entries: parsed.entries, skipped,
    };
    const text = [
      `imported ${format} into ${dir}: ${formatCount(result.added)} added, ${formatCount(result.updated)} updated; ${formatQuantity(size, 'question')}; models: ${parsed.models.join(', ') || '(none)'}`,
      ...(skipped.length > 0 ? [`read ${formatCount(parsed.entries)} entries from ${formatQuantity(parsed.files, 'file')}; ${formatCount(parsed.skipped.length)} skipped (--strict refuses instead):`, ...formatSkipLines(skipped).map((l) => `  ${l}`)] : []),
    ];
    if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else printText(text.join('\n'));
  } finally {
    progress.end();
  }
}

/** `smcs bank recover [--discard]`: restore what the set-aside generations hold, or delete them after saying what goes. */
export async function bankRecoverCommand(options: GlobalOptions & { discard?: boolean; json?: boolean }): Promise<void> {
  const dir = resolveBankDir(options);
  const bank = await openBank(dir, { embedder: await recordedEmbedder(dir), write: true });
  try {
    if (!isLocalBank(bank)) throw new UsageError(`bank recover applies to a bank folder; ${dir} is a ${bank.store} bank, which keeps no set-aside generations`);
    const lost = bank.recovery?.lost ?? [];
    if (lost.length === 0) {
      process.stdout.write(options.json ? `${JSON.stringify({ bank: dir, lost: [] })}\n` : `nothing to recover: the bank at ${dir} holds no set-aside data\n`);
      return;
    }
    if (options.discard) {
      for (const l of lost) process.stderr.write(`discarding ${describeLost(l, dir)}\n`);
      const gone = await bank.discardSetAside();
      process.stdout.write(options.json ? `${JSON.stringify({ bank: dir, discarded: gone })}\n` : `discarded ${gone.length} set-aside generation${gone.length === 1 ? '' : 's'}; the bank holds ${formatQuantity(bank.size, 'question')}\n`);
      return;
    }
    const reports = await bank.restoreSetAside();
    const remaining = (bank.recovery?.lost ?? []).filter((l) => l.restoredAt);
    const lines = [
      ...reports.map((r) => `restored generation ${r.generation ?? '?'}: ${formatQuantity(r.questions, 'question')} and ${formatQuantity(r.labels, 'label')} put back${r.unrestorable.length > 0 ? `; could not restore ${r.unrestorable.join(', ')} (kept in ${r.folder})` : ''}`),
      // Restored by an earlier run: what is left of it cannot be restored, so say what it is.
      ...remaining.map((l) => `restored earlier, the rest cannot be: ${describeLost(l, dir)}`),
    ];
    if (options.json) process.stdout.write(`${JSON.stringify({ bank: dir, restored: reports, size: bank.size })}\n`);
    else printText([...lines, `the bank holds ${formatQuantity(bank.size, 'question')}`].join('\n'));
    const unrestored = reports.filter((r) => r.unrestorable.length > 0).length + remaining.length;
    if (unrestored > 0) throw new BankError(`bank at ${dir}: some set-aside data could not be restored (see above); run "smcs bank recover --discard" to delete it`);
  } finally {
    await bank.close();
  }
}

export async function bankExportCommand(options: GlobalOptions & { out?: string }): Promise<void> {
  const dir = resolveBankDir(options);
  const bank = await openBankWarned(dir, { embedder: await recordedEmbedder(dir) });
  try {
    const count = await exportBankJsonl(bank, options.out ?? process.stdout);
    if (options.out) process.stderr.write(`exported ${formatQuantity(count, 'question')} to ${options.out}\n`);
  } finally {
    await bank.close();
  }
}

export function formatStats(stats: BankStats, dir: string): string {
  const lines = [`bank ${dir}: ${formatQuantity(stats.size, 'question')}, embedder ${stats.embedder.id} (${stats.embedder.dimension}-d)`];
  if (stats.models.length > 0) {
    lines.push('', 'model'.padEnd(40) + 'labelled  accuracy');
    for (const m of stats.models) lines.push(`${m.model.padEnd(40)}${formatCount(m.labelled).padStart(8)}  ${(100 * m.accuracy).toFixed(1).padStart(7)}%`);
    const domains = [...new Set(stats.models.flatMap((m) => Object.keys(m.byDomain)))].sort();
    if (domains.length > 1) {
      lines.push('', 'accuracy by domain (labelled questions)');
      for (const m of stats.models) {
        lines.push(`  ${m.model}`);
        for (const [domain, d] of Object.entries(m.byDomain)) lines.push(`    ${domain.padEnd(28)}${(100 * d.accuracy).toFixed(1).padStart(6)}%  (${formatCount(d.correct)}/${formatCount(d.labelled)})`);
      }
    }
  }
  const counts = (title: string, c: Record<string, number>) =>
    `${title}: ${Object.entries(c)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`;
  lines.push('', counts('domains', stats.domains), counts('sources', stats.sources));
  if (stats.contributors) {
    const who = stats.contributors.map((c) => `${c.user} (${formatQuantity(c.labels, 'label')}, ${formatQuantity(c.questions, 'question')}, last ${c.lastAt.slice(0, 10)})`);
    lines.push(`contributors: ${stats.contributors.length}${who.length > 0 ? `: ${who.join(', ')}` : ''}`);
  }
  return lines.join('\n');
}

export async function bankStatsCommand(options: GlobalOptions & { json?: boolean }): Promise<void> {
  const dir = resolveBankDir(options);
  const bank = await openBankWarned(dir, { embedder: await recordedEmbedder(dir) });
  try {
    const stats = await bank.statistics();
    if (options.json) process.stdout.write(`${JSON.stringify({ bank: dir, ...stats }, null, 2)}\n`);
    else printText(formatStats(stats, dir));
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
    const bank = await openBankWarned(dir, { embedder: identity });
    try {
      const items = await listFeedback(bank);
      if (options.json) process.stdout.write(`${JSON.stringify(items)}\n`);
      else if (items.length === 0) process.stdout.write('no feedback questions\n');
      else for (const r of items) printText(`${r.id}  ${JSON.stringify(r.correct ?? {})}  ${stripTerminalControls(firstLine(r.question)).slice(0, 80)}`);
    } finally {
      await bank.close();
    }
    return;
  }
  if (action === 'remove' && ids.length === 0) throw new UsageError('bank feedback remove needs at least one id (see: smcs bank feedback list)');
  const bank = await openBankWarned(dir, { embedder: identity, write: true });
  try {
    const removed = action === 'clear' ? await clearFeedback(bank) : (await removeFeedback(bank, ids), ids.length);
    const size = await bank.count();
    process.stdout.write(options.json ? `${JSON.stringify({ removed, size })}\n` : `removed ${formatQuantity(removed, 'feedback question')}; ${formatQuantity(size, 'question')} left\n`);
  } finally {
    await bank.close();
  }
}
