/**
 * The workspace's files, for `#` completion and `#file` mentions: listed once (files.exclude, search.exclude and
 * vendored folders left out) and kept as files are created and deleted.
 */
import * as vscode from 'vscode';
import { relativeName } from './editorFiles';

/** Most files listed: the completion matches among these. */
const MAX_FILES = 20_000;

/** The globs `files.exclude` and `search.exclude` turn on (gitignore syntax is the same for these). */
export function excludedGlobs(): string[] {
  const globs: string[] = [];
  for (const key of ['files.exclude', 'search.exclude']) {
    const setting = vscode.workspace.getConfiguration().get<Record<string, unknown>>(key) ?? {};
    for (const [glob, on] of Object.entries(setting)) if (on === true) globs.push(glob);
  }
  return [...new Set(globs)];
}

export class WorkspaceFiles implements vscode.Disposable {
  private listing: Promise<string[]> | undefined;
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);

  constructor() {
    const forget = (): void => { this.listing = undefined; };
    this.watcher.onDidCreate(forget);
    this.watcher.onDidDelete(forget);
  }

  /** Workspace-relative paths, sorted. */
  list(): Promise<string[]> {
    this.listing ??= this.read();
    return this.listing;
  }

  private async read(): Promise<string[]> {
    const exclude = `{${['**/node_modules/**', '**/.git/**', ...excludedGlobs()].join(',')}}`;
    const uris = await vscode.workspace.findFiles('**/*', exclude, MAX_FILES);
    return uris.map(relativeName).sort();
  }

  dispose(): void {
    this.watcher.dispose();
  }
}
