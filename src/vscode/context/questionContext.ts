/**
 * The context of one question from every provider, in the budget's order, with the workspace to search when the
 * question asks for it (`#codebase`), or may concern it (names code that is not attached, points at the project);
 * the engine then searches only when the index confirms it (core/context/retrievalWanted). In an untrusted workspace only what the user
 * attached is read (core/context/trust). The selection is one item kind whichever way it comes (the chip's, or the one
 * Ask About Selection or a retried run brings), screened here as the engine screens every item.
 */
import type { ContextItem } from '../../core/context/contextItem';
import { refersToCurrentFile } from '../../core/context/currentFileWanted';
import { hashMentionsIn } from '../../core/context/hashMentions';
import { retrievalWanted } from '../../core/context/retrievalWanted';
import { guardContext, type GuardedContext } from '../../core/context/secretGuard';
import { definitionsToFind } from '../../core/context/selectionCalls';
import { mayGather } from '../../core/context/trust';
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
  /** No chip shows the current file (a question from the command palette): it rides along only when the question is about it. */
  currentFileIfAsked?: boolean;
}

export interface GatheredContext {
  /** Every item the question carries, the selection's among them. */
  attachments: ContextItem[];
  /**
   * The selection among them, screened for secrets (core/context/secretGuard), and what the screen said (among
   * `notes` too): what the run keeps, so a follow-up, a retry and the bank's learning never carry a secret value.
   */
  selection: GuardedContext;
  workspace?: WorkspaceRequest;
  /** What could not be gathered, and why. */
  notes: string[];
}

/** Whether the question is about the file open in the editor (core/context/currentFileWanted); false without one. */
function askedAbout(workbench: Workbench, question: string, problemsMentioned: boolean): boolean {
  const file = currentFile(workbench);
  return file !== undefined && refersToCurrentFile(question, { path: file.path, text: file.text() }, problemsMentioned);
}

export class QuestionContext {
  constructor(
    private readonly workbench: Workbench,
    private readonly providers: readonly ContextProvider[],
    private readonly indexer: Pick<WorkspaceIndexer, 'request' | 'start'>,
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
    const withoutCurrentFile = options.withoutCurrentFile === true || (options.currentFileIfAsked === true && !askedAbout(this.workbench, question, mentions.problems));
    const request = { question, mentions, trusted, withoutCurrentFile, withoutSelection: options.withoutSelection === true, addedFiles: options.addedFiles ?? [], selectionGiven: options.selection !== undefined };
    const gathered = await Promise.all(this.providers.map((p) => p.gather(request)));
    const items = gathered.flatMap((g) => g.items);
    const selection = options.selection ?? guardContext(items.filter((i) => i.source === 'selection'));
    const attachments = [...selection.items, ...items.filter((i) => i.source !== 'selection')];
    const notes = [...gathered.flatMap((g) => g.notes), ...selection.notes];
    const wanted = retrievalWanted(question, attachments, mentions.codebase);
    // What the selection calls and nothing attached defines: found by name in the index.
    const definitions = definitionsToFind(selection.items.map((i) => i.text).join('\n'), attachments);
    if ((wanted || definitions.length > 0) && !mayGather('codebase', trusted)) {
      if (mentions.codebase) notes.push('#codebase: this workspace is not trusted, so its files are not searched');
      return { attachments, selection, notes };
    }
    // #codebase searches whatever the question says; otherwise the engine searches only on evidence the index confirms.
    const indexRequest = wanted || definitions.length > 0 ? this.indexer.request(mentions.codebase ? 'always' : wanted ? 'auto' : 'none') : undefined;
    const workspace = indexRequest && definitions.length > 0 ? { ...indexRequest, definitions } : indexRequest;
    if (workspace) this.indexer.start();
    return { attachments, selection, notes, ...(workspace ? { workspace } : {}) };
  }
}
