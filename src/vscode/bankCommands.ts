/** Import Bank / Export Bank / Show Bank Stats, on the bank that the settings name (`smcs.bank`, else the extension's storage). */
import * as vscode from 'vscode';
import type { Embedder } from '../core/types';
import type { EngineHolder } from './engineHolder';
import type { Log } from './log';
import { loadRuntime } from './runtime';

/** The embedder the settings name; the bank must have been built with it. */
export async function settingsEmbedder(holder: EngineHolder): Promise<Embedder> {
  const config = holder.config();
  const { createEmbedder } = loadRuntime();
  const needsGateway = config.embedding.provider === 'endpoint';
  const gateway = needsGateway ? await loadRuntime().createGateway(config.endpoints, { secrets: holder.hooks.secrets, log: holder.hooks.log }) : undefined;
  return createEmbedder(config.embedding, {
    storageDir: holder.hooks.storageDir,
    consent: holder.hooks.consent,
    onDownloadProgress: (p) => holder.hooks.onDownloadProgress(p),
    endpointClient: (id) => {
      if (!gateway) throw new Error(`embedding endpoint ${id} is not available`);
      return gateway.endpoint(id);
    },
  });
}

export async function bankLocation(holder: EngineHolder): Promise<string> {
  const { bankDir } = loadRuntime();
  return bankDir(holder.config(), holder.hooks.storageDir);
}

export function reportFailure(log: Log, what: string, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  log.error(`${what}: ${message}`);
  void vscode.window.showErrorMessage(`SMCS: ${what} failed: ${message}`, 'Show Log').then((c) => {
    if (c === 'Show Log') log.show();
  });
}

/** SMCS: Import Bank — validates the whole file first (errors name line and field), then writes atomically. */
export async function importBank(holder: EngineHolder, log: Log, file?: vscode.Uri): Promise<number | undefined> {
  const target =
    file ??
    (await vscode.window.showOpenDialog({ title: 'SMCS: Import Bank', canSelectMany: false, filters: { 'Bank JSONL': ['jsonl', 'ndjson'], 'All files': ['*'] }, openLabel: 'Import' }))?.[0];
  if (!target) return undefined;
  try {
    const [{ QuestionBank, importBankJsonl }, embedder, dir] = await Promise.all([loadRuntime(), settingsEmbedder(holder), bankLocation(holder)]);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'SMCS: importing questions', cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        const bank = await QuestionBank.open(dir, { embedder: { id: embedder.id, dimension: await embedder.dimension() }, create: true, write: true });
        try {
          return await importBankJsonl(bank, target.fsPath, embedder, {
            signal: abort.signal,
            onProgress: (p) => progress.report({ message: p.total > 0 ? `${p.phase} ${p.done}/${p.total}` : `${p.phase} ${p.done}` }),
          });
        } finally {
          sub.dispose();
          await bank.close();
        }
      },
    );
    await holder.bankChanged();
    log.info(`bank import: ${result.added} added, ${result.updated} updated`);
    void vscode.window.showInformationMessage(`SMCS: imported ${result.added} new question${result.added === 1 ? '' : 's'}; ${result.updated} updated.`);
    return result.added;
  } catch (err) {
    reportFailure(log, 'bank import', err);
    return undefined;
  }
}

/** SMCS: Export Bank — writes the bank as interchange JSONL. */
export async function exportBank(holder: EngineHolder, log: Log, file?: vscode.Uri): Promise<number | undefined> {
  const target = file ?? (await vscode.window.showSaveDialog({ title: 'SMCS: Export Bank', filters: { 'Bank JSONL': ['jsonl'] }, saveLabel: 'Export' }));
  if (!target) return undefined;
  try {
    const [{ QuestionBank, exportBankJsonl }, embedder, dir] = await Promise.all([loadRuntime(), settingsEmbedder(holder), bankLocation(holder)]);
    const bank = await QuestionBank.open(dir, { embedder: { id: embedder.id, dimension: await embedder.dimension() } });
    try {
      const count = await exportBankJsonl(bank, target.fsPath);
      log.info(`bank export: ${count} questions`);
      void vscode.window.showInformationMessage(`SMCS: exported ${count} question${count === 1 ? '' : 's'}.`);
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
    const [{ QuestionBank, bankStats }, embedder, dir] = await Promise.all([loadRuntime(), settingsEmbedder(holder), bankLocation(holder)]);
    const bank = await QuestionBank.open(dir, { embedder: { id: embedder.id, dimension: await embedder.dimension() } });
    try {
      const stats = bankStats(bank);
      const models = stats.models.map((m) => `${m.model} ${(m.accuracy * 100).toFixed(1)}% of ${m.labelled}`).join('; ');
      log.info(`bank stats: ${stats.size} questions, embedder ${stats.embedder.id}; models: ${models || 'none profiled'}; domains ${JSON.stringify(stats.domains)}; sources ${JSON.stringify(stats.sources)}`);
      void vscode.window
        .showInformationMessage(
          `SMCS bank: ${stats.size} question${stats.size === 1 ? '' : 's'}, ${stats.models.length} profiled model${stats.models.length === 1 ? '' : 's'}.`,
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
