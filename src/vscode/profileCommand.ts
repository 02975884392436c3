/**
 * SMCS: Profile Models — runs the chosen models over bank questions, grades the replies and stores labels as they
 * arrive (resumable: a rerun asks only for missing labels). Shows the estimated requests, tokens and cost first,
 * then a cancellable progress notification with ETA. Offers the shipped starter bank when the bank is empty.
 * Samples as asking does (smcs.temperature, smcs.presencePenalty) within smcs.profileMaxTokens per reply; replies cut at
 * that limit are not labels, and the summary says how many there were and what to raise.
 */
import * as vscode from 'vscode';
import type { Bank } from '../bank/bank';
import type { OpenAiGateway } from '../llm/gateway';
import type { ProfileEstimate, ProfileSampling, ProfileSummary } from '../profile/profiler';
import type { EngineHolder } from './engineHolder';
import type { Log } from './log';
import { bankAccessOf, bankLocation, reportFailure } from './bankCommands';
import { loadRuntime, type Runtime } from './runtime';
import { formatUsd } from '../shared/format';

const eta = (ms: number | undefined) => (ms === undefined ? '' : ` · about ${ms < 60_000 ? `${Math.ceil(ms / 1000)} s` : `${Math.ceil(ms / 60_000)} min`} left`);

/** Asks whether to fill the empty bank with the shipped starter bank. */
async function confirmStarterImport(): Promise<boolean> {
  const pick = await vscode.window.showInformationMessage(
    'SMCS: the question bank is empty. Import the starter bank (380 original coding questions with answers) to profile your models on?',
    { modal: true },
    'Import Starter Bank',
  );
  return pick === 'Import Starter Bank';
}

/** The models the user picks to profile (all preselected); undefined when none. */
async function pickModels(gateway: OpenAiGateway): Promise<string[] | undefined> {
  const models = await vscode.window.showQuickPick(
    gateway.models.map((m) => ({ label: m.key, description: m.endpointId, picked: true })),
    { canPickMany: true, title: 'SMCS: Profile Models', placeHolder: 'Models to profile (only missing labels are asked)' },
  );
  if (!models || models.length === 0) return undefined;
  return models.map((m) => m.label);
}

/** Shows the estimate and asks to start; false when there is nothing to ask or the user declines. */
async function confirmProfiling(estimate: ProfileEstimate): Promise<boolean> {
  if (estimate.requests === 0) {
    void vscode.window.showInformationMessage('SMCS: every chosen model already has a label for every gradable bank question.');
    return false;
  }
  const cost = estimate.costUsd === undefined ? 'cost unknown (no pricing published)' : `about ${formatUsd(estimate.costUsd)} (at most ${formatUsd(estimate.maxCostUsd ?? estimate.costUsd)})`;
  const go = await vscode.window.showInformationMessage(
    `SMCS: profiling makes ${estimate.requests} requests (~${estimate.promptTokens.toLocaleString()} prompt and ~${estimate.completionTokens.toLocaleString()} completion tokens), ${cost}. Start?`,
    { modal: true },
    'Start Profiling',
  );
  return go === 'Start Profiling';
}

/** Profiles the models under a cancellable progress notification showing done, failed, cut and ETA. */
function profileWithProgress(runtime: Runtime, bank: Bank, gateway: OpenAiGateway, keys: string[], sampling: ProfileSampling, user: string | undefined): Thenable<ProfileSummary> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'SMCS: profiling models', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      let reported = 0;
      try {
        return await runtime.profileModels({
          bank,
          gateway,
          models: keys,
          ...(user ? { user } : {}),
          sampling,
          signal: abort.signal,
          onProgress: (p) => {
            const pct = (100 * p.done) / Math.max(p.total, 1);
            const cut = p.truncated ? ` · ${p.truncated} cut at the token limit` : '';
            progress.report({ increment: pct - reported, message: `${p.done}/${p.total}${p.failed ? ` · ${p.failed} failed` : ''}${cut}${eta(p.etaMs)}` });
            reported = pct;
          },
        });
      } finally {
        sub.dispose();
      }
    },
  );
}

/** Logs the run's outcome and tells the user, with each model's accuracy; an error when nothing could be stored. */
function reportSummary(log: Log, summary: ProfileSummary): void {
  const perModel = summary.models.map((m) => `${m.model} ${m.labelled ? ((100 * m.correct) / m.labelled).toFixed(0) : '–'}%`).join(', ');
  log.info(`profiling: ${summary.labelled} labels, ${summary.failed} failed, ${summary.truncated} cut at ${summary.maxTokens} tokens, ${summary.cancelled ? 'cancelled' : 'finished'}; ${perModel}`);
  const message = `SMCS: profiling ${summary.cancelled ? 'stopped (run it again to resume)' : 'finished'}: ${summary.labelled} labels stored${summary.failed ? `, ${summary.failed} requests failed (retried next run)` : ''}. ${perModel}`;
  if (summary.labelled === 0 && summary.done > 0 && !summary.cancelled) void vscode.window.showErrorMessage(message);
  else void vscode.window.showInformationMessage(message);
  if (summary.truncated > 0) void reportTruncated(summary.truncated);
}

/** Tells how many replies the token limit cut, with a way to the setting that raises it. */
async function reportTruncated(count: number): Promise<void> {
  const replies = count === 1 ? '1 reply was' : `${count} replies were`;
  const pick = await vscode.window.showWarningMessage(`SMCS: ${replies} cut at the token limit; raise smcs.profileMaxTokens and run again.`, 'Open Settings');
  if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'smcs.profileMaxTokens');
}

/** The Profile Models command; resolves with the run's summary, or undefined when nothing ran or it failed. */
export async function profileModelsCommand(holder: EngineHolder, log: Log, extensionUri: vscode.Uri): Promise<unknown> {
  try {
    const config = holder.config();
    const runtime = loadRuntime();
    const dir = bankLocation(holder);
    const [embedder, gateway] = await Promise.all([
      holder.embedder(),
      runtime.createGateway(config.endpoints, { secrets: holder.hooks.secrets, log: holder.hooks.log }),
    ]);
    const access = bankAccessOf(holder);
    const bank = await runtime.openBank(dir, { embedder: { id: embedder.id, dimension: await embedder.dimension() }, create: true, write: true, ...access });
    /** Whether the bank may have changed on disk, so the engine and panel must reload it. */
    let changed = false;
    try {
      if ((await bank.count()) === 0) {
        const starter = vscode.Uri.joinPath(extensionUri, 'media', 'starter-bank.jsonl').fsPath;
        if (!(await confirmStarterImport())) return undefined;
        // From here the bank may change on disk (even if the import or a later step fails): reload it when done.
        changed = true;
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'SMCS: importing the starter bank' }, () =>
          runtime.importBankJsonl(bank, starter, embedder),
        );
      }
      const keys = await pickModels(gateway);
      if (!keys) return undefined;
      if (!(await confirmProfiling(await runtime.estimateProfile(bank, keys, gateway, { maxTokens: config.profileMaxTokens })))) return undefined;
      changed = true;
      const summary = await profileWithProgress(runtime, bank, gateway, keys, config, access.user);
      reportSummary(log, summary);
      return summary;
    } finally {
      await bank.close();
      if (changed) await holder.bankChanged();
    }
  } catch (err) {
    reportFailure(log, 'profiling', err);
    return undefined;
  }
}
