/**
 * Registers `@smcs` with VS Code's chat (declared under `chatParticipants` in package.json) where the chat API exists,
 * and the commands of its buttons: use another reply — a candidate or a referencer's own, each listed with its checks
 * and final answer (a choice like the panel's, which the bank learns from), after which `@smcs /kept` shows it in the
 * chat — open the run in the SMCS panel, ask again, and use another embedder then ask again. Comparing with the winner
 * is the panel's own `smcs.compareCandidates`. A run stopped in the chat is told in a notification too.
 */
import * as vscode from 'vscode';
import { registerCommands, type Contribution } from '../hostServices';
import { askOverBudget, confirmLargePrompt } from '../dialogs';
import { replyChoiceItems } from '../../presentation/chatText';
import { isEmbedderRemedy } from '../../presentation/protocol';
import { sameReply } from '../../presentation/answerNames';
import { REMEDY_COMMANDS } from '../embedding/embedderRemedies';
import { CHAT_COMMANDS, KEPT_COMMAND, SmcsParticipant } from './smcsParticipant';

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

/** Opens VS Code's chat with `query` sent to `@smcs` (a retry, the reply the user kept). */
async function sendToSmcs(query: string): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.chat.open', { query: `@smcs ${query}`, isPartialQuery: false });
}

export const chatContribution: Contribution = ({ context, log, engine, runs, settings, questions, choices, panel }) => {
  const chat = vscode.chat as Partial<typeof vscode.chat> | undefined;
  if (typeof chat?.createChatParticipant !== 'function') {
    log.info(`chat: VS Code ${vscode.version} has no chat participant API, so @smcs is not offered`);
    return [];
  }
  const openRun = async (runId: unknown): Promise<void> => {
    const run = typeof runId === 'string' ? runs.find(runId) : undefined;
    if (!run) return;
    runs.openThread(run.threadId);
    await panel.reveal(false);
  };
  const askAgain = async (runId: unknown): Promise<void> => {
    const run = typeof runId === 'string' ? runs.find(runId) : undefined;
    if (run) await sendToSmcs(run.question);
  };
  const participant = new SmcsParticipant({
    engine: () => engine.forQuestion(),
    runs,
    context: questions,
    settings: () => settings.current,
    log,
    overBudget: askOverBudget,
    confirmLarge: confirmLargePrompt,
    stopped: ({ runId, text }) => {
      void vscode.window.showInformationMessage(`SMCS: ${text}`, 'Open in SMCS Panel', 'Ask Again').then(async (choice) => {
        if (choice === 'Open in SMCS Panel') await openRun(runId);
        else if (choice === 'Ask Again') await askAgain(runId);
      });
    },
    location,
    attachedFiles,
  });
  const registered = chat.createChatParticipant(PARTICIPANT_ID, (request, chatContext, stream, token) => participant.handle(request, chatContext, stream, token));
  registered.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
  return [
    registered,
    ...registerCommands({
      [CHAT_COMMANDS.openRun]: openRun,
      [CHAT_COMMANDS.askAgain]: askAgain,
      [CHAT_COMMANDS.retryWith]: async (runId?: unknown, remedy?: unknown) => {
        if (!isEmbedderRemedy(remedy)) return;
        if ((await vscode.commands.executeCommand<boolean>(REMEDY_COMMANDS[remedy])) === true) await askAgain(runId);
      },
      [CHAT_COMMANDS.useCandidate]: async (runId?: unknown) => {
        const run = typeof runId === 'string' ? runs.find(runId) : undefined;
        if (!run) return;
        const items = replyChoiceItems(run);
        const picked = await vscode.window.showQuickPick(items, { title: 'SMCS: Use Another Reply', placeHolder: `Question: ${run.question.slice(0, 80)}`, matchOnDescription: true, matchOnDetail: true });
        if (!picked || picked.description.startsWith('the answer shown')) return;
        // The run's own answer taken back is a revert; any other reply is the user's choice.
        if (sameReply(run.answer?.reply, picked.reply)) await choices.choose(run.id, null);
        else if (picked.reply.kind === 'candidate') await choices.choose(run.id, picked.reply.index);
        else await choices.useReference(run.id, picked.reply.model);
        // The chat shows the reply now kept, and a follow-up continues from it.
        await sendToSmcs(`/${KEPT_COMMAND}`);
      },
    }),
  ];
};
