/**
 * Entry point of the SMCS extension. Activation only wires light objects (settings, log, panel,
 * commands); the engine, bank, embedders and LLM clients load on first use. Activation time is
 * measured and written to the log.
 */
import * as vscode from 'vscode';
import { AskController, setupState } from './panel/askController';
import { ChoiceEmitter, type ReplyChoice, type Disposable as ChoiceDisposable } from './learning/choiceFeedback';
import { registerContributions } from './contributions';
import { LocalApiServer } from './server/localApiServer';
import { EngineHolder } from './engineHolder';
import { HistoryStore } from './panel/historyStore';
import { Log } from './log';
import { PanelProvider, type PanelDocument } from './panel/panelProvider';
import type { HostToWebview } from '../presentation/protocol';
import { PanelRuns } from './panel/panelRuns';
import { handlePanelRequest } from './panel/panelMessages';
import { ReplyChoices } from './panel/replyChoices';
import { VscodeSecrets } from './endpoints/secrets';
import { SettingsWatcher } from './settings';
import { createTelemetry, type Telemetry } from './telemetry/telemetry';
import { telemetryEvent } from './telemetry/telemetryEvents';
import { DownloadReporter, askDownloadConsent } from './embedding/downloads';
import { ChoiceLearner } from './learning/learnFromChoice';
import { loadBankPanelState } from './bank/bankCommands';
import { BankSummaryService } from './bank/bankSummary';
import { endpointKey, teamEndpoints, teamUsageViews } from './teamUsage/teamUsageClient';
import { localBankAside } from './bank/localBankCommands';
import { errorMessage } from '../core/contracts/errors';
import { ApplyProposals } from './panel/applyProposal';
import { askOverBudget, confirmLargePrompt, confirmModal } from './dialogs';
import { DialogClock } from './dialogClock';
import { registerCommands } from './hostServices';
import { ComposerContext } from './context/composerContext';
import { CurrentFileProvider } from './context/currentFileProvider';
import { FileMentionProvider } from './context/fileMentionProvider';
import { ProblemsProvider } from './context/problemsProvider';
import { QuestionContext } from './context/questionContext';
import { SelectionProvider } from './context/selectionProvider';
import { TerminalProvider } from './context/terminalProvider';
import { WorkspaceFiles } from './context/workspaceFiles';
import { VscodeWorkbench } from './context/vscodeWorkbench';
import { WorkspaceIndexer, type IndexState } from './context/workspaceIndexer';
import { loadRuntime } from './loadRuntime';
import type { ParseFile } from '../core/retrieval/parsedSource';
import { teamServerOf } from '../core/contracts/config';

/** What `activate` returns to other extensions and to the integration tests. */
export interface SmcsApi {
  /** Fires when the user chooses, reverts or accepts a reply (the bank layer learns from it). */
  onDidChooseReply(listener: (choice: ReplyChoice) => void): ChoiceDisposable;
  /** Milliseconds `activate` took. */
  readonly activationMs: number;
  /** The runs shown in the panel, oldest first. */
  history(): readonly unknown[];
  /** True while a question is being answered. */
  isRunning(): boolean;
  /** Where the workspace index stands, as the status bar showed it: not started, being built, built, or failed. */
  workspaceIndex(): IndexState;
  /**
   * Only when VS Code runs the extension's tests (`ExtensionMode.Test`): connects a document of the panel besides the
   * webview's, sent what the webview is sent, its messages answered as the webview's (PanelProvider.connectTestDocument).
   */
  connectPanelDocument?: (post: (msg: HostToWebview) => void) => Pick<PanelDocument, 'receive' | 'close'>;
}

let telemetry: Telemetry | undefined;

export function activate(context: vscode.ExtensionContext): SmcsApi {
  const started = performance.now();
  const log = new Log();
  const choices = new ChoiceEmitter();
  let tel: Telemetry = { enabled: false, send: () => undefined, dispose: () => undefined };
  const settings = new SettingsWatcher((problem) => tel.send(telemetryEvent('config.invalid', { setting: problem.setting }, {})));
  const secrets = new VscodeSecrets(context.secrets);
  const downloads = new DownloadReporter();
  const dialogs = new DialogClock();
  const engine = new EngineHolder(settings, {
    secrets,
    consent: (modelId) => dialogs.time(() => askDownloadConsent(context.globalState, modelId, teamServerOf(settings.current.config?.endpoints ?? []) !== undefined)),
    onDownloadProgress: (p) => downloads.report(p),
    log: (level, message) => log.write(level, message),
    storageDir: context.globalStorageUri.fsPath,
    bankPassword: async () => {
      const bank = settings.current.config?.bank;
      return bank === undefined ? undefined : secrets.bankPassword(bank);
    },
  });
  const workspaceFiles = new WorkspaceFiles();
  const workbench = new VscodeWorkbench();
  const indexer = new WorkspaceIndexer(() => engine.get(), context.storageUri, log, () => settings.current.hasEndpoints, () => engine.indexesUnasked());
  const questionContext = new QuestionContext(
    workbench,
    [new FileMentionProvider(workbench, workspaceFiles), new SelectionProvider(workbench), new CurrentFileProvider(workbench), new ProblemsProvider(workbench), new TerminalProvider(workbench)],
    indexer,
    (question) => loadRuntime().mayConcernAWorkspace(question),
  );
  const telemetryProxy: Telemetry = { get enabled() { return tel.enabled; }, send: (e) => tel.send(e), dispose: () => undefined };
  const runs = new PanelRuns({ history: new HistoryStore(context.workspaceState), log, setup: () => setupState(settings), confirm: confirmModal });
  const learner = new ChoiceLearner(engine, log, context.globalState);
  const replies = new ReplyChoices({ runs, choices, telemetry: telemetryProxy, log, learnFromChoices: () => settings.current.learnFromChoices, forgetLearning: (choice) => learner.forget(choice) });
  learner.onDidForget((choice) => replies.untake(choice));
  const asks = new AskController({
    context: questionContext,
    engine: () => engine.get(),
    engineToAsk: () => engine.forQuestion(),
    runs,
    settings,
    log,
    telemetry: telemetryProxy,
    revealPanel: async (): Promise<void> => panel.reveal(true),
    overBudget: (over) => dialogs.time(() => askOverBudget(over)),
    confirmLarge: (size) => dialogs.time(() => confirmLargePrompt(size)),
    dialogs,
    afterRun: () => {
      // A run through a team server spent on the member's key: the Bank section's usage line follows.
      if (teamEndpoints(settings.current.config?.endpoints ?? []).length > 0) void bankSummary.refreshIfLoaded();
    },
  });
  const localBank = localBankAside(engine, context.globalState);
  const observeBank = (): void => {
    const { config } = settings.current;
    if (config) void localBank.observe(config.bank).catch((err: unknown) => log.warn(`local bank: ${errorMessage(err)}`));
  };
  const bankSummary = new BankSummaryService({
    load: () => loadBankPanelState(engine),
    choice: () => localBank.choice(settings.current.config?.bank),
    teamUsage: () => teamUsageViews(teamEndpoints(settings.current.config?.endpoints ?? []), (e) => endpointKey(secrets, e)),
    logError: (m) => log.error(m),
  });
  // The one reader of definitions, the engine's (tree-sitter in the runtime bundle), for the chip and for Apply.
  const parse: ParseFile = (file, text) => loadRuntime().parseFile(file, text, (message) => log.write('warn', message));
  const composer = new ComposerContext(workbench, workspaceFiles, parse);
  const panel = new PanelProvider(context.extensionUri, runs, (msg) => handlePanelRequest(msg, { asks, runs, choices: replies }), log, bankSummary, composer);
  const localServer = new LocalApiServer(engine, secrets, log);
  const proposals = new ApplyProposals(() => runs.history, (runId) => replies.appliedFrom(runId), parse);
  const setEndpointsContext = (): Thenable<unknown> => vscode.commands.executeCommand('setContext', 'smcs.hasEndpoints', settings.current.hasEndpoints);
  context.subscriptions.push(
    log,
    settings,
    downloads,
    engine,
    workspaceFiles,
    workbench,
    indexer,
    composer,
    asks,
    runs,
    { dispose: () => choices.dispose() },
    choices.onDidChooseReply((choice) => learner.onChoice(choice)),
    ...registerCommands(learner.commands()),
    ...registerContributions({ context, log, settings, secrets, engine, panel, runs, asks, choices: replies, proposals, composer, questions: questionContext, localServer, localBank }),
    settings.onDidChange(() => {
      engine.invalidate();
      // Models set up now: the index builds in the background before the first question (when that asks nothing).
      indexer.warmSoon();
      void setEndpointsContext();
      runs.publishSetup();
      void bankSummary.refreshIfLoaded();
      observeBank();
    }),
    engine.onDidChangeBank(() => {
      void bankSummary.refreshIfLoaded();
      // Set Team Bank Password changes what the bank can reach: the local bank's copy is offered once it can work.
      observeBank();
    }),
    context.secrets.onDidChange((e) => {
      if (!e.key.startsWith('smcs.apiKey.')) return;
      engine.invalidate();
      // A new team key changes the Bank section's usage line.
      void bankSummary.refreshIfLoaded();
    }),
  );
  void setEndpointsContext();
  settings.reportProblem();
  setTimeout(observeBank, 0);
  // The workspace index builds in the background soon after start-up (when that asks nothing and spends nothing), so
  // the first question does not wait for it (issue 70 item 8).
  indexer.warmSoon();
  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  setTimeout(() => {
    tel = createTelemetry(context, (m) => log.info(m));
    telemetry = tel;
    tel.send(telemetryEvent('activate', {}, { activationMs }));
  }, 0);
  return {
    onDidChooseReply: choices.onDidChooseReply,
    activationMs,
    history: () => runs.history,
    isRunning: () => asks.isRunning,
    workspaceIndex: () => indexer.state,
    ...(context.extensionMode === vscode.ExtensionMode.Test ? { connectPanelDocument: (post: (msg: HostToWebview) => void) => panel.connectTestDocument(post) } : {}),
  };
}

export function deactivate(): Thenable<void> | undefined {
  const t = telemetry;
  telemetry = undefined;
  t?.dispose();
  return undefined;
}
