/**
 * The workspace's index for `#codebase` and automatic retrieval, in the extension's workspace storage: built in the
 * background (progress in the status bar) soon after start-up in a trusted workspace with models set up, when that asks
 * nothing and spends nothing (indexWarmup.ts), else by the first question that needs it; a file
 * saved, created, renamed or deleted in the editor is indexed again by itself, without walking the workspace. An ask
 * refreshes it too (a walk that reads only what changed), so it never answers from a stale index.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/contracts/errors';
import type { Engine, WorkspaceRequest } from '../../engine/types';
import type { Log } from '../log';
import { excludedGlobs } from '../settings';
import { insideWorkspace } from './fileListing';
import { IndexWarmup } from './indexWarmup';

/** Where the index stands, as the status bar showed it. */
export type IndexState = 'idle' | 'building' | 'built' | 'failed';

/** Changes closer together than this are indexed together. */
const SAVE_DEBOUNCE_MS = 1_000;

export class WorkspaceIndexer implements vscode.Disposable {
  private started = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Workspace-relative paths changed since the last update. */
  private readonly pending = new Set<string>();
  private readonly abort = new AbortController();
  private readonly subscriptions: vscode.Disposable[];
  private readonly warmup: IndexWarmup;
  private built: IndexState = 'idle';

  /** `unasked`: whether the index may build now without asking or spending (engineHolder `indexesUnasked`). */
  constructor(private readonly engine: () => Promise<Engine>, private readonly storage: vscode.Uri | undefined, private readonly log: Log, private readonly ready: () => boolean, private readonly unasked: () => Promise<boolean>) {
    this.warmup = new IndexWarmup({
      wanted: () => !this.started && this.request('auto') !== undefined && this.ready(),
      unasked: this.unasked,
      start: () => this.start(),
      log: (message) => this.log.info(message),
    });
    this.subscriptions = [
      vscode.workspace.onDidSaveTextDocument((document) => this.changed([document.uri])),
      vscode.workspace.onDidCreateFiles((e) => this.changed(e.files)),
      vscode.workspace.onDidDeleteFiles((e) => this.changed(e.files)),
      vscode.workspace.onDidRenameFiles((e) => this.changed(e.files.flatMap((f) => [f.oldUri, f.newUri]))),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.warmup.soon()),
    ];
  }

  /** Where the index stands: not started, being built, built, or its last build failed. */
  get state(): IndexState {
    return this.built;
  }

  /**
   * Builds the index in the background soon, when that asks nothing and spends nothing: at start-up, and after the
   * settings change (models set up). Returns at once: activation never waits for the index.
   */
  warmSoon(): void {
    this.warmup.soon();
  }

  /** What an ask may read of the workspace (`auto`: retrieval), or undefined with no folder, no storage or no trust. */
  request(retrieval: WorkspaceRequest['retrieval']): WorkspaceRequest | undefined {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (root?.scheme !== 'file' || this.storage === undefined || !vscode.workspace.isTrusted) return undefined;
    const exclude = excludedGlobs();
    return { root: root.fsPath, indexDir: vscode.Uri.joinPath(this.storage, 'workspace-index').fsPath, retrieval, ...(exclude.length > 0 ? { exclude } : {}) };
  }

  /**
   * Builds the index in the background, once (at start-up, or for the first question that needs it); nothing in an
   * untrusted workspace or without models. A build that failed is tried again by the next call.
   */
  start(): void {
    const request = this.request('auto');
    if (this.started || request === undefined || !this.ready()) return;
    this.started = true;
    this.built = 'building';
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'SMCS: indexing the workspace' }, async (progress) => {
      let shown = 0;
      const stats = await this.refresh(request, (done, total) => {
        const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
        if (percent > shown) progress.report({ message: `${percent} %` });
        shown = percent;
      });
      if (stats) this.log.info(`workspace index: ${stats.files} files, ${stats.chunks} chunks (${stats.indexed} read now)`);
      this.built = stats ? 'built' : 'failed';
      if (!stats) this.started = false;
    });
  }

  /** Files the editor changed: those inside the workspace folder are indexed again after a pause, one by one (the index's journal). */
  private changed(uris: readonly vscode.Uri[]): void {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!this.started || root?.scheme !== 'file') return;
    for (const relative of insideWorkspace(root.fsPath, uris)) this.pending.add(relative);
    if (this.pending.size === 0) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.update(), SAVE_DEBOUNCE_MS);
  }

  private async update(): Promise<void> {
    const request = this.request('auto');
    const paths = [...this.pending];
    this.pending.clear();
    if (request === undefined || paths.length === 0) return;
    try {
      await (await this.engine()).updateWorkspaceFiles(request, paths, this.abort.signal);
    } catch (err) {
      if (!this.abort.signal.aborted) this.log.warn(`workspace index: ${errorMessage(err)}`);
    }
  }

  private async refresh(request: WorkspaceRequest, onProgress?: (done: number, total: number) => void): Promise<{ files: number; chunks: number; indexed: number } | undefined> {
    try {
      const stats = await (await this.engine()).refreshWorkspace(request, this.abort.signal, onProgress);
      if (stats.unsaved !== undefined) this.log.warn(`workspace index: could not be saved (${stats.unsaved}); it serves from memory and is saved again at the next refresh`);
      return stats;
    } catch (err) {
      if (!this.abort.signal.aborted) this.log.warn(`workspace index: ${errorMessage(err)}`);
      return undefined;
    }
  }

  dispose(): void {
    this.warmup.dispose();
    this.abort.abort();
    clearTimeout(this.saveTimer);
    for (const s of this.subscriptions) s.dispose();
  }
}
