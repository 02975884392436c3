/**
 * A turn's context line, from the run's context report: a count that expands ("17 context items") to its parts
 * ("cells.py 1–120", "test_cells.py 40–80 (found)", "2 problems"); a wide panel shows the parts after the count too.
 */
import { formatQuantity, formatTokenPhrase } from '../presentation/format';
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

/**
 * Tokens the context cost across all models: its tokens once per call that carried it (referencers, aggregations,
 * tests), given each call's prompt tokens. The context's tokens are an estimate from its characters, a call's are
 * what the server counted: no call is said to carry more context than its whole prompt (`capped` says one was held
 * to it; then `estimate` is the context's own size, and `largestPrompt` the largest whole prompt, not the context's).
 */
export function contextTokensSent(
  report: readonly ContextReport[] | undefined,
  promptTokens: readonly number[],
): { tokens: number; calls: number; total: number; capped: boolean; estimate: number; largestPrompt: number } | undefined {
  if (report === undefined || report.length === 0) return undefined;
  const estimate = report.reduce((sum, item) => sum + item.tokens, 0);
  const each = promptTokens.map((prompt) => Math.min(estimate, prompt));
  const largestPrompt = Math.max(0, ...promptTokens);
  return { tokens: Math.max(0, ...each), calls: each.length, total: each.reduce((sum, t) => sum + t, 0), capped: each.some((t) => t < estimate), estimate, largestPrompt };
}

/**
 * Details' line on the context: "Context: 1,300 tokens in each of 5 calls = 6,500 tokens across all models"; when the
 * estimate is above what a server counted for a whole prompt, the context's own (estimated) size and the prompts apart —
 * the prompt's count is not the context's.
 */
export function contextCostText(carried: NonNullable<ReturnType<typeof contextTokensSent>>): string {
  if (!carried.capped) return `Context: ${formatTokenPhrase(carried.tokens)} in each of ${formatQuantity(carried.calls, 'call')} = ${formatTokenPhrase(carried.total)} across all models`;
  return `Context: ≈${formatTokenPhrase(carried.estimate)} (estimated from its characters), sent with ${formatQuantity(carried.calls, 'call')}; each call's whole prompt, context included, was at most ${formatTokenPhrase(carried.largestPrompt)}`;
}
