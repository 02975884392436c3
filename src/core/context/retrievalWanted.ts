/** Whether an ask searches the workspace: `#codebase` asks for it; a question naming code that is not attached implies it. */
import { mentionsIn, pathMatches } from './mentions';

/** True when the user wrote `#codebase`, or the question names a file not attached or any identifier (`parseScores`, `cells.py`). */
export function retrievalWanted(question: string, attachedPaths: readonly string[], codebase: boolean): boolean {
  if (codebase) return true;
  const named = mentionsIn(question.replace(/(?<![\w#])#(?:file:)?[\w./\\-]+/g, ' '));
  if (named.files.some((f) => !attachedPaths.some((p) => pathMatches(p, f)))) return true;
  return named.identifiers.length > 0;
}
