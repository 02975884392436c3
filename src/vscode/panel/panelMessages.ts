/** Where each of the panel's requests goes: the asks, the runs and their threads, the user's choices, the editor. */
import * as vscode from 'vscode';
import type { ChipChoice, WebviewToHost } from '../../presentation/protocol';
import type { QuestionContextOptions } from '../context/questionContext';
import type { AskController } from './askController';
import { runCodeAction } from './editorActions';
import type { PanelRuns } from './panelRuns';
import type { ReplyChoices } from './replyChoices';

/** The requests answered here; the panel provider answers the bank's, the composer's, compare and apply itself. */
export type PanelRequest = Exclude<WebviewToHost, { type: 'refresh-bank' | 'compare' | 'apply' | 'find-files' | 'file-share' | 'open-file' | 'add-file' }>;

export interface PanelFeatures {
  asks: AskController;
  runs: PanelRuns;
  choices: ReplyChoices;
}

/** What the panel's chips chose for a question: the current file dropped or sent whole, the selection dropped, files added. */
export function chipChoice(msg: ChipChoice): QuestionContextOptions {
  return { withoutCurrentFile: msg.withoutCurrentFile === true, wholeCurrentFile: msg.wholeCurrentFile === true, withoutSelection: msg.withoutSelection === true, addedFiles: msg.files ?? [] };
}

/** Handles a validated message from the panel. */
export async function handlePanelRequest(msg: PanelRequest, { asks, runs, choices }: PanelFeatures): Promise<void> {
  switch (msg.type) {
    case 'ready':
      return;
    case 'ask':
      await asks.ask(msg.question, undefined, true, undefined, chipChoice(msg));
      return;
    case 'stop':
      asks.cancel();
      return;
    case 'choose':
      await choices.choose(msg.runId, msg.index);
      return;
    case 'use-reference':
      await choices.useReference(msg.runId, msg.model);
      return;
    case 'clear-history':
      await runs.clearHistory();
      return;
    case 'new-chat':
      runs.newChat();
      return;
    case 'open-thread':
      runs.openThread(msg.threadId);
      return;
    case 'delete-thread':
      await runs.deleteThread(msg.threadId);
      return;
    case 'estimate':
      await asks.estimate(msg.question, chipChoice(msg));
      return;
    case 'code':
      await runCodeAction(msg.action, msg.code, msg.language);
      choices.codeUsed(msg);
      return;
    case 'command':
      await vscode.commands.executeCommand(msg.command);
      return;
    case 'retry-with':
      await asks.retryWith(msg.runId, msg.remedy);
      return;
    case 'retry':
      await asks.retry(msg.runId);
      return;
    case 'ask-again-with':
      await asks.askAgainWith(msg.runId, msg.models);
      return;
  }
}
