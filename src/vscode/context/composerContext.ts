/**
 * The host's side of the question box's context: tells the panel the current file and selection as the editor
 * changes (its chips) and what part of the current file the question being typed sends, answers `#` completion with the workspace's files (never a secret file), opens a chip's file, and adds a file
 * ("Add file…" and SMCS: Ask About File).
 */
import * as vscode from 'vscode';
import { onSettingChange } from '../settings';
import { fuzzyFiles, keywordsStarting } from '../../core/retrieval/hashMentions';
import type { HostToWebview, WebviewToHost } from '../../presentation/protocol';
import { currentFileShare, editorChips } from './chips';
import type { Workbench } from './workbench';
import type { WorkspaceFiles } from './workspaceFiles';
import type { ParseFile } from '../../core/retrieval/parsedSource';

/** Files the `#` completion lists. */
const COMPLETIONS = 12;

export type ComposerMessage = Extract<WebviewToHost, { type: 'find-files' | 'file-share' | 'open-file' | 'add-file' }>;

export class ComposerContext implements vscode.Disposable {
  private post: ((msg: HostToWebview) => void) | undefined;
  /** Files added before the panel was ready (Ask About File opens it). */
  private pending: string[] = [];
  /** The last editor context sent, as JSON. */
  private published: string | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly workbench: Workbench,
    private readonly files: WorkspaceFiles,
    /** The one reader of definitions (the runtime's tree-sitter), so the chip says what the engine will send. */
    private readonly parse: ParseFile,
  ) {
    const publish = (): void => this.publish();
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(publish),
      vscode.window.onDidChangeTextEditorSelection(publish),
      // Closing the editor the question is about takes its selection away (questionEditor falls back to a visible one).
      vscode.window.onDidChangeVisibleTextEditors(publish),
      onSettingChange('context.currentFile', publish),
    ];
  }

  /** Connects the panel (after its `ready`) and sends it the editor's context. */
  attach(post: (msg: HostToWebview) => void): void {
    this.post = post;
    this.publish(true);
    for (const path of this.pending) post({ type: 'file-added', path });
    this.pending = [];
  }

  detach(post: (msg: HostToWebview) => void): void {
    if (this.post === post) this.post = undefined;
  }

  /**
   * Sends the chips' files when they changed: the selection event fires on every keystroke and cursor move, and each
   * message makes the panel estimate the cost again.
   */
  private publish(force = false): void {
    const msg = editorChips(this.workbench);
    const key = JSON.stringify(msg);
    if (!force && key === this.published) return;
    this.published = key;
    this.post?.(msg);
  }

  async handle(msg: ComposerMessage): Promise<void> {
    switch (msg.type) {
      case 'find-files':
        // The keywords the query starts come first (core/retrieval/hashMentions); secret files are never offered.
        this.post?.({ type: 'file-matches', query: msg.query, keywords: keywordsStarting(msg.query).map((k) => ({ ...k })), files: fuzzyFiles(msg.query, await this.files.offered(), COMPLETIONS) });
        return;
      case 'file-share': {
        const share = await currentFileShare(this.workbench, msg.question, msg, this.parse);
        if (share) this.post?.(share);
        return;
      }
      case 'open-file':
        await this.open(msg.path, msg.line);
        return;
      case 'add-file': {
        const path = await vscode.window.showQuickPick(this.files.offered(), { title: 'SMCS: Add a file to the question', placeHolder: 'Type to find a workspace file', matchOnDescription: true });
        if (path !== undefined) this.added(path);
        return;
      }
    }
  }

  /** Adds a file to the question box's chips (Ask About File). */
  added(path: string): void {
    if (this.post) this.post({ type: 'file-added', path });
    else this.pending.push(path);
  }

  private async open(path: string, line: number): Promise<void> {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (root === undefined) return;
    const position = new vscode.Position(Math.max(0, line - 1), 0);
    await vscode.window.showTextDocument(vscode.Uri.joinPath(root, path), { selection: new vscode.Range(position, position), preview: true });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
