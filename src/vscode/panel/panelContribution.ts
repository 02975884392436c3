/**
 * The panel's contribution: the side panel itself, the documents its diffs open (candidates, proposed changes), and
 * the commands of asking, conversations, comparing and applying.
 */
import * as vscode from 'vscode';
import { relativeName } from '../context/editorFiles';
import { registerCommands, type Contribution } from '../hostServices';
import { APPLY_SCHEME } from './applyProposal';
import { CandidateDocuments, compareCandidatesCommand } from './candidateDiff';
import { CANDIDATE_SCHEME } from './candidateDocs';
import { PANEL_VIEW_ID } from './panelProvider';
import { promptQuestion } from './questionInput';

export const panelContribution: Contribution = ({ panel, asks, runs, proposals, composer, questions }) => [
  vscode.window.registerWebviewViewProvider(PANEL_VIEW_ID, panel),
  vscode.workspace.registerTextDocumentContentProvider(CANDIDATE_SCHEME, new CandidateDocuments(() => runs.history)),
  vscode.workspace.registerTextDocumentContentProvider(APPLY_SCHEME, proposals),
  proposals.watchDiffs(),
  ...registerCommands({
    'smcs.ask': async (question?: unknown) => {
      const selection = questions.editorSelection();
      const text = typeof question === 'string' ? question : await promptQuestion(selection ? 'SMCS: Ask (with the selected code)' : 'SMCS: Ask', selection !== undefined, selection ? undefined : panel);
      if (!text) return undefined;
      // The engine decides what part of the open file goes, as for the panel's composer (issue 42).
      return asks.ask(text, selection);
    },
    'smcs.askAboutSelection': async (question?: unknown) => {
      const selection = questions.editorSelection();
      if (!selection) {
        void vscode.window.showInformationMessage('SMCS: select some code first, then run "Ask About Selection".');
        return undefined;
      }
      const text = typeof question === 'string' ? question : await promptQuestion('SMCS: Ask About Selection', true);
      if (!text) return undefined;
      return asks.ask(text, selection);
    },
    'smcs.askAboutFile': async (file?: unknown) => {
      if (!(file instanceof vscode.Uri)) return;
      await panel.focusInput();
      composer.added(relativeName(file));
    },
    'smcs.openPanel': () => panel.focusInput(),
    'smcs.cancel': () => asks.cancel(),
    'smcs.newChat': async () => {
      runs.newChat();
      await panel.focusInput();
    },
    'smcs.clearHistory': () => runs.clearHistory(),
    'smcs.compareCandidates': (runId?: unknown, left?: unknown, right?: unknown) => compareCandidatesCommand(runs.history, runId, left, right),
    'smcs.applyCode': (runId?: unknown, code?: unknown, language?: unknown) => proposals.propose(runId, code, language),
    'smcs.acceptChange': (uri?: unknown) => proposals.accept(uri),
    'smcs.rejectChange': (uri?: unknown) => proposals.reject(uri),
    'smcs.undoApply': () => proposals.undo(),
  }),
];
