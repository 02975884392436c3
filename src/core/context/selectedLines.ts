/**
 * The 1-based lines a selection covers. VS Code positions are 0-based, and a selection of whole lines (made with
 * Shift+Down or by dragging over the line numbers) ends at column 0 of the line after: that line holds none of it.
 */
export function selectedLines(start: { line: number; character: number }, end: { line: number; character: number }): { startLine: number; endLine: number } {
  const endLine = end.line > start.line && end.character === 0 ? end.line : end.line + 1;
  return { startLine: start.line + 1, endLine };
}
