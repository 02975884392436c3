/**
 * A turn's context line, from the run's context report: a count that expands ("17 context items") to its parts
 * ("cells.py 1–120", "test_cells.py 40–80 (found)", "2 problems"); a wide panel shows the parts after the count too.
 */
import type { ContextReport } from '../presentation/runState';

const baseName = (path: string): string => path.split('/').at(-1) ?? path;
const lines = (a: number, b: number): string => (a === b ? `${a}` : `${a}–${b}`);

/** How one item reads in the line. */
export function contextPart(item: ContextReport): string {
  switch (item.source) {
    case 'problems':
      return item.reason;
    case 'terminal':
      return item.path;
    case 'retrieved':
      return `${baseName(item.path)} ${lines(item.startLine, item.endLine)} (found)`;
    case 'selection':
      return `${baseName(item.path)} ${lines(item.startLine, item.endLine)} (selected)`;
    case 'file':
    case 'currentFile':
      return `${baseName(item.path)} ${lines(item.startLine, item.endLine)}`;
  }
}

/** The line ranges of chunks, in order, touching or overlapping ones joined: "1–35, 444–467" — exactly the lines that went. */
function rangesOf(chunks: readonly ContextReport[]): string {
  const sorted = [...chunks].sort((a, b) => a.startLine - b.startLine);
  const joined: { start: number; end: number }[] = [];
  for (const c of sorted) {
    const last = joined.at(-1);
    if (last !== undefined && c.startLine <= last.end + 1) last.end = Math.max(last.end, c.endLine);
    else joined.push({ start: c.startLine, end: c.endLine });
  }
  return joined.map((r) => lines(r.start, r.end)).join(', ');
}

/**
 * The retrieved chunks of one file as one part, where its first one was, with exactly the lines that went:
 * "request.js 1–35, 444–467 (found)" — a search can take several chunks of a file, and one part of them says more
 * than several, but never a range that was not sent.
 */
export function contextParts(report: readonly ContextReport[]): string[] {
  const byPath = new Map<string, ContextReport[]>();
  for (const item of report) if (item.source === 'retrieved') byPath.set(item.path, [...(byPath.get(item.path) ?? []), item]);
  const parts: string[] = [];
  for (const item of report) {
    if (item.source !== 'retrieved') parts.push(contextPart(item));
    else {
      const chunks = byPath.get(item.path);
      if (chunks === undefined) continue;
      byPath.delete(item.path);
      if (chunks.length === 1) parts.push(contextPart(item));
      else parts.push(`${baseName(item.path)} ${rangesOf(chunks)} (found)`);
    }
  }
  return parts;
}

/** The whole line; undefined when the run carried no context. */
export function contextLine(report: readonly ContextReport[] | undefined): string | undefined {
  if (report === undefined || report.length === 0) return undefined;
  return `Context: ${contextParts(report).join(' · ')}`;
}

/** The collapsed line: how many parts the context has. */
export function contextCount(parts: readonly string[]): string {
  return `${parts.length} context item${parts.length === 1 ? '' : 's'}`;
}
