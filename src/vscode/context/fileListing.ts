/**
 * The workspace's files as the host lists them, through any directory reader (VS Code's file system API in
 * workspaceFiles.ts, so a remote workspace lists too): dependencies, build output and version control left out, the
 * exclude globs applied; and which of a set of changed files lie inside the workspace, as the index names them.
 */
import path from 'node:path';
import ignore from 'ignore';

/** Folders never listed: dependencies, build output, version control. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', 'build', '.venv', 'venv', '__pycache__', '.next', 'target', 'vendor']);
/** Most files listed: the completion matches among these. */
export const MAX_LISTED_FILES = 20_000;

export interface FolderEntry {
  name: string;
  folder: boolean;
  file: boolean;
}

/** Reads a folder (workspace-relative, '' for the root); an unreadable one reads as empty. */
export type FolderReader = (folder: string) => Promise<readonly FolderEntry[]>;

/** Workspace-relative paths with `/` separators, sorted; breadth first, so a cut at `maxFiles` keeps the shallow ones. */
export async function listFiles(read: FolderReader, excludeGlobs: readonly string[], maxFiles = MAX_LISTED_FILES): Promise<string[]> {
  const rules = ignore().add([...excludeGlobs]);
  const files: string[] = [];
  const folders = [''];
  for (let folder = folders.shift(); folder !== undefined && files.length < maxFiles; folder = folders.shift()) {
    for (const { name, folder: isFolder, file } of await read(folder)) {
      const rel = folder === '' ? name : `${folder}/${name}`;
      if ((isFolder && SKIPPED_FOLDERS.has(name)) || rules.ignores(isFolder ? `${rel}/` : rel)) continue;
      if (isFolder) folders.push(rel);
      else if (file) files.push(rel);
    }
  }
  return files.sort();
}

/** The workspace-relative paths (`/` separators) of the changed files on disk that lie inside `root`. */
export function insideWorkspace(root: string, changed: readonly { scheme: string; fsPath: string }[]): string[] {
  const paths: string[] = [];
  for (const file of changed) {
    const relative = file.scheme === 'file' ? path.relative(root, file.fsPath) : '';
    if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) paths.push(relative.split(path.sep).join('/'));
  }
  return paths;
}
