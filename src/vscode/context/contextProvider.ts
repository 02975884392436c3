/** One source of context for a question (current file, selection, `#file`, `#problems`, `#terminal`), behind one interface. */
import type { ContextItem } from '../../core/context/contextItem';
import type { HashMentions } from '../../core/retrieval/hashMentions';

export interface ContextRequest {
  question: string;
  mentions: HashMentions;
  /** `vscode.workspace.isTrusted`: an untrusted workspace gives only what the user attached. */
  trusted: boolean;
  /** The user dropped the current file's chip (or the setting is off). */
  withoutCurrentFile: boolean;
  /** The user clicked the current file's chip to send it whole; else the engine decides what part of it goes. */
  wholeCurrentFile: boolean;
  /** The user dropped the selection's chip: the selection stays out of this question. */
  withoutSelection: boolean;
  /** Files the user added with "Add file…" or the explorer (workspace-relative). */
  addedFiles: readonly string[];
  /** The ask brings its own selection (Ask About Selection's, or the one a retried run sent): the selection provider stays out. */
  selectionGiven: boolean;
  /**
   * The question box's cost estimate while the user types: nothing is asked of the user (a file holding secrets counts
   * as sent redacted); the ask itself asks, once.
   */
  estimating?: boolean;
}

export interface Gathered {
  items: ContextItem[];
  /** What a provider could not give and why ("#terminal: no terminal is open"). */
  notes: string[];
}

export interface ContextProvider {
  gather(request: ContextRequest): Promise<Gathered>;
}

export const NOTHING: Gathered = { items: [], notes: [] };
