/**
 * The workspace's files, for `#` completion and `#file` mentions: listed once (files.exclude, search.exclude and
 * vendored folders left out) and kept as files are created and deleted. What the question box offers leaves out secret
 * files (core/context/secretFiles); a mention typed out in full finds any file.
 */
import * as vscode from 'vscode';
import { excludedGlobs } from '../settings';
import ignore from 'ignore';
import { offerableFiles } from '../../core/context/secretFiles';

/** Folders never listed: dependencies, build output, version control. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', 'build', '.venv', 'venv', '__pycache__', '.next', 'target', 'vendor']);
/** Most files listed: the completion matches among these. */
const MAX_FILES = 20_000;

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

  /** The paths `#` completion and Add file… offer: the listing without secret files. */
  async offered(): Promise<string[]> {
    return offerableFiles(await this.list());
  }

  /** Walks the folder with the file system API (search's findFiles needs ripgrep, which remote hosts may lack). */
  private async read(): Promise<string[]> {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (root === undefined) return [];
    const rules = ignore().add(excludedGlobs());
    const files: string[] = [];
    const folders = [''];
    for (let folder = folders.shift(); folder !== undefined && files.length < MAX_FILES; folder = folders.shift()) {
      const entries = await Promise.resolve(vscode.workspace.fs.readDirectory(folder === '' ? root : vscode.Uri.joinPath(root, folder))).catch(() => []);
      for (const [name, type] of entries) {
        const rel = folder === '' ? name : `${folder}/${name}`;
        const isFolder = (type & vscode.FileType.Directory) !== 0;
        if ((isFolder && SKIPPED_FOLDERS.has(name)) || rules.ignores(isFolder ? `${rel}/` : rel)) continue;
        if (isFolder) folders.push(rel);
        else if ((type & vscode.FileType.File) !== 0) files.push(rel);
      }
    }
    return files.sort();
  }

  dispose(): void {
    this.watcher.dispose();
  }
}
