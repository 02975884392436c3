/**
 * The local bank beside a team bank: the one-time offer to copy it in, SMCS: Copy Local Bank into Team Bank (the copier
 * `smcs bank copy` uses, in one transaction), and SMCS: Switch to Local Bank.
 */
import * as vscode from 'vscode';
import { isTeamBankUrl } from '../../core/contracts/bankLocation';
import type { CopyProgress, CopyResult } from '../../bank/transfer/copyBank';
import { formatCount, formatQuantity } from '../../presentation/format';
import { inspectSetting, writeSetting } from '../settings';
import type { EngineHolder } from '../engineHolder';
import type { Log } from '../log';
import { loadRuntime } from '../loadRuntime';
import { bankAccessOf, migratable, recordedEmbedder, reportFailure } from './bankCommands';
import { LocalBankAside, switchToLocalWrite, type CopyOffer, type Memory, type SettingScope } from './localBankAside';
import { migrateTeamBankSchema, teamBankUrl } from './teamBankCommands';

/** The local bank beside the team bank for this window: remembered in `memory`, read through the runtime. */
export function localBankAside(holder: EngineHolder, memory: Memory): LocalBankAside {
  return new LocalBankAside({
    memory,
    folderOf: (bank) => loadRuntime().bankDir({ ...holder.config(), bank }, holder.hooks.storageDir),
    sizeOf: (folder) => loadRuntime().localBankSize(folder),
    offer: showCopyOffer,
    reachable: async (team) => {
      try {
        await loadRuntime().checkBankSchema(team, bankAccessOf(holder));
        return true;
      } catch (err) {
        // A missing or old schema is no obstacle: the copy offers to migrate it first. A missing password is.
        return migratable(err);
      }
    },
  });
}

/** The button that copies, named with what it copies. */
function copyButton(size: number): string {
  return `Copy ${formatQuantity(size, 'question')} into the team bank`;
}

function showCopyOffer(offer: CopyOffer): void {
  const copy = copyButton(offer.size);
  void vscode.window
    .showInformationMessage(`SMCS: a team bank is now in use. Your local bank (${formatQuantity(offer.size, 'question')}, labels included) is kept as it is.`, copy, 'Not now')
    .then(async (pick) => {
      if (pick === copy) await vscode.commands.executeCommand('smcs.copyLocalBankIntoTeamBank');
    });
}

/** The progress notification's line. */
function progressText(p: CopyProgress): string {
  if (p.phase === 'read') return `reading the local bank: ${formatCount(p.read)} of ${formatQuantity(p.total, 'question')}`;
  return `writing into the team bank (one transaction: all of it or nothing)`;
}

/** The count at the end: what was copied, what was there already, where labels were merged. */
function copiedMessage(result: Pick<CopyResult, 'copied' | 'skipped' | 'labelsMerged'>): string {
  return `SMCS: copied ${formatQuantity(result.copied, 'question')} into the team bank, ${formatCount(result.skipped)} already there, labels merged on ${formatCount(result.labelsMerged)}.`;
}

/** True once the team bank has its schema: when it is missing or old, SMCS: Migrate Team Bank Schema runs first if the user agrees. */
async function schemaReady(holder: EngineHolder, log: Log, team: string): Promise<boolean> {
  try {
    await loadRuntime().checkBankSchema(team, bankAccessOf(holder));
    return true;
  } catch (err) {
    if (!migratable(err)) throw err;
    const migrate = 'Migrate and Copy';
    const pick = await vscode.window.showWarningMessage(`SMCS: team bank ${err.location}: ${err.problem}. Migrate its schema first, then copy?`, migrate);
    return pick === migrate && (await migrateTeamBankSchema(holder, log)) !== undefined;
  }
}

/**
 * SMCS: Copy Local Bank into Team Bank — copies the local bank (the folder last in use) into the team bank in use:
 * deduplicated by question (same id or same text), labels merged (the copied label wins where both differ), in one
 * transaction: cancelled before the write, or failed, nothing is written. Returns the counts, or undefined.
 */
export async function copyLocalBankIntoTeamBank(holder: EngineHolder, log: Log, aside: LocalBankAside): Promise<CopyResult | undefined> {
  const abort = new AbortController();
  try {
    const team = await teamBankUrl(holder);
    if (team === undefined) return undefined;
    const runtime = loadRuntime();
    const local = aside.localFolder();
    if ((await runtime.localBankSize(local)) === 0) {
      void vscode.window.showInformationMessage(`SMCS: the local bank at ${local} holds no questions; there is nothing to copy.`);
      return undefined;
    }
    if (!(await schemaReady(holder, log, team))) return undefined;
    const embedder = await recordedEmbedder(local, {});
    const access = bankAccessOf(holder);
    log.info(`bank copy: ${local} → the team bank in use`);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'SMCS: copying the local bank into the team bank', cancellable: true },
      async (progress, token) => {
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          return await runtime.withCopyBanks(
            () => runtime.openBank(local, { embedder }),
            () => runtime.openBank(team, { embedder, create: true, write: true, ...access }),
            (from, to) =>
              runtime.copyBank(from, to, {
                batch: Number.POSITIVE_INFINITY,
                signal: abort.signal,
                ...(access.user ? { user: access.user } : {}),
                onProgress: (p) => progress.report({ message: progressText(p) }),
              }),
          );
        } finally {
          sub.dispose();
        }
      },
    );
    await holder.bankChanged();
    log.info(`bank copy: ${result.copied} copied, ${result.skipped} already there, labels merged on ${result.labelsMerged} (${result.labelsUpdated} labels)`);
    // With a button the notification shows its whole text (one without is cut to a line).
    void vscode.window.showInformationMessage(copiedMessage(result), 'Show Details').then((pick) => {
      if (pick === 'Show Details') log.show();
    });
    return result;
  } catch (err) {
    if (abort.signal.aborted) {
      log.info('bank copy: cancelled, nothing was written');
      void vscode.window.showInformationMessage('SMCS: the copy was cancelled; nothing was written to the team bank.');
    } else {
      reportFailure(log, 'copying the local bank into the team bank', err);
    }
    return undefined;
  }
}

const TARGETS: Record<SettingScope, vscode.ConfigurationTarget> = {
  workspaceFolder: vscode.ConfigurationTarget.WorkspaceFolder,
  workspace: vscode.ConfigurationTarget.Workspace,
  global: vscode.ConfigurationTarget.Global,
};

const SCOPE_NAMES: Record<SettingScope, string> = { workspaceFolder: 'folder', workspace: 'workspace', global: 'user' };

/** SMCS: Switch to Local Bank — puts the local bank back in use, changing `smcs.bank` in the scope that names the team bank. */
export async function switchToLocalBank(holder: EngineHolder, log: Log, aside: LocalBankAside): Promise<boolean> {
  try {
    const local = aside.localFolder();
    const bank = holder.config().bank;
    if (bank === undefined || !isTeamBankUrl(bank)) {
      void vscode.window.showInformationMessage(`SMCS: the bank in use is already a local bank (${loadRuntime().bankDir(holder.config(), holder.hooks.storageDir)}).`);
      return false;
    }
    const values = inspectSetting<string>('bank') ?? {};
    const { scope, value } = switchToLocalWrite(values, aside.localSetting(), local);
    await writeSetting('bank', value, TARGETS[scope]);
    await holder.settled((config) => config.bank === value || (value === undefined && config.bank === undefined));
    log.info(`bank: switched to the local bank ${local} (smcs.bank ${value === undefined ? 'removed' : 'set'} in the ${SCOPE_NAMES[scope]} settings)`);
    void vscode.window.showInformationMessage(`SMCS: the local bank is in use again (${local}).`);
    return true;
  } catch (err) {
    reportFailure(log, 'switching to the local bank', err);
    return false;
  }
}
