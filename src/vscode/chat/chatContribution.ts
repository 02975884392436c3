/**
 * Registers `@smcs` with VS Code's chat (declared under `chatParticipants` in package.json) where the chat API exists,
 * and the commands of its buttons: use another candidate (a choice like the panel's, which the bank learns from) and
 * open the run in the SMCS panel. Comparing with the winner is the panel's own `smcs.compareCandidates`.
 */
import * as vscode from 'vscode';
import { registerCommands, type Contribution } from '../hostServices';
import { askOverBudget } from '../dialogs';
import { replyPreview } from '../../presentation/chatText';
import { candidateTitle } from '../panel/candidateDocs';
import { CHAT_COMMANDS, SmcsParticipant } from './smcsParticipant';

/** The participant's id in package.json. */
export const PARTICIPANT_ID = 'smcs.chat';

/** A workspace-relative path as a place the chat can show, when it names a file of an open folder. */
function location(path: string, startLine: number, endLine: number): vscode.Location | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || !/[./]/.test(path)) return undefined;
  return new vscode.Location(vscode.Uri.joinPath(folder.uri, path), new vscode.Range(Math.max(0, startLine - 1), 0, Math.max(0, endLine - 1), 0));
}

/** The files a chat request attached, as workspace-relative paths. */
function attachedFiles(request: vscode.ChatRequest): string[] {
  return request.references.flatMap((ref) => {
    const uri = ref.value instanceof vscode.Uri ? ref.value : ref.value instanceof vscode.Location ? ref.value.uri : undefined;
    return uri ? [vscode.workspace.asRelativePath(uri, false)] : [];
  });
}

export const chatContribution: Contribution = ({ context, log, engine, runs, settings, questions, choices, panel }) => {
  const chat = vscode.chat as Partial<typeof vscode.chat> | undefined;
  if (typeof chat?.createChatParticipant !== 'function') {
    log.info(`chat: VS Code ${vscode.version} has no chat participant API, so @smcs is not offered`);
    return [];
  }
  const participant = new SmcsParticipant({
    engine: () => engine.get(),
    runs,
    context: questions,
    settings: () => settings.current,
    log,
    overBudget: askOverBudget,
    location,
    attachedFiles,
  });
  const registered = chat.createChatParticipant(PARTICIPANT_ID, (request, chatContext, stream, token) => participant.handle(request, chatContext, stream, token));
  registered.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
  const openRun = async (runId: unknown): Promise<void> => {
    const run = typeof runId === 'string' ? runs.find(runId) : undefined;
    if (!run) return;
    runs.openThread(run.threadId);
    await panel.reveal(false);
  };
  return [
    registered,
    ...registerCommands({
      [CHAT_COMMANDS.openRun]: openRun,
      [CHAT_COMMANDS.useCandidate]: async (runId?: unknown) => {
        const run = typeof runId === 'string' ? runs.find(runId) : undefined;
        if (!run) return;
        const items = run.candidates
          .filter((c) => c.status === 'done')
          .map((c) => ({ label: candidateTitle(run, c.index), detail: replyPreview(c.text), index: c.index }));
        const picked = await vscode.window.showQuickPick(items, { title: 'SMCS: Use Another Candidate', placeHolder: `Question: ${run.question.slice(0, 80)}` });
        if (!picked) return;
        await choices.choose(run.id, picked.index);
        await openRun(run.id);
      },
    }),
  ];
};
