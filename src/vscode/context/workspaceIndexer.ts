/**
 * The workspace's index for `#codebase` and automatic retrieval, in the extension's workspace storage: built in the
 * background (progress in the status bar) once the panel is open in a trusted workspace with models set up, and
 * brought up to date after each save. An ask refreshes it too, so it never answers from a stale index.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/contracts/errors';
import type { Engine, WorkspaceRequest } from '../../engine/types';
import type { Log } from '../log';
import { excludedGlobs } from './workspaceFiles';

/** Saves closer together than this refresh once. */
const SAVE_DEBOUNCE_MS = 1_000;

export class WorkspaceIndexer implements vscode.Disposable {
  private started = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly abort = new AbortController();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly engine: () => Promise<Engine>, private readonly storage: vscode.Uri | undefined, private readonly log: Log, private readonly ready: () => boolean) {
    this.subscriptions = [
      vscode.workspace.onDidSaveTextDocument(() => this.scheduleRefresh()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.start()),
    ];
  }

  /** What an ask may read of the workspace (`auto`: retrieval), or undefined with no folder, no storage or no trust. */
  request(retrieval: WorkspaceRequest['retrieval']): WorkspaceRequest | undefined {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (root?.scheme !== 'file' || this.storage === undefined || !vscode.workspace.isTrusted) return undefined;
    const exclude = excludedGlobs();
    return { root: root.fsPath, indexDir: vscode.Uri.joinPath(this.storage, 'workspace-index').fsPath, retrieval, ...(exclude.length > 0 ? { exclude } : {}) };
  }

  /** Builds the index in the background, once (the panel opened); nothing in an untrusted workspace or without models. */
  start(): void {
    const request = this.request('auto');
    if (this.started || request === undefined || !this.ready()) return;
    this.started = true;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'SMCS: indexing the workspace' }, async (progress) => {
      let shown = 0;
      const stats = await this.refresh(request, (done, total) => {
        const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
        if (percent > shown) progress.report({ message: `${percent} %` });
        shown = percent;
      });
      if (stats) this.log.info(`workspace index: ${stats.files} files, ${stats.chunks} chunks (${stats.indexed} read now)`);
    });
  }

  private scheduleRefresh(): void {
    if (!this.started) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      const request = this.request('auto');
      if (request) void this.refresh(request);
    }, SAVE_DEBOUNCE_MS);
  }

  private async refresh(request: WorkspaceRequest, onProgress?: (done: number, total: number) => void): Promise<{ files: number; chunks: number; indexed: number } | undefined> {
    try {
      return await (await this.engine()).refreshWorkspace(request, this.abort.signal, onProgress);
    } catch (err) {
      if (!this.abort.signal.aborted) this.log.warn(`workspace index: ${errorMessage(err)}`);
      return undefined;
    }
  }

  dispose(): void {
    this.abort.abort();
    clearTimeout(this.saveTimer);
    for (const s of this.subscriptions) s.dispose();
  }
}
