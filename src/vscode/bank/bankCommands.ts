/**
 * Import Bank / Export Bank / Show Bank Stats / Recover Bank, on the bank that the settings name (`smcs.bank`,
 * else the extension's storage).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { hostSetting, simpleDialogEnabled } from '../settings';
import type { BankAccess } from '../../bank/bank';
import type { ImportProgress } from '../../bank/transfer/importRecords';
import type { ImportFormat } from '../../bank/transfer/importers/common';
import type { RestoreReport } from '../../bank/local/recovery';
import type { ReportedLoss } from '../../bank/recoveryReport';
import type { SkippedRecord } from '../../bank/transfer/skipReasons';
import type { BankPanelState } from '../../presentation/protocol';
import type { SmcsConfig } from '../../core/contracts/config';
import { bankPanelState, configuredModelKeys, lossKey, lossMessage, needsPassword, restoreLine, skipCounts, firstModelsView, type BankStatsInput } from './bankSummary';
import type { EngineHolder } from '../engineHolder';
import type { Log } from '../log';
import { loadRuntime } from '../loadRuntime';
import { errorKind, errorMessage } from '../../core/contracts/errors';
import { offerEmbedderRemedies } from '../embedding/embedderRemedies';
import { formatCount, formatQuantity } from '../../presentation/format';

/** The bank the settings name (`smcs.bank`: a folder or a team bank URL, else the extension's storage). Throws a ConfigError for bad settings. */
export function bankLocation(holder: EngineHolder): string {
  const { bankDir } = loadRuntime();
  return bankDir(holder.config(), holder.hooks.storageDir);
}

/** How this window reaches a team bank: the password in SecretStorage first, writes attributed to `smcs.userName`. */
export function bankAccessOf(holder: EngineHolder): BankAccess {
  return loadRuntime().bankAccess(holder.config(), holder.hooks);
}

/**
 * Logs a failed command and shows it, with the way forward as a button: Migrate Team Bank Schema when a team bank's
 * schema is what failed, Set Password when its password is missing or refused.
 */
export function reportFailure(log: Log, what: string, err: unknown): void {
  const message = errorMessage(err);
  log.error(`${what}: ${message}`);
  const remedy = migratable(err) ? MIGRATE : needsPassword(err) ? SET_PASSWORD : undefined;
  void vscode.window.showErrorMessage(`SMCS: ${what} failed: ${message}`, ...(remedy ? [remedy] : []), 'Show Log').then(async (c) => {
    if (c === 'Show Log') log.show();
    else if (c === MIGRATE) await vscode.commands.executeCommand('smcs.migrateTeamBankSchema');
    else if (c === SET_PASSWORD) await vscode.commands.executeCommand('smcs.setTeamBankPassword');
  });
}

const MIGRATE = 'Migrate Team Bank Schema';
const SET_PASSWORD = 'Set Password';

/** True when the open dialog can pick files and folders at once: the native dialogs of Windows and Linux pick one kind only. */
function dialogPicksBoth(): boolean {
  return (
    process.platform === 'darwin' ||
    vscode.env.uiKind === vscode.UIKind.Web ||
    vscode.env.remoteName !== undefined ||
    simpleDialogEnabled()
  );
}

const IMPORT_FILTERS = { 'Bank JSONL, MMLU-Pro or lm-eval results': ['jsonl', 'ndjson', 'json'], 'All files': ['*'] };

/** Asks for the files and/or folders to import (one dialog where the platform allows both, else files or a folder first). */
async function pickImportTargets(): Promise<readonly vscode.Uri[] | undefined> {
  const base: vscode.OpenDialogOptions = { title: 'SMCS: Import Bank', canSelectMany: true, openLabel: 'Import' };
  if (dialogPicksBoth()) return vscode.window.showOpenDialog({ ...base, canSelectFiles: true, canSelectFolders: true, filters: IMPORT_FILTERS });
  const kind = await vscode.window.showQuickPick(
    [
      { label: '$(file) Files', description: 'bank JSONL, MMLU-Pro model_outputs_*.json, lm-eval samples_*.jsonl', folders: false },
      { label: '$(folder) Folder', description: 'every file of one of these formats in it, searched recursively', folders: true },
    ],
    { title: 'SMCS: Import Bank', placeHolder: 'Import files or a folder?' },
  );
  if (!kind) return undefined;
  return vscode.window.showOpenDialog(kind.folders ? { ...base, canSelectFiles: false, canSelectFolders: true } : { ...base, filters: IMPORT_FILTERS });
}

/** The one format of every chosen path; an Error naming the paths when they differ. */
async function commonFormat(paths: readonly string[]): Promise<ImportFormat> {
  const { detectFormat } = loadRuntime();
  const formats = await Promise.all(paths.map((p) => detectFormat(p)));
  const [first] = formats;
  if (first === undefined) throw new Error('no items chosen to import');
  if (new Set(formats).size > 1) {
    throw new Error(`the chosen items are in different formats (${paths.map((p, i) => `${path.basename(p)}: ${formats[i]}`).join(', ')}); import each format separately`);
  }
  return first;
}

interface ImportOutcome {
  added: number;
  updated: number;
  /** Model keys that received labels. */
  models: string[];
  warnings: string[];
  /** Records (or files) left out, with where and why. */
  skipped: SkippedRecord[];
}

/** The notification text after an import. */
function importMessage(outcome: ImportOutcome): string {
  const parts = [`imported ${formatQuantity(outcome.added, 'new question')}, ${formatCount(outcome.updated)} updated`];
  if (outcome.models.length > 0) {
    const shown = outcome.models.slice(0, 3).join(', ');
    parts.push(`labels for ${formatQuantity(outcome.models.length, 'model')} (${shown}${outcome.models.length > 3 ? ', …' : ''})`);
  }
  if (outcome.skipped.length > 0) parts.push(`skipped ${formatQuantity(outcome.skipped.length, 'record')} (${skipCounts(outcome.skipped)})`);
  if (outcome.warnings.length > 0) parts.push(formatQuantity(outcome.warnings.length, 'warning'));
  return `SMCS: ${parts.join('; ')}.`;
}

/** Most warnings written to the log one by one; the rest are counted. */
const LOGGED_WARNINGS = 100;

/** The Import Bank command's argument as targets: a Uri or a list of Uris (e.g. from tests or the explorer); anything else opens the dialog. */
export function importTargetsArg(arg: unknown): readonly vscode.Uri[] | undefined {
  if (arg instanceof vscode.Uri) return [arg];
  if (Array.isArray(arg) && arg.length > 0 && arg.every((u) => u instanceof vscode.Uri)) return arg;
  return undefined;
}

/** Import progress as the notification's message. */
function progressMessage(p: ImportProgress): string {
  if (p.phase === 'read') return `reading ${formatCount(p.done)}/${formatQuantity(p.total, 'file')}${p.file ? ` (${p.file})` : ''}`;
  const what = p.phase === 'validate' ? 'checking records' : p.phase === 'embed' ? 'embedding questions' : 'writing the bank';
  return p.total > 0 ? `${what} ${formatCount(p.done)}/${formatCount(p.total)}` : `${what} ${formatCount(p.done)}`;
}

/**
 * SMCS: Import Bank — files and/or folders in any supported format (bank JSONL, MMLU-Pro outputs, lm-eval samples),
 * detected per path. Everything is validated before anything is written; records that cannot be used are skipped and
 * counted per reason (every location in the log), or with `smcs.strictImport` the import is refused, as by `--strict`.
 * The rest is merged in one atomic write, with cancellable progress; a refused, failed or cancelled import into a
 * folder that held no bank leaves nothing behind. When the embedding model cannot be used (no internet for its
 * download, a declined download), a modal offers the ways forward and, once one is applied, the import goes on.
 * `targets` skips the dialog. A team bank's schema is checked first, before a file is chosen or read.
 * Returns the number of new questions, or undefined when nothing was imported.
 */
export async function importBank(holder: EngineHolder, log: Log, targets?: readonly vscode.Uri[]): Promise<number | undefined> {
  try {
    await loadRuntime().checkBankSchema(bankLocation(holder), bankAccessOf(holder));
  } catch (err) {
    reportFailure(log, 'bank import', err);
    return undefined;
  }
  const chosen = targets ?? (await pickImportTargets());
  if (!chosen) return undefined;
  const paths = chosen.map((u) => u.fsPath);
  const [firstPath] = paths;
  if (firstPath === undefined) return undefined;
  const abort = new AbortController();
  const strict = hostSetting('strictImport');
  try {
    const format = await commonFormat(paths);
    const runtime = loadRuntime();
    const dir = bankLocation(holder);
    const embedder = await holder.embedderAskingAgain();
    log.info(`bank import: ${format} from ${paths.join(', ')}${strict ? ' (strict)' : ''}`);
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'SMCS: importing questions', cancellable: true },
      async (progress, token): Promise<ImportOutcome> => {
        const sub = token.onCancellationRequested(() => abort.abort());
        const options = { signal: abort.signal, onProgress: (p: ImportProgress) => progress.report({ message: progressMessage(p) }) };
        try {
          progress.report({ message: 'loading the embedding model' });
          const identity = { id: embedder.id, dimension: await embedder.dimension() };
          const parsed = await runtime.importFiles({ format, paths, strict, dimension: identity.dimension, ...options });
          const access = bankAccessOf(holder);
          const bank = await runtime.openBank(dir, { embedder: identity, create: true, write: true, ...access });
          try {
            const sourceName = paths.length === 1 ? path.basename(firstPath) : `${paths.length} ${format} items`;
            const result = await runtime.importRecords(bank, parsed.records, embedder, { ...options, sourceName, ...(access.user ? { user: access.user } : {}) });
            await bank.close();
            return { ...result, models: parsed.models, warnings: parsed.warnings, skipped: parsed.skipped };
          } catch (err) {
            await bank.discardIfNew();
            throw err;
          }
        } finally {
          sub.dispose();
        }
      },
    );
    await holder.bankChanged();
    for (const w of outcome.warnings.slice(0, LOGGED_WARNINGS)) log.warn(`bank import: ${w}`);
    if (outcome.warnings.length > LOGGED_WARNINGS) log.warn(`bank import: … and ${outcome.warnings.length - LOGGED_WARNINGS} more warnings`);
    for (const s of outcome.skipped) log.warn(`bank import: skipped (${s.reason}) ${s.file} ${s.at}: ${s.field}: ${s.message}`);
    log.info(`bank import: ${outcome.added} added, ${outcome.updated} updated, ${outcome.skipped.length} skipped${outcome.models.length ? `; labels for ${outcome.models.join(', ')}` : ''}`);
    const message = importMessage(outcome);
    const shown = outcome.warnings.length + outcome.skipped.length > 0 ? vscode.window.showWarningMessage(message, 'Show Log') : vscode.window.showInformationMessage(message);
    void shown.then((choice) => {
      if (choice === 'Show Log') log.show();
    });
    return outcome.added;
  } catch (err) {
    if (abort.signal.aborted) {
      log.info('bank import: cancelled, nothing was written');
      void vscode.window.showInformationMessage('SMCS: import cancelled; nothing was written.');
    } else if (errorKind(err) === 'embedding') {
      log.warn(`bank import: ${errorMessage(err)}`);
      const what = `the import of ${paths.length === 1 ? path.basename(firstPath) : `${paths.length} items`}`;
      if (await offerEmbedderRemedies(err, what)) return importBank(holder, log, chosen);
    } else {
      reportFailure(log, 'bank import', err);
    }
    return undefined;
  }
}

/** True for a team bank's schema that SMCS: Migrate Team Bank Schema creates or upgrades (not one newer than this version). */
export function migratable(err: unknown): err is { state: 'missing' | 'old'; problem: string; location: string } {
  const e = err as { name?: unknown; state?: unknown };
  return e.name === 'BankSchemaError' && (e.state === 'missing' || e.state === 'old');
}

/** The panel state of a team bank whose schema is missing or old; undefined when the schema is fine (or the bank is a folder). */
async function schemaProblem(dir: string, access: BankAccess): Promise<BankPanelState | undefined> {
  try {
    await loadRuntime().checkBankSchema(dir, access);
    return undefined;
  } catch (err) {
    if (migratable(err)) return { status: 'schema', location: err.location, problem: err.problem };
    throw err;
  }
}

/** The embedder identity the bank records, so the bank opens without loading an embedding model. */
export async function recordedEmbedder(dir: string, access: BankAccess): Promise<{ id: string; dimension: number }> {
  const recorded = await loadRuntime().readBankEmbedder(dir, access);
  if ('embedder' in recorded) return recorded.embedder;
  throw new Error(`the question bank at ${dir} cannot be read (${recorded.problems.join('; ')})`);
}

/**
 * Reads the bank the settings name (read-only, no lock, no embedding model loaded) and builds the panel's
 * Bank section state. Throws a ConfigError when the settings are invalid and an Error when the bank is unreadable.
 */
export async function loadBankPanelState(holder: EngineHolder): Promise<BankPanelState> {
  const server = holder.teamServer();
  // Questions run on the team server, which routes by its own bank: this window's bank routes none of them.
  if (server) return { status: 'server', endpoint: server.id };
  const config = holder.config();
  const runtime = loadRuntime();
  const dir = runtime.bankDir(config, holder.hooks.storageDir);
  const configured = configuredModelKeys(config);
  const access = bankAccessOf(holder);
  const schema = await schemaProblem(dir, access);
  if (schema) return schema;
  if (!(await runtime.bankExists(dir, access))) return withFirstModels(bankPanelState(null, configured), config);
  const bank = await runtime.openBank(dir, { embedder: await recordedEmbedder(dir, access), ...access });
  let stats: BankStatsInput;
  try {
    stats = { ...(await bank.statistics()), ...(bank.store === 'postgres' ? { teamLocation: bank.location } : {}) };
    noticeLoss(holder, bank.recovery?.lost ?? []);
  } finally {
    await bank.close();
  }
  return withFirstModels(bankPanelState(stats, configured, runtime.embedderId(config.embedding)), config);
}

/** With no bank, the panel says which models answer meanwhile. */
function withFirstModels(state: BankPanelState, config: SmcsConfig): BankPanelState {
  return state.status === 'none' ? { ...state, firstModels: firstModelsView(config) } : state;
}

/** The loss the warning was last shown for in this session ('' = none). */
let noticedLoss = '';

/**
 * While the bank has lost data that is neither restored nor discarded: logs it on every load of the summary, and
 * shows a warning with Recover / Discard… / Show Log once per distinct loss in a session.
 */
function noticeLoss(holder: EngineHolder, lost: readonly ReportedLoss[]): void {
  if (lost.length === 0) {
    noticedLoss = '';
    return;
  }
  for (const l of lost) holder.hooks.log('warn', `question bank: ${l.description}`);
  const key = lossKey(lost);
  if (key === noticedLoss) return;
  noticedLoss = key;
  void vscode.window.showWarningMessage(lossMessage(lost), 'Recover', 'Discard…', 'Show Log').then(async (choice) => {
    if (choice === 'Recover') await vscode.commands.executeCommand('smcs.recoverBank', 'recover');
    else if (choice === 'Show Log') await vscode.commands.executeCommand('smcs.showLog');
    else if (choice === 'Discard…') {
      const sure = await vscode.window.showWarningMessage('Delete the set-aside bank data? What it holds is lost for good.', { modal: true, detail: lossMessage(lost) }, 'Discard');
      if (sure === 'Discard') await vscode.commands.executeCommand('smcs.recoverBank', 'discard');
    }
  });
}

/** What Recover Bank did: nothing to do, what it restored (per set-aside generation), or how many generations it deleted. */
export interface RecoverOutcome {
  action: 'none' | 'recover' | 'discard';
  restored?: RestoreReport[];
  discarded?: number;
}

/**
 * SMCS: Recover Bank — for a bank that set aside a generation it could not load: `recover` puts back what can still
 * be read, `discard` deletes the set-aside data (after logging what it held). Without an action (the command palette)
 * a modal names the loss and asks which. Returns what was done, or undefined when cancelled or failed.
 */
export async function recoverBank(holder: EngineHolder, log: Log, action?: unknown): Promise<RecoverOutcome | undefined> {
  try {
    const runtime = loadRuntime();
    const dir = bankLocation(holder);
    const access = bankAccessOf(holder);
    if (!(await runtime.bankExists(dir, access))) {
      void vscode.window.showInformationMessage(`SMCS: there is no question bank at ${dir}; nothing to recover.`);
      return { action: 'none' };
    }
    const bank = await runtime.openBank(dir, { embedder: await recordedEmbedder(dir, access), write: true, ...access });
    try {
      if (!runtime.isLocalBank(bank)) {
        void vscode.window.showInformationMessage(`SMCS: Recover Bank applies to a bank folder; the ${bank.store} bank at ${dir} keeps no set-aside data.`);
        return { action: 'none' };
      }
      const lost = bank.recovery?.lost ?? [];
      if (lost.length === 0) {
        void vscode.window.showInformationMessage('SMCS: the question bank holds no set-aside data; nothing to recover.');
        return { action: 'none' };
      }
      let chosen = action === 'recover' || action === 'discard' ? action : undefined;
      if (chosen === undefined) {
        const pick = await vscode.window.showWarningMessage(
          lossMessage(lost),
          { modal: true, detail: 'Recover puts back what can still be read. Discard deletes the set-aside files for good.' },
          'Recover',
          'Discard',
        );
        chosen = pick === 'Recover' ? 'recover' : pick === 'Discard' ? 'discard' : undefined;
      }
      if (chosen === undefined) return undefined;
      if (chosen === 'discard') {
        for (const l of lost) log.warn(`bank recover: discarding ${l.description}`);
        const gone = await bank.discardSetAside();
        void vscode.window.showInformationMessage(`SMCS: deleted ${formatQuantity(gone.length, 'set-aside bank generation')}.`);
        return { action: 'discard', discarded: gone.length };
      }
      const restored = await bank.restoreSetAside();
      for (const r of restored) log.info(`bank recover: ${restoreLine(r)}`);
      const partial = restored.some((r) => r.unrestorable.length > 0) || lost.some((l) => l.restoredAt !== undefined);
      const message = `SMCS: ${restored.map(restoreLine).join('; ') || 'nothing more could be restored'}${partial ? '. Discard what is left with SMCS: Recover Bank.' : '.'}`;
      void (partial ? vscode.window.showWarningMessage(message, 'Show Log') : vscode.window.showInformationMessage(message)).then((c) => {
        if (c === 'Show Log') log.show();
      });
      return { action: 'recover', restored };
    } finally {
      await bank.close();
      await holder.bankChanged();
    }
  } catch (err) {
    reportFailure(log, 'bank recover', err);
    return undefined;
  }
}

/** SMCS: Export Bank — writes the bank as interchange JSONL. */
export async function exportBank(holder: EngineHolder, log: Log, file?: vscode.Uri): Promise<number | undefined> {
  const target = file ?? (await vscode.window.showSaveDialog({ title: 'SMCS: Export Bank', filters: { 'Bank JSONL': ['jsonl'] }, saveLabel: 'Export' }));
  if (!target) return undefined;
  try {
    const { openBank, exportBankJsonl } = loadRuntime();
    const dir = bankLocation(holder);
    // Reading needs no embedding model: open with the embedder the bank records, as the CLI does.
    const access = bankAccessOf(holder);
    const bank = await openBank(dir, { embedder: await recordedEmbedder(dir, access), ...access });
    try {
      const count = await exportBankJsonl(bank, target.fsPath);
      log.info(`bank export: ${count} questions`);
      void vscode.window.showInformationMessage(`SMCS: exported ${formatQuantity(count, 'question')}.`);
      return count;
    } finally {
      await bank.close();
    }
  } catch (err) {
    reportFailure(log, 'bank export', err);
    return undefined;
  }
}

/** SMCS: Show Bank Stats — size, accuracy per model, domains and sources, in the log and a notification. */
export async function showBankStats(holder: EngineHolder, log: Log): Promise<unknown> {
  try {
    const { openBank } = loadRuntime();
    const dir = bankLocation(holder);
    // Reading needs no embedding model: open with the embedder the bank records, as the CLI does.
    const access = bankAccessOf(holder);
    const bank = await openBank(dir, { embedder: await recordedEmbedder(dir, access), ...access });
    try {
      const stats = await bank.statistics();
      const models = stats.models.map((m) => `${m.model} ${(m.accuracy * 100).toFixed(1)}% of ${m.labelled}`).join('; ');
      log.info(`bank stats: ${stats.size} questions, embedder ${stats.embedder.id}; models: ${models || 'none profiled'}; domains ${JSON.stringify(stats.domains)}; sources ${JSON.stringify(stats.sources)}`);
      void vscode.window
        .showInformationMessage(
          `SMCS bank: ${formatQuantity(stats.size, 'question')}, ${formatQuantity(stats.models.length, 'profiled model')}.`,
          'Show Details',
        )
        .then((choice) => {
          if (choice === 'Show Details') log.show();
        });
      return stats;
    } finally {
      await bank.close();
    }
  } catch (err) {
    reportFailure(log, 'bank stats', err);
    return undefined;
  }
}
