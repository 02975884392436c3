/**
 * SMCS: Profile Models — runs the chosen models over bank questions, grades the replies and stores labels as they
 * arrive (resumable: a rerun asks only for missing labels). Shows the estimated requests, tokens and cost first,
 * then a cancellable progress notification with ETA. Offers the shipped starter bank: instead of an empty bank, and
 * beside the bank's own questions once there are some. Offers the models that have no labels as one choice (any
 * subset can still be picked). Samples as asking does (smcs.temperature, smcs.presencePenalty) within
 * smcs.profileMaxTokens per reply; replies cut at that limit are not labels, and the summary says how many there were
 * and what to raise. Each model's result is a share of the questions it was graded on.
 */
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Bank } from '../../bank/bank';
import type { OpenAiGateway } from '../../llm/gateway';
import type { ProfileEstimate, ProfileSampling, ProfileSelection, ProfileSummary } from '../../profile/profiler';
import type { EngineHolder } from '../engineHolder';
import type { Log } from '../log';
import { bankAccessOf, bankLocation, reportFailure } from './bankCommands';
import { offerEmbedderRemedies } from '../embedding/embedderRemedies';
import { modelsWithoutLabels, profileEstimateMessage, profileResults, profileSummaryMessage, repliesWere } from './profileSummary';
import { loadRuntime, type Runtime } from '../loadRuntime';
import { errorKind, errorMessage } from '../../core/contracts/errors';
import { formatQuantity } from '../../presentation/format';

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

/** The ids of the shipped starter bank's questions, in file order. */
async function starterIds(file: string): Promise<string[]> {
  const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  return lines.map((line) => String((JSON.parse(line) as { id: unknown }).id));
}

/** Which questions the models answer once the bank holds some: the bank's, or the starter bank's (added when missing). */
async function chooseQuestions(bank: Bank, starter: readonly string[]): Promise<'bank' | 'starter' | undefined> {
  const present = (await bank.lookup(starter)).size;
  const where = present === starter.length ? 'already in this bank' : present > 0 ? `${present} already in this bank, the others added to it` : 'added to this bank';
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Profile the models on this bank', description: formatQuantity(await bank.count(), 'question'), choice: 'bank' as const },
      { label: 'Profile the models on the starter bank', description: formatQuantity(starter.length, 'question'), detail: `Original coding questions with answers, ${where}`, choice: 'starter' as const },
    ],
    { title: 'SMCS: Profile Models', placeHolder: 'Which questions should the models answer?' },
  );
  return pick?.choice;
}

/**
 * The models to profile; undefined when none. When some configured models have labels and others none, the ones
 * with none are offered as one choice, beside all of them and a free choice; otherwise every model is preselected.
 */
async function pickModels(gateway: OpenAiGateway, labelled: readonly { model: string; labelled: number }[]): Promise<string[] | undefined> {
  const keys = gateway.models.map((m) => m.key);
  const bare = modelsWithoutLabels(keys, labelled);
  const someBare = bare.length > 0 && bare.length < keys.length;
  if (someBare) {
    const group = await vscode.window.showQuickPick(
      [
        { label: `The ${formatQuantity(bare.length, 'model')} with no labels`, detail: bare.join(', '), models: bare },
        { label: `All ${formatQuantity(keys.length, 'model')}`, description: 'only missing labels are asked', models: keys },
        { label: 'Choose the models…', models: undefined },
      ],
      { title: 'SMCS: Profile Models', placeHolder: 'Which models should answer?' },
    );
    if (!group) return undefined;
    if (group.models) return group.models;
  }
  const counts = new Map(labelled.map((m) => [m.model, m.labelled]));
  const models = await vscode.window.showQuickPick(
    gateway.models.map((m) => {
      const count = counts.get(m.key) ?? 0;
      return { label: m.key, description: `${m.endpointId} · ${count > 0 ? formatQuantity(count, 'label') : 'no labels'}`, picked: !someBare };
    }),
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
  const go = await vscode.window.showInformationMessage(
    profileEstimateMessage(estimate),
    { modal: true },
    'Start Profiling',
  );
  return go === 'Start Profiling';
}

/** Profiles the models under a cancellable progress notification showing done, failed, cut and ETA. */
function profileWithProgress(
  runtime: Runtime,
  bank: Bank,
  gateway: OpenAiGateway,
  keys: string[],
  sampling: ProfileSampling,
  selection: ProfileSelection,
  user: string | undefined,
): Thenable<ProfileSummary> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'SMCS: profiling models', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      let reported = 0;
      try {
        return await runtime.profileModels({
          ...selection,
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

/** Logs the run's outcome and tells the user, with each model's share of right answers; an error when nothing could be stored. */
function reportSummary(log: Log, summary: ProfileSummary): void {
  const results = profileResults(summary.models);
  log.info(`profiling: ${summary.labelled} labels, ${summary.failed} failed, ${summary.truncated} cut at ${summary.maxTokens} tokens, ${summary.cancelled ? 'cancelled' : 'finished'}. ${results}`);
  const message = profileSummaryMessage(summary);
  if (summary.labelled === 0 && summary.done > 0 && !summary.cancelled) void vscode.window.showErrorMessage(message);
  else void vscode.window.showInformationMessage(message);
  if (summary.truncated > 0) void reportTruncated(summary.truncated);
}

/** Tells how many replies the token limit cut, with a way to the setting that raises it. */
async function reportTruncated(count: number): Promise<void> {
  const pick = await vscode.window.showWarningMessage(`SMCS: ${repliesWere(count)} cut at the token limit; raise smcs.profileMaxTokens and run again.`, 'Open Settings');
  if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'smcs.profileMaxTokens');
}

/** The Profile Models command; resolves with the run's summary, or undefined when nothing ran or it failed. */
export async function profileModelsCommand(holder: EngineHolder, log: Log, extensionUri: vscode.Uri): Promise<unknown> {
  const team = holder.teamServer();
  if (team) {
    // The routing that would use the labels is the server's, and its bank is the team's: profiling here would write a bank no ask reads.
    void vscode.window.showInformationMessage(`SMCS: questions run on the team server ${team.id}; its own bank routes them, so it is profiled there (smcs profile).`);
    return undefined;
  }
  try {
    const config = holder.config();
    const runtime = loadRuntime();
    const dir = bankLocation(holder);
    const [embedder, gateway] = await Promise.all([
      holder.embedderAskingAgain(),
      runtime.createGateway(config.endpoints, { secrets: holder.hooks.secrets, log: holder.hooks.log }),
    ]);
    const access = bankAccessOf(holder);
    const bank = await runtime.openBank(dir, { embedder: { id: embedder.id, dimension: await embedder.dimension() }, create: true, write: true, ...access });
    /** Whether the bank may have changed on disk, so the engine and panel must reload it. */
    let changed = false;
    try {
      const starterFile = vscode.Uri.joinPath(extensionUri, 'media', 'starter-bank.jsonl').fsPath;
      const starter = await starterIds(starterFile);
      const questions = (await bank.count()) === 0 ? ((await confirmStarterImport()) ? 'starter' : undefined) : await chooseQuestions(bank, starter);
      if (questions === undefined) return undefined;
      if (questions === 'starter' && (await bank.lookup(starter)).size < starter.length) {
        // From here the bank may change on disk (even if the import or a later step fails): reload it when done.
        changed = true;
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'SMCS: importing the starter bank' }, () =>
          runtime.importBankJsonl(bank, starterFile, embedder),
        );
      }
      const selection: ProfileSelection = questions === 'starter' ? { questionIds: starter } : {};
      const keys = await pickModels(gateway, await bank.coverage());
      if (!keys) return undefined;
      if (!(await confirmProfiling(await runtime.estimateProfile(bank, keys, gateway, { ...selection, maxTokens: config.profileMaxTokens })))) return undefined;
      changed = true;
      const summary = await profileWithProgress(runtime, bank, gateway, keys, config, selection, access.user);
      reportSummary(log, summary);
      return summary;
    } finally {
      await bank.close();
      if (changed) await holder.bankChanged();
    }
  } catch (err) {
    if (errorKind(err) !== 'embedding') {
      reportFailure(log, 'profiling', err);
      return undefined;
    }
    log.warn(`profiling: ${errorMessage(err)}`);
    return (await offerEmbedderRemedies(err, 'profiling')) ? profileModelsCommand(holder, log, extensionUri) : undefined;
  }
}
