/** Registers every `smcs.*` command. Handlers load heavy modules only when they run. */
import type { ComposerContext } from './context/composerContext';
import { relativeName } from './context/editorFiles';
import * as vscode from 'vscode';
import type { AskController } from './panel/askController';
import { exportBank, importBank, importTargetsArg, recoverBank, showBankStats } from './bank/bankCommands';
import type { ApplyProposals } from './panel/applyProposal';
import { compareCandidatesCommand } from './panel/candidateDiff';
import { activeSelectionContext } from './panel/editorActions';
import { chooseEmbeddingModelFolder, REMEDY_COMMANDS, useEmbeddingsEndpoint, useLexicalEmbedder } from './embedding/embedderRemedies';
import { addOpenRouter, ServerSetup } from './endpoints/endpointCommands';
import type { EngineHolder } from './engineHolder';
import type { Log } from './log';
import type { PanelProvider } from './panel/panelProvider';
import type { VscodeSecrets } from './endpoints/secrets';
import type { LocalApiServer } from './server/localApiServer';
import { openSettings } from './settings';
import { profileModelsCommand } from './bank/profileCommand';
import { migrateTeamBankSchema, setTeamBankPassword } from './bank/teamBankCommands';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  controller: AskController;
  panel: PanelProvider;
  engine: EngineHolder;
  secrets: VscodeSecrets;
  log: Log;
  localServer: LocalApiServer;
  proposals: ApplyProposals;
  composer: ComposerContext;
}

/** The input box's button that moves what was typed to the panel's question box, where a question can span lines. */
const TO_PANEL: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('note'), tooltip: 'Write a longer or multi-line question in the SMCS panel' };

/**
 * Asks for a question in a one-line input box. Without selected code it offers the panel's question box (a title
 * button, and the prompt says so), since a pasted multi-line question loses its line breaks here: `panel` then gets
 * what was typed and the result is undefined.
 */
async function promptQuestion(title: string, withContext: boolean, panel?: PanelProvider): Promise<string | undefined> {
  const box = vscode.window.createInputBox();
  box.title = title;
  box.prompt = withContext
    ? 'The selected code and its language are sent along.'
    : 'Several models answer; the best synthesis is shown in the SMCS panel. One line here: for a longer or multi-line question use the note button, which opens it in the panel.';
  box.placeholder = 'e.g. Why does this loop never terminate?';
  box.ignoreFocusOut = true;
  if (panel) box.buttons = [TO_PANEL];
  return new Promise<string | undefined>((resolve) => {
    let answer: string | undefined;
    box.onDidAccept(() => {
      answer = box.value;
      box.hide();
    });
    box.onDidTriggerButton(() => {
      const draft = box.value;
      box.hide();
      void panel?.focusInput(draft);
    });
    box.onDidHide(() => {
      box.dispose();
      resolve(answer);
    });
    box.show();
  });
}

/** Registers the commands; returns their disposables. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { controller, panel, engine, secrets, log, context, localServer, proposals, composer } = deps;
  const servers = new ServerSetup(secrets, log);
  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'smcs.ask': async (question?: unknown) => {
      const selection = activeSelectionContext();
      const text = typeof question === 'string' ? question : await promptQuestion(selection ? 'SMCS: Ask (with the selected code)' : 'SMCS: Ask', selection !== undefined, selection ? undefined : panel);
      if (!text) return undefined;
      // No chip shows the current file here: it goes only with a question about it.
      return controller.ask(text, selection, false, undefined, selection ? {} : { currentFileIfAsked: true });
    },
    'smcs.askAboutSelection': async (question?: unknown) => {
      const selection = activeSelectionContext();
      if (!selection) {
        void vscode.window.showInformationMessage('SMCS: select some code first, then run "Ask About Selection".');
        return undefined;
      }
      const text = typeof question === 'string' ? question : await promptQuestion('SMCS: Ask About Selection', true);
      if (!text) return undefined;
      return controller.ask(text, selection);
    },
    'smcs.askAboutFile': async (file?: unknown) => {
      if (!(file instanceof vscode.Uri)) return;
      await panel.focusInput();
      composer.added(relativeName(file));
    },
    'smcs.openPanel': () => panel.focusInput(),
    'smcs.cancel': () => controller.cancel(),
    'smcs.setApiKey': () => servers.setApiKey(),
    'smcs.addVllmServer': () => servers.addVllmServer(),
    'smcs.addOpenRouter': () => addOpenRouter(log, secrets, context.extensionMode),
    'smcs.openSettings': () => openSettings(),
    'smcs.importBank': (targets?: unknown) => importBank(engine, log, importTargetsArg(targets)),
    'smcs.exportBank': (file?: unknown) => exportBank(engine, log, file instanceof vscode.Uri ? file : undefined),
    'smcs.showBankStats': () => showBankStats(engine, log),
    'smcs.recoverBank': (action?: unknown) => recoverBank(engine, log, action),
    'smcs.profileModels': () => profileModelsCommand(engine, log, context.extensionUri),
    'smcs.setTeamBankPassword': () => setTeamBankPassword(engine, secrets, log),
    'smcs.migrateTeamBankSchema': () => migrateTeamBankSchema(engine, log),
    'smcs.newChat': async () => {
      controller.newChat();
      await panel.focusInput();
    },
    'smcs.clearHistory': () => controller.clearHistory(),
    'smcs.compareCandidates': (runId?: unknown, left?: unknown, right?: unknown) => compareCandidatesCommand(controller.history, runId, left, right),
    'smcs.applyCode': (runId?: unknown, code?: unknown) => proposals.propose(runId, code),
    'smcs.acceptChange': (uri?: unknown) => proposals.accept(uri),
    'smcs.rejectChange': (uri?: unknown) => proposals.reject(uri),
    'smcs.showLog': () => log.show(),
    'smcs.startLocalApiServer': () => localServer.start(),
    'smcs.stopLocalApiServer': async () => {
      if (!(await localServer.stop())) void vscode.window.showInformationMessage('SMCS: the local API server is not running.');
    },
    'smcs.localApiServerActions': (choice?: unknown) => localServer.actions(choice),
    [REMEDY_COMMANDS.lexical]: () => useLexicalEmbedder({ engine, secrets, log }),
    [REMEDY_COMMANDS['local-model']]: () => chooseEmbeddingModelFolder({ engine, secrets, log }),
    [REMEDY_COMMANDS.endpoint]: () => useEmbeddingsEndpoint({ engine, secrets, log }),
  };
  return Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
