/**
 * A file the editor holds, read by the one reader of definitions (core/retrieval/chunking definitionsOf): tree-sitter
 * where a grammar covers its language (src/parse), as the workspace's own files are in the index; the line scanner
 * otherwise.
 */
import type { ParsedSource } from '../core/retrieval/parsedSource';
import { SourceParser } from '../parse/sourceParser';

let shared: SourceParser | undefined;
/** Where the shared parser's warnings go: the latest caller's log (the grammars load once, for every caller). */
let warnTo: (message: string) => void = () => undefined;

/** What the parser reads of `text` as the file `path`; undefined when no grammar covers it or it could not be read. */
export function parseFile(path: string, text: string, warn: (message: string) => void): Promise<ParsedSource | undefined> {
  warnTo = warn;
  shared ??= new SourceParser({ warn: (message) => warnTo(message) });
  return shared.covers(path) ? shared.parse(path, text) : Promise.resolve(undefined);
}
