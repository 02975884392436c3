/**
 * The context of one question from every provider, in the budget's order, with the editor's state (the open file) and,
 * in a trusted workspace, always the workspace request (`always` for `#codebase`, else `auto`): the front end does not
 * judge what the question concerns; the engine decides, with the index, whether to search and what part of the open
 * file goes (engine/workspaceContext, issue 42). In an untrusted workspace only what the user attached is read
 * (core/context/trust). The selection is one item kind whichever way it comes (the chip's, or the one Ask About
 * Selection or a retried run brings), screened here as the engine screens every item.
 */
import type { ContextItem } from '../../core/context/contextItem';
import { hashMentionsIn } from '../../core/retrieval/hashMentions';
import { guardContext, type GuardedContext } from '../../core/secrets/secretGuard';
import { mayGather } from '../../core/context/trust';
import type { EditorState } from '../../core/retrieval/openFileShare';
import type { WorkspaceRequest } from '../../engine/types';
import type { ContextProvider } from './contextProvider';
import { currentFile } from './currentFileProvider';
import { selectionItems } from './selectionProvider';
import type { Workbench } from './workbench';
import type { WorkspaceIndexer } from './workspaceIndexer';

export interface QuestionContextOptions {
  withoutCurrentFile?: boolean;
  withoutSelection?: boolean;
  addedFiles?: readonly string[];
  /** The selection the ask brings, already screened (Ask About Selection's, or the one a retried run sent): the selection provider stays out. */
  selection?: GuardedContext;
  /** The user chose to send the current file whole (a click on its chip): it goes as an attachment, not as editor state. */
  wholeCurrentFile?: boolean;
  /** Gathered for the cost estimate while typing: no modal asks how to send a secret file (contextProvider.ts). */
  estimating?: boolean;
}

export interface GatheredContext {
  /** Every item the question carries, the selection's among them. */
  attachments: ContextItem[];
  /**
   * The selection among them, screened for secrets (core/secrets/secretGuard), and what the screen said (among
   * `notes` too): what the run keeps, so a follow-up, a retry and the bank's learning never carry a secret value.
   */
  selection: GuardedContext;
  workspace?: WorkspaceRequest;
  /** The open file, for the engine to decide what part of it goes (absent when its chip was dropped or it goes whole). */
  editor?: EditorState;
  /** What could not be gathered, and why. */
  notes: string[];
}

/** The open file as the engine reads it, unless the user dropped its chip, sends it whole, or it may not be read. */
function editorState(workbench: Workbench, options: QuestionContextOptions, trusted: boolean, mentioned: readonly string[]): EditorState | undefined {
  const file = options.withoutCurrentFile === true || options.wholeCurrentFile === true || !mayGather('currentFile', trusted) ? undefined : currentFile(workbench);
  if (file === undefined || mentioned.includes(file.path) || (options.addedFiles ?? []).includes(file.path)) return undefined;
  return { openFile: { path: file.path, text: file.text(), cursorLine: file.cursor.line + 1, language: file.languageId } };
}

export class QuestionContext {
  constructor(
    private readonly workbench: Workbench,
    private readonly providers: readonly ContextProvider[],
    private readonly indexer: Pick<WorkspaceIndexer, 'request' | 'start'>,
    /**
     * Whether any workspace could hold what the question names (core/retrieval/searchEvidence mayConcernAWorkspace, read
     * from the runtime): the engine builds an index never built only for such a question, and so does this.
     */
    private readonly mayConcern: (question: string) => boolean,
  ) {}

  /** The selection in the editor a question is about, screened as `gather` screens it; undefined when nothing is selected. */
  editorSelection(): GuardedContext | undefined {
    const editor = this.workbench.questionEditor();
    const items = editor === undefined ? [] : selectionItems(editor);
    return items.length === 0 ? undefined : guardContext(items);
  }

  async gather(question: string, options: QuestionContextOptions = {}): Promise<GatheredContext> {
    const trusted = this.workbench.trusted();
    const mentions = hashMentionsIn(question);
    const request = { question, mentions, trusted, withoutCurrentFile: options.withoutCurrentFile === true, wholeCurrentFile: options.wholeCurrentFile === true, withoutSelection: options.withoutSelection === true, addedFiles: options.addedFiles ?? [], selectionGiven: options.selection !== undefined, ...(options.estimating ? { estimating: true } : {}) };
    const gathered = await Promise.all(this.providers.map((p) => p.gather(request)));
    const items = gathered.flatMap((g) => g.items);
    const selection = options.selection ?? guardContext(items.filter((i) => i.source === 'selection'));
    const attachments = [...selection.items, ...items.filter((i) => i.source !== 'selection')];
    const notes = [...gathered.flatMap((g) => g.notes), ...selection.notes];
    const editor = editorState(this.workbench, options, trusted, mentions.files);
    const editorPart = editor ? { editor } : {};
    if (!mayGather('codebase', trusted)) {
      if (mentions.codebase) notes.push('#codebase: this workspace is not trusted, so its files are not searched');
      return { attachments, selection, notes, ...editorPart };
    }
    // What the selection calls and nothing attached defines is the engine's to find (engine/workspaceContext), with the
    // one reader of definitions.
    const workspace = this.indexer.request(mentions.codebase ? 'always' : 'auto');
    // A question being typed never starts the index: building it may load (and ask to download) the embedding model.
    // Nor does one the engine decides without it ("what is 2 + 2?"): the status bar would say the workspace is being
    // indexed for it (issue 70 item 8). Usually the index was built at start-up already (workspaceIndexer.ts).
    if (workspace && options.estimating !== true && (mentions.codebase || selection.items.length > 0 || this.mayConcern(question))) this.indexer.start();
    return { attachments, selection, notes, ...editorPart, ...(workspace ? { workspace } : {}) };
  }

  /** Starts building the workspace's index in the background: once the embedding model is loaded, typing a question may. */
  warmIndex(): void {
    if (this.indexer.request('auto')) this.indexer.start();
  }
}
