/**
 * The current file's problems when it is attached; `#problems` adds the workspace's other files with errors or
 * warnings. Each diagnostic with the lines around it. A current file without problems, in a language no installed
 * extension checks, is said to be unchecked rather than clean.
 */
import type { ContextItem } from '../../core/context/contextItem';
import { filesWithProblems, problemsItem } from '../../core/context/problems';
import { secretReason } from '../../core/secrets/secretFiles';
import { mayGather } from '../../core/context/trust';
import { NOTHING, type ContextProvider, type ContextRequest, type Gathered } from './contextProvider';
import type { EditorView, Workbench } from './workbench';

export class ProblemsProvider implements ContextProvider {
  constructor(private readonly workbench: Workbench) {}

  async gather(request: ContextRequest): Promise<Gathered> {
    const automatic = !request.withoutCurrentFile && this.workbench.currentFileEnabled() && mayGather('currentFile', request.trusted);
    if (!request.mentions.problems && !automatic) return NOTHING;
    const editor = this.workbench.questionEditor();
    const current = editor ? currentFileItem(editor) : undefined;
    // With the current file it sends that file's problems; #problems asks for the workspace's too.
    if (!request.mentions.problems) return current ? { items: [current], notes: [] } : NOTHING;
    const others = await this.workspaceItems(editor?.path);
    const items = [...(current ? [current] : []), ...others];
    const unchecked = editor !== undefined && editor.problems().length === 0 && !this.workbench.languageChecked(editor.languageId) ? [uncheckedNote(editor)] : [];
    if (items.length > 0) return { items, notes: unchecked };
    return { items: [], notes: unchecked.length > 0 ? unchecked : ['#problems: the workspace has no errors or warnings'] };
  }

  /** The other workspace files with errors or warnings (core/context/problems#filesWithProblems), read as they are open or on disk. */
  private async workspaceItems(current: string | undefined): Promise<ContextItem[]> {
    const items = await Promise.all(
      filesWithProblems(this.workbench.workspaceProblems(), current).map(async (f) => {
        const text = await f.read();
        return text === undefined || secretReason(f.path, text) !== undefined ? undefined : problemsItem(f.path, text, f.problems, true);
      }),
    );
    return items.filter((i): i is ContextItem => i !== undefined);
  }
}

/** Said only when no installed extension could have reported problems for the file: then "none" means "not checked". */
function uncheckedNote(editor: EditorView): string {
  const name = editor.path.split('/').at(-1) ?? editor.path;
  return `#problems: no problems reported for ${name}. Is the extension for ${editor.languageId} installed? Problems come from a language's extension`;
}

function currentFileItem(editor: EditorView): ContextItem | undefined {
  const text = editor.text();
  if (secretReason(editor.path, text) !== undefined) return undefined;
  return problemsItem(editor.path, text, editor.problems());
}
