/** Registers every `smcs.*` command. Handlers load heavy modules only when they run. */
import * as vscode from 'vscode';
import type { AskController } from './askController';
import { exportBank, importBank, importTargetsArg, recoverBank, showBankStats } from './bankCommands';
import { compareCandidatesCommand } from './candidateDiff';
import { activeSelectionContext } from './editorActions';
import { chooseEmbeddingModelFolder, REMEDY_COMMANDS, useEmbeddingsEndpoint, useLexicalEmbedder } from './embedderRemedies';
import { addOpenRouter, ServerSetup } from './endpointCommands';
import type { EngineHolder } from './engineHolder';
import type { Log } from './log';
import type { PanelProvider } from './panelProvider';
import type { VscodeSecrets } from './secrets';
import { openSettings } from './settings';
import { profileModelsCommand } from './profileCommand';
import { migrateTeamBankSchema, setTeamBankPassword } from './teamBankCommands';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  controller: AskController;
  panel: PanelProvider;
  engine: EngineHolder;
  secrets: VscodeSecrets;
  log: Log;
}

async function promptQuestion(title: string, withContext: boolean): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt: withContext ? 'The selected code and its language are sent along.' : 'Several models answer; the best synthesis is shown in the SMCS panel.',
    placeHolder: 'e.g. Why does this loop never terminate?',
    ignoreFocusOut: true,
  });
}

/** Registers the commands; returns their disposables. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { controller, panel, engine, secrets, log, context } = deps;
  const servers = new ServerSetup(secrets, log);
  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'smcs.ask': async (question?: unknown) => {
      const selection = activeSelectionContext();
      const text = typeof question === 'string' ? question : await promptQuestion(selection ? 'SMCS: Ask (with the selected code)' : 'SMCS: Ask', selection !== undefined);
      if (!text) return undefined;
      return controller.ask(text, selection);
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
    'smcs.showLog': () => log.show(),
    [REMEDY_COMMANDS.lexical]: () => useLexicalEmbedder({ engine, secrets, log }),
    [REMEDY_COMMANDS['local-model']]: () => chooseEmbeddingModelFolder({ engine, secrets, log }),
    [REMEDY_COMMANDS.endpoint]: () => useEmbeddingsEndpoint({ engine, secrets, log }),
  };
  return Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
