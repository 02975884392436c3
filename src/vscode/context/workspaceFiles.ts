/**
 * The workspace's files, for `#` completion and `#file` mentions: listed once (files.exclude, search.exclude and
 * vendored folders left out) and kept as files are created and deleted. What the question box offers leaves out secret
 * files (core/secrets/secretFiles); a mention typed out in full finds any file.
 */
import * as vscode from 'vscode';
import { excludedGlobs } from '../settings';
import { offerableFiles } from '../../core/secrets/secretFiles';
import { listFiles, type FolderEntry } from './fileListing';

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
    const readFolder = async (folder: string): Promise<FolderEntry[]> => {
      const entries = await Promise.resolve(vscode.workspace.fs.readDirectory(folder === '' ? root : vscode.Uri.joinPath(root, folder))).catch(() => []);
      return entries.map(([name, type]) => ({ name, folder: (type & vscode.FileType.Directory) !== 0, file: (type & vscode.FileType.File) !== 0 }));
    };
    return listFiles(readFolder, excludedGlobs());
  }

  dispose(): void {
    this.watcher.dispose();
  }
}
