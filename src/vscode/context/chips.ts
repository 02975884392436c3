/** What the question box's chips show of the editor: the current file (with its lines) and the selection. */
import { selectedLines } from '../../core/context/selectedLines';
import type { HostToWebview } from '../../shared/protocol';
import { currentFile } from './currentFileProvider';
import type { Workbench } from './workbench';

/** The `editor-context` message for the editor as it is now (the first non-empty selection is the one shown). */
export function editorChips(workbench: Workbench): Extract<HostToWebview, { type: 'editor-context' }> {
  const file = currentFile(workbench);
  const editor = workbench.questionEditor();
  const selected = editor?.selections.find((s) => !s.isEmpty);
  const selection = editor && selected ? { path: editor.path, ...selectedLines(selected.start, selected.end) } : null;
  return { type: 'editor-context', currentFile: file ? { path: file.path, startLine: 1, endLine: editor?.lineCount ?? 1 } : null, selection };
}
