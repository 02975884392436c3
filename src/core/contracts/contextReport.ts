/** What a result reports of each context item a question carried (a file, a selection, problems, terminal text, a retrieved chunk): everything but its text. */

/** Where an item came from; explicit sources are the ones the user chose. */
export type ContextSource = 'file' | 'selection' | 'currentFile' | 'problems' | 'terminal' | 'retrieved';

export interface ContextReport {
  source: ContextSource;
  /** Workspace-relative path with `/` separators (or the name the front end gives, e.g. `terminal`). */
  path: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** Estimated tokens of the item as it reads in the prompt (its header and fence included). */
  tokens: number;
  /** Why it is here, in the user's words: "attached", "defines split_graphemes", "matches title, background". */
  reason: string;
  /** A retrieved chunk's file score (core/retrieval/ranking): the file's BM25F and similarity against the best file's, with boosts. */
  score?: number;
}
