/** The current file: attached by default (`smcs.context.currentFile`), its cursor line the focus the budget keeps when it must cut. */
import type * as vscode from 'vscode';
import { hostSetting } from '../settings';
import { fileItem } from '../../core/context/contextItem';
import { secretReason } from '../../core/context/secretFiles';
import { mayGather } from '../../core/context/trust';
import { NOTHING, type ContextProvider, type ContextRequest, type Gathered } from './contextProvider';
import { questionEditor, relativeName } from './editorFiles';

/** Whether the setting attaches the current file. */
export const currentFileEnabled = (): boolean => hostSetting('context.currentFile');

/** The current file as the chip shows it, or undefined (no file editor, an untitled one, or the setting off). */
export function currentFile(): { editor: vscode.TextEditor; path: string } | undefined {
  const editor = questionEditor();
  if (!editor || editor.document.uri.scheme !== 'file' || !currentFileEnabled()) return undefined;
  return { editor, path: relativeName(editor.document.uri) };
}

export class CurrentFileProvider implements ContextProvider {
  async gather(request: ContextRequest): Promise<Gathered> {
    const file = request.withoutCurrentFile || !mayGather('currentFile', request.trusted) ? undefined : currentFile();
    if (!file) return NOTHING;
    const { editor, path } = file;
    if (request.addedFiles.includes(path) || request.mentions.files.includes(path)) return NOTHING;
    const text = editor.document.getText();
    const secret = secretReason(path, text);
    if (secret !== undefined) return { items: [], notes: [`the current file was not sent: ${secret} (attach it with #file:${path} to send it)`] };
    return { items: [fileItem('currentFile', path, text, 'current file', { focusLine: editor.selection.active.line + 1, language: editor.document.languageId })], notes: [] };
  }
}
