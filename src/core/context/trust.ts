/**
 * What may be read for context. In an untrusted workspace nothing is read that the user did not attach: `#file`
 * mentions and the files they add, the selection they asked about, and `#problems` / `#terminal` when they name them;
 * the current file and the workspace's index (automatic or `#codebase`) are not.
 */

/** Every way context is gathered, explicit or automatic. */
export type ContextGatherer = 'file' | 'selection' | 'problems' | 'terminal' | 'currentFile' | 'codebase';

const EXPLICIT: ReadonlySet<ContextGatherer> = new Set(['file', 'selection', 'problems', 'terminal']);

/** Whether `gatherer` may read in a workspace that is (or is not) trusted. */
export function mayGather(gatherer: ContextGatherer, trusted: boolean): boolean {
  return trusted || EXPLICIT.has(gatherer);
}
