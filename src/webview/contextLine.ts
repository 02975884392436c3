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

/**
 * The retrieved chunks of one file as one part, where its first one was: "thresholds.ts 1–150 (found, 20 parts)" —
 * a search can take many chunks of a file, and a line of twenty parts of it says less than one.
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
      else parts.push(`${baseName(item.path)} ${lines(Math.min(...chunks.map((c) => c.startLine)), Math.max(...chunks.map((c) => c.endLine)))} (found, ${chunks.length} parts)`);
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
