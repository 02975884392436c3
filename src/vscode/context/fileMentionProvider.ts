/**
 * `#file` mentions and the files the user added: each read whole. A secret file is sent because the user named it,
 * with a warning; a mention that names no workspace file is said.
 */
import * as vscode from 'vscode';
import { fileItem } from '../../core/context/contextItem';
import { resolveFileMention } from '../../core/context/hashMentions';
import { secretReason } from '../../core/context/secretFiles';
import type { ContextProvider, ContextRequest, Gathered } from './contextProvider';
import { fileText } from './editorFiles';
import type { WorkspaceFiles } from './workspaceFiles';

export class FileMentionProvider implements ContextProvider {
  constructor(private readonly files: WorkspaceFiles, private readonly warn: (message: string) => void) {}

  async gather(request: ContextRequest): Promise<Gathered> {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    const wanted = [...new Set([...request.addedFiles, ...request.mentions.files])];
    if (wanted.length === 0 || root === undefined) return { items: [], notes: [] };
    const known = await this.files.list();
    const gathered: Gathered = { items: [], notes: [] };
    for (const mention of wanted) {
      const path = request.addedFiles.includes(mention) ? mention : resolveFileMention(mention, known);
      const text = path === undefined ? undefined : await fileText(vscode.Uri.joinPath(root, path));
      if (path === undefined || text === undefined) {
        gathered.notes.push(`#${mention}: no such text file in the workspace`);
        continue;
      }
      const secret = secretReason(path, text);
      if (secret !== undefined) this.warn(`SMCS: ${secret}; it is sent to every model because you attached it by name.`);
      gathered.items.push(fileItem('file', path, text, 'attached'));
    }
    return gathered;
  }
}
