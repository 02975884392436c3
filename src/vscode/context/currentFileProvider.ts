/**
 * The current file (`smcs.context.currentFile`) as the chip shows it; attached whole only when the user clicked its
 * chip — otherwise the front end passes it as editor state and the engine decides what part of it goes
 * (core/retrieval/openFileShare). Its cursor line is the focus the budget keeps when it must cut.
 */
import { fileItem } from '../../core/context/contextItem';
import { secretReason } from '../../core/secrets/secretFiles';
import { mayGather } from '../../core/context/trust';
import { NOTHING, type ContextProvider, type ContextRequest, type Gathered } from './contextProvider';
import type { EditorView, Workbench } from './workbench';

/** The current file as the chip shows it, or undefined (no file editor, an untitled one, or the setting off). */
export function currentFile(workbench: Workbench): EditorView | undefined {
  const editor = workbench.questionEditor();
  return editor?.isFile === true && workbench.currentFileEnabled() ? editor : undefined;
}

export class CurrentFileProvider implements ContextProvider {
  constructor(private readonly workbench: Workbench) {}

  async gather(request: ContextRequest): Promise<Gathered> {
    const file = !request.wholeCurrentFile || request.withoutCurrentFile || !mayGather('currentFile', request.trusted) ? undefined : currentFile(this.workbench);
    if (!file) return NOTHING;
    const { path } = file;
    if (request.addedFiles.includes(path) || request.mentions.files.includes(path)) return NOTHING;
    const text = file.text();
    const secret = secretReason(path, text);
    if (secret !== undefined) return { items: [], notes: [`the current file was not sent: ${secret} (attach it with #file:${path} to send it)`] };
    return { items: [fileItem('currentFile', path, text, 'current file, whole as chosen', { focusLine: file.cursor.line + 1, language: file.languageId })], notes: [] };
  }
}
