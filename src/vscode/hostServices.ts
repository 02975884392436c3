/**
 * What activation builds once and every feature's contribution shares, and the shape of a contribution: a function
 * that registers a feature's commands and providers and returns their disposables (vscode-copilot-chat registers its
 * contributions per feature the same way, without needing its dependency-injection container at our size).
 */
import * as vscode from 'vscode';
import type { ComposerContext } from './context/composerContext';
import type { QuestionContext } from './context/questionContext';
import type { EngineHolder } from './engineHolder';
import type { VscodeSecrets } from './endpoints/secrets';
import type { Log } from './log';
import type { ApplyProposals } from './panel/applyProposal';
import type { AskController } from './panel/askController';
import type { PanelProvider } from './panel/panelProvider';
import type { PanelRuns } from './panel/panelRuns';
import type { ReplyChoices } from './panel/replyChoices';
import type { LocalApiServer } from './server/localApiServer';
import type { SettingsWatcher } from './settings';

export interface HostServices {
  context: vscode.ExtensionContext;
  log: Log;
  /** The settings, validated, and their changes. */
  settings: SettingsWatcher;
  secrets: VscodeSecrets;
  engine: EngineHolder;
  panel: PanelProvider;
  runs: PanelRuns;
  asks: AskController;
  choices: ReplyChoices;
  proposals: ApplyProposals;
  composer: ComposerContext;
  /** The context of a question from the editor: the selection Ask About Selection sends. */
  questions: QuestionContext;
  localServer: LocalApiServer;
}

/** A feature's registrations: its commands (each declared in package.json) and providers. */
export type Contribution = (services: HostServices) => vscode.Disposable[];

/** A command's handler: arguments come from VS Code untyped (a menu passes a Uri, a test a string). */
export type CommandHandler = (...args: unknown[]) => unknown;

/** Registers a table of commands, id → handler. */
export function registerCommands(commands: Readonly<Record<string, CommandHandler>>): vscode.Disposable[] {
  return Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
