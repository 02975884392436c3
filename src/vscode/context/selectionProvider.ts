/** The editor's selection: the lines the user selected, with the file they are in. */
import { contextItem } from '../../core/context/contextItem';
import { selectedLines } from '../../core/context/selectedLines';
import { NOTHING, type ContextProvider, type ContextRequest, type Gathered } from './contextProvider';
import type { Workbench } from './workbench';

export class SelectionProvider implements ContextProvider {
  constructor(private readonly workbench: Workbench) {}

  async gather(request: ContextRequest): Promise<Gathered> {
    const editor = this.workbench.questionEditor();
    if (request.selectionGiven || request.withoutSelection || !editor) return NOTHING;
    const items = editor.selections
      .filter((s) => !s.isEmpty)
      .map((s) => contextItem({ source: 'selection', path: editor.path, ...selectedLines(s.start, s.end), text: s.text(), reason: 'selected', language: editor.languageId }));
    return { items, notes: [] };
  }
}
