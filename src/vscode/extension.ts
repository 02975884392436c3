/**
 * Entry point of the SMCS extension. Activation only wires light objects (settings, log, panel,
 * commands); the engine, bank, embedders and LLM clients load on first use. Activation time is
 * measured and written to the log.
 */
import * as vscode from 'vscode';
import { AskController } from './panel/askController';
import { ChoiceEmitter, type ReplyChoice, type Disposable as ChoiceDisposable } from './learning/choiceFeedback';
import { registerCommands } from './commands';
import { LocalApiServer } from './server/localApiServer';
import { EngineHolder } from './engineHolder';
import { HistoryStore } from './panel/historyStore';
import { Log } from './log';
import { PANEL_VIEW_ID, PanelProvider } from './panel/panelProvider';
import { VscodeSecrets } from './endpoints/secrets';
import { SettingsWatcher } from './settings';
import { createTelemetry, type Telemetry } from './telemetry/telemetry';
import { telemetryEvent } from './telemetry/telemetryEvents';
import { DownloadReporter, askDownloadConsent } from './embedding/downloads';
import { ChoiceLearner } from './learning/learnFromChoice';
import { loadBankPanelState } from './bank/bankCommands';
import { BankSummaryService } from './bank/bankSummary';
import { APPLY_SCHEME, ApplyProposals } from './panel/applyProposal';
import { CandidateDocuments } from './panel/candidateDiff';
import { CANDIDATE_SCHEME } from './panel/candidateDocs';
import { askOverBudget, confirmModal } from './dialogs';
import { ComposerContext } from './context/composerContext';
import { CurrentFileProvider } from './context/currentFileProvider';
import { FileMentionProvider } from './context/fileMentionProvider';
import { ProblemsProvider } from './context/problemsProvider';
import { QuestionContext } from './context/questionContext';
import { SelectionProvider } from './context/selectionProvider';
import { TerminalProvider } from './context/terminalProvider';
import { WorkspaceFiles } from './context/workspaceFiles';
import { WorkspaceIndexer } from './context/workspaceIndexer';

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
  const engine = new EngineHolder(settings, {
    secrets,
    consent: (modelId) => askDownloadConsent(context.globalState, modelId),
    onDownloadProgress: (p) => downloads.report(p),
    log: (level, message) => log.write(level, message),
    storageDir: context.globalStorageUri.fsPath,
    bankPassword: async () => {
      const bank = settings.current.config?.bank;
      return bank === undefined ? undefined : secrets.bankPassword(bank);
    },
  });
  const workspaceFiles = new WorkspaceFiles();
  const terminal = new TerminalProvider();
  const indexer = new WorkspaceIndexer(() => engine.get(), context.storageUri, log, () => settings.current.hasEndpoints);
  const questionContext = new QuestionContext([new FileMentionProvider(workspaceFiles), new SelectionProvider(), new CurrentFileProvider(), new ProblemsProvider(), terminal], indexer);
  const controller = new AskController({
    context: questionContext,
    engine: () => engine.get(),
    history: new HistoryStore(context.workspaceState),
    settings,
    log,
    telemetry: { get enabled() { return tel.enabled; }, send: (e) => tel.send(e), dispose: () => undefined },
    choices,
    revealPanel: async (): Promise<void> => panel.reveal(true),
    confirm: confirmModal,
    overBudget: askOverBudget,
  });
  const bankSummary = new BankSummaryService({
    load: () => loadBankPanelState(engine),
    logError: (m) => log.error(m),
  });
  const composer = new ComposerContext(workspaceFiles);
  const panel = new PanelProvider(context.extensionUri, controller, log, bankSummary, composer);
  const learner = new ChoiceLearner(engine, log, context.globalState);
  const localServer = new LocalApiServer(engine, secrets, log);
  const proposals = new ApplyProposals(() => controller.history, (runId) => controller.appliedFrom(runId));
  const setEndpointsContext = (): Thenable<unknown> => vscode.commands.executeCommand('setContext', 'smcs.hasEndpoints', settings.current.hasEndpoints);
  context.subscriptions.push(
    log,
    settings,
    downloads,
    engine,
    workspaceFiles,
    terminal,
    indexer,
    composer,
    controller,
    { dispose: () => choices.dispose() },
    choices.onDidChooseReply((choice) => learner.onChoice(choice)),
    vscode.window.registerWebviewViewProvider(PANEL_VIEW_ID, panel),
    vscode.workspace.registerTextDocumentContentProvider(CANDIDATE_SCHEME, new CandidateDocuments(() => controller.history)),
    vscode.workspace.registerTextDocumentContentProvider(APPLY_SCHEME, proposals),
    localServer,
    ...registerCommands({ context, controller, panel, engine, secrets, log, localServer, proposals, composer }),
    settings.onDidChange(() => {
      engine.invalidate();
      void setEndpointsContext();
      controller.publishSetup();
      void bankSummary.refreshIfLoaded();
    }),
    engine.onDidChangeBank(() => void bankSummary.refreshIfLoaded()),
    context.secrets.onDidChange((e) => {
      if (e.key.startsWith('smcs.apiKey.')) engine.invalidate();
    }),
  );
  void setEndpointsContext();
  settings.reportProblem();
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
    history: () => controller.history,
    isRunning: () => controller.isRunning,
  };
}

export function deactivate(): Thenable<void> | undefined {
  const t = telemetry;
  telemetry = undefined;
  t?.dispose();
  return undefined;
}
