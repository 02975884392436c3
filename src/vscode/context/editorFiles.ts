/** Reading files for context in the editor: workspace-relative names, the text of a document or a file on disk. */
import * as vscode from 'vscode';
import { textOf } from '../../core/context/textBytes';

/**
 * The workspace-relative path with `/` separators; the file name alone outside the workspace, where VS Code would give
 * the absolute path, which says where the user's files are.
 */
export function relativeName(uri: vscode.Uri): string {
  if (!vscode.workspace.getWorkspaceFolder(uri)) return uri.path.split('/').at(-1) ?? 'untitled';
  return vscode.workspace.asRelativePath(uri, false).split('\\').join('/');
}

/** The text of a file: the open document's (unsaved edits included), else the file's on disk; undefined for a binary or unreadable file. */
export async function readFileText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    return textOf(bytes);
  } catch {
    return undefined;
  }
}

/** The editor the question is about: the active text editor, else the first visible one (the panel has focus). */
export function questionEditor(): vscode.TextEditor | undefined {
  return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'file');
}
