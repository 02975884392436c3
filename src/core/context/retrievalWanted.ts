/** Whether an ask searches the workspace: `#codebase` asks for it; a question naming code that is not attached implies it. */
import { mentionsIn, pathMatches } from './mentions';
import { usesIdentifier } from './ranking';

/** What retrieval knows of an attached item: where it is from and what it holds. */
export interface Attached {
  path: string;
  text: string;
}

/**
 * True when the user wrote `#codebase`, or the question names a file that is not attached or an identifier that no
 * attached item holds (`cells.py`, `parseScores`): code that is not attached.
 */
export function retrievalWanted(question: string, attached: readonly Attached[], codebase: boolean): boolean {
  if (codebase) return true;
  const named = mentionsIn(question.replace(/(?<![\w#])#(?:file:)?[\w./\\-]+/g, ' '));
  if (named.files.some((f) => !attached.some((a) => pathMatches(a.path, f)))) return true;
  return named.identifiers.some((id) => !attached.some((a) => usesIdentifier(a.text, id)));
}
