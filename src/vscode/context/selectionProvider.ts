/** The editor's selection: the lines the user selected, with the file they are in. */
import { contextItem } from '../../core/context/contextItem';
import { selectedLines } from '../../core/context/selectedLines';
import { NOTHING, type ContextProvider, type ContextRequest, type Gathered } from './contextProvider';
import { questionEditor, relativeName } from './editorFiles';

export class SelectionProvider implements ContextProvider {
  async gather(request: ContextRequest): Promise<Gathered> {
    const editor = questionEditor();
    if (request.selectionGiven || request.withoutSelection || !editor) return NOTHING;
    const items = editor.selections
      .filter((s) => !s.isEmpty)
      .map((s) => contextItem({ source: 'selection', path: relativeName(editor.document.uri), ...selectedLines(s.start, s.end), text: editor.document.getText(s), reason: 'selected', language: editor.document.languageId }));
    return { items, notes: [] };
  }
}
