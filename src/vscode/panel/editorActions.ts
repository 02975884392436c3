/** Editor-side actions: insert code at the cursor, open code in a new editor. */
import * as vscode from 'vscode';
import { languageIdForFence } from '../../presentation/languageIds';
import type { CodeAction } from '../../presentation/protocol';

/** The editor code should go to: the active one, else the first visible one. */
function targetEditor(): vscode.TextEditor | undefined {
  return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
}

/** Inserts code at every cursor of the target editor (replacing selections). Returns false when no editor is open. */
export async function insertAtCursor(code: string): Promise<boolean> {
  const editor = targetEditor();
  if (!editor) return false;
  const ok = await editor.edit((edit) => {
    for (const selection of editor.selections) edit.replace(selection, code);
  });
  if (ok) await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
  return ok;
}

/** Opens code in a new untitled editor with the language of its code fence. */
export async function openInNewEditor(code: string, fenceLanguage: string | undefined): Promise<void> {
  const known = new Set(await vscode.languages.getLanguages());
  const language = languageIdForFence(fenceLanguage ?? '', known);
  const doc = await vscode.workspace.openTextDocument({ content: code, language });
  await vscode.window.showTextDocument(doc, { preview: false });
}

/** A code block's Copy, Insert or Open from the panel, done in the editor (Insert with no file open offers a new editor). */
export async function runCodeAction(action: CodeAction, code: string, language: string | undefined): Promise<void> {
  if (action === 'copy') {
    await vscode.env.clipboard.writeText(code);
  } else if (action === 'insert') {
    const inserted = await insertAtCursor(code);
    if (!inserted) {
      const choice = await vscode.window.showInformationMessage('Open a file to insert the code at its cursor.', 'Open in New Editor');
      if (choice === 'Open in New Editor') await openInNewEditor(code, language);
    }
  } else {
    await openInNewEditor(code, language);
  }
}
