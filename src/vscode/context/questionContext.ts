/**
 * The context of one question from every provider, in the budget's order, with the workspace to search when the
 * question asks for it (`#codebase`), or may concern it (names code that is not attached, points at the project);
 * the engine then searches only when the index confirms it (core/context/retrievalWanted). In an untrusted workspace only what the user
 * attached is read (core/context/trust).
 */
import type { ContextItem } from '../../core/context/contextItem';
import { refersToCurrentFile } from '../../core/context/currentFileWanted';
import { hashMentionsIn } from '../../core/context/hashMentions';
import { retrievalWanted } from '../../core/context/retrievalWanted';
import { definitionsToFind } from '../../core/context/selectionCalls';
import { mayGather } from '../../core/context/trust';
import type { WorkspaceRequest } from '../../engine/types';
import type { ContextProvider } from './contextProvider';
import { currentFile } from './currentFileProvider';
import type { Workbench } from './workbench';
import type { WorkspaceIndexer } from './workspaceIndexer';

export interface QuestionContextOptions {
  withoutCurrentFile?: boolean;
  withoutSelection?: boolean;
  addedFiles?: readonly string[];
  /** The ask brings its own selection (Ask About Selection): its text, as sent. */
  selectionGiven?: string;
  /** No chip shows the current file (a question from the command palette): it rides along only when the question is about it. */
  currentFileIfAsked?: boolean;
}

export interface GatheredContext {
  attachments: ContextItem[];
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

  async gather(question: string, options: QuestionContextOptions = {}): Promise<GatheredContext> {
    const trusted = this.workbench.trusted();
    const mentions = hashMentionsIn(question);
    const withoutCurrentFile = options.withoutCurrentFile === true || (options.currentFileIfAsked === true && !askedAbout(this.workbench, question, mentions.problems));
    const request = { question, mentions, trusted, withoutCurrentFile, withoutSelection: options.withoutSelection === true, addedFiles: options.addedFiles ?? [], selectionGiven: options.selectionGiven !== undefined };
    const gathered = await Promise.all(this.providers.map((p) => p.gather(request)));
    const attachments = gathered.flatMap((g) => g.items);
    const notes = gathered.flatMap((g) => g.notes);
    const wanted = retrievalWanted(question, attachments, mentions.codebase);
    // What the selection calls and nothing attached defines: found by name in the index.
    const selected = [options.selectionGiven ?? '', ...attachments.filter((a) => a.source === 'selection').map((a) => a.text)].join('\n');
    const definitions = definitionsToFind(selected, attachments);
    if ((wanted || definitions.length > 0) && !mayGather('codebase', trusted)) {
      if (mentions.codebase) notes.push('#codebase: this workspace is not trusted, so its files are not searched');
      return { attachments, notes };
    }
    // #codebase searches whatever the question says; otherwise the engine searches only on evidence the index confirms.
    const indexRequest = wanted || definitions.length > 0 ? this.indexer.request(mentions.codebase ? 'always' : wanted ? 'auto' : 'none') : undefined;
    const workspace = indexRequest && definitions.length > 0 ? { ...indexRequest, definitions } : indexRequest;
    if (workspace) this.indexer.start();
    return { attachments, notes, ...(workspace ? { workspace } : {}) };
  }
}
