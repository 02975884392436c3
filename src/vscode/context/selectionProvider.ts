/** The editor's selection: the lines the user selected, with the file they are in. */
import { contextItem, type ContextItem } from '../../core/context/contextItem';
import { selectedLines } from '../../core/context/selectedLines';
import { NOTHING, type ContextProvider, type ContextRequest, type Gathered } from './contextProvider';
import type { EditorView, Workbench } from './workbench';

/** Each selection of `editor` that holds more than white space, as an item (source `selection`) with its file, lines and language. */
export function selectionItems(editor: EditorView): ContextItem[] {
  return editor.selections.flatMap((s) => {
    const text = s.isEmpty ? '' : s.text();
    return text.trim() === '' ? [] : [contextItem({ source: 'selection', path: editor.path, ...selectedLines(s.start, s.end), text, reason: 'selected', language: editor.languageId })];
  });
}

export class SelectionProvider implements ContextProvider {
  constructor(private readonly workbench: Workbench) {}

  async gather(request: ContextRequest): Promise<Gathered> {
    const editor = this.workbench.questionEditor();
    if (request.selectionGiven || request.withoutSelection || !editor) return NOTHING;
    return { items: selectionItems(editor), notes: [] };
  }
}
