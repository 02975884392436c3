/**
 * Apply: a code block of the kept reply, proposed as a change to the file the question was asked from. The change
 * (src/core/apply/applyTarget) opens in VS Code's diff editor — the file against a read-only virtual document
 * (scheme `smcs-apply`) holding it with the change made — with Accept and Reject in the diff's title bar, and a notice
 * that asks for them and closes itself once the proposal is decided (or its diff closed). A block fenced in another
 * language than the file's is proposed only once the user says so. Accept makes
 * the change as one WorkspaceEdit (one undo in the editor restores the file), unless the text it was made against has
 * changed meanwhile; Reject closes the diff and leaves the file as it was. After Accept, Undo Apply (the notification's
 * button, or the command) puts the file back and forgets what the bank learned from the accepted reply — refused when
 * the file changed since, as that would overwrite the user's edits. With no file open and none asked from, Apply offers
 * the files the question names and those of the block's language, and a new file (applyFiles.ts).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { undoOf, type AppliedChange } from '../../core/apply/appliedChange';
import { applied, applyBlock, applyTarget, isStale, targetPhrase, type ApplyTarget, type AskAnchor } from '../../core/apply/applyTarget';
import type { ParseFile } from '../../core/retrieval/parsedSource';
import { applyChecksNote } from '../../presentation/checkText';
import { fenceFitsLanguage, languageIdForFence, languageName } from '../../presentation/languageIds';
import { answerView } from '../../presentation/answerView';
import type { RunState } from '../../presentation/runState';
import { confirmModal } from '../dialogs';
import { applyFileChoices } from './applyFiles';
import { PendingDecisions } from './pendingDecisions';
import type { TakenReply } from './replyChoices';

export const APPLY_SCHEME = 'smcs-apply';

interface Proposal {
  /** The virtual document holding the file with the change made. */
  uri: vscode.Uri;
  file: vscode.Uri;
  name: string;
  target: ApplyTarget;
  proposed: string;
  /** The run whose kept reply the code is from (absent when that run is gone). */
  runId?: string;
}

/** The latest accepted change, as Undo Apply takes it back. */
interface Accepted {
  file: vscode.Uri;
  name: string;
  change: AppliedChange;
  /** The reply taken with it (absent when it was taken before, by Copy or Insert, or its run is gone). */
  taken?: TakenReply;
  undone?: boolean;
}

const UNDO_APPLY = 'Undo Apply';

/** The editor a question was asked from, for Apply: its file, selection and cursor (undefined when none is a file). */
export function askOrigin(editor: vscode.TextEditor | undefined): RunState['origin'] {
  if (!editor || !['file', 'untitled', 'vscode-remote'].includes(editor.document.uri.scheme)) return undefined;
  const { document } = editor;
  return { uri: document.uri.toString(), name: path.basename(document.uri.path), languageId: document.languageId, ...anchorOf(editor) };
}

function anchorOf(editor: vscode.TextEditor): AskAnchor {
  const { document, selection } = editor;
  const cursor = document.offsetAt(selection.active);
  if (selection.isEmpty) return { cursor };
  return { selection: { start: document.offsetAt(selection.start), end: document.offsetAt(selection.end), text: document.getText(selection) }, cursor };
}

const NEW_FILE = 'new';

/**
 * Asks which file to apply `code` to when no file is open: the workspace files the question names, then those of the
 * block's language (applyFiles.ts), and a new untitled file of its language, which opens with the code in it (so
 * nothing is left to propose). Undefined when the user closed the pick or chose the new file.
 */
async function pickApplyFile(question: string, fence: string, code: string): Promise<vscode.TextDocument | undefined> {
  const uris = await vscode.workspace.findFiles('**/*', undefined, 5000);
  const byPath = new Map(uris.map((uri) => [vscode.workspace.asRelativePath(uri, false), uri]));
  const choices = applyFileChoices(question, fence, [...byPath.keys()]);
  const language = fence.trim() === '' ? undefined : languageName(fence);
  const items: (vscode.QuickPickItem & { path: string })[] = [
    ...choices.map((c) => ({ label: `$(file) ${c.path}`, description: c.named ? 'named in the question' : undefined, path: c.path })),
    { label: `$(new-file) New ${language ? `${language} ` : ''}file`, description: 'opens with the code in it', path: NEW_FILE },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'SMCS: Apply the code to…', placeHolder: 'No file is open: pick the file to put the code into, or a new file' });
  if (!picked) return undefined;
  if (picked.path === NEW_FILE) {
    const known = new Set(await vscode.languages.getLanguages());
    const created = await vscode.workspace.openTextDocument({ language: languageIdForFence(fence, known), content: code });
    await vscode.window.showTextDocument(created, { preview: false });
    return undefined;
  }
  const uri = byPath.get(picked.path);
  return uri ? vscode.workspace.openTextDocument(uri) : undefined;
}

export class ApplyProposals implements vscode.TextDocumentContentProvider {
  /** The proposals whose diffs are open, by their document's URI: each is accepted or rejected once. */
  private readonly proposals = new PendingDecisions<Proposal>();
  private next = 0;
  private lastAccepted: Accepted | undefined;

  /**
   * `runs`: the panel's runs; `onAccepted`: a change from run `runId`'s kept reply was made — the user took that reply
   * (learned from as Copy and Insert are); it returns how to forget what that taught the bank.
   */
  constructor(
    private readonly runs: () => readonly RunState[],
    private readonly onAccepted: (runId: string) => TakenReply | undefined,
    /** The one reader of definitions (the engine's tree-sitter): the definition a reply redefines is found as the index finds it. */
    private readonly parse: ParseFile,
  ) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.proposals.get(uri.toString())?.proposed ?? '';
  }

  /**
   * Opens the diff of `code` (a code block of run `runId`'s answer, fenced as `fence`) applied to the file the question
   * was asked from; for a file of another language than the block's, only once the user confirms.
   */
  async propose(runId: unknown, code: unknown, fence?: unknown): Promise<void> {
    if (typeof runId !== 'string' || typeof code !== 'string') return;
    const run = this.runs().find((r) => r.id === runId);
    const origin = run?.origin;
    const editor = vscode.window.activeTextEditor;
    const opened = origin ? await vscode.workspace.openTextDocument(vscode.Uri.parse(origin.uri)).then(undefined, () => undefined) : editor?.document;
    if (origin && !opened) {
      void vscode.window.showWarningMessage(`SMCS: ${origin.name}, where the question was asked, cannot be opened any more.`);
      return;
    }
    // No file open and none asked from: the user picks one among those the question names or of the block's language, or a new file.
    const document = opened ?? (await pickApplyFile(run?.question ?? '', typeof fence === 'string' ? fence : '', code));
    if (!document) return;
    const name = path.basename(document.uri.path);
    if (typeof fence === 'string' && !fenceFitsLanguage(fence, document.languageId)) {
      const put = `Put It Into ${name}`;
      if (!(await confirmModal(`This is a ${languageName(fence)} block; put it into ${name} (${languageName(document.languageId)}) anyway?`, put))) return;
    }
    const anchor: AskAnchor = origin ?? (editor ? anchorOf(editor) : { cursor: 0 });
    const text = document.getText();
    const [inFile, inBlock] = await Promise.all([this.parse(document.uri.path, text), this.parse(document.uri.path, applyBlock(code, text))]);
    const target = applyTarget(document.uri.path, text, code, anchor, { ...(inFile ? { file: inFile } : {}), ...(inBlock ? { block: inBlock } : {}) });
    const uri = vscode.Uri.from({ scheme: APPLY_SCHEME, path: `/${this.next++}/${name}` });
    const proposal: Proposal = { uri, file: document.uri, name, target, proposed: applied(text, target), ...(run ? { runId: run.id } : {}) };
    // Opened before the diff, whose right side is read from it (provideTextDocumentContent).
    const decided = this.proposals.open(uri.toString(), proposal);
    const checks = run ? applyChecksNote(answerView(run).checks, run.checkSet) : undefined;
    const what = `${targetPhrase(target)}${checks ? `; the code ${checks}` : ''}`;
    await vscode.commands.executeCommand('vscode.diff', document.uri, uri, `${name} ↔ SMCS: ${what}`, { preview: true });
    await this.setPendingContext();
    this.askToDecide(uri, `SMCS: apply the answer's code to ${name}? It ${what}. Accept or Reject in the diff's title bar.`, decided);
  }

  /**
   * The notice asking for a decision: a progress notification, not a message with Accept and Reject buttons. VS Code
   * cannot close a message it showed (microsoft/vscode#48960, #50232), so once the user decided in the diff's title bar
   * or closed the diff, such a message stayed in the notifications center offering a choice that no longer applied;
   * a progress notification closes when its promise settles, and that promise settles with the decision, wherever it
   * was made. It stays up as a toast while the choice is open (a message's toast hides after a few seconds), and its
   * one button, Cancel, is Reject. Accept is where the change is shown: the diff's title bar (and the palette).
   */
  private askToDecide(uri: vscode.Uri, title: string, decided: Promise<void>): void {
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
      token.onCancellationRequested(() => void this.reject(uri));
      return decided;
    });
  }

  /**
   * Drops the proposal of a diff the user closed (its notice closes with it): the file stays as it was, as with
   * Reject, and the palette's Accept cannot apply a change no longer shown.
   */
  watchDiffs(): vscode.Disposable {
    return vscode.window.tabGroups.onDidChangeTabs(({ closed }) => {
      if (closed.length === 0) return;
      const shown = new Set(vscode.window.tabGroups.all.flatMap((g) => g.tabs).flatMap(proposalKey));
      if (this.proposals.dropClosed(closed.flatMap(proposalKey), shown).length > 0) void this.setPendingContext();
    });
  }

  /** The proposal a title-bar button or the palette means: the one shown in the active diff, else the latest. */
  private proposalOf(uri: unknown): Proposal | undefined {
    if (uri instanceof vscode.Uri) return this.proposals.get(uri.toString());
    const [shown] = proposalKey(vscode.window.tabGroups.activeTabGroup.activeTab);
    if (shown !== undefined) return this.proposals.get(shown);
    return this.proposals.latest();
  }

  /** Makes the change as one edit, unless the file no longer holds the text it was made against. */
  async accept(uri?: unknown): Promise<void> {
    const proposal = this.proposalOf(uri);
    if (!proposal) return;
    await this.close(proposal);
    const document = await vscode.workspace.openTextDocument(proposal.file);
    const before = document.getText();
    if (isStale(before, proposal.target)) {
      void vscode.window.showWarningMessage(`SMCS: ${proposal.name} changed since the diff was made; Apply again.`);
      return;
    }
    const { start, end, text } = proposal.target;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(proposal.file, new vscode.Range(document.positionAt(start), document.positionAt(end)), text);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showWarningMessage(`SMCS: ${proposal.name} could not be changed; Apply again.`);
      return;
    }
    const taken = proposal.runId !== undefined ? this.onAccepted(proposal.runId) : undefined;
    const accepted: Accepted = { file: proposal.file, name: proposal.name, change: { before, after: document.getText(), start, end }, ...(taken ? { taken } : {}) };
    this.lastAccepted = accepted;
    // The change in view with the cursor at its start, not selected: a selection left behind would go with the next question.
    const changed = new vscode.Range(document.positionAt(start), document.positionAt(start + text.length));
    const editor = await vscode.window.showTextDocument(document, { selection: new vscode.Range(changed.start, changed.start), preview: false });
    editor.revealRange(changed, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    const learned = taken?.learning ? ' and forgets what the bank learned from it' : '';
    void vscode.window.showInformationMessage(`SMCS: applied the code to ${proposal.name}. ${UNDO_APPLY} puts the file back${learned}.`, UNDO_APPLY).then((choice) => {
      if (choice === UNDO_APPLY) return this.undo(accepted);
      return undefined;
    });
  }

  /**
   * Takes back `accepted` (the notification's), else the latest accepted change (the palette's Undo Apply), once: the
   * file as it was before, and what the bank learned from the reply; nothing at all when the file changed since.
   */
  async undo(accepted: Accepted | undefined = this.lastAccepted): Promise<void> {
    if (!accepted || accepted.undone) {
      void vscode.window.showInformationMessage('SMCS: there is no applied change to undo (Undo Apply takes back a change made by Accept, once).');
      return;
    }
    const { file, name, change, taken } = accepted;
    const document = await vscode.workspace.openTextDocument(file);
    const undo = undoOf(change, document.getText());
    if (undo.kind === 'changed-since') {
      void vscode.window.showWarningMessage(`SMCS: ${name} changed after the code was applied; Undo Apply left it as is. Use Ctrl+Z in the editor.`);
      return;
    }
    if (undo.kind === 'edit') {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(file, new vscode.Range(document.positionAt(undo.edit.start), document.positionAt(undo.edit.end)), undo.edit.text);
      if (!(await vscode.workspace.applyEdit(edit))) {
        void vscode.window.showWarningMessage(`SMCS: ${name} could not be changed back; use Undo in the editor (Ctrl+Z).`);
        return;
      }
      // The restored lines are not left selected (the editor maps a selection over the replaced text onto them).
      const restored = new vscode.Range(document.positionAt(undo.edit.start), document.positionAt(undo.edit.start + undo.edit.text.length));
      for (const editor of vscode.window.visibleTextEditors) {
        if (editor.document === document && !editor.selection.isEmpty && editor.selection.intersection(restored) !== undefined) editor.selection = new vscode.Selection(restored.start, restored.start);
      }
    }
    accepted.undone = true;
    const forgot = taken ? await taken.forget() : false;
    void vscode.window.showInformationMessage(`SMCS: ${name} is as it was before Apply${forgot ? ', and the bank forgot the choice' : ''}.`);
  }

  /** Closes the diff; the file stays as it was. */
  async reject(uri?: unknown): Promise<void> {
    const proposal = this.proposalOf(uri);
    if (proposal) await this.close(proposal);
  }

  /** Decides `proposal` (its notice closes) and closes its diff. */
  private async close(proposal: Proposal): Promise<void> {
    this.proposals.take(proposal.uri.toString());
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => proposalKey(t)[0] === proposal.uri.toString());
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
    await this.setPendingContext();
  }

  private async setPendingContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'smcs.applyPending', this.proposals.size > 0);
  }
}

/** The proposal a tab shows, as its key (none when the tab is not an Apply diff). */
function proposalKey(tab: vscode.Tab | undefined): string[] {
  const input = tab?.input;
  return input instanceof vscode.TabInputTextDiff && input.modified.scheme === APPLY_SCHEME ? [input.modified.toString()] : [];
}
